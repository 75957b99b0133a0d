/**
 * The cheap paths a cold run takes through the reports' leaves and the file reader (issue 9, cold start) give what
 * the slow paths gave: the reader's one buffer never leaks one file into the next; redaction's memo of short texts
 * is dropped when the secrets or the kept ids change; JSON written without `jsonSafe`'s copy is written only for plain
 * data, byte for byte as the copy is; report.html's "as expected" ignores the order of keys as before; report.html
 * takes report.json's text as it was rendered instead of rendering it again.
 */
import t from 'tap';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readText } from '../harness/text-file.js';
import { renderHtml } from '../reports/html.js';
import { anchor, attr, esc } from '../reports/html/escape.js';
import { scenarioSection } from '../reports/html/scenarios.js';
import { KEEP_TEXT_CHARS, renderJsonChunks } from '../reports/json.js';
import { jsonSafe, plainJson, safeStringify } from '../reports/json-safe.js';
import { keepIds, REDACTED, registerSecrets, sanitize } from '../reports/redact.js';
import type { RunResult, ScenarioResult, StepResult } from '../reports/results.js';

const dir = mkdtempSync(join(tmpdir(), 'ic-cold-reports-'));
t.teardown(() => rmSync(dir, { recursive: true, force: true }));

t.test('the reader reads each file whole and alone, whatever it read before', async (t) => {
  const long = join(dir, 'long.yaml');
  const short = join(dir, 'short.yaml');
  const bad = join(dir, 'bad.yaml');
  writeFileSync(long, `title: ${'x'.repeat(5000)}\n`);
  writeFileSync(short, 'title: y\n');
  writeFileSync(bad, Buffer.concat([Buffer.from('title: ok\nwho: caf'), Buffer.from([0xc3, 0x28]), Buffer.from('\n')]));
  t.same(readText(long), { text: `title: ${'x'.repeat(5000)}\n` });
  t.same(readText(short), { text: 'title: y\n' }, 'no byte of the longer file read before');
  const problem = readText(bad, 'scenario file');
  t.match(problem, { problem: { file: bad, line: 2, col: 9 } }, 'a bad byte is located in this file, not the last');
  t.same(readText(short), { text: 'title: y\n' }, 'and the next read is whole again');
});

t.test('a short text redacted before a secret is known is redacted once it is, and again after', async (t) => {
  const text = 'the service said: Q7rT2mXv9KpL';
  t.equal(sanitize(text), text, 'no secret known: unchanged (and remembered)');
  const undo = registerSecrets(() => ['Q7rT2mXv9KpL']);
  t.equal(sanitize(text), `the service said: ${REDACTED}`, 'the memo of the unknown secret is not served');
  undo();
  t.equal(sanitize(text), text, 'the secret withdrawn: unchanged again');
});

t.test('an id kept after its text was redacted is left whole from then on', async (t) => {
  const id = `chat/${'ab12'.repeat(9)}`; // 36 hex digits: the hex pattern would take them
  const text = `failed at ${id}.yaml:3:5`;
  t.equal(sanitize(text), `failed at chat/${REDACTED}.yaml:3:5`, 'not kept yet: the pattern takes it');
  keepIds([`${id}.yaml:3:5`]);
  t.equal(sanitize(text), text, 'kept: the memo of the text before is not served');
});

t.test(
  'sanitize and esc/attr give what the replacements give, on texts with and without anything to replace',
  async (t) => {
    const slow = (s: string, quotes: boolean) =>
      s
        .replace(/\u001B\[[0-9;?]*[ -/]*[@-~]/g, '')
        .replace(/\r\n/g, '\n')
        .replace(/\r(?!\n)|[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/g, '\uFFFD')
        .replace(quotes ? /[&<>"]/g : /[&<>]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
    const texts = [
      'plain words',
      'a & b < c > d "q"',
      'red \u001B[31mtext\u001B[0m',
      'cr\r\nlf\rlone\u0007bell\u0085',
      '',
    ];
    for (const s of texts) {
      t.equal(esc(s), slow(s, false), `esc ${JSON.stringify(s)}`);
      t.equal(attr(s), slow(s, true), `attr ${JSON.stringify(s)}`);
    }
    const slowAnchor = (prefix: string, ...parts: string[]) =>
      `${prefix}-${parts.map((p) => [...p].map((c) => (/[A-Za-z0-9_-]/.test(c) ? c : `.${c.codePointAt(0)!.toString(16)}.`)).join('')).join('--')}`;
    for (const parts of [['CHAT-001'], ['reference', 'chat/first messages'], ['variant(x)', 'ünïcode/😀'], ['']])
      t.equal(anchor('s', ...parts), slowAnchor('s', ...parts), `anchor of ${JSON.stringify(parts)}`);
    t.equal(esc(undefined), '');
    t.equal(attr(42), '42');
  },
);

class Point {
  constructor(
    readonly x: number,
    readonly y: number,
  ) {}
}

t.test('JSON written without the copy is exactly the copy written, and only plain data takes that way', async (t) => {
  const cycle: Record<string, unknown> = { a: 1 };
  cycle.self = cycle;
  const shared = { s: 1 };
  const throwing = Object.defineProperty({ a: 1 }, 'b', {
    enumerable: true,
    get: () => {
      throw new Error('no');
    },
  });
  const withKey = { toJSON: (key: string) => `called with ${JSON.stringify(key)}` };
  const fnWithToJson = Object.assign(() => 1, { toJSON: () => 'fn' });
  const plain: [string, unknown][] = [
    ['an outcome', { status: 'ok', found: ['b', 'a'], call: null }],
    ['holes and undefined', [1, , undefined, Symbol('s')]], // eslint-disable-line no-sparse-arrays
    ['no prototype', Object.assign(Object.create(null) as object, { z: 1, a: { b: [true, -0, NaN, Infinity] } })],
    ['numbers as keys', { b: 1, 10: 2, 2: 3, a: undefined }],
    ['one object reached twice', { one: shared, two: [shared] }],
    ['a string', 'text'],
    ['undefined', undefined],
  ];
  const other: [string, unknown][] = [
    ['a boxed number', { n: new Number(3) }], // eslint-disable-line no-new-wrappers
    ['a boxed string', [new String('ab')]], // eslint-disable-line no-new-wrappers
    ['a date', { at: new Date(0) }],
    ['toJSON using its key', { k: withKey }],
    ['a function with toJSON', { f: fnWithToJson }],
    ['a function', [() => 1]],
    ['a class instance', new Point(1, 2)],
    ['a map', new Map([[1, 2]])],
    ['a typed array', new Uint8Array([1, 2])],
    ['a cycle', cycle],
    ['a BigInt', { big: 10n }],
    ['a throwing getter', throwing],
  ];
  for (const [what, v] of [...plain, ...other]) {
    const copied = JSON.stringify(jsonSafe(v), null, 2) ?? 'undefined';
    t.equal(safeStringify(v, 2), copied, `${what}: as the copy is written`);
  }
  for (const [what, v] of plain.slice(0, -1)) t.type(plainJson(v), 'string', `${what}: plain`);
  for (const [what, v] of other) t.equal(plainJson(v), undefined, `${what}: left to the copy`);
  let reads = 0;
  const second = Object.defineProperty({}, 'x', {
    enumerable: true,
    get: () => {
      if (++reads > 1) throw new Error('read twice');
      return 1;
    },
  });
  t.equal(plainJson(second), undefined, 'a getter throwing when JSON.stringify reads it: left to the copy');
  t.equal(safeStringify(second), '{"x":"[unserialisable]"}', 'which says so');
  // The faulty case the list catches: a boxed number written by JSON.stringify directly is 3, the copy {}.
  t.not(JSON.stringify({ n: new Number(3) }), safeStringify({ n: new Number(3) })); // eslint-disable-line no-new-wrappers
});

/** A passing scenario of one step whose observation is `observed`. */
function runWith(observed: StepResult['observed']): RunResult {
  const step = {
    index: 1,
    location: 'x.yaml:3:5',
    actor: 'tara',
    action: { kind: 'sendMessage', to: 'sam', text: 'hi' },
    verdict: 'pass',
    expected: {
      outcome: { status: 'ok', messages: ['hi'] },
      deliveries: [{ to: 'sam', from: 'tara', kind: 'message', text: 'hi' }],
    },
    observed,
    rule: 'chat.plain-text-allowed',
    requirements: [],
    mismatches: [],
  } as unknown as StepResult;
  const scenario = {
    id: 'x',
    title: 'x',
    file: 'x.yaml',
    area: 'chat',
    adapter: 'reference',
    verdict: 'pass',
    requirements: [],
    steps: [step],
    durationMs: 1,
  };
  return { scenarios: [scenario as unknown as ScenarioResult], requirements: [] } as unknown as RunResult;
}

t.test(
  'a passing step observed with its keys in another order reads "as expected"; another value does not',
  async (t) => {
    const cell = (observed: StepResult['observed']) => [...scenarioSection(runWith(observed))].join('');
    const reordered = {
      deliveries: [{ text: 'hi', kind: 'message', from: 'tara', to: 'sam' }],
      outcome: { messages: ['hi'], status: 'ok' },
    } as unknown as StepResult['observed'];
    t.match(cell(reordered), '<span class="muted">as expected</span>', 'keys reordered: the same');
    const same = {
      outcome: { status: 'ok', messages: ['hi'] },
      deliveries: [{ to: 'sam', from: 'tara', kind: 'message', text: 'hi' }],
    };
    t.match(cell(same as StepResult['observed']), 'as expected', 'written the same: the same');
    const other = { ...same, outcome: { status: 'ok', messages: ['hello'] } };
    const shown = cell(other as StepResult['observed']);
    t.notMatch(shown, 'as expected', 'another value: shown');
    t.match(shown, '<pre class="observed">ok {"messages":["hello"]}', 'as the observed text');
  },
);

t.test(
  `report.html embeds report.json's text as it was rendered: once, then rendered again, and never past ${KEEP_TEXT_CHARS} characters`,
  async (t) => {
    let reads = 0;
    const run = (filler = '') =>
      ({
        get summary() {
          reads++; // each render of the text reads it once
          return { adapter: 'reference', filler, gate: { conformant: true } };
        },
        scenarios: [],
      }) as unknown as RunResult;
    const small = run();
    const json = [...renderJsonChunks(small)].join('');
    t.equal(reads, 1, 'report.json read the run once');
    const page = renderHtml(small);
    t.equal(reads, 2, 'report.html reads the summary for its title, and not the run again for its data');
    t.ok(page.includes(`id="report-data">${json}</script>`), "its data is report.json's text");
    t.equal(renderHtml(small), page, 'asked again, it renders the text again: the same page');
    t.equal(reads, 4, 'title and data read again');

    reads = 0;
    // The text around the filler: `{"summary": {"adapter": "reference", "filler": "…", …}, "scenarios": []}`.
    const around = [...renderJsonChunks(run())].join('').length;
    reads = 0;
    const atLimit = run('x'.repeat(KEEP_TEXT_CHARS - around));
    const atLimitJson = [...renderJsonChunks(atLimit)].join('');
    t.equal(atLimitJson.length, KEEP_TEXT_CHARS, 'a text of exactly the limit');
    t.ok(renderHtml(atLimit).includes(atLimitJson));
    t.equal(reads, 2, 'kept: report.html reads only the title');

    reads = 0;
    const big = run('x'.repeat(KEEP_TEXT_CHARS - around + 1));
    const bigJson = [...renderJsonChunks(big)].join('');
    t.ok(renderHtml(big).includes(bigJson), 'a text one past the limit is the same text');
    t.equal(reads, 3, 'rendered again for report.html: past the limit it is not kept');
  },
);

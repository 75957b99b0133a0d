/**
 * Property-based fuzzing of the real scenarios (issue 10): every file in scenarios/, mutated — byte flips,
 * truncation, key deletion and duplication, type swaps, prototype-key names, alias and anchor insertion, alias
 * bombs, deep nesting, control characters, invalid UTF-8, YAML tags and directives, splices of other files — and
 * read by the loader exactly as `validate` reads it. Whatever the input: no exit 3, no stack trace, every rejection located at `file:line:col`,
 * nothing raw in the terminal, no case slower than a few seconds.
 *
 * Seeded and reproducible: FUZZ_SEED=N FUZZ_RUNS=M npx tap test/scenario-fuzz.test.ts replays a run; a failure
 * prints its seed and the shrunk case. FUZZ_KEEP=DIR keeps the mutants the loader accepted.
 */
import t from 'tap';
import fc from 'fast-check';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Alias, isMap, isScalar, parseDocument, Scalar, visit, type Node } from 'yaml';
import { main } from '../harness/cli.js';
import { formatDiagnostic, InputError } from '../harness/diagnostics.js';
import { findScenarioFiles, loadScenarios } from '../harness/load.js';
import { loadCatalogue } from '../harness/specs-files.js';

const SEED = Number(process.env.FUZZ_SEED ?? 20_261_130);
const RUNS = Number(process.env.FUZZ_RUNS ?? 2000);
/** FUZZ_KEEP=DIR: the accepted mutants are kept there (DIR/<area>/N-name.yaml), to `run` them afterwards. */
const KEEP = process.env.FUZZ_KEEP;
/** A case slower than this is as good as a hang (a 2-core machine shared by others: generous). */
const SLOW_MS = 5000;

const REAL = findScenarioFiles(['scenarios']).map((f) => ({
  area: f.split('/')[1]!,
  name: f.split('/').pop()!,
  bytes: readFileSync(f),
}));
const catalogue = loadCatalogue().requirements;
const root = mkdtempSync(join(tmpdir(), 'ic-fuzz-'));
t.teardown(() => rmSync(root, { recursive: true, force: true }));

interface Verdict {
  code: number;
  lines: string[];
}

/** What `validate` does with one folder, in process, without re-reading the catalogue for every case. */
function validate(dir: string): Verdict {
  try {
    const { problems } = loadScenarios(findScenarioFiles([dir]), catalogue);
    return { code: problems.length ? 2 : 0, lines: problems.map(formatDiagnostic) };
  } catch (e) {
    if (e instanceof InputError) return { code: 2, lines: e.diagnostics.map(formatDiagnostic) };
    return { code: 3, lines: [`internal error: ${(e as Error)?.message}`, String((e as Error)?.stack)] };
  }
}

/** Everything wrong with how a case was answered; empty when it was answered as bad input must be. */
function judge(v: Verdict, file: string): string[] {
  const wrong: string[] = [];
  if (v.code !== 0 && v.code !== 2) wrong.push(`exit ${v.code}: ${v.lines.join(' | ').slice(0, 500)}`);
  for (const line of v.lines) {
    if (!line.startsWith(`${file}:`) || !/^:\d+:\d+: \S/.test(line.slice(file.length)))
      wrong.push(`not located: ${line.slice(0, 200)}`);
    if (/\n|\s+at .+:\d+:\d+\)?$/m.test(line)) wrong.push(`a stack trace or a second line: ${line.slice(0, 200)}`);
    if (/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/.test(line))
      wrong.push(`a raw control character: ${JSON.stringify(line.slice(0, 200))}`);
  }
  if (v.code === 2 && !v.lines.length) wrong.push('exit 2 without a diagnostic');
  return wrong;
}

// ---- mutations: each a pure function of the original bytes and a few random numbers -------------------------

type Mutation = (src: Buffer, r: number[]) => Buffer | string;
const pick = <T>(xs: readonly T[], n: number): T => xs[n % xs.length]!;
const nodesOf = (text: string) => {
  const doc = parseDocument(text);
  const nodes: Node[] = [];
  const pairs: { map: { items: unknown[] }; index: number }[] = [];
  visit(doc, {
    Node: (_k, n) => void nodes.push(n),
    Pair: (_k, p, path) => {
      const parent = path[path.length - 1];
      if (isMap(parent)) pairs.push({ map: parent, index: parent.items.indexOf(p) });
    },
  });
  return { doc, nodes, pairs };
};
const lineStarts = (text: string) => [0, ...[...text.matchAll(/\n/g)].map((m) => m.index! + 1)];
const insertAt = (text: string, at: number, what: string) => text.slice(0, at) + what + text.slice(at);
const SWAPS: unknown[] = [
  0,
  -1,
  1.5,
  1e308,
  true,
  false,
  null,
  '',
  'x'.repeat(5000),
  '9007199254740993',
  '2026-11-30',
  [],
  {},
  [1, [2]],
  { a: { b: null } },
  'constructor',
  '__proto__',
  'toString',
];
const PROTO_NAMES = ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf', 'prototype', 'isPrototypeOf'];
const CONTROLS = [
  '\u0000',
  '\u0007',
  '\u001b[2J',
  '\u001b]0;owned\u0007',
  '\r',
  '\u007f',
  '\u0085',
  '\u009b',
  '\u202e',
  '\u2066',
  '\t',
];
const TAGS = [
  '!!binary',
  '!!set',
  '!!omap',
  '!!pairs',
  '!!timestamp',
  '!!str',
  '!!int',
  '!!float',
  '!!map',
  '!!seq',
  '!!null',
  '!!bool',
  '!local',
  '!js/function',
  'tag:yaml.org,2002:python/object',
];
const BAD_UTF8 = [[0xff], [0xc3], [0xc0, 0xaf], [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80], [0xe2, 0x82], [0x80]];

const MUTATIONS: Record<string, Mutation> = {
  'byte flips': (src, r) => {
    const b = Buffer.from(src);
    for (const x of r.slice(0, 1 + (r[0]! % 6))) b[x % b.length] ^= 1 << (x % 8);
    return b;
  },
  truncation: (src, r) => src.subarray(0, r[0]! % src.length),
  'key deletion': (src, r) => {
    const { doc, pairs } = nodesOf(src.toString());
    const p = pick(pairs, r[0]!);
    p.map.items.splice(p.index, 1);
    return doc.toString();
  },
  'key duplication': (src, r) => {
    const { doc, pairs } = nodesOf(src.toString());
    const p = pick(pairs, r[0]!);
    const pair = p.map.items[p.index] as { clone(): unknown };
    p.map.items.splice(p.index + (r[1]! % 2), 0, pair.clone());
    return doc.toString();
  },
  'type swap': (src, r) => {
    const { doc, nodes } = nodesOf(src.toString());
    const target = pick(nodes.slice(1), r[0]!);
    const swap = doc.createNode(pick(SWAPS, r[1]!));
    visit(doc, { Node: (_k, n) => (n === target ? swap : undefined) });
    return doc.toString();
  },
  'prototype-key name': (src, r) => {
    const { doc, nodes } = nodesOf(src.toString());
    const scalars = nodes.filter((n): n is Scalar => isScalar(n) && typeof n.value === 'string');
    pick(scalars, r[0]!).value = pick(PROTO_NAMES, r[1]!);
    return doc.toString();
  },
  'alias and anchor': (src, r) => {
    // The anchor may come after the alias (unknown) or enclose it (a cycle): both must be refused, located.
    const { doc, nodes } = nodesOf(src.toString());
    const anchored = pick(nodes, r[0]!);
    const replaced = pick(nodes.slice(1), r[1]!);
    anchored.anchor = 'fz';
    visit(doc, { Node: (_k, n) => (n === replaced ? new Alias('fz') : undefined) });
    return doc.toString({ verifyAliasOrder: false });
  },
  'alias bomb': (src, r) => {
    const width = 2 + (r[0]! % 9);
    const depth = 2 + (r[1]! % 9);
    const names = Array.from({ length: depth }, (_, i) => `l${i}`);
    const bomb = names
      .map(
        (n, i) =>
          `${n}: &${n} [${Array(width)
            .fill(i ? `*${names[i - 1]}` : 'lol')
            .join(', ')}]`,
      )
      .join('\n');
    const text = src.toString();
    return insertAt(text, pick(lineStarts(text), r[2]!), `${bomb}\n`);
  },
  'deep nesting': (src, r) => {
    const text = src.toString();
    const n = 1 + (r[0]! % 3000);
    const values = [...text.matchAll(/: (?=\S)/g)].map((m) => m.index! + 2);
    if (r[1]! % 2 && values.length) {
      const at = pick(values, r[2]!);
      const end = text.indexOf('\n', at) < 0 ? text.length : text.indexOf('\n', at);
      return `${text.slice(0, at)}${'['.repeat(n)}${text.slice(at, end)}${']'.repeat(n)}${text.slice(end)}`;
    }
    const block = Array.from({ length: Math.min(n, 700) }, (_, i) => `${' '.repeat(i + 1)}k${i}:`).join('\n');
    return `${text}note:\n${block} x\n`;
  },
  'control characters': (src, r) => {
    const text = src.toString();
    const ch = pick(CONTROLS, r[1]!);
    // Raw, or escaped inside a double-quoted key so that it survives the YAML reader into a message.
    return r[2]! % 2
      ? insertAt(text, r[0]! % text.length, ch)
      : text.replace(/^(\s+)(\w+):/m, `$1"$2${JSON.stringify(ch).slice(1, -1)}":`);
  },
  'invalid UTF-8': (src, r) => {
    const at = r[0]! % src.length;
    return Buffer.concat([src.subarray(0, at), Buffer.from(pick(BAD_UTF8, r[1]!)), src.subarray(at)]);
  },
  'tags and directives': (src, r) => {
    const text = src.toString();
    switch (r[0]! % 5) {
      case 0: {
        const { doc, nodes } = nodesOf(text);
        pick(nodes, r[1]!).tag = pick(TAGS, r[2]!);
        return doc.toString();
      }
      case 1:
        return `%YAML 1.1\n---\n${text.replace(/^(\s+)(\w+): /m, '$1<<: { $2: x }\n$1$2: ')}`;
      case 2:
        return `${text}---\n${pick(REAL, r[1]!).bytes.toString()}`;
      case 3:
        return `\ufeff${text.replace(/\n/g, '\r\n')}`;
      default:
        return text.replace(/^( +)/gm, (m) => (r[1]! % 2 ? '\t' : ' ').repeat(m.length));
    }
  },
  splice: (src, r) => {
    const other = pick(REAL, r[0]!).bytes;
    const from = r[1]! % other.length;
    const at = r[2]! % src.length;
    return Buffer.concat([src.subarray(0, at), other.subarray(from, from + 1 + (r[3]! % 400)), src.subarray(at)]);
  },
};
const KINDS = Object.keys(MUTATIONS);

const caseArb = fc.record({
  file: fc.nat({ max: REAL.length - 1 }),
  kind: fc.constantFrom(...KINDS),
  r: fc.array(fc.nat(), { minLength: 6, maxLength: 6 }),
});

t.test('the judge catches every way of answering badly (so the fuzz below can fail)', async (t) => {
  const f = '/x/scenarios/chat/a.yaml';
  t.same(judge({ code: 2, lines: [`${f}:3:7: unknown actor "sm"`] }, f), []);
  t.same(judge({ code: 0, lines: [] }, f), []);
  t.match(judge({ code: 3, lines: ['internal error: Maximum call stack size exceeded'] }, f), [
    /^exit 3/,
    /not located/,
  ]);
  t.match(judge({ code: 2, lines: ['internal error: Excessive alias count'] }, f), [/not located/]);
  t.match(judge({ code: 2, lines: [`${f}: cannot read`] }, f), [/not located/]);
  t.match(judge({ code: 2, lines: [`${f}:1:1: boom\n    at loadScenario (harness/load.ts:10:3)`] }, f), [
    /stack trace/,
  ]);
  t.match(judge({ code: 2, lines: [`${f}:1:1: unknown property "\u001b[2J"`] }, f), [/raw control/]);
  t.match(judge({ code: 2, lines: [] }, f), [/without a diagnostic/]);
});

t.test(
  `${RUNS} mutations of the ${REAL.length} real scenarios: never exit 3, every rejection located (seed ${SEED})`,
  async (t) => {
    const tally = { tried: 0, rejected: 0, accepted: 0, located: 0, exit3: 0, slowestMs: 0, loaderMs: 0 };
    const perKind = Object.fromEntries(KINDS.map((k) => [k, { tried: 0, rejected: 0 }]));
    let n = 0;
    const t0 = performance.now();
    const property = fc.property(caseArb, ({ file, kind, r }) => {
      const real = REAL[file]!;
      let mutated: Buffer | string;
      try {
        mutated = MUTATIONS[kind]!(real.bytes, r);
      } catch {
        mutated = MUTATIONS.truncation!(real.bytes, r); // a mutation that cannot apply to this file: truncate instead
      }
      const dir = join(root, `case-${n++}`, 'scenarios');
      mkdirSync(join(dir, real.area), { recursive: true });
      const path = join(dir, real.area, real.name);
      writeFileSync(path, mutated);
      const started = performance.now();
      const v = validate(dir);
      const ms = performance.now() - started;
      tally.tried++;
      tally.slowestMs = Math.max(tally.slowestMs, ms);
      tally.loaderMs += ms;
      perKind[kind]!.tried++;
      if (v.code === 2) (tally.rejected++, perKind[kind]!.rejected++);
      if (v.code === 0) tally.accepted++;
      if (v.code === 0 && KEEP) {
        mkdirSync(join(KEEP, real.area), { recursive: true });
        writeFileSync(join(KEEP, real.area, `${n}-${real.name}`), mutated);
      }
      if (v.code === 3) tally.exit3++;
      const wrong = judge(v, path);
      if (v.code === 2 && !wrong.length) tally.located++;
      if (ms > SLOW_MS) wrong.push(`took ${ms.toFixed(0)} ms`);
      if (wrong.length) throw new Error(`${kind} of ${real.area}/${real.name} (${path}): ${wrong.join('; ')}`);
    });
    const result = fc.check(property, { seed: SEED, numRuns: RUNS, endOnFailure: false });
    const ms = performance.now() - t0;
    t.comment(
      `scenario fuzz, seed ${SEED}: ${tally.tried} cases tried in ${(ms / 1000).toFixed(1)} s — ${tally.rejected} rejected (${tally.located} located), ${tally.accepted} accepted, exit 3: ${tally.exit3}; ${(tally.loaderMs / 1000).toFixed(1)} s in the loader, slowest case ${tally.slowestMs.toFixed(0)} ms`,
    );
    t.comment(
      `per mutation (tried/rejected): ${KINDS.map((k) => `${k} ${perKind[k]!.tried}/${perKind[k]!.rejected}`).join(', ')}`,
    );
    t.notOk(
      result.failed,
      result.failed
        ? `replay with FUZZ_SEED=${SEED}: ${String(result.errorInstance).slice(0, 800)}\n${fc.defaultReportMessage(result)}`
        : 'no case answered badly',
    );
    if (result.failed) return;
    t.equal(tally.tried, RUNS, 'every case was tried');
    t.equal(tally.exit3, 0, 'no exit 3');
    t.equal(tally.located, tally.rejected, 'every rejection located');
    t.equal(tally.rejected + tally.accepted, RUNS);
    // Each kind of mutation was tried and got some file refused: a mutation that never bites tests nothing.
    for (const k of KINDS)
      t.ok(perKind[k]!.rejected > 0, `${k}: ${perKind[k]!.rejected} of ${perKind[k]!.tried} refused`);
  },
);

t.test('through the CLI too: a sample of mutated files gives exit 2, located lines, and a closing count', async (t) => {
  const dir = join(root, 'cli');
  const samples = fc.sample(caseArb, { seed: SEED, numRuns: 12 });
  for (const [i, { file, kind, r }] of samples.entries()) {
    const real = REAL[file]!;
    const path = join(dir, `${i}`, 'scenarios', real.area, real.name);
    mkdirSync(join(dir, `${i}`, 'scenarios', real.area), { recursive: true });
    let mutated: Buffer | string;
    try {
      mutated = MUTATIONS[kind]!(real.bytes, r);
    } catch {
      mutated = MUTATIONS.truncation!(real.bytes, r);
    }
    writeFileSync(path, mutated);
    const out: string[] = [];
    const err: string[] = [];
    const sink = (buf: string[]) => ({ write: (s: string) => (buf.push(s), true) }) as never;
    const code = await main(['validate', join(dir, `${i}`, 'scenarios')], {
      stdout: sink(out),
      stderr: sink(err),
      env: {},
    });
    const lines = err.join('').split('\n').filter(Boolean);
    const closing = lines.pop();
    t.same(judge({ code, lines: code === 2 ? lines : [] }, path), [], `${kind} of ${real.name}: exit ${code}`);
    if (code === 2) t.match(closing, /^\d+ problems? found; nothing was run$/);
    else t.equal(code, 0, err.join(''));
  }
  t.equal(readdirSync(dir).length, 12);
});

import t from 'tap';
import { mkdtemp, readFile, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { createAjv } from '../specs/schemas/ajv.js';
import type { RequirementResult, RunResult, ScenarioResult, StepResult } from '../reports/results.js';
import { renderJunit } from '../reports/junit.js';
import { renderMarkdown } from '../reports/markdown.js';
import { Multiplexer } from '../reports/multiplexer.js';
import { createReporters } from '../reports/registry.js';
import type { ReporterContext } from '../reports/reporter.js';

// ── fixture: one of each: pass, fail with mismatches, error, skip, expected failure, untested requirement ──────
const BEARER = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ0YXJhIn0.c2lnbmF0dXJlLXNob3VsZC1uZXZlci1sZWFr';
const HEX_KEY = '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08';
const NASTY = `<before> & "quotes" 'apostrophes'\u0007bell\u001B[31mred\u001B[0m`;

const step = (index: number, over: Partial<StepResult> = {}): StepResult => ({
  index,
  location: `scenarios/x.yaml:${10 + index}:5`,
  actor: 'tara',
  action: { kind: 'message', to: 'sam', text: 'hi' },
  verdict: 'pass',
  expected: { outcome: { status: 'ok' }, deliveries: [{ to: 'sam', from: 'tara', kind: 'request', surface: 'skype' }] },
  observed: { outcome: { status: 'ok' }, deliveries: [{ to: 'sam', from: 'tara', kind: 'request', surface: 'skype' }] },
  rule: 'relationship.first-contact-is-a-request',
  requirements: ['REQ-001'],
  mismatches: [],
  durationMs: 1,
  ...over,
});

const scenario = (id: string, over: Partial<ScenarioResult>): ScenarioResult => ({
  id,
  title: id,
  file: `scenarios/${id}.yaml`,
  area: id.split('/')[0] as ScenarioResult['area'],
  tags: [],
  adapter: 'reference',
  verdict: 'pass',
  requirements: ['REQ-001'],
  steps: [step(1)],
  durationMs: 2,
  ...over,
});

const failingStep = step(2, {
  actor: 'sam',
  action: { kind: 'message', to: 'tara', text: 'reply' },
  verdict: 'fail',
  expected: { outcome: { status: 'error', error: 'request-not-accepted' }, deliveries: [] },
  observed: {
    outcome: { status: 'ok' },
    deliveries: [{ to: 'tara', from: 'sam', kind: 'message', surface: 'teams', text: 'a|b `x`' }],
  },
  rule: 'relationship.no-reply-before-accepting',
  requirements: ['REQ-003'],
  mismatches: [
    { message: `the actor was shown ok; expected error request-not-accepted ${NASTY}`, requirements: ['REQ-003'] },
    { message: `unexpected delivery: "a|b \`x\`" (key ${HEX_KEY})`, requirements: ['REQ-003', 'CHAT-009'] },
  ],
  trace: ['relationship.strangers', 'relationship.no-reply-before-accepting'],
});

const scenarios: ScenarioResult[] = [
  scenario('chat/teams-to-skype-after-accept', { title: 'Tara chats once Sam accepts', requirements: ['CHAT-001'] }),
  scenario('request/skype-replies-before-accept', {
    title: `Sam replies ${NASTY}`,
    verdict: 'fail',
    requirements: ['REQ-003'],
    steps: [
      step(1),
      failingStep,
      step(3, { verdict: 'skip', observed: undefined, error: 'not run: step 2 failed', durationMs: 0 }),
    ],
  }),
  scenario('call/teams-calls-skype', {
    verdict: 'error',
    requirements: ['CALL-001'],
    reason: 'password=hunter2 rejected',
    steps: [
      step(1, {
        verdict: 'error',
        observed: undefined,
        error: `401 from https://sut.example: Authorization: Bearer ${BEARER}`,
      }),
    ],
  }),
  scenario('search/by-phone', {
    verdict: 'skip',
    requirements: ['SEARCH-004'],
    reason: 'adapter reference lacks: search',
    steps: [step(1, { verdict: 'skip', observed: undefined, error: 'adapter reference lacks: search', durationMs: 0 })],
  }),
  scenario('block/skype-blocks-teams', {
    verdict: 'fail',
    expectedToFail: true,
    requirements: ['BLOCK-001'],
    steps: [
      step(1, {
        verdict: 'fail',
        requirements: ['BLOCK-001'],
        mismatches: [{ message: 'tara still received the message', requirements: ['BLOCK-001'] }],
      }),
    ],
  }),
];

const req = (
  id: string,
  verdict: RequirementResult['verdict'],
  scenarioIds: string[],
  failedBy: string[] = [],
): RequirementResult => ({
  id,
  level: 'MUST',
  area: (scenarioIds[0]?.split('/')[0] as RequirementResult['area']) ?? 'admin',
  statement: `Statement of ${id} | with a pipe`,
  sources: ['F1'],
  verdict,
  scenarios: scenarioIds,
  failedBy,
});

const run: RunResult = {
  summary: {
    tool: 'interop-conformance',
    version: '0.1.0',
    catalogueVersion: '1.0.0',
    adapter: 'reference',
    startedAt: '2025-01-02T03:04:05.000Z',
    durationMs: 1234,
    scenarios: { total: 5, pass: 1, fail: 2, error: 1, skip: 1 },
    steps: { total: 7, pass: 2, fail: 2, error: 1, skip: 2 },
    requirements: { total: 6, pass: 1, fail: 2, error: 1, skip: 1, untested: 1 },
    gate: {
      conformant: false,
      exitCode: 1,
      strict: false,
      expectedFailures: ['block/skype-blocks-teams'],
      unexpectedPasses: [],
      reasons: ['request/skype-replies-before-accept fails MUST REQ-003', 'call/teams-calls-skype errored'],
    },
  },
  scenarios,
  requirements: [
    req('CHAT-001', 'pass', ['chat/teams-to-skype-after-accept']),
    req('REQ-003', 'fail', ['request/skype-replies-before-accept'], ['request/skype-replies-before-accept']),
    req('CALL-001', 'error', ['call/teams-calls-skype']),
    req('SEARCH-004', 'skip', ['search/by-phone']),
    req('BLOCK-001', 'fail', ['block/skype-blocks-teams'], ['block/skype-blocks-teams']),
    { ...req('ADMIN-001', 'untested', []), area: 'admin' },
  ],
};

// ── helpers ──────────────────────────────────────────────────────────────────────────────────────────────────
function sink(): { stream: Writable; text: () => string } {
  let out = '';
  const stream = new Writable({
    write: (chunk, _enc, done) => {
      out += String(chunk);
      done();
    },
  });
  return { stream, text: () => out };
}

async function runAll(names: string[], over: Partial<ReporterContext> = {}) {
  const outDir = await mkdtemp(join(tmpdir(), 'reports-'));
  const out = sink();
  const mux = new Multiplexer(
    createReporters(names, { outDir, stream: out.stream, isTTY: false, color: false, ...over }),
  );
  await mux.onBegin({ adapter: 'reference', scenarioCount: scenarios.length, startedAt: run.summary.startedAt });
  for (const s of scenarios) await mux.onScenarioEnd(s);
  await mux.onEnd(run);
  return { outDir, mux, stdout: out.text() };
}

// ── tests ────────────────────────────────────────────────────────────────────────────────────────────────────
t.test('report.json is the RunResult and validates against report.schema.json', async (t) => {
  const { outDir, mux } = await runAll(['json']);
  t.same(mux.failures, []);
  const report = JSON.parse(await readFile(join(outDir, 'report.json'), 'utf8')) as RunResult;
  const schema = JSON.parse(await readFile(new URL('../specs/schemas/report.schema.json', import.meta.url), 'utf8'));
  const ajv = createAjv({ allErrors: true, strict: true });
  const validate = ajv.compile(schema);
  t.ok(validate(report), JSON.stringify(validate.errors));
  t.equal(report.scenarios.length, 5);
  t.equal(report.summary.adapter, 'reference');
  t.ok(
    validate({
      ...report,
      summary: {
        ...report.summary,
        runId: '20250102T030405Z-0a1b2c3d',
        interrupted: true,
        crashes: ['uncaught exception: boom'],
      },
    }),
    'the run id, interruption and crashes are part of the schema',
  );
  t.notOk(validate({ ...report, summary: { ...report.summary, interrupted: 'yes' } }), 'interrupted is a flag');
  t.notOk(validate({ ...report, extra: 1 }), 'rejects unknown top-level fields');
  t.notOk(validate({ ...report, summary: { ...report.summary, extra: 1 } }), 'rejects unknown summary fields');
  const badVerdict = { ...report, scenarios: [{ ...report.scenarios[0], verdict: 'maybe' }] };
  t.notOk(validate(badVerdict), 'rejects a verdict outside the enum');
});

t.test('junit.xml has one testcase per scenario in a suite per scenario file, and every outcome element', async (t) => {
  const xml = renderJunit(run);
  t.equal(xml.match(/<testcase /g)?.length, 5);
  t.equal(xml.match(/<testsuite /g)?.length, 5, 'one suite per scenario, naming its file');
  t.match(
    xml,
    '<testsuites name="interop-conformance 0.1.0 (catalogue 1.0.0): adapter reference" tests="5" failures="1" errors="1"',
  );
  t.match(
    xml,
    '<testsuite name="chat/teams-to-skype-after-accept" package="chat" file="scenarios/chat/teams-to-skype-after-accept.yaml"',
  );
  t.match(xml, 'classname="chat" name="chat/teams-to-skype-after-accept — Tara chats once Sam accepts"');
  t.match(xml, '<failure message="REQ-003, CHAT-009: the actor was shown ok; expected error request-not-accepted');
  t.match(xml, '" type="conformance">step 2 (scenarios/x.yaml:12:5) sam message');
  t.match(
    xml,
    '\n    at step 2 (scenarios/x.yaml:12:5)</failure>',
    "the failing step's place ends the text, as the GitHub actions read it",
  );
  t.match(xml, '<error message="password=[redacted] rejected" type="error">');
  t.match(xml, '<skipped message="adapter reference lacks: search"/>');
  t.match(xml, '<skipped message="expected failure: BLOCK-001"/>');
  t.match(xml, '<property name="expected-failure" value="true"/>');
  t.match(xml, 'time="0.002"');
});

t.test('junit.xml escapes <&"\' and replaces control characters invalid in XML 1.0', async (t) => {
  const xml = renderJunit(run);
  t.match(xml, 'Sam replies &lt;before&gt; &amp; &quot;quotes&quot; &apos;apostrophes&apos;\uFFFDbellred');
  t.notOk(/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/.test(xml), 'no C0 control character but tab/LF/CR');
  t.notMatch(xml, '<before>');
  const attrs = [...xml.matchAll(/="([^"]*)"/g)].map((m) => m[1]!);
  t.ok(
    attrs.every((a) => !/[<&](?!amp;|lt;|gt;|quot;|apos;|#\d+;)/.test(a)),
    'attribute values hold no bare < or &',
  );
});

t.test('summary.md lists failures before errors, skips and passes, then the untested requirements', async (t) => {
  const md = renderMarkdown(run);
  t.match(md, /^# ❌ Not conformant: adapter `reference`/);
  t.match(
    md,
    '**5 scenarios**: 1 passed, 2 failed, 1 error, 1 skipped',
    'the headline counts failures and errors apart',
  );
  t.match(md, '- request/skype-replies-before-accept fails MUST REQ-003');
  const at = (s: string) => md.indexOf(s);
  t.ok(at('| REQ-003 |') < at('| CHAT-001 |'), 'a failing requirement before a passing one');
  t.ok(at('| BLOCK-001 |') < at('| CALL-001 |'), 'fail before error');
  t.ok(at('| CALL-001 |') < at('| SEARCH-004 |'), 'error before skip');
  t.ok(at('| SEARCH-004 |') < at('| CHAT-001 |'), 'skip before pass');
  t.ok(at('## Failures') < at('## Untested requirements'));
  t.ok(at('## Untested requirements') < at('| ADMIN-001 |'), 'untested listed last, not in the main table');
  t.match(md, 'Statement of REQ-003 \\| with a pipe');
  t.match(md, '- Expected: `error request-not-accepted, delivers nothing`');
  t.match(md, '- Rule: `relationship.no-reply-before-accepting`');
  t.match(md, '(expected failure: in the baseline)');
  t.notMatch(md, '<before>', 'no raw HTML from free text');
  t.notOk(/[\u0000-\u0008\u000B-\u001F\u007F]/.test(md), 'no control character or ANSI sequence');
});

t.test(
  'summary.md and report.html say the gate closed only when it is; its notes apart, under a heading of their own',
  async (t) => {
    const { renderHtml } = await import('../reports/html.js');
    const { renderEmbedded } = await import('../reports/html/page.js');
    // What the browser shows: the page's body rendered from the run the page embeds.
    const page = (r: RunResult) => {
      const html = renderHtml(r);
      return renderEmbedded(html.slice(html.indexOf('id="report-data">') + 17, html.indexOf('</script>')));
    };
    const note = 'note: the baseline lists chat/gone, which this run did not include';
    const gateOf = (conformant: boolean, reasons: string[]) => ({
      ...run.summary,
      gate: { ...run.summary.gate, conformant, exitCode: conformant ? (0 as const) : (1 as const), reasons },
    });
    const open = { ...run, summary: gateOf(true, [note]) };
    const openMd = renderMarkdown(open);
    t.notMatch(openMd, 'Why the gate is closed', 'an open gate: no such heading');
    t.match(openMd, '## Notes on the gate\n\n- the baseline lists chat/gone, which this run did not include');
    t.notMatch(page(open), 'Why the gate is closed');
    t.match(page(open), '<h3>Notes on the gate</h3><ul class="notes"><li>the baseline lists chat/gone');
    const closed = { ...run, summary: gateOf(false, ['chat/a breaks CHAT-001', note]) };
    const closedMd = renderMarkdown(closed);
    t.match(
      closedMd,
      '## Why the gate is closed\n\n- chat/a breaks CHAT-001\n\n## Notes on the gate\n\n- the baseline',
    );
    t.match(page(closed), '<ul class="reasons"><li>chat/a breaks CHAT-001</li></ul>');
  },
);

t.test('plain output has a line per scenario, indented details and the "N passed, N failed" line', async (t) => {
  const { stdout } = await runAll(['plain']);
  t.match(stdout, /^pass chat\/teams-to-skype-after-accept \(1 step, 2 ms\)$/m);
  t.match(stdout, /^FAIL request\/skype-replies-before-accept \(3 steps, 2 ms\)\n {2}step 2 \(/m);
  t.match(stdout, /^ERROR call\/teams-calls-skype/m);
  t.match(stdout, /^skip search\/by-phone: adapter reference lacks: search$/m);
  t.match(stdout, /^xfail block\/skype-blocks-teams \(1 step, 2 ms, expected failure: BLOCK-001\)$/m);
  t.match(
    stdout,
    /^1 passed, 2 failed, 1 error, 1 skipped$/m,
    'failures and errors are counted apart: an error is never a failure',
  );
  t.match(stdout, /^ {2}1 failure expected by the baseline$/m);
  t.match(stdout, /^ {2}1 error: adapter or harness faults, not conformance verdicts$/m);
  t.notOk(
    /[\u0000-\u0008\u000B-\u001F\u007F]/.test(stdout),
    'no control character or ANSI sequence from the system under test',
  );
});

t.test('line output rewrites one status line on a TTY and prints failures in full', async (t) => {
  const { stdout } = await runAll(['line'], { isTTY: true });
  t.match(stdout, '\r\u001B[2K[5/5] ✓ 1 ✗ 2 ! 1 ↷ 1 block/skype-blocks-teams');
  t.match(stdout, /FAIL request\/skype-replies-before-accept \(3 steps, 2 ms\)\n {2}step 2/);
  t.match(stdout, /^1 passed, 2 failed, 1 error, 1 skipped$/m, 'the line reporter counts errors apart too');
  const plain = await runAll(['line'], { isTTY: false });
  t.notMatch(plain.stdout, '\r', 'no cursor movement off a TTY');
});

t.test('no token text survives in any format', async (t) => {
  const { outDir, stdout } = await runAll(['json', 'junit', 'markdown', 'plain']);
  const files = await Promise.all(
    ['report.json', 'junit.xml', 'summary.md'].map((f) => readFile(join(outDir, f), 'utf8')),
  );
  for (const [name, text] of [['stdout', stdout], ...files.map((f, i) => [`file ${i}`, f])] as const) {
    for (const secret of [BEARER, BEARER.split('.')[2]!, HEX_KEY, 'hunter2'])
      t.notMatch(text, secret, `${name} hides ${secret.slice(0, 8)}…`);
  }
  t.match(stdout, 'Authorization: Bearer [redacted]');
});

t.test('a report that cannot be written is recorded and the others are still written', async (t) => {
  const outDir = await mkdtemp(join(tmpdir(), 'reports-'));
  const { mkdir } = await import('node:fs/promises');
  await mkdir(join(outDir, 'junit.xml'));
  const mux = new Multiplexer(
    createReporters(['json', 'junit', 'markdown'], { outDir, stream: sink().stream, isTTY: false, color: false }),
  );
  await mux.onEnd(run);
  t.same(
    mux.failures.map((f) => [f.reporter, f.event]),
    [['junit', 'onEnd']],
  );
  t.match(mux.failures[0]!.message, /EISDIR|directory/i);
  t.same((await readdir(outDir)).sort(), ['junit.xml', 'report.json', 'summary.md'], 'no temporary file left behind');
});

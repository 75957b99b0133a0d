/**
 * `--reporter github` (on by default under GitHub Actions): an annotation at each failing step's line, escaped per
 * GitHub's workflow-command rules, and a short summary appended to $GITHUB_STEP_SUMMARY. Also: summary.md stays
 * short when everything passes.
 */
import t from 'tap';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { command, escapeData, escapeProperty, renderGithubSummary, SUMMARY_MAX_SCENARIOS } from '../reports/github.js';
import { renderJunit, stableAdapterName } from '../reports/junit.js';
import { cli } from './support.js';

const DROPS = [
  '--adapter',
  'test/fixtures/variant-adapter.ts',
  '--adapter-option',
  'variant=teams-to-skype-messages-dropped',
  '--deadline',
  '50',
];
const ANNOTATION = /^::(error|notice) file=([^,]+),line=(\d+),col=(\d+),title=([^:]*)::(.*)$/gm;

t.test('workflow-command escaping: % CR LF in messages, and : , too in properties', async (t) => {
  t.equal(escapeData('100% done\r\nnext: a, b'), '100%25 done%0D%0Anext: a, b');
  t.equal(escapeProperty('100% done\r\nnext: a, b'), '100%25 done%0D%0Anext%3A a%2C b');
  t.equal(escapeData('%0A'), '%250A', 'an escape already in the text is escaped, not decoded by GitHub');
  const line = command('error', { file: 'scenarios/a,b.yaml', line: 3, title: 'x: y' }, 'first\nsecond');
  t.equal(line, '::error file=scenarios/a%2Cb.yaml,line=3,title=x%3A y::first%0Asecond');
  t.equal(line.split('\n').length, 1, 'one command, one line');
  t.notMatch(
    command(
      'error',
      { title: 'key sk-proj-4fG7hJ2kL9mN3pQ8rS1tU6vW' },
      'Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ0In0.c2lnbmF0dXJl',
    ),
    /sk-proj-4fG7|eyJhbGci/,
    'secrets redacted',
  );
});

t.test("under GitHub Actions a failing run annotates each failing scenario at its failing step's line", async (t) => {
  const summary = join(mkdtempSync(join(tmpdir(), 'ic-gh-')), 'step-summary.md');
  writeFileSync(summary, '# earlier step\n');
  const r = await cli(['run', 'scenarios/chat', ...DROPS], { GITHUB_ACTIONS: 'true', GITHUB_STEP_SUMMARY: summary });
  t.equal(r.code, 1);
  const report = r.report();
  const failing = report.scenarios.filter((s) => s.verdict === 'fail');
  const annotations = [...r.out.matchAll(ANNOTATION)];
  t.equal(annotations.length, failing.length, 'one annotation per failing scenario');
  t.equal(failing.length, 17, 'the dropping variant fails 17 chat scenarios');
  for (const s of failing) {
    const step = s.steps.find((x) => x.verdict === 'fail')!;
    const [file, line, col] = step.location.split(':');
    const a = annotations.find((m) => m[2] === file && m[5]!.startsWith(s.id));
    t.ok(a, `${s.id} annotated in its file`);
    t.same([a?.[1], a?.[3], a?.[4]], ['error', line, col], `${s.id} at step ${step.index}'s line and column`);
    t.match(a?.[5], new RegExp(`^${s.id} fails [A-Z]+-\\d{3}.* at step ${step.index}`));
    t.match(a?.[6], /^step \d+ \(/, 'the message is the failure text, newlines escaped');
  }
  const text = readFileSync(summary, 'utf8');
  t.match(
    text,
    /^# earlier step\n### ❌ Not conformant: adapter `variant\(teams-to-skype-messages-dropped\)`/,
    'appended after what earlier steps wrote',
  );
  t.match(text, `catalogue 1.2.0`);
  t.match(text, `run \`${report.summary.runId}\``);
  t.equal(text.match(/^\| `chat\//gm)?.length, failing.length, 'one row per failing scenario');
  t.ok(Buffer.byteLength(text) < 6000, `the step summary stays short: ${Buffer.byteLength(text)} bytes`);
});

t.test('a passing run under GitHub Actions: no annotation, a summary that says conformant', async (t) => {
  const summary = join(mkdtempSync(join(tmpdir(), 'ic-gh-')), 'step-summary.md');
  const r = await cli(['run', 'scenarios/chat'], { GITHUB_ACTIONS: 'true', GITHUB_STEP_SUMMARY: summary });
  t.equal(r.code, 0);
  t.notMatch(r.out, /^::/m);
  t.match(
    readFileSync(summary, 'utf8'),
    /^### ✅ Conformant: adapter `reference`\n\n28 passed, 0 failed, 0 errors, 0 skipped/,
  );
});

t.test(
  'errors and unexpected passes are annotated as errors too; outside GitHub Actions nothing unless asked',
  async (t) => {
    const erroring = await cli([
      'run',
      'scenarios/chat/first-messages-within-deadline.yaml',
      '--adapter',
      'test/fixtures/broken-adapter.ts',
      '--timeout',
      '50',
      '--reporter',
      'github',
    ]);
    t.match(
      erroring.out,
      /^::error file=scenarios\/chat\/first-messages-within-deadline\.yaml,line=\d+,col=\d+,title=chat\/first-messages-within-deadline errored at step 1 \[broken\]::/m,
    );
    const dir = mkdtempSync(join(tmpdir(), 'ic-gh-'));
    writeFileSync(join(dir, 'known.yaml'), '- chat/first-messages-within-deadline\n');
    const xpass = await cli([
      'run',
      'scenarios/chat/first-messages-within-deadline.yaml',
      '--expect-failures',
      join(dir, 'known.yaml'),
      '--reporter',
      'json,github',
    ]);
    t.match(
      xpass.out,
      /^::error file=scenarios\/chat\/first-messages-within-deadline\.yaml,line=1,col=1,title=chat\/first-messages-within-deadline passed but the baseline expects it to fail \[reference\]::/m,
    );
    const plain = await cli(['run', 'scenarios/chat', ...DROPS]);
    t.notMatch(plain.out, /^::/m, 'no workflow commands in other CI logs');
  },
);

t.test('junit class names never carry a URL or a port', async (t) => {
  t.equal(stableAdapterName('http(http://127.0.0.1:46071)'), 'http');
  t.equal(stableAdapterName('variant(teams-to-skype-messages-dropped)'), 'variant-teams-to-skype-messages-dropped');
  t.equal(stableAdapterName('./my.adapter.ts'), 'my-adapter-ts', 'no dot to read as a package');
  t.equal(stableAdapterName('https://gw.example:8443/x'), 'adapter', 'a name that is only a URL');
  const run = (
    await cli(['run', 'scenarios/chat/first-messages-within-deadline.yaml', '--reporter', 'json', '--quiet'])
  ).report();
  const one = run.scenarios[0]!;
  const adapters = ['http(http://127.0.0.1:40001)', 'http(http://127.0.0.1:40002)'];
  const twoHttp = {
    ...run,
    scenarios: adapters.map((adapter) => ({ ...one, adapter })),
    differential: { adapters, matrix: [], disagreements: [], latency: {} },
  };
  const classnames = [...renderJunit(twoHttp).matchAll(/classname="([^"]+)"/g)].map((m) => m[1]);
  t.same(
    classnames,
    ['http.chat', 'http-2.chat'],
    'two adapters whose names differ only by URL stay apart, still without it',
  );
});

t.test('summary.md: short when everything passes, details only for what failed', async (t) => {
  const pass = await cli(['run', 'scenarios', '--reporter', 'markdown,json', '--quiet']);
  const passMd = readFileSync(join(pass.outDir, 'summary.md'), 'utf8');
  t.equal(pass.report().summary.scenarios.fail, 0);
  t.notMatch(passMd, /## Failures/);
  t.notMatch(passMd, /`chat\//, 'no scenario listed when nothing failed');
  const fail = await cli(['run', 'scenarios', ...DROPS, '--reporter', 'markdown,json', '--quiet']);
  const failMd = readFileSync(join(fail.outDir, 'summary.md'), 'utf8');
  t.match(failMd, /## Failures/);
  const sizes = { passing: Buffer.byteLength(passMd), failing: Buffer.byteLength(failMd) };
  t.comment(`summary.md sizes: ${JSON.stringify(sizes)}`);
  // A budget, not a count: the size moves with every scenario added, and only its bound is the promise.
  t.ok(sizes.passing < 10_000, `passing summary.md under 10 KB (was 35 KB): ${sizes.passing}`);
  const failing = fail.report().scenarios.filter((s) => s.verdict === 'fail').length;
  // Not pinned to an exact count: with a 50 ms deadline a loaded machine fails one or two more scenarios of the
  // dropping variant (35 quiet, 36 under CI's load). What this test proves is the summary's bound, whatever the count.
  t.ok(
    failing > SUMMARY_MAX_SCENARIOS,
    `${failing} failures, more than the ${SUMMARY_MAX_SCENARIOS} the step summary lists`,
  );
  const step = renderGithubSummary(fail.report());
  t.equal(step.match(/^\| `/gm)?.length, SUMMARY_MAX_SCENARIOS, 'the step summary lists at most 20 scenarios');
  t.match(step, `| … and ${failing - SUMMARY_MAX_SCENARIOS} more | | |`);
  t.notMatch(step, /^- chat\//m, 'a failing scenario is not said twice (table and reasons)');
});

t.test("the step summary keeps the gate's reasons that are not a failing scenario: a crash", async (t) => {
  const summary = join(mkdtempSync(join(tmpdir(), 'ic-gh-')), 'step-summary.md');
  const r = await cli(
    [
      'run',
      'scenarios/chat/first-messages-within-deadline.yaml',
      '--adapter',
      'test/fixtures/crash-adapter.ts',
      '--adapter-option',
      'crash=unhandled-rejection',
      '--reporter',
      'github',
    ],
    { GITHUB_STEP_SUMMARY: summary },
  );
  t.equal(r.code, 3);
  t.match(readFileSync(summary, 'utf8'), /^- the adapter crashed: /m);
});

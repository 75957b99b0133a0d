/**
 * report.html in a real browser: Debian's headless Chromium (`which chromium`), driven by playwright-core (no
 * browser download). Each page is opened from file:// and must load with no console error and no request but
 * itself; the filters must hide what does not match; a failing run must show its failure; hostile text must stay
 * text. Screenshots go to conformance-report/ (the test prints their paths; CI keeps none of it).
 * Without chromium the browser tests skip with a message, except under CI=true, where that is a failure.
 */
import t, { type Test } from 'tap';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { renderHtml } from '../reports/html.js';
import { renderEmbedded } from '../reports/html/page.js';
import { REDACTED, registerSecrets } from '../reports/redact.js';
import type { RunResult } from '../reports/results.js';
import { num, readmeFigures } from './readme.js';
import { CHAT_SCENARIO, cli as runCli, scenarioDir } from './support.js';

/** The CLI in-process, its report folder (and a scenario folder it was given) removed when the test ends. */
async function cli(args: string[]): ReturnType<typeof runCli> {
  const r = await runCli(args);
  t.teardown(() => rmSync(r.outDir, { recursive: true, force: true }));
  const given = args[1]?.endsWith('/scenarios') ? dirname(args[1]) : undefined;
  if (given) t.teardown(() => rmSync(given, { recursive: true, force: true }));
  return r;
}

const SHOTS = resolve('conformance-report');
const FAULT = 'teams-to-skype-messages-dropped';

/** The README's sizes of report.html (whole suite, passing and with FAULT) and the failing count. */
const README_SIZES =
  /Whole suite against the reference: about ([\d.]+) MB passing, ([\d.]+) MB with a fault that fails (\d+) scenarios\./;
/** The README rounds to 0.1 MB; the size itself moves by some bytes from run to run (durations, the run id). */
const nearReadme = (bytes: number, mb: string) => Math.abs(bytes / 1e6 - num(mb)) <= 0.05;

function chromiumPath(): string | undefined {
  try {
    return execFileSync('which', ['chromium'], { encoding: 'utf8' }).trim() || undefined;
  } catch {
    return undefined;
  }
}

const executablePath = chromiumPath();
const missing = executablePath
  ? false
  : 'chromium is not installed (apt-get install chromium): report.html was not opened in a browser';
if (!executablePath && process.env.CI === 'true') t.fail(`${missing}; under CI=true it must be (.ci/run installs it)`);

let browser: Browser | undefined;
t.teardown(() => browser?.close());

interface Opened {
  page: Page;
  problems: string[];
  requests: string[];
  url: string;
}

/** Open a report from file://, recording console errors, page errors and every request the page makes. */
async function open(file: string): Promise<Opened> {
  browser ??= await chromium.launch({ executablePath });
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  const problems: string[] = [];
  const requests: string[] = [];
  page.on('console', (m) => void (m.type() === 'error' && problems.push(`console: ${m.text()}`)));
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('request', (r) => requests.push(r.url()));
  const url = pathToFileURL(file).href;
  await page.goto(url);
  return { page, problems, requests, url };
}

/** The ids (`data-text` starts with the id) of the visible filterable rows of one table. */
const visible = (page: Page, table: 'requirements' | 'scenarios') =>
  page.$$eval(`[data-table="${table}"] .f-row`, (rows) =>
    rows.filter((r) => !(r as HTMLElement).hidden).map((r) => (r as HTMLElement).id),
  );

const reqAnchor = (id: string) => `r-${id}`;

/** What a browser shows of a page (its script renders the run the page embeds), without a browser. */
function shown(page: string): string {
  const open = '<script type="application/json" id="report-data">';
  const at = page.indexOf(open) + open.length;
  return renderEmbedded(page.slice(at, page.indexOf('</script>', at)));
}

async function shoot(page: Page, name: string, t: Test): Promise<void> {
  mkdirSync(SHOTS, { recursive: true });
  const path = join(SHOTS, name);
  await page.screenshot({ path });
  t.comment(`screenshot: ${path}`);
}

t.test(
  'a passing run of the whole suite: report.html is in the default set, opens with no console error and no request, and its filters work',
  { skip: missing },
  async (t) => {
    const r = await cli(['run']);
    t.equal(r.code, 0, r.out.slice(-800));
    const file = join(r.outDir, 'report.html');
    t.comment(`report.html of a passing run of the whole suite: ${statSync(file).size} bytes`);
    t.ok(nearReadme(statSync(file).size, readmeFigures(README_SIZES)[0]!), "the README's size of a passing report");
    const report = r.report();
    const { page, problems, requests, url } = await open(file);
    t.same(problems, [], 'no console error, no page error (a CSP violation would be one)');
    t.same(requests, [url], 'the page requests nothing but itself');
    t.match(await page.textContent('h1'), /^Conformant: adapter reference$/);
    t.equal(
      (await visible(page, 'requirements')).length,
      report.requirements.length,
      'unfiltered, every requirement shows',
    );

    await page.selectOption('#f-verdict', 'bad');
    t.same(
      await visible(page, 'requirements'),
      [],
      'filtered to failures and errors: no requirement row in a passing run',
    );
    t.same(await visible(page, 'scenarios'), [], 'and no scenario');

    await page.selectOption('#f-verdict', 'skip');
    t.same(
      (await visible(page, 'requirements')).sort(),
      report.requirements
        .filter((q) => q.verdict === 'skip')
        .map((q) => reqAnchor(q.id))
        .sort(),
      'skip: exactly the skipped requirements',
    );

    await page.selectOption('#f-verdict', 'all');
    await page.selectOption('#f-area', 'call');
    await page.selectOption('#f-level', 'MUST');
    t.same(
      (await visible(page, 'requirements')).sort(),
      report.requirements
        .filter((q) => q.area === 'call' && q.level === 'MUST')
        .map((q) => reqAnchor(q.id))
        .sort(),
      'area call, level MUST: exactly those',
    );
    t.equal(
      (await visible(page, 'scenarios')).length,
      report.scenarios.filter((s) => s.area === 'call').length,
      'the scenarios of area call (all claim a MUST)',
    );

    await page.selectOption('#f-area', 'all');
    await page.selectOption('#f-level', 'all');
    await page.fill('#f-text', 'search-001');
    t.same(
      await visible(page, 'requirements'),
      [reqAnchor('SEARCH-001')],
      'the text filter finds one requirement by its id, in any case',
    );
    t.match(await page.textContent('#f-count'), /^\d+ of \d+ rows match$/);
    await page.fill('#f-text', '');
    t.equal(await page.locator('svg.model').count(), report.coverage!.models.length, 'one drawing per model');
    await page.locator('#coverage').scrollIntoViewIfNeeded();
    await shoot(page, 'html-report-passing-coverage.png', t);
  },
);

t.test(
  `a failing run (the reference with fault ${FAULT}): the failure shows, expected vs observed, and the failure filter keeps exactly the failing rows`,
  { skip: missing },
  async (t) => {
    const r = await cli(['run', '--adapter-option', `faults=${FAULT}`, '--deadline', '50']); // a dropped message is waited for until its deadline
    t.equal(r.code, 1, r.out.slice(-800));
    const file = join(r.outDir, 'report.html');
    t.comment(`report.html of a failing run of the whole suite: ${statSync(file).size} bytes`);
    const report = r.report();
    const failing = report.scenarios.filter((s) => s.verdict === 'fail');
    t.equal(failing.length, 35, 'the fault makes 35 scenarios fail');
    // Once seen at 36 in a loaded CI run and never again: say what failed beyond the fault's own requirements.
    if (failing.length !== 35) t.comment(`failing: ${failing.map((s) => s.id).join(' ')}`);
    if (failing.length !== 35)
      for (const s of failing)
        for (const m of s.steps.flatMap((st) => st.mismatches))
          if (!m.requirements.some((q) => ['REQ-004', 'CHAT-001', 'CHAT-009'].includes(q)))
            t.comment(`${s.id}: ${m.requirements.join(', ')}: ${m.message}`);
    const [, failingMb, failingCount] = readmeFigures(README_SIZES);
    t.equal(failingCount, String(failing.length), "the README's count of failing scenarios");
    t.ok(nearReadme(statSync(file).size, failingMb!), "the README's size of a failing report");
    const { page, problems, requests, url } = await open(file);
    t.same(problems, []);
    t.same(requests, [url]);
    t.match(await page.textContent('h1'), /^Not conformant: adapter reference/);

    await page.selectOption('#f-verdict', 'fail');
    t.same(
      (await visible(page, 'requirements')).sort(),
      report.requirements
        .filter((q) => q.verdict === 'fail')
        .map((q) => reqAnchor(q.id))
        .sort(),
      'exactly the failing requirements',
    );
    t.equal((await visible(page, 'scenarios')).length, failing.length, 'exactly the failing scenarios');

    const first = page.locator('[data-table="scenarios"] details[data-verdict="fail"]').first();
    t.equal(await first.getAttribute('open'), '', 'a failing scenario is open');
    const step = first.locator('tr.step-fail').first();
    t.ok(await step.isVisible(), 'its failing step is visible');
    t.match(await step.locator('pre.expected').textContent(), /^ok, delivers \[\{"to":/, 'what the model expected');
    t.match(await step.locator('pre.observed').textContent(), /delivers nothing$/, 'what was observed instead');
    t.match(
      await first.locator('li.mismatch').first().textContent(),
      /never arrived.*\[.*CHAT-001/,
      'the mismatch and the clauses it breaks',
    );
    await step.scrollIntoViewIfNeeded();
    await shoot(page, 'html-report-failing.png', t);
  },
);

t.test(
  'an erroring run: "failures and errors" keeps the errors, "fail" does not, and the adapter fault shows',
  { skip: missing },
  async (t) => {
    const r = await cli([
      'run',
      'scenarios/chat/first-messages-within-deadline.yaml',
      '--adapter',
      'test/fixtures/broken-adapter.ts',
      '--timeout',
      '50',
      '--reporter',
      'json,html',
    ]);
    t.equal(r.code, 1);
    const { page, problems } = await open(join(r.outDir, 'report.html'));
    t.same(problems, []);
    const erroring = ['s-broken--chat.2f.first-messages-within-deadline'];
    await page.selectOption('#f-verdict', 'bad');
    t.same(await visible(page, 'scenarios'), erroring, 'failures and errors: the erroring scenario');
    await page.selectOption('#f-verdict', 'fail');
    t.same(await visible(page, 'scenarios'), [], 'fail: an error is not a conformance failure');
    await page.selectOption('#f-verdict', 'error');
    t.same(await visible(page, 'scenarios'), erroring);
    t.match(
      await page.locator('li.error').first().textContent(),
      /^error: .*socket hang up|timed out/,
      'the fault behind the error',
    );
  },
);

const HOSTILE = `<script>window.__pwned = 1</script><img src=x onerror="window.__pwned = 2">`;
const hostileScenario = CHAT_SCENARIO.replace(
  'title: Tara and Sam chat',
  `title: 'Sam " autofocus onfocus="window.__pwned = 3" x="${HOSTILE.replace(/'/g, "''")}'`,
).replace('text: again', `text: '</pre></td>${HOSTILE}'`);

t.test(
  'hostile text (a scenario title and a message body holding <script>, an onerror image, a quote ending an attribute) stays text and runs nothing',
  { skip: missing },
  async (t) => {
    const r = await cli(['run', scenarioDir({ 'chat/hostile.yaml': hostileScenario }), '--reporter', 'json,html']);
    t.equal(r.code, 0, r.out.slice(-800));
    const { page, problems, requests, url } = await open(join(r.outDir, 'report.html'));
    t.same(problems, [], 'no console error: nothing tried to run against the page policy');
    t.same(requests, [url], 'the image was never requested');
    t.equal(
      await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned),
      undefined,
      'no injected code ran',
    );
    t.match(
      await page.locator('details summary').first().textContent(),
      `autofocus onfocus="window.__pwned = 3" x="${HOSTILE}`,
      'the title reads as written',
    );
    t.match(
      await page.locator('pre.expected').last().textContent(),
      JSON.stringify(`</pre></td>${HOSTILE}`),
      "the message body reads as written (in its delivery's JSON)",
    );
    t.equal(
      await page.locator('script:not([type="application/json"])').count(),
      1,
      'the page has its own script and no other',
    );
    t.equal(await page.locator('script[type="application/json"]').count(), 1, 'and its data, which never runs');
    const text = readFileSync(join(r.outDir, 'report.html'), 'utf8');
    const json = readFileSync(join(r.outDir, 'report.json'), 'utf8');
    t.ok(json.includes('</pre></td><script>'), 'report.json holds the hostile text as written');
    t.ok(
      text.includes(`id="report-data">${json.replaceAll('<', '\\u003c')}</script>`),
      "the page's data is report.json's very text, each < written as \\u003c: no text can end its element",
    );
    t.equal(
      await page.evaluate((body) => {
        // The browser's own serialisation of shown()'s text, against the page with its filters' counts cleared.
        const parsed = document.createElement('template');
        parsed.innerHTML = body;
        const page = document.body.cloneNode(true) as HTMLElement;
        page.querySelectorAll('[data-count-of], #f-count').forEach((el) => (el.textContent = ''));
        return page.innerHTML.startsWith(`${parsed.innerHTML}\n<noscript>`);
      }, shown(text)),
      true,
      'the browser shows what shown() renders',
    );
    const bare = await browser!.newPage({ javaScriptEnabled: false });
    await bare.goto(url);
    t.match(
      await bare.textContent('noscript'),
      'This report renders itself with JavaScript',
      'without JavaScript the page says so',
    );
    await bare.close();
  },
);

t.test('secrets in what a run carries reach report.html as [redacted]', async (t) => {
  const r = await cli(['run', scenarioDir({ 'chat/tara-and-sam.yaml': CHAT_SCENARIO }), '--reporter', 'json']);
  const run: RunResult = r.report();
  const known = 'k3pt-by-the-service-only';
  const undo = registerSecrets(() => [known]);
  t.teardown(undo);
  const jwt = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ0YXJhIn0.c2lnbmF0dXJl';
  run.scenarios[0]!.title = `Tara uses ${known}`;
  run.scenarios[0]!.steps[0]!.error = `the system under test answered 401 (Authorization: Bearer ${jwt})`;
  run.summary.gate.reasons.push(`password=hunter2hunter2 was echoed`);
  const file = renderHtml(run);
  const html = shown(file);
  for (const secret of [known, jwt, 'hunter2hunter2']) {
    t.notOk(file.includes(secret), `${secret.slice(0, 12)}… is not in report.html`);
    t.notOk(html.includes(secret), `${secret.slice(0, 12)}… is not in what the page shows`);
  }
  t.equal(
    html.split(REDACTED).length - 1,
    4,
    'each is replaced where it stood: the title twice (its line, the filter text), the error, the gate reason',
  );
});

t.test(
  'a differential run: the adapters × requirements matrix, the disagreements, and a partial model coverage drawn as missed',
  async (t) => {
    const variant = `variant(${FAULT})`;
    const r = await cli([
      'run',
      'scenarios/chat',
      '--adapter',
      `reference,test/fixtures/variant-adapter.ts`,
      '--adapter-option',
      `variant=${FAULT}`,
      '--deadline',
      '50',
      '--reporter',
      'json,html',
    ]);
    t.equal(r.code, 1);
    const report = r.report();
    const html = shown(readFileSync(join(r.outDir, 'report.html'), 'utf8'));
    t.match(html, /<section id="differential"><h2>Adapters × requirements<\/h2>/);
    t.match(
      html,
      new RegExp(
        `<tr class="differs"><td><a href="#r-CHAT-001">CHAT-001</a></td><td>MUST</td><td><span class="v v-pass">pass</span></td><td><span class="v v-fail">fail</span></td></tr>`,
      ),
      'CHAT-001: pass on the reference, fail on the variant',
    );
    t.match(html, `<h3>Where the adapters disagree (${report.differential!.disagreements.length})</h3>`);
    t.equal(
      html.split('<div class="disagreement">').length - 1,
      report.differential!.disagreements.length,
      'one block per disagreement',
    );
    t.match(html, `<th>${variant}</th>`);
    t.equal(
      html.split(`on ${variant}</span>`).length - 1,
      report.scenarios.filter((s) => s.adapter === variant).length,
      'each result says its adapter',
    );
    const rel = report.coverage!.models.find((m) => m.name === 'relationship')!;
    const missedStates = rel.missed.filter((x) => x.startsWith('relationship#')).length;
    t.equal(missedStates, 4, 'the chat scenarios leave 4 states of the relationship model unreached');
    const drawing = html.slice(
      html.indexOf('<h3>relationship '),
      html.indexOf('</svg>', html.indexOf('<h3>relationship ')),
    );
    t.equal(
      drawing.split('<g class="state missed">').length - 1,
      missedStates,
      'each unreached state is drawn as missed',
    );
    t.equal(
      drawing.split('<g class="state covered">').length - 1,
      rel.states.total - missedStates,
      'each reached one as covered',
    );
    const between = rel.graph!.transitions.filter((x) => x.to.some((to) => to !== x.from));
    t.equal(
      drawing.split('<g class="edge missed">').length - 1,
      between.filter((x) => rel.missed.includes(x.rule)).length,
      'each rule between states no scenario takes is a missed arrow',
    );
  },
);

t.test(
  'the rest of what a run can carry shows: gate details, crashes, baseline outcomes, skips, errors, late deliveries, a model without its graph',
  async (t) => {
    const r = await cli(['run', scenarioDir({ 'chat/tara-and-sam.yaml': CHAT_SCENARIO }), '--reporter', 'json']);
    const run: RunResult = r.report();
    const [s] = run.scenarios;
    const step = s!.steps[2]!;
    Object.assign(run.summary, { interrupted: true, crashes: ['process.exit(7) called by the adapter'] });
    Object.assign(run.summary.gate, {
      strict: true,
      expectedFailures: ['chat/known-broken'],
      unexpectedPasses: ['chat/tara-and-sam'],
    });
    delete run.summary.latency;
    s!.expectedToFail = true;
    step.late = [
      { delivery: step.expected.deliveries[0]!, latencyMs: 612.5, duringStep: 3 },
      { delivery: step.expected.deliveries[0]!, latencyMs: 9 },
    ];
    Object.assign(run.scenarios[0]!.steps[1]!, { verdict: 'error', error: 'the adapter timed out after 10000 ms' });
    run.scenarios.push({
      ...s!,
      id: 'chat/skipped',
      verdict: 'skip',
      steps: [],
      reason: 'adapter reference lacks: wire',
      expectedToFail: false,
    });
    run.coverage = { models: [{ ...run.coverage!.models[0]!, graph: undefined, missed: [] }] };
    const html = shown(renderHtml(run));
    t.match(
      html,
      `interop-conformance ${run.summary.version} · catalogue ${run.summary.catalogueVersion} · run <code>${run.summary.runId}</code>`,
      'the versions and the run id',
    );
    t.match(html, '<strong>interrupted</strong>');
    t.match(html, ' · strict');
    t.match(html, 'delivery latency no deliveries');
    t.match(html, '<li>process.exit(7) called by the adapter</li>');
    t.match(html, 'Expected failures allowed by the baseline: <code>chat/known-broken</code>');
    t.match(html, 'Passed although the baseline expects them to fail (remove them): <code>chat/tara-and-sam</code>');
    t.match(
      html,
      '<strong>passed although the baseline lists it: remove the entry</strong>',
      'an unexpected pass says so on its scenario',
    );
    t.match(html, '<li class="error">error: the adapter timed out after 10000 ms</li>');
    t.match(html, 'arrived late (612.5 ms, during step 3)');
    t.match(html, 'arrived late (9.0 ms)');
    t.match(html, '<p class="reason">adapter reference lacks: wire</p>');
    t.match(
      html,
      /<h3>tenant-policy <span class="muted">transitions \d+\/\d+ · states \d+\/\d+<\/span><\/h3><p>Not taken by any scenario: nothing<\/p>/,
      'no graph: the counts and the missed list',
    );
    t.equal(html.split('<svg').length - 1, 0, 'and no drawing');
    s!.verdict = 'fail';
    t.match(shown(renderHtml(run)), '(expected failure: in the baseline)', 'a failure the baseline expects says so');
    t.equal(
      shown(renderHtml({ ...run, coverage: undefined })).includes('id="coverage"'),
      false,
      'a run without model coverage has no coverage section',
    );
  },
);

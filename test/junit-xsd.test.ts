/**
 * junit.xml of real runs — passing, failing, erroring, with a baseline, differential — against the Jenkins xUnit
 * plugin's junit-10.xsd (test/fixtures/xsd/), validated by libxml2's xmllint: the plugin skips a file that fails
 * it. Under CI=true a missing xmllint fails the test (`.ci/run` installs it); elsewhere the validation is skipped.
 */
import t from 'tap';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { catalogueVersion } from '../harness/specs-files.js';
import { cli } from './support.js';

/** The catalogue's version as a pattern: the reports name it, and it moves with every catalogue change. */
const CATALOGUE = catalogueVersion().replaceAll('.', '\\.');

const XSD = 'test/fixtures/xsd/junit-10.xsd';
const VARIANT = 'test/fixtures/variant-adapter.ts';
const DROPS = ['--adapter', VARIANT, '--adapter-option', 'variant=teams-to-skype-messages-dropped', '--deadline', '50'];
const hasXmllint = spawnSync('xmllint', ['--version']).status === 0;

/** xmllint's verdict on a document: null when valid, else its complaints (with the tmp file name cut). */
function schemaErrors(doc: string): string | null {
  const file = join(mkdtempSync(join(tmpdir(), 'ic-xsd-')), 'junit.xml');
  writeFileSync(file, doc);
  const r = spawnSync('xmllint', ['--noout', '--schema', XSD, file], { encoding: 'utf8' });
  return r.status === 0 ? null : r.stderr.replaceAll(file, 'junit.xml');
}

async function junitOf(args: string[]): Promise<{ code: number; xml: string }> {
  const r = await cli(['run', ...args, '--reporter', 'json,junit', '--quiet']);
  return { code: r.code, xml: readFileSync(join(r.outDir, 'junit.xml'), 'utf8') };
}

/**
 * The chat scenarios against the dropping variant, run once (CI's time) and read by three tests: the failing run's
 * junit.xml, where the two actions annotate it, and which scenarios fail and pass for the baseline test. The run
 * is the same each would make: the reporters chosen do not change report.json.
 */
let droppingChat: Promise<Awaited<ReturnType<typeof cli>>> | undefined;
const droppingChatRun = () =>
  (droppingChat ??= cli(['run', 'scenarios/chat', ...DROPS, '--reporter', 'json,junit', '--quiet']));

/**
 * Where the two GitHub actions put a failure's annotation, by their own logic, ported from their parsers:
 * - dorny/test-reporter (src/utils/node-utils.ts getExceptionSource at 29672c5, used by its jest-junit parser): the
 *   first line of the failure text ending in `(path:line:col)` whose path is a tracked file;
 * - mikepenz/action-junit-report (src/testParser.ts resolveFileAndLine at 305cd1f): the file from the testcase's,
 *   the failure's or else the suite's `file` attribute, the line from the last ` …file…:N` in the failure text.
 */
const unescape = (x: string) =>
  x
    .replace(/&#10;/g, '\n')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
function dorny(text: string, tracked: string[]): { path: string; line: number } | undefined {
  for (const str of text.split(/\r?\n/)) {
    const m = /\((.*):(\d+):\d+\)$/.exec(str);
    if (m && tracked.includes(m[1]!)) return { path: m[1]!, line: Number(m[2]) };
  }
  return undefined;
}
function mikepenz(suiteFile: string, text: string): { fileName: string; line: number } {
  const escaped = suiteFile.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const matches = text.trim().match(new RegExp(` [^ ]*${escaped}.*?:\\d+`, 'g'));
  return { fileName: suiteFile, line: matches ? Number(matches.at(-1)!.split(':').pop()) : 1 };
}

if (!hasXmllint) {
  // Under CI a missing validator is a failure: a skipped schema check would read as a passed one.
  const skip = process.env.CI
    ? false
    : 'xmllint not installed: install libxml2-utils to validate junit.xml against junit-10.xsd';
  t.test('xmllint is installed where CI runs this suite', { skip }, async (t) => {
    t.fail('xmllint (libxml2-utils) is missing: .ci/run installs it; the JUnit schema check cannot run');
  });
} else {
  t.test('a passing run: junit.xml is valid against junit-10.xsd', async (t) => {
    const { code, xml } = await junitOf(['scenarios/chat']);
    t.equal(code, 0);
    t.equal(schemaErrors(xml), null);
    t.match(
      xml,
      new RegExp(
        `<testsuites name="interop-conformance \\S+ \\(catalogue ${CATALOGUE}\\): adapter reference, run \\d{8}T\\d{6}Z-[0-9a-f]{8}" tests="28" failures="0" errors="0"`,
      ),
    );
    t.equal(xml.match(/<testsuite /g)?.length, 28, 'one suite per scenario');
    t.equal(xml.match(/<testcase [^>]*\/>/g)?.length, 28, 'every case passes: no child element');
    t.match(xml, /<testsuite name="chat\/[a-z0-9-]+" package="chat" file="scenarios\/chat\/[a-z0-9-]+\.yaml"/);
    t.match(
      xml,
      new RegExp(
        `<property name="harness-version" value="[^"]+"/><property name="catalogue-version" value="${CATALOGUE}"/>`,
      ),
    );
  });

  t.test(
    'a failing run: valid, the failure names its step at file:line:col as both GitHub actions read it, never empty',
    async (t) => {
      const run = await droppingChatRun();
      const { code, xml } = { code: run.code, xml: readFileSync(join(run.outDir, 'junit.xml'), 'utf8') };
      t.equal(code, 1);
      t.equal(schemaErrors(xml), null);
      const failures = [...xml.matchAll(/<failure message="([^"]*)" type="conformance">([^<]*)<\/failure>/g)];
      t.equal(failures.length, 17, 'the 17 chat scenarios the dropping variant fails, each with a failure');
      t.equal(
        failures.length,
        Number(/<testsuites [^>]*failures="(\d+)"/.exec(xml)![1]),
        'every counted failure has a text',
      );
      for (const [, message, text] of failures) {
        t.match(message, /^[A-Z]+-\d{3}/, 'the message starts with the failing requirements');
        // dorny/test-reporter (jest-junit): /\((.*):(\d+):\d+\)$/ on a line; mikepenz: / [^ ]*FILE.*?:\d+/ with the suite's file.
        t.match(text, /\n {4}at step \d+ \(scenarios\/chat\/[a-z0-9-]+\.yaml:\d+:\d+\)$/);
      }
      t.notMatch(xml, /<(failure|error)[^>]*\/>/, 'no empty <failure/> or <error/>');
      t.notMatch(xml, /<testcase[^>]* file=/);
    },
  );

  t.test(
    "dorny/test-reporter and mikepenz/action-junit-report, by their own parsing, annotate the failing step's line",
    async (t) => {
      const r = await droppingChatRun();
      const xml = readFileSync(join(r.outDir, 'junit.xml'), 'utf8');
      const tracked = r.report().scenarios.map((s) => s.file);
      const suites = [
        ...xml.matchAll(/<testsuite name="([^"]+)" package="[^"]*" file="([^"]+)"[\s\S]*?<\/testsuite>/g),
      ];
      let checked = 0;
      for (const [whole, id, file] of suites) {
        const failure = /<failure [^>]*>([^<]*)<\/failure>/.exec(whole);
        if (!failure) continue;
        const step = r
          .report()
          .scenarios.find((s) => s.id === id)!
          .steps.find((x) => x.verdict === 'fail')!;
        const line = Number(step.location.split(':')[1]);
        const text = unescape(failure[1]!);
        t.same(dorny(text, tracked), { path: file, line }, `dorny: ${id}`);
        t.same(mikepenz(file!, text), { fileName: file, line }, `mikepenz: ${id}`);
        checked++;
      }
      t.equal(checked, r.report().summary.scenarios.fail, 'every failing scenario checked');
      const old =
        'step 2 (scenarios/chat/x.yaml:12:5) sam message {"to":"tara"} — expected ok; observed error; requirements REQ-003';
      t.equal(
        dorny(old, ['scenarios/chat/x.yaml']),
        undefined,
        'the old text (no line ending in the place) gave dorny no line',
      );
    },
  );

  t.test('an erroring run: valid, <error> with the step it broke at', async (t) => {
    const { code, xml } = await junitOf([
      'scenarios/chat/first-messages-within-deadline.yaml',
      '--adapter',
      'test/fixtures/broken-adapter.ts',
      '--timeout',
      '50',
    ]);
    t.equal(code, 1);
    t.equal(schemaErrors(xml), null);
    t.match(
      xml,
      /<error message="[^"]*socket hang up[^"]*" type="error">[^<]+\n {4}at step 1 \(scenarios\/chat\/first-messages-within-deadline\.yaml:\d+:\d+\)<\/error>/,
    );
    t.match(xml, /<testsuites [^>]*tests="1" failures="0" errors="1"/);
  });

  t.test(
    'a run with a baseline: expected failures are skipped with details, an unexpected pass is a failure with text',
    async (t) => {
      const dir = mkdtempSync(join(tmpdir(), 'ic-base-'));
      const base = join(dir, 'known.yaml');
      const ids = (await droppingChatRun()).report().scenarios;
      const failing = ids.find((s) => s.verdict === 'fail')!.id;
      const passing = ids.find((s) => s.verdict === 'pass')!.id;
      writeFileSync(base, `- ${failing}\n- scenario: ${passing}\n  reason: it used to fail\n`);
      const { xml } = await junitOf(['scenarios/chat', ...DROPS, '--expect-failures', base]);
      t.equal(schemaErrors(xml), null);
      t.match(xml, /<skipped message="expected failure: [^"]+"\/><system-out>[^<]+<\/system-out>/);
      t.match(xml, /<property name="expected-failure" value="true"\/>/);
      t.match(
        xml,
        /<failure message="unexpected pass: remove it from the expected-failures baseline" type="unexpected-pass">[^<]*passed, but the expected-failures baseline lists it/,
      );
    },
  );

  t.test("a differential run: valid, class names carry each adapter's stable name (no URL, no port)", async (t) => {
    const { xml } = await junitOf([
      'scenarios/chat',
      '--adapter',
      `reference,${VARIANT}`,
      '--adapter-option',
      'variant=teams-to-skype-messages-dropped',
      '--deadline',
      '50',
    ]);
    t.equal(schemaErrors(xml), null);
    const classnames = new Set([...xml.matchAll(/classname="([^"]+)"/g)].map((m) => m[1]));
    t.same([...classnames].sort(), ['reference.chat', 'variant-teams-to-skype-messages-dropped.chat']);
    t.equal(xml.match(/<testsuite /g)?.length, 56, 'one suite per scenario and adapter');
  });

  t.test(
    'the schema catches what the old junit.xml did: file on testcase, properties in testcase, skipped on testsuites, id on testsuites',
    async (t) => {
      const { xml } = await junitOf(['scenarios/chat/first-messages-within-deadline.yaml']);
      t.equal(schemaErrors(xml), null, 'the current output is the valid baseline of each faulty copy');
      const faulty = {
        'file on testcase': xml.replace('<testcase ', '<testcase file="scenarios/chat/x.yaml" '),
        'properties in testcase': xml.replace(
          /<testcase ([^>]*)\/>/,
          '<testcase $1><properties><property name="a" value="b"/></properties></testcase>',
        ),
        'skipped on testsuites': xml.replace('<testsuites ', '<testsuites skipped="0" '),
        'id on testsuites': xml.replace('<testsuites ', '<testsuites id="run-1" '),
        'line on failure': xml.replace(
          /<testcase ([^>]*)\/>/,
          '<testcase $1><failure line="3" message="m">t</failure></testcase>',
        ),
      };
      for (const [what, doc] of Object.entries(faulty))
        t.match(schemaErrors(doc), /Schemas validity error/, `xmllint rejects ${what}`);
    },
  );
}

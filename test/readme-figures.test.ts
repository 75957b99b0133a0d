/**
 * The README's figures are facts about the tree, so a change to the tree that changes one fails here until the README
 * says the new figure (issue 8: "README figures pinned by tests or generated"). Each figure is read from the sentence
 * that states it (test/readme.ts) and compared with what the code computes, cheaply, in process.
 *
 * Pinned elsewhere, by the tests that already compute them: the in-process mutation score and the score without the
 * block area (test/mutants.test.ts), the per-class score of the independent catalogue
 * (test/mutants-implementations.test.ts), the report.html sizes and the failing count of its fault run
 * (test/html-report.test.ts). Not pinned: what only `npm run bench`, `npm run soak`, the whole independent or served
 * catalogue, or `explore` measure; the README says which command measured each, and when.
 *
 * Also here: no source file in harness/, specs/, adapters/, reports/ is over 300 lines unless its header comment
 * says why (`why-long:`), as issue 8's "How we will know" asks.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { parse } from 'yaml';
import { DEFAULT_SETTLE_MS } from '../adapters/adapter.js';
import { FAULTS } from '../adapters/reference/faults.js';
import { createReferenceAdapter } from '../adapters/reference/adapter.js';
import { BASELINE_MAX_ENTRIES } from '../harness/baseline.js';
import { DEFAULT_RUNS, REFERENCE_DEADLINE_MS } from '../harness/commands/explore.js';
import { generateSuite } from '../harness/generate/suite.js';
import { loadImplementation, perClassSubset, referenceImplementation } from '../harness/implementations.js';
import { findScenarioFiles, loadScenarios, SCENARIO_LIMITS } from '../harness/load.js';
import { modelCoverage } from '../harness/model-coverage.js';
import { FAST_DEADLINE_MS } from '../harness/mutation-score.js';
import {
  DEFAULT_DEADLINE_MS,
  DEFAULT_STEP_TIMEOUT_MS,
  MAX_SETTLING_WORLDS,
  neededCapabilities,
} from '../harness/run.js';
import { RUNS_PER_VARIANT, WIRE_DEADLINE_MS } from '../harness/served-mutants.js';
import { loadCatalogue } from '../harness/specs-files.js';
import { LIMITS } from '../harness/yaml-source.js';
import { MODELS } from '../specs/models/index.js';
import { fold, num, readme, readmeFigures, sentences } from './readme.js';

/** A figure: the sentence stating it (its groups capture the figures) and the same figures as the code computes them. */
interface Figure {
  what: string;
  pattern: RegExp;
  computed: () => string[];
}

const catalogue = loadCatalogue();
const requirements = [...catalogue.requirements.values()];
const musts = requirements.filter((r) => r.level === 'MUST');
const scenarioFiles = findScenarioFiles(['scenarios']);
const { scenarios } = loadScenarios(scenarioFiles, catalogue.requirements);
const reference = createReferenceAdapter();
const independent = (await loadImplementation('independent')).faults;
const generated = generateSuite('x').files;

const AREAS = ['search', 'request', 'chat', 'call', 'block', 'admin', 'security'];
const WORDS = [
  'zero',
  'one',
  'two',
  'three',
  'four',
  'five',
  'six',
  'seven',
  'eight',
  'nine',
  'ten',
  'eleven',
  'twelve',
];
const thousands = (n: number) => n.toLocaleString('en-US');
const inArea = (area: string) => scenarios.filter((s) => s.area === area);

/** Collections nested in a parsed YAML value, the document's own mapping included (how the loader counts levels). */
const depth = (v: unknown): number =>
  v !== null && typeof v === 'object' ? 1 + Math.max(0, ...Object.values(v).map(depth)) : 0;

/** `SEC-001, SEC-002, SEC-003, WIRE-001` → `SEC-001…003, WIRE-001`: three or more in a row under one prefix. */
function idRanges(ids: string[]): string {
  const out: string[] = [];
  for (let i = 0; i < ids.length;) {
    const [prefix, n] = ids[i]!.split('-') as [string, string];
    let j = i;
    while (j + 1 < ids.length && ids[j + 1] === `${prefix}-${String(Number(n) + j + 1 - i).padStart(n.length, '0')}`)
      j++;
    out.push(j - i >= 2 ? `${ids[i]}…${ids[j]!.split('-')[1]}` : ids.slice(i, j + 1).join(', '));
    i = j + 1;
  }
  return out.join(', ');
}

const FIGURES: Figure[] = [
  {
    what: 'requirement clauses: all, MUST, SHOULD, and the facts they cite (F1–Fn)',
    pattern: /\(([\d]+) clauses: (\d+) MUST, (\d+) SHOULD; each cites the facts F1–F(\d+) of/,
    computed: () => {
      // The facts the clauses cite; one the catalogue sets out of scope (F31, Skype's retirement) is cited by none.
      const facts = new Set(requirements.flatMap((r) => r.sources));
      const n = facts.size;
      // F1–Fn claims every fact from F1 to Fn, and no other.
      const contiguous = [...facts].every((f) => /^F\d+$/.test(f) && Number(f.slice(1)) <= n);
      return [requirements.length, musts.length, requirements.length - musts.length, contiguous ? n : NaN].map(String);
    },
  },
  {
    what: 'clauses the facts are silent on (decided-here)',
    pattern: /where the facts are silent — (\d+) of them — says `decided-here`/,
    computed: () => [String(requirements.filter((r) => r.decidedHere).length)],
  },
  {
    what: 'models',
    pattern: /are the executable specification and the oracle: (\w+) small machines/,
    computed: () => [WORDS[Object.keys(MODELS).length] ?? String(Object.keys(MODELS).length)],
  },
  {
    what: 'scenarios, all and per area',
    pattern: new RegExp(
      `scenarios\\*\\* in \`scenarios/<area>/\` \\((\\d+): ${AREAS.map((a) => `${a} (\\d+)`).join(', ')}\\)`,
    ),
    computed: () => [scenarios.length, ...AREAS.map((a) => inArea(a).length)].map(String),
  },
  {
    what: 'scenarios `run scenarios/security` skips against the in-process reference',
    pattern: /`nothing was checked: all (\d+) scenarios were skipped \(adapter reference lacks: wire\)`/,
    computed: () => {
      const lacking = inArea('security').filter((s) =>
        neededCapabilities(s).some((c) => !reference.capabilities.includes(c)),
      );
      return [lacking.length === inArea('security').length ? String(lacking.length) : `only ${lacking.length}`];
    },
  },
  {
    what: 'the catalogue version',
    pattern: /The catalogue carries a semver `version:` \(([\d.]+);/,
    computed: () => [catalogue.version],
  },
  {
    what: 'generated scenarios and their steps',
    pattern: /into `DIR\/<area>\/<model>-<rule>\.yaml` \((\d+) today, (\d+) steps\)/,
    computed: () => [generated.length, generated.reduce((n, f) => n + f.steps, 0)].map(String),
  },
  {
    what: 'the rules the hand-written suite never takes',
    pattern: /The hand-written suite, honestly: every model fully, except `([\w.-]+)` and `([\w.-]+)`/,
    computed: () => modelCoverage(scenarios).models.flatMap((m) => m.missed),
  },
  {
    what: "the reference's in-process fault catalogue",
    pattern: /`adapters\/reference\/faults\/` is a catalogue of (\d+) faulty variants of the reference/,
    computed: () => [String(FAULTS.length)],
  },
  {
    what: 'the in-process catalogue in the sample score line',
    pattern: /then `mutation score: \d+\/(\d+) \(100 %\) in [\d.]+ s`/,
    computed: () => [String(FAULTS.length)],
  },
  {
    what: 'MUST requirements some in-process variant breaks',
    pattern: /`MUST requirements with variants: \d+\/(\d+) killed by ≥ 2 scenarios each`/,
    computed: () => [String(musts.filter((r) => FAULTS.some((f) => f.breaks.includes(r.id))).length)],
  },
  {
    what: 'MUST requirements no in-process variant breaks',
    pattern: /and the (\d+) MUSTs no in-process variant can break \(([^:)]+): they need a wire\)/,
    computed: () => {
      const none = musts.filter((r) => !FAULTS.some((f) => f.breaks.includes(r.id))).map((r) => r.id);
      return [String(none.length), idRanges(none)];
    },
  },
  {
    what: "the independent implementation's fault catalogue",
    pattern: /\(`adapters\/independent\/faults\/catalogue\*\.ts`, (\d+) defects:/,
    computed: () => [String(independent.length)],
  },
  {
    what: "the served reference's catalogue",
    pattern: /\(its HTTP faults that break something, then the in-process ones: (\d+)\)/,
    computed: () => [String(referenceImplementation().faults.length)],
  },
  {
    what: 'the per-class subset of the independent catalogue',
    pattern: /`subset=per-class` the first fault of each class of defect \((\d+) of the (\d+)\)/,
    computed: () => [perClassSubset(independent).length, independent.length].map(String),
  },
  {
    what: 'the per-class subset npm test scores',
    pattern: /`npm test` scores the per-class subset \((\d+) faults,/,
    computed: () => [String(perClassSubset(independent).length)],
  },
  {
    what: 'the delivery deadline of in-process variants',
    pattern: /Variants run with a (\d+) ms delivery deadline/,
    computed: () => [String(FAST_DEADLINE_MS)],
  },
  {
    what: 'the served variants: runs side by side, and the delivery deadline',
    pattern:
      /the scenarios dealt into (\d+) runs side by side .* The delivery deadline is (\d+) ms unless `--deadline`/,
    computed: () => [RUNS_PER_VARIANT, WIRE_DEADLINE_MS].map(String),
  },
  {
    what: 'the largest scenario (KB) and how deep real scenarios nest',
    pattern:
      /at most (\d+) MiB \(the largest scenario is ([\d.]+) KB\), .* at most (\d+) levels of nesting \(real scenarios reach (\d+)\)/,
    computed: () => [
      String(LIMITS.fileBytes / 2 ** 20),
      (Math.max(...scenarioFiles.map((f) => statSync(f).size)) / 1000).toFixed(1),
      String(LIMITS.depth),
      String(Math.max(...scenarioFiles.map((f) => depth(parse(readFileSync(f, 'utf8')))))),
    ],
  },
  {
    what: 'the loader limits: alias nodes, steps, users, tenants, deadline, baseline entries',
    pattern:
      /aliases may expand a file by at most ([\d,]+) nodes .* at most ([\d,]+) steps, (\d+) users, (\d+) tenants, and `deadlineMs` ≤ (\d+)\. A baseline has at most ([\d,]+) entries/,
    computed: () => [
      thousands(LIMITS.aliasNodes),
      thousands(SCENARIO_LIMITS.steps),
      String(SCENARIO_LIMITS.users),
      String(SCENARIO_LIMITS.tenants),
      String(SCENARIO_LIMITS.deadlineMs),
      thousands(BASELINE_MAX_ENTRIES),
    ],
  },
  {
    what: 'the defaults of --deadline and --timeout',
    pattern:
      /--deadline MS delivery deadline for every scenario \(default: the scenario's deadlineMs, else (\d+)\) --timeout MS timeout of every call into the adapter \(default (\d+)\)/,
    computed: () => [DEFAULT_DEADLINE_MS, DEFAULT_STEP_TIMEOUT_MS].map(String),
  },
  {
    what: 'the settle window by default, and the worlds settling at once',
    pattern:
      /else \*\*(\d+) ms\*\*\. Worlds settle in the background while the next scenarios run \(up to (\d+) at once\)/,
    computed: () => [DEFAULT_SETTLE_MS, MAX_SETTLING_WORLDS].map(String),
  },
  {
    what: 'the worlds an adapter must hold open at once',
    pattern: /your adapter must be able to hold several worlds open at once — up to (\d+) —/,
    computed: () => [String(MAX_SETTLING_WORLDS)],
  },
  {
    what: "explore's default runs and its deadline against the in-process reference",
    pattern:
      /No divergence in N runs \(default (\d+)\) is exit 0;.* Against the in-process reference the delivery deadline is (\d+) ms \((\d+) ms for other adapters\)/,
    computed: () => [DEFAULT_RUNS, REFERENCE_DEADLINE_MS, DEFAULT_DEADLINE_MS].map(String),
  },
  {
    what: 'the fuzzers: seeded mutations of the loader, seeded requests to the served reference',
    pattern: /fuzzes the loader with ([\d,]+) seeded mutations .* fuzzes it with ([\d,]+) seeded requests/,
    computed: () =>
      ['test/scenario-fuzz.test.ts', 'test/http-fuzz.test.ts'].map((f) =>
        thousands(
          Number(
            /const RUNS = Number\(process\.env\.\w+ \?\? ([\d_]+)\)/
              .exec(readFileSync(f, 'utf8'))?.[1]
              ?.replace(/_/g, ''),
          ),
        ),
      ),
  },
];

/** What the README states that the code does not compute: one line per stale or missing figure. */
function staleFigures(text: string, figures: readonly Figure[]): string[] {
  return figures.flatMap(({ what, pattern, computed }) => {
    const found = sentences(pattern, text);
    if (found.length !== 1) return [`${what}: ${found.length} sentences state it; exactly one should`];
    const said = found[0]!.slice(1);
    const is = computed();
    return said.join(' | ') === is.join(' | ')
      ? []
      : [`${what}: the README says ${said.join(', ')}; it is ${is.join(', ')}`];
  });
}

/** The README with the `group`th figure of the sentence altered: its last digit changed, or a letter added. */
function alter(text: string, f: Figure, group: number): string {
  const folded = fold(text);
  const [start, end] = sentences(f.pattern, folded)[0]!.indices![group]!;
  const figure = folded.slice(start, end);
  const digit = figure.search(/\d(?!.*\d)/);
  const changed =
    digit < 0 ? `${figure}x` : `${figure.slice(0, digit)}${(Number(figure[digit]) + 1) % 10}${figure.slice(digit + 1)}`;
  return `${folded.slice(0, start)}${changed}${folded.slice(end)}`;
}

t.test('every figure the README states that the code computes is the computed one', async (t) => {
  t.equal(FIGURES.length, 25, 'the figures checked here');
  t.same(staleFigures(readme(), FIGURES), []);
});

t.test('a stale figure fails: each figure altered in a copy of the README is reported, and only it', async (t) => {
  const text = readme();
  for (const f of FIGURES) {
    const groups = sentences(f.pattern, text)[0]!.length - 1;
    for (let g = 1; g <= groups; g++) {
      const problems = staleFigures(alter(text, f, g), FIGURES);
      t.equal(problems.length, 1, `${f.what}, figure ${g} altered: ${problems.join('; ')}`);
      t.ok(problems[0]?.startsWith(`${f.what}: `), 'named');
    }
  }
  const twice = `${text}\n${text}`;
  t.match(
    staleFigures(twice, FIGURES.slice(0, 1)),
    [/: 2 sentences state it; exactly one should$/],
    'a figure stated twice',
  );
  t.match(staleFigures('', FIGURES.slice(0, 1)), [/: 0 sentences state it/], 'a sentence reworded away');
  t.equal(idRanges(['SEC-001', 'SEC-002', 'SEC-003', 'SEC-005', 'WIRE-001']), 'SEC-001…003, SEC-005, WIRE-001');
});

t.test('the tests that compute a detection score read its README figure from exactly one sentence', async (t) => {
  t.same(readmeFigures(/catalogue carries a semver `version:` \((\d+)\.(\d+)\.(\d+)(-\w+)?;/), [
    ...catalogue.version.split('.'),
    '',
  ]);
  t.throws(() => readmeFigures(/(\d+) MUST/, 'has 60 MUST and 59 MUST'), /README\.md: 2 sentences match/);
  t.throws(() => readmeFigures(/(\d+) MUST/, 'has none'), /README\.md: 0 sentences match/);
  t.same(readmeFigures(/by at most (\d+)\s+nodes/, 'by at most 10\n   nodes'), ['10'], 'a sentence wrapped anywhere');
  t.same([num('10,000'), num('5.6')], [10_000, 5.6]);
});

/** Folders whose files issue 8 wants small or explained. */
const SOURCE_DIRS = ['harness', 'specs', 'adapters', 'reports'];
const MAX_LINES = 300;

const sourceFiles = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sourceFiles(join(dir, e.name)) : /\.(ts|js|mjs|cjs)$/.test(e.name) ? [join(dir, e.name)] : [],
  );

/** The header comment: the comment lines the file opens with (a `#!` line allowed before them). */
function header(text: string): string {
  const m = /^(?:#![^\n]*\n)?\s*(\/\*[\s\S]*?\*\/|(?:\/\/[^\n]*\n\s*)+)/.exec(text);
  return m?.[1] ?? '';
}

/** A file over the limit whose header comment does not say why (`why-long:`), with its length. */
function unexplained(file: string, text: string): string | undefined {
  const lines = text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
  return lines > MAX_LINES && !/why-long:/i.test(header(text))
    ? `${file}: ${lines} lines, no why-long: in its header`
    : undefined;
}

t.test(
  `no file in ${SOURCE_DIRS.join(', ')} is over ${MAX_LINES} lines without a why-long: in its header comment`,
  async (t) => {
    const files = SOURCE_DIRS.flatMap(sourceFiles);
    t.ok(files.includes(join('harness', 'run.ts')), 'the walk finds the sources');
    t.same(files.map((f) => unexplained(f, readFileSync(f, 'utf8'))).filter(Boolean), []);

    const long = 'const x = 1;\n'.repeat(MAX_LINES);
    t.equal(unexplained('a.ts', `// short\n${'x\n'.repeat(MAX_LINES - 1)}`), undefined, `${MAX_LINES} lines pass`);
    t.equal(unexplained('a.ts', `/** one job */\n${long}`), `a.ts: ${MAX_LINES + 1} lines, no why-long: in its header`);
    t.equal(
      unexplained('a.ts', `/**\n * One job.\n * why-long: one table, read top to bottom.\n */\n${long}`),
      undefined,
    );
    t.equal(unexplained('a.ts', `// why-long: a table\n${long}`), undefined, 'a line comment header counts');
    t.ok(
      unexplained('a.ts', `/** one job */\n${long}/* why-long: too late */\n`),
      'a why-long: below the header does not',
    );
  },
);

/**
 * The README's figures that the code computes: each with the sentence that states it (its groups capture the
 * figures) and the same figures as the code computes them, cheaply, in process. test/readme-figures.test.ts checks
 * them; a figure added to the README that a command can compute belongs here.
 */
import { readFileSync, statSync } from 'node:fs';
import { parse } from 'yaml';
import { DEFAULT_SETTLE_MS } from '../adapters/adapter.js';
import { FAULTS } from '../adapters/reference/faults.js';
import { createReferenceAdapter } from '../adapters/reference/adapter.js';
import {
  ASYNC_DELIVERY_MS,
  LATE_DELIVERY_MS,
  MAX_BODY_BYTES,
  MAX_HOSTED_BYTES,
  MAX_MESSAGES_PER_CHAT,
  MAX_QUEUED_DELIVERIES,
  MAX_STREAM_BUFFER_BYTES,
  MAX_WORLD_BYTES,
} from '../adapters/reference/http/limits.js';
import { FANOUT_BYTES_PER_TICK } from '../adapters/reference/http/sse.js';
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

/** A figure: the sentence stating it (its groups capture the figures) and the same figures as the code computes them. */
export interface Figure {
  what: string;
  pattern: RegExp;
  computed: () => string[];
}

export const catalogue = loadCatalogue();
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
const MiB = 2 ** 20;
const inArea = (area: string) => scenarios.filter((s) => s.area === area);

/** Collections nested in a parsed YAML value, the document's own mapping included (how the loader counts levels). */
const depth = (v: unknown): number =>
  v !== null && typeof v === 'object' ? 1 + Math.max(0, ...Object.values(v).map(depth)) : 0;

/** `SEC-001, SEC-002, SEC-003, WIRE-001` → `SEC-001…003, WIRE-001`: three or more in a row under one prefix. */
export function idRanges(ids: string[]): string {
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

export const FIGURES: Figure[] = [
  {
    what: "the served reference's quotas: per world, per chat, per inbox, all worlds, a stream's backlog",
    pattern:
      /per-world quotas \((\d+) MiB counted, ([\d,]+) messages per chat, ([\d,]+) queued deliveries per user\) and a cap on all worlds by size \((\d+) MiB counted\) answer 429; an event stream more than (\d+) MiB behind is cut/,
    computed: () => [
      String(MAX_WORLD_BYTES / MiB),
      thousands(MAX_MESSAGES_PER_CHAT),
      thousands(MAX_QUEUED_DELIVERIES),
      String(MAX_HOSTED_BYTES / MiB),
      String(MAX_STREAM_BUFFER_BYTES / MiB),
    ],
  },
  {
    what: "the served reference's body limit",
    pattern: /Bodies over (\d+) KiB get 413, malformed JSON/,
    computed: () => [String(MAX_BODY_BYTES / 1024)],
  },
  {
    what: "the served reference's fan-out limit per turn of the event loop",
    pattern: /Without the fan-out limit \((\d+) MiB written to streams per turn of the event loop\)/,
    computed: () => [String(FANOUT_BYTES_PER_TICK / MiB)],
  },
  {
    what: 'the delays of the late and the asynchronous service variants, by default',
    pattern:
      /`late-delivery` \(CHAT-006, (\d+) ms by default, .* `async-delivery` \(`async-delivery-ms=N`, default (\d+)\)/,
    computed: () => [LATE_DELIVERY_MS, ASYNC_DELIVERY_MS].map(String),
  },
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
      String(LIMITS.fileBytes / MiB),
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

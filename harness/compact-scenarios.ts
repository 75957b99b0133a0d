/**
 * The scenarios of a run, held compact until the runner reaches them (issue 9: peak memory at 20× the suite). A
 * loaded scenario with its predictions is about 12.6 KiB of objects for 4.4 KiB of JSON; `run` keeps, of each, what
 * selection needs (id, title, file, area, tags, requirements, deadline) and the rest as its JSON text. The runner
 * expands a scenario when it takes it (`expanded`) and drops it once played. At 20× the suite the loaded scenarios
 * were 41 MiB of objects held to the end of the run; as text they are about 14 MiB.
 *
 * Text, not deflated: zlib (a context and a 16 KiB output buffer for every scenario, native memory) raised a 20× run's
 * peak RSS by about 20 MiB more than it saved (`bench/rss-phases.ts`, `npm run bench -- --only growth`).
 *
 * An expanded scenario is the JSON round trip of the loaded one: what the load cache serves (harness/cached-loader.ts),
 * which test/load-cache.test.ts holds equal, as the runner sees it, to a fresh load. A compact scenario crosses to a
 * worker thread as its own fields (the text among them), and is expanded there.
 */
import type { Requirement } from '../specs/requirement.js';
import type { Scenario, SuiteLoader } from './scenario-files.js';

/** A scenario's selection facts, with the whole of it as JSON text in `packed`. */
interface Packed extends Pick<Scenario, 'id' | 'title' | 'file' | 'area' | 'tags' | 'requirements' | 'deadlineMs'> {
  packed: string;
}

const isPacked = (s: Scenario | Packed): s is Packed => typeof (s as Partial<Packed>).packed === 'string';

const inflate = (p: Packed): Scenario => JSON.parse(p.packed) as Scenario;

/**
 * A compact scenario: its facts as fields; `world` and `steps`, for a reader that does not expand it first, expanded
 * again at every read (the runner and the model coverage expand it once, with `expanded`).
 */
class CompactScenario implements Packed {
  readonly id: string;
  readonly title: string;
  readonly file: string;
  readonly area: Scenario['area'];
  readonly tags: string[];
  readonly requirements: string[];
  readonly deadlineMs?: number;
  readonly packed: string;

  constructor(s: Scenario) {
    this.id = s.id;
    this.title = s.title;
    this.file = s.file;
    this.area = s.area;
    this.tags = s.tags;
    this.requirements = s.requirements;
    if (s.deadlineMs !== undefined) this.deadlineMs = s.deadlineMs;
    this.packed = JSON.stringify(s);
  }

  get world(): Scenario['world'] {
    return inflate(this).world;
  }

  get steps(): Scenario['steps'] {
    return inflate(this).steps;
  }
}

/** `s` held compact (a compact scenario stays as it is). */
export function compactScenario(s: Scenario): Scenario {
  return isPacked(s) ? s : new CompactScenario(s);
}

/** `s` whole: a compact scenario (here or as a worker thread received it) expanded, any other as it is. */
export function expanded(s: Scenario): Scenario {
  return isPacked(s) ? inflate(s) : s;
}

/** Every rule the scenarios' predictions take (model coverage's input), each scenario expanded once. */
export function rulesTaken(scenarios: readonly Scenario[], only?: ReadonlySet<string>): Set<string> {
  const taken = new Set<string>();
  for (const s of scenarios) {
    if (only && !only.has(s.id)) continue;
    for (const st of expanded(s).steps) for (const rule of st.prediction.trace) taken.add(rule);
  }
  return taken;
}

/**
 * The scenarios of `files` through `loader`, each held compact as soon as it is loaded: harness/load.ts's loader
 * takes what to keep of each (`keep`); one that does not (the load cache's, which reads the suite as one entry) has
 * its scenarios made compact once they are all loaded.
 */
export function loadCompact(
  loader: SuiteLoader,
  files: string[],
  requirements: Map<string, Requirement>,
): ReturnType<SuiteLoader['scenarios']> {
  const scenarios = loader.scenarios as (
    ...a: [...Parameters<SuiteLoader['scenarios']>, typeof compactScenario]
  ) => ReturnType<SuiteLoader['scenarios']>;
  const r = scenarios.call(loader, files, requirements, compactScenario);
  return { ...r, scenarios: r.scenarios.map(compactScenario) };
}

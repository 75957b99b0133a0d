/**
 * The scenarios of a run, held compact until the runner reaches them (issue 9: peak memory at 20× the suite). A
 * loaded scenario with its predictions is about 12.6 KiB of objects for 4.4 KiB of JSON; `run` keeps, of each, what
 * selection needs (id, title, file, area, tags, requirements, deadline) and the rest as its JSON text. The runner
 * expands a scenario when it takes it (`expanded`) and drops it once played. At 20× the suite the loaded scenarios
 * were 41 MiB of objects held to the end of the run; as text they are about 14 MiB, and that text is in a private
 * temporary file (`ScenarioTexts`), not in the heap.
 *
 * Text, not deflated: zlib (a context and a 16 KiB output buffer for every scenario, native memory) raised a 20× run's
 * peak RSS by about 20 MiB more than it saved (`bench/rss-phases.ts`, `npm run bench -- --only growth`).
 *
 * An expanded scenario is the JSON round trip of the loaded one: what the load cache serves (harness/cached-loader.ts),
 * which test/load-cache.test.ts holds equal, as the runner sees it, to a fresh load. A compact scenario crosses to a
 * worker thread as its facts and its text (`portable`), and is expanded there.
 */
import { tmpdir } from 'node:os';
import { HeldThenSpilled, TextSpill, type ItemSpill } from '../reports/result-spill.js';
import type { Requirement } from '../specs/requirement.js';
import type { Scenario, SuiteLoader } from './scenario-files.js';

/**
 * Where a run's compact scenarios keep their JSON text: a private temporary file (reports/result-spill.ts's
 * `TextSpill`: a 0700 folder, a 0600 file), each text read back by a positional read of its own few KiB when the
 * runner takes the scenario. In the V8 heap the texts of a 20× suite were a live set of ~30 MiB all run long, and
 * V8 sizes the old generation by the live set: garbage piled up in proportion (issue 9, peak RSS at 20×).
 * Where no file can be made or written (no writable temporary folder, a full disk), the texts are kept in memory
 * instead, as before: the run is the same, only its memory is not. `dispose` removes the file once the run is
 * done; a process that ends without (an exception before the run began) removes it on its way out.
 */
export class ScenarioTexts {
  readonly #onExit = () => this.dispose();
  readonly #texts: HeldThenSpilled<string>;

  constructor(
    makeSpill: () => TextSpill = () => new TextSpill(tmpdir(), 'interop-conformance-scenarios-', 'scenarios.jsonl'),
    /** Characters held in memory before spilling (SPILL_AFTER.scenarioChars for a run); 0: spill from the start. */
    budget = 0,
    /** Steps of scenarios `loadCompact` keeps whole before it makes any compact (SPILL_AFTER.wholeSteps); 0: none. */
    readonly wholeSteps = 0,
  ) {
    const spillOfTexts = (): ItemSpill<string> => {
      const spill = makeSpill();
      return {
        get length() {
          return spill.length;
        },
        add: (text) => spill.add(text),
        at: (i) => spill.text(i, 'scenarios'),
        dispose: () => spill.dispose(),
      };
    };
    this.#texts = new HeldThenSpilled(
      spillOfTexts,
      (text) => text.length,
      budget,
      (spilling) => void (spilling ? process.once('exit', this.#onExit) : process.off('exit', this.#onExit)),
    );
  }

  /** Texts kept in memory alone (the package API, tests): nothing to remove. */
  static inMemory(): ScenarioTexts {
    return new ScenarioTexts(() => {
      throw new Error('in memory');
    });
  }

  /** Whether the texts are in a file (false: in memory, from the start or since a write failed). */
  get spilled(): boolean {
    return this.#texts.spilled;
  }

  /** Keeps `text`; returns its number, 0-based. */
  add(text: string): number {
    return this.#texts.add(text);
  }

  text(i: number): string {
    return this.#texts.at(i);
  }

  /** Removes the file, if any: reading a text from it after this throws (texts kept in memory stay readable). */
  dispose(): void {
    this.#texts.dispose();
  }
}

/** A scenario's selection facts, with the whole of it as JSON text in `packed`: how one crosses to a worker thread. */
interface Packed extends Pick<Scenario, 'id' | 'title' | 'file' | 'area' | 'tags' | 'requirements' | 'deadlineMs'> {
  packed: string;
}

/**
 * A compact scenario: its facts as fields, its text kept by a `ScenarioTexts` (private fields: a structured clone
 * takes none of them; `portable` is what crosses to a thread); `world` and `steps`, for a reader that does not expand
 * it first, expanded again at every read (the runner and the model coverage expand it once, with `expanded`).
 */
class CompactScenario {
  readonly id: string;
  readonly title: string;
  readonly file: string;
  readonly area: Scenario['area'];
  readonly tags: string[];
  readonly requirements: string[];
  readonly deadlineMs?: number;
  readonly #texts: ScenarioTexts;
  readonly #at: number;

  constructor(s: Scenario, texts: ScenarioTexts) {
    // Copies, through JSON: a string the YAML parser made is a slice of its file's text, and a slice keeps the whole
    // text alive (at 20× the suite, 5.5 MiB of scenario files held by their titles, to the end of the run).
    const facts = JSON.parse(JSON.stringify([s.id, s.title, s.file, s.area, s.tags, s.requirements])) as [
      string,
      string,
      string,
      Scenario['area'],
      string[],
      string[],
    ];
    [this.id, this.title, this.file, this.area, this.tags, this.requirements] = facts;
    if (s.deadlineMs !== undefined) this.deadlineMs = s.deadlineMs;
    this.#texts = texts;
    this.#at = texts.add(JSON.stringify(s));
  }

  text(): string {
    return this.#texts.text(this.#at);
  }

  get world(): Scenario['world'] {
    return inflate(this.text()).world;
  }

  get steps(): Scenario['steps'] {
    return inflate(this.text()).steps;
  }
}

const inflate = (text: string): Scenario => JSON.parse(text) as Scenario;

/** The text of a compact scenario (here, or as a worker thread received it); undefined for any other. */
function textOf(s: Scenario | Packed): string | undefined {
  if (s instanceof CompactScenario) return s.text();
  const packed = (s as Partial<Packed>).packed;
  return typeof packed === 'string' ? packed : undefined;
}

/** `s` held compact, its text kept by `texts` (a compact scenario stays as it is, its text unread). */
export function compactScenario(s: Scenario, texts: ScenarioTexts = ScenarioTexts.inMemory()): Scenario {
  const compact = s instanceof CompactScenario || typeof (s as Partial<Packed>).packed === 'string';
  return compact ? s : (new CompactScenario(s, texts) as unknown as Scenario);
}

/** `s` whole: a compact scenario (here or as a worker thread received it) expanded, any other as it is. */
export function expanded(s: Scenario): Scenario {
  const text = textOf(s);
  return text === undefined ? s : inflate(text);
}

/** What crosses to a worker thread for `s`: a compact one as its facts and its text, any other as it is. */
export function portable(s: Scenario): Scenario {
  if (!(s instanceof CompactScenario)) return s;
  const { id, title, file, area, tags, requirements, deadlineMs } = s;
  const facts = { id, title, file, area, tags, requirements, ...(deadlineMs !== undefined ? { deadlineMs } : {}) };
  return { ...facts, packed: s.text() } as Packed as unknown as Scenario;
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
  texts: ScenarioTexts = ScenarioTexts.inMemory(),
): ReturnType<SuiteLoader['scenarios']> {
  const scenarios = loader.scenarios as (
    ...a: [...Parameters<SuiteLoader['scenarios']>, (s: Scenario) => Scenario]
  ) => ReturnType<SuiteLoader['scenarios']>;
  // Whole while the scenarios are few (a run of the suite: compacting, then expanding each twice, was CPU spent for
  // memory it never needed); from the scenario that takes them past `wholeSteps`, every one is made compact.
  let steps = 0;
  const keep = (s: Scenario) =>
    steps > texts.wholeSteps || (steps += s.steps.length) > texts.wholeSteps ? compactScenario(s, texts) : s;
  const r = scenarios.call(loader, files, requirements, keep);
  return steps > texts.wholeSteps ? { ...r, scenarios: r.scenarios.map((s) => compactScenario(s, texts)) } : r;
}

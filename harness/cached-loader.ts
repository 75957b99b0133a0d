/**
 * The loader a command uses (CommandContext.prepare): without a cache, harness/load.ts's; with one, the catalogue,
 * the selection's scenarios and the models' graphs are looked up in it first (harness/load-cache.ts), and the loader
 * — the YAML parser, the schemas, the models — is imported only if something is missing; what it loads is written
 * back. Only loads without problems are kept: a file with problems is loaded fresh each time, and says them as before.
 */
import { specsFile } from '../specs/schemas/files.js';
import type { RuleInfo } from '../specs/models/index.js';
import type { Requirement } from '../specs/requirement.js';
import type { Scenario } from './load.js';
import { LoadCache } from './load-cache.js';
import { collectScenarios, findScenarioFiles, type SuiteLoader } from './scenario-files.js';
import type { Catalogue } from './specs-files.js';
import { readText } from './text-file.js';

export { defaultCacheDir } from './load-cache.js';

interface CatalogueEntry {
  version: string;
  requirements: Requirement[];
  outOfScope: Catalogue['outOfScope'];
}

const toEntry = (c: Catalogue): CatalogueEntry => ({
  version: c.version,
  requirements: [...c.requirements.values()],
  outOfScope: c.outOfScope,
});
const fromEntry = (e: CatalogueEntry): Catalogue => ({
  version: e.version,
  requirements: new Map(e.requirements.map((r) => [r.id, r])),
  outOfScope: e.outOfScope,
});

type Fresh = typeof import('./load.js');

/** A model's graph, as model coverage needs it (harness/model-graphs.ts). */
export interface ModelGraph {
  name: string;
  states: string[];
  /** The states the machine starts in. */
  initial: string[];
  rules: RuleInfo[];
}

/** The graphs of the models of specs/models/, in MODELS' order. */
export function graphsOf(models: typeof import('../specs/models/index.js')): ModelGraph[] {
  return Object.entries(models.MODELS).map(([name, machine]) => ({
    name,
    states: models.statesOf(machine),
    initial: machine.root.initial?.target.map((n) => n.path.join('.')) ?? [],
    rules: models.rulesOf(machine),
  }));
}

let modelGraphs: ModelGraph[] | undefined;

/** The models' graphs, when a command's loader read them from the cache (harness/model-graphs.ts takes them). */
export const cachedModelGraphs = (): ModelGraph[] | undefined => modelGraphs;

/** A loader through the cache, and what it did: scenarios served from entries, loaded fresh, entries written. */
export interface CachedLoader extends SuiteLoader {
  readonly counts: { hits: number; loaded: number; written: number };
}

/**
 * The loader of a command. Without `dir` it is the loader of harness/load.ts, imported now. With `dir` the catalogue
 * and the scenario files under `paths` are looked up first — the whole selection as one entry, else file by file —
 * and the loader is imported only if something is missing (or the paths cannot be listed: it then says why, as
 * without a cache); what it loads is written back. `specification` stands for specificationHash() (tests).
 */
export async function prepareLoader(o: {
  dir?: string;
  paths: string[];
  /** The scenario files under `paths`, when the caller has walked them already. */
  files?: string[];
  specification?: string;
}): Promise<SuiteLoader> {
  if (o.dir === undefined) return (await import('./load.js')).freshLoader;
  const cache = new LoadCache(o.dir, o.specification);
  const catalogueKey = cache.catalogueKey(specsFile('requirements.yaml'));
  const cachedCatalogue = cache.read(catalogueKey) as CatalogueEntry | undefined;
  // Read before the command's modules are imported: model-graphs.ts then takes them, and no model is loaded.
  modelGraphs = cache.read(cache.graphsKey()) as ModelGraph[] | undefined;
  if (!modelGraphs) cache.write(cache.graphsKey(), graphsOf(await import('../specs/models/index.js')));
  let catalogue = cachedCatalogue ? fromEntry(cachedCatalogue) : undefined;
  const texts = new Map<string, string>();
  /** Each file's text's sha256: from its stamp (the file not read), else of the text read now (kept in `texts`). */
  const digests = new Map<string, string>();
  const hits = new Map<string, { key: string; scenario: Scenario }>();
  let suiteHit: string | undefined;
  let complete = catalogue !== undefined;
  try {
    const keys: [string, string][] = [];
    for (const file of o.files ?? findScenarioFiles(o.paths)) {
      const digest = catalogue
        ? cache.textDigest(file, () => {
            const read = readText(file, 'scenario file');
            if ('problem' in read) return undefined;
            texts.set(file, read.text);
            return read.text;
          })
        : undefined;
      if (digest === undefined || !catalogue) {
        complete = false;
        continue;
      }
      digests.set(file, digest);
      keys.push([file, cache.scenarioKeyOf(file, digest, catalogue.requirements)]);
    }
    const suiteKey = cache.suiteKey(keys.map(([, k]) => k));
    const suite = complete ? (cache.read(suiteKey) as Scenario[] | undefined) : undefined;
    if (suite?.length === keys.length) suiteHit = suiteKey;
    for (const [i, [file, key]] of keys.entries()) {
      const scenario = suiteHit ? suite![i] : (cache.read(key) as Scenario | undefined);
      if (scenario) hits.set(file, { key, scenario });
      else complete = false;
    }
  } catch {
    complete = false; // the command lists the paths again, and says what is wrong with them
  }
  cache.stamps.save();
  const fresh: Fresh | undefined = complete ? undefined : await import('./load.js');
  const loader = (): Fresh => {
    // Only a scenario file that appeared between this look-up and the load gets here without the loader.
    if (!fresh) throw new Error('a scenario file appeared while the suite was loading; run the command again');
    return fresh;
  };
  const counts = { hits: 0, loaded: 0, written: 0 };
  const write = (key: string, value: unknown) => void (cache.write(key, value) && counts.written++);
  const cached: CachedLoader = {
    counts,
    catalogue() {
      if (!catalogue) write(catalogueKey, toEntry((catalogue = loader().freshLoader.catalogue())));
      return catalogue;
    },
    scenarios(files, requirements) {
      const keys: string[] = [];
      const r = collectScenarios(files, (file) => {
        const hitOf = (key: string) => {
          const seen = hits.get(file);
          if (seen?.key !== key) return cache.read(key) as Scenario | undefined;
          // Served once, held no more: the command keeps what it needs of it (a run, a compact copy), and at 20×
          // the suite held here whole for the run was 16 MiB of a run's peak. Asked again, it is read again.
          hits.delete(file);
          return seen.scenario;
        };
        const digest = digests.get(file);
        const stamped = digest === undefined ? undefined : cache.scenarioKeyOf(file, digest, requirements);
        const early = stamped === undefined ? undefined : hitOf(stamped);
        if (early) {
          keys.push(stamped!);
          counts.hits++;
          return { scenario: early, problems: [] };
        }
        // Loaded: keyed by the text read now, the text loaded (the file may have changed since its stamp was taken).
        const known = texts.get(file);
        const read = known !== undefined ? { text: known } : readText(file, 'scenario file');
        if ('problem' in read) return { problems: [read.problem] };
        const key = cache.scenarioKey(file, read.text, requirements);
        keys.push(key);
        const hit = key === stamped ? undefined : hitOf(key);
        if (hit) {
          counts.hits++;
          return { scenario: hit, problems: [] };
        }
        const loaded = loader().loadScenario(file, read.text, requirements);
        counts.loaded++;
        if (loaded.scenario && !loaded.problems.length) write(key, loaded.scenario);
        return loaded;
      });
      const suiteKey = cache.suiteKey(keys);
      if (!r.problems.length && keys.length === files.length && suiteKey !== suiteHit) write(suiteKey, r.scenarios);
      return r;
    },
  };
  return cached;
}

/**
 * The load cache (issue 9, cold start): the catalogue and each scenario as loaded — parsed, schema-checked, the world
 * resolved, every step predicted — kept as JSON under `node_modules/.cache/interop-conformance/` (or `--cache-dir`),
 * so that a run of unchanged scenarios parses no YAML, compiles no schema and steps no model: it imports none of
 * yaml, ajv or xstate (test/cold-start.test.ts). This module and what it imports are light for that reason; the
 * loader (harness/load.ts) is imported only when some entry is missing.
 *
 * An entry is keyed by all that made it: the scenario file's path (as given and absolute: the id and every location
 * come from it) and text, the catalogue's requirement ids, and one hash of what predicts a scenario — the code of
 * harness/ and specs/ as it runs (sources, or dist/), the specification's data files, the package's version and
 * those of its parser, validator and models' library. An edit to any of them is a miss for every entry.
 *
 * An entry is a header line (format, key, the body's sha256) and the body, written to a temporary file and renamed
 * into place: a reader sees a whole entry or none. One read as torn, corrupt, foreign or of another key is a miss:
 * loaded fresh, and rewritten. Two runs sharing the folder write the same bytes under one name; the last rename
 * wins, whole. Only loads without problems are kept (a file with problems is loaded fresh each time, and says them
 * as before), and only values JSON gives back exactly (checked when written).
 */
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, extname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isDeepStrictEqual } from 'node:util';
import { PACKAGE_ROOT, specsFile } from '../specs/schemas/files.js';
import type { Requirement } from '../specs/requirement.js';
import type { Diagnostic } from './diagnostics.js';
import type { Scenario } from './load.js';
import type { ModelGraph } from './model-graphs.js';
import { collectScenarios, findScenarioFiles } from './scenario-files.js';
import type { Catalogue } from './specs-files.js';
import { readText } from './text-file.js';

/** Loads the catalogue and the scenarios of a selection, synchronously, once prepared (CommandContext). */
export interface SuiteLoader {
  catalogue(): Catalogue;
  scenarios(files: string[], requirements: Map<string, Requirement>): { scenarios: Scenario[]; problems: Diagnostic[] };
}

/** Changed whenever an entry's layout changes: entries of another format are never read. */
const FORMAT = 'interop-conformance/load-cache/1';
/** The packages whose behaviour shapes a loaded scenario. */
const LIBRARIES = ['yaml', 'ajv', 'ajv-formats', 'xstate'];

const sha256 = (...parts: (string | Buffer)[]): string => {
  const h = createHash('sha256');
  for (const p of parts) h.update(p).update('\0');
  return h.digest('hex');
};

/** `node_modules/.cache/interop-conformance` of the project the command runs in (the nearest package.json up). */
export function defaultCacheDir(cwd = process.cwd()): string {
  let dir = resolve(cwd);
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
  const root = existsSync(join(dir, 'package.json')) ? dir : PACKAGE_ROOT;
  return join(root, 'node_modules', '.cache', 'interop-conformance');
}

/** The version of an installed package, found from where node resolves it; `?` if it cannot be found. */
function versionOf(name: string): string {
  try {
    let dir = dirname(createRequire(import.meta.url).resolve(name));
    for (; dirname(dir) !== dir; dir = dirname(dir)) {
      const file = join(dir, 'package.json');
      if (!existsSync(file)) continue;
      const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string };
      if (pkg.name === name) return pkg.version ?? '?';
    }
  } catch {
    // Not resolvable from here: the key says so, and stays a key.
  }
  return '?';
}

/**
 * The hash of what predicts a scenario: every file of harness/ and specs/ in the language this code runs in (the
 * folder holding this module's folder: the package root from sources, dist/ compiled), the specification's data
 * files (specs/*.yaml and specs/schemas/*.json at the package root), and the versions. Wider than the loader's own
 * imports on purpose: a file it comes to import later is already in the key.
 */
export function specificationHash(): string {
  const self = fileURLToPath(import.meta.url);
  const codeRoot = dirname(dirname(self));
  const ext = extname(self);
  const parts: (string | Buffer)[] = [FORMAT, versionOf('interop-conformance'), ...LIBRARIES.map(versionOf)];
  const roots = [...new Set([join(codeRoot, 'harness'), join(codeRoot, 'specs'), join(PACKAGE_ROOT, 'specs')])];
  for (const root of roots) {
    const files = (readdirSync(root, { recursive: true }) as string[])
      .filter((f) => (f.endsWith(ext) && !f.endsWith('.d.ts')) || f.endsWith('.yaml') || f.endsWith('.json'))
      .sort();
    for (const f of files) parts.push(f, readFileSync(join(root, f)));
  }
  return sha256(...parts);
}

type Path = (string | number)[];

/** Where `value` holds objects without a prototype (a world's users and tenants: any name is a safe key there). */
function nullPrototypes(value: unknown, path: Path = [], out: Path[] = []): Path[] {
  if (value === null || typeof value !== 'object') return out;
  if (Object.getPrototypeOf(value) === null) out.push(path);
  for (const [k, v] of Object.entries(value)) nullPrototypes(v, [...path, Array.isArray(value) ? Number(k) : k], out);
  return out;
}

/** An entry's body back as the value it was written from: JSON, and its objects without a prototype again. */
function decode(body: { value: unknown; nullPrototypes: Path[] }): unknown {
  for (const path of body.nullPrototypes)
    Object.setPrototypeOf(
      path.reduce<Record<string | number, unknown>>(
        (o, k) => o[k] as Record<string | number, unknown>,
        body.value as Record<string | number, unknown>,
      ),
      null,
    );
  return body.value;
}

/** The folder of entries; every failure to read or write one is a miss, never an error of the command. */
export class LoadCache {
  constructor(
    readonly dir: string,
    private base?: string,
  ) {}

  /** The key of a scenario file with this text, loaded against a catalogue with these requirement ids. */
  scenarioKey(file: string, text: string, requirements: ReadonlyMap<string, unknown>): string {
    this.base ??= specificationHash();
    return sha256(this.base, 'scenario', file, resolve(file), [...requirements.keys()].join(','), text);
  }

  /** The key of a whole selection: the keys of its files, in order. */
  suiteKey(scenarioKeys: readonly string[]): string {
    this.base ??= specificationHash();
    return sha256(this.base, 'suite', ...scenarioKeys);
  }

  /** The key of the models' graphs (model coverage): a function of the specification alone. */
  graphsKey(): string {
    this.base ??= specificationHash();
    return sha256(this.base, 'model-graphs');
  }

  catalogueKey(file: string): string {
    this.base ??= specificationHash();
    return sha256(this.base, 'catalogue', file, resolve(file));
  }

  private path(key: string): string {
    return join(this.dir, `${key}.json`);
  }

  /** The entry's value, or undefined: missing, torn, corrupt, of another format or another key. */
  read(key: string): unknown {
    try {
      const text = readFileSync(this.path(key), 'utf8');
      const nl = text.indexOf('\n');
      const head = JSON.parse(text.slice(0, nl)) as { format?: unknown; key?: unknown; sha256?: unknown };
      const body = text.slice(nl + 1);
      if (nl < 0 || head.format !== FORMAT || head.key !== key || head.sha256 !== sha256(body)) return undefined;
      return decode(JSON.parse(body));
    } catch {
      return undefined;
    }
  }

  /** Keeps `value` under `key` if JSON gives it back exactly (true when written); a folder that cannot be written is no cache. */
  write(key: string, value: unknown): boolean {
    const file = this.path(key);
    const tmp = `${file}.${process.pid}-${randomBytes(6).toString('hex')}.tmp`;
    try {
      const body = JSON.stringify({ value, nullPrototypes: nullPrototypes(value) });
      if (!isDeepStrictEqual(decode(JSON.parse(body)), value)) return false;
      mkdirSync(this.dir, { recursive: true });
      writeFileSync(tmp, `${JSON.stringify({ format: FORMAT, key, sha256: sha256(body) })}\n${body}`);
      renameSync(tmp, file);
      return true;
    } catch {
      rmSync(tmp, { force: true });
      return false;
    }
  }
}

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
  specification?: string;
}): Promise<SuiteLoader> {
  if (o.dir === undefined) return (await import('./load.js')).freshLoader;
  const cache = new LoadCache(o.dir, o.specification);
  const catalogueKey = cache.catalogueKey(specsFile('requirements.yaml'));
  const cachedCatalogue = cache.read(catalogueKey) as CatalogueEntry | undefined;
  // Read before the command's modules are imported: model-graphs.ts then takes them, and no model is loaded.
  modelGraphs = cache.read(cache.graphsKey()) as ModelGraph[] | undefined;
  if (!modelGraphs) cache.write(cache.graphsKey(), (await import('./model-graphs.js')).MODEL_GRAPHS);
  let catalogue = cachedCatalogue ? fromEntry(cachedCatalogue) : undefined;
  const texts = new Map<string, string>();
  const hits = new Map<string, { key: string; scenario: Scenario }>();
  let suiteHit: string | undefined;
  let complete = catalogue !== undefined;
  try {
    const keys: [string, string][] = [];
    for (const file of findScenarioFiles(o.paths)) {
      const read = readText(file, 'scenario file');
      if ('problem' in read || !catalogue) complete = false;
      else keys.push([file, cache.scenarioKey(file, (texts.set(file, read.text), read.text), catalogue.requirements)]);
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
        const known = texts.get(file);
        const read = known !== undefined ? { text: known } : readText(file, 'scenario file');
        if ('problem' in read) return { problems: [read.problem] };
        const key = cache.scenarioKey(file, read.text, requirements);
        keys.push(key);
        const seen = hits.get(file);
        const hit = seen?.key === key ? seen.scenario : (cache.read(key) as Scenario | undefined);
        if (hit) return (counts.hits++, { scenario: hit, problems: [] });
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

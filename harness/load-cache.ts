/**
 * The load cache's store (issue 9, cold start): entries of JSON under `node_modules/.cache/interop-conformance/` (or
 * `--cache-dir`), each the catalogue, a scenario or a whole selection as loaded — parsed, schema-checked, the world
 * resolved, every step predicted — or the models' graphs. harness/cached-loader.ts reads and writes them for a
 * command; this module and what it imports are light, so that a run of cached scenarios loads no YAML parser, no
 * schema validator and no model.
 *
 * An entry is keyed by all that made it: a scenario file's path (as given and absolute: the id and every location
 * come from it) and text, the catalogue's requirement ids, and one hash of what predicts a scenario — the code of
 * harness/ and specs/ as it runs (sources, or dist/), the specification's data files, the package's version and
 * those of its parser, validator and models' library. An edit to any of them is a miss for every entry. A file's
 * content counts by its hash, which the stamps of harness/file-stamps.ts give for a file unchanged since.
 *
 * An entry is a header line (format, key, the body's sha256) and the body, written to a temporary file and renamed
 * into place: a reader sees a whole entry or none. One read as torn, corrupt, foreign or of another key is a miss.
 * Two runs sharing the folder write the same bytes under one name; the last rename wins, whole. Only values JSON
 * gives back exactly are kept (checked when written); objects without a prototype are restored as such.
 */
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isDeepStrictEqual } from 'node:util';
import { PACKAGE_ROOT } from '../specs/schemas/files.js';
import { contentDigest, FileStamps } from './file-stamps.js';

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

/**
 * The version of an installed package as an import from this folder finds it: the nearest `node_modules/<name>` up
 * from here (ESM resolution's own lookup, which no NODE_PATH changes); `?` if none. Read directly: resolving each
 * name through `createRequire` cost a cold run ~4 ms of its ~5.
 */
export function versionOf(name: string, from = dirname(SELF)): string {
  for (let dir = from; ; dir = dirname(dir)) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'node_modules', name, 'package.json'), 'utf8')) as {
        name?: string;
        version?: string;
      };
      if (pkg.name === name) return pkg.version ?? '?';
    } catch {
      // Not installed at this level (or unreadable): one level up, as the resolution goes.
    }
    if (dirname(dir) === dir) return '?';
  }
}

const SELF = fileURLToPath(import.meta.url);

/**
 * The paths of the files under `root`, relative to it, as `readdirSync(root, { recursive: true })` lists them (a
 * symbolic link is listed, not followed), walked here: node 20's recursive listing took ~7 ms of a cold run for
 * the ~430 entries of the code, this walk ~1 ms.
 */
function filesUnder(root: string, rel = '', out: string[] = []): string[] {
  for (const entry of readdirSync(join(root, rel), { withFileTypes: true })) {
    const path = rel ? join(rel, entry.name) : entry.name;
    out.push(path);
    if (entry.isDirectory()) filesUnder(root, path, out);
  }
  return out;
}

/**
 * The hash of what predicts a scenario: every file of harness/ and specs/ in the language this code runs in (the
 * folder holding this module's folder: the package root from sources, dist/ compiled), the specification's data
 * files (specs/*.yaml and specs/schemas/*.json at the package root), and the versions. Wider than the loader's own
 * imports on purpose: a file it comes to import later is already in the key. Each file counts by its content's
 * hash, which `stamps` gives without reading a file whose stamp it knows (a cold run read and hashed ~200 files).
 */
export function specificationHash(
  codeRoot = dirname(dirname(SELF)),
  packageRoot = PACKAGE_ROOT,
  ext = extname(SELF),
  stamps: FileStamps = new FileStamps(),
): string {
  const tool = (JSON.parse(readFileSync(join(packageRoot, 'package.json'), 'utf8')) as { version?: string }).version;
  const parts: (string | Buffer)[] = [FORMAT, `${tool}`, ...LIBRARIES.map((name) => versionOf(name))];
  const roots = [...new Set([join(codeRoot, 'harness'), join(codeRoot, 'specs'), join(packageRoot, 'specs')])];
  for (const root of roots) {
    const files = filesUnder(root)
      .filter((f) => (f.endsWith(ext) && !f.endsWith('.d.ts')) || f.endsWith('.yaml') || f.endsWith('.json'))
      .sort();
    for (const f of files)
      parts.push(
        f,
        stamps.digest('code', join(root, f), () => readFileSync(join(root, f)))!,
      );
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

const ids = new WeakMap<ReadonlyMap<string, unknown>, string>();
/** A catalogue's requirement ids as a scenario's key holds them: listed once a catalogue (built once, never changed). */
function idsOf(requirements: ReadonlyMap<string, unknown>): string {
  let list = ids.get(requirements);
  if (list === undefined) ids.set(requirements, (list = [...requirements.keys()].join(',')));
  return list;
}

/** The name of one specification's folder of entries, the only names the cache ever removes. */
const SPEC_FOLDER = /^spec-[0-9a-f]{16}$/;
/**
 * How many other specifications' folders a write keeps (the most recently written): the sources and dist/ of one
 * clone hash differently, and so do two branches; keeping only the current one made runs that alternate between them
 * (the bench's bin and dist/ rows; a user switching branches) rewrite the whole cache on every run.
 */
export const OTHER_SPECIFICATIONS_KEPT = 3;

/**
 * The folder of entries, one subfolder per specification hash; every failure to read or write one is a miss, never
 * an error of the command. The first write of a process removes the other specifications' subfolders (an edit ago,
 * another branch) but the 3 most recently written, so that the cache stays a few suites' size; a run still reading
 * a removed one only misses.
 */
export class LoadCache {
  private pruned = false;
  constructor(
    readonly dir: string,
    private base?: string,
  ) {}

  #folder: string | undefined;
  #stamps: FileStamps | undefined;

  /** The files' stamps of this cache folder: the code's and the scenario files' contents without reading them. */
  get stamps(): FileStamps {
    return (this.#stamps ??= new FileStamps(join(this.dir, 'stamps.json')));
  }

  /** The hash of what predicts a scenario (harness/, specs/, the versions): computed when first needed. */
  private get spec(): string {
    return (this.base ??= specificationHash(undefined, undefined, undefined, this.stamps));
  }

  /** This specification's subfolder. */
  get folder(): string {
    // Asked for by every entry read and written: hashed once.
    return (this.#folder ??= join(this.dir, `spec-${sha256(this.spec).slice(0, 16)}`));
  }

  /** The key of a scenario file with this text, loaded against a catalogue with these requirement ids. */
  scenarioKey(file: string, text: string, requirements: ReadonlyMap<string, unknown>): string {
    return this.scenarioKeyOf(file, contentDigest(text), requirements);
  }

  /** The key of a scenario file whose text hashes to `digest` (`textDigest`), against these requirement ids. */
  scenarioKeyOf(file: string, digest: string, requirements: ReadonlyMap<string, unknown>): string {
    return sha256(this.spec, 'scenario', file, resolve(file), idsOf(requirements), digest);
  }

  /** The sha256 of a scenario file's text: recorded by its stamp, else of `read()`'s text (undefined: none). */
  textDigest(file: string, read: () => string | undefined): string | undefined {
    return this.stamps.digest('text', resolve(file), read);
  }

  /** The key of a whole selection: the keys of its files, in order. */
  suiteKey(scenarioKeys: readonly string[]): string {
    return sha256(this.spec, 'suite', ...scenarioKeys);
  }

  /** The key of the models' graphs (model coverage): a function of the specification alone. */
  graphsKey(): string {
    return sha256(this.spec, 'model-graphs');
  }

  catalogueKey(file: string): string {
    return sha256(this.spec, 'catalogue', file, resolve(file));
  }

  /** The file of the entry `key`. */
  file(key: string): string {
    return join(this.folder, `${key}.json`);
  }

  private prune(): void {
    if (this.pruned) return;
    this.pruned = true;
    try {
      const others = readdirSync(this.dir)
        .filter((d) => SPEC_FOLDER.test(d) && d !== basename(this.folder))
        .map((d) => ({ d, at: statSync(join(this.dir, d)).mtimeMs }))
        .sort((a, b) => b.at - a.at || a.d.localeCompare(b.d));
      for (const { d } of others.slice(OTHER_SPECIFICATIONS_KEPT))
        rmSync(join(this.dir, d), { recursive: true, force: true });
    } catch {
      // What cannot be removed now is removed by a later run.
    }
  }

  /** The entry's value, or undefined: missing, torn, corrupt, of another format or another key. */
  read(key: string): unknown {
    try {
      const text = readFileSync(this.file(key), 'utf8');
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
    const file = this.file(key);
    const tmp = `${file}.${process.pid}-${randomBytes(6).toString('hex')}.tmp`;
    try {
      const body = JSON.stringify({ value, nullPrototypes: nullPrototypes(value) });
      if (!isDeepStrictEqual(decode(JSON.parse(body)), value)) return false;
      mkdirSync(this.folder, { recursive: true });
      writeFileSync(tmp, `${JSON.stringify({ format: FORMAT, key, sha256: sha256(body) })}\n${body}`);
      renameSync(tmp, file);
      this.prune();
      return true;
    } catch {
      try {
        rmSync(tmp, { force: true });
      } catch {
        // No folder to write in (a file stands where it would be): no temporary file either.
      }
      return false;
    }
  }
}

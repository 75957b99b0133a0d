/**
 * The implementations of the HTTP document that `mutants --implementation NAME` scores the suite against, and
 * `serve --implementation NAME` serves: each a fault catalogue and a way to start it, on 127.0.0.1, with some of
 * those faults switched on. `reference` is the reference service of adapters/reference/http/ (its HTTP faults and
 * every in-process fault, applied to each world); `independent` is issue 14's second implementation, written from
 * the documents alone (adapters/independent/), loaded only when asked for, so that the harness works before and
 * after it lands. The harness knows each only through adapters/independent/contract.ts.
 */
import type { RunningImplementation, StartImplementation } from '../adapters/independent/contract.js';
import { FAULTS } from '../adapters/reference/faults.js';
import { HTTP_FAULTS } from '../adapters/reference/http/faults.js';
import { LATE_DELIVERY_MS } from '../adapters/reference/http/limits.js';
import { startService } from '../adapters/reference/http/server.js';
import { parse as parseYaml } from 'yaml';

export type { RunningImplementation } from '../adapters/independent/contract.js';

/** One entry of an implementation's fault catalogue, as the score needs it (CatalogueFault has these and more). */
export interface ImplementationFault {
  readonly id: string;
  readonly description: string;
  readonly breaks: readonly string[];
  readonly classes?: readonly string[];
  /** A fault that delays deliveries says by how much: it then runs under a deadline it misses, not loses. */
  readonly lateByMs?: number;
  /** Why one scenario catching it is enough (reference faults only). */
  readonly singleKill?: string;
  /** How the http adapter must read to see it: the world stream's variants are scored with `events=world`. */
  readonly adapterOptions?: Readonly<Record<string, string>>;
}

export interface Implementation {
  readonly name: string;
  /** Every fault that can be switched on, in catalogue order; only those that break something. */
  readonly faults: readonly ImplementationFault[];
  /**
   * A fresh server with these faults on (none: the conformant implementation), on 127.0.0.1 and a free port unless
   * `at` says otherwise (`serve --host/--port`).
   */
  start(defects: ReadonlySet<string>, at?: Where): Promise<RunningImplementation>;
}

export interface Where {
  host?: string;
  port?: number;
}

/** The implementation asked for cannot be had: unknown, or not there yet. Said to the user as a usage error. */
export class ImplementationUnavailable extends Error {}

export const IMPLEMENTATION_NAMES = ['reference', 'independent'] as const;

/**
 * The reference's catalogue over HTTP: the HTTP faults first (those that break a requirement: `async-delivery` is a
 * conformant service behind a queue, not a defect), then the in-process faults. An id in both means the HTTP one,
 * as the service reads it.
 */
function referenceFaults(): ImplementationFault[] {
  const http = Object.entries(HTTP_FAULTS)
    .filter(([, f]) => f.breaks.length > 0)
    .map(([id, f]): ImplementationFault => ({
      id,
      description: f.description,
      breaks: f.breaks,
      ...(id === 'late-delivery' ? { lateByMs: LATE_DELIVERY_MS } : {}),
      ...('events' in f ? { adapterOptions: { events: f.events } } : {}),
    }));
  const domain = FAULTS.filter((f) => !Object.hasOwn(HTTP_FAULTS, f.id)).map((f): ImplementationFault => ({
    id: f.id,
    description: f.description,
    breaks: f.breaks,
    ...(f.lateByMs !== undefined ? { lateByMs: f.lateByMs } : {}),
    ...(f.singleKill ? { singleKill: f.singleKill } : {}),
  }));
  return [...http, ...domain];
}

export const referenceImplementation = (): Implementation => ({
  name: 'reference',
  faults: referenceFaults(),
  // A faulty variant may answer 500; the http adapter reports it, so the service's own log line would only repeat it.
  start: (defects, at = {}) => startService({ ...at, faults: [...defects], log: () => {} }),
});

/**
 * Import one module of adapters/independent/ by a specifier the compiler does not follow: the folder may not
 * exist yet. A module that is missing (not one that fails inside) is "not there yet".
 */
async function importIndependent(
  file: string,
  wanted: string,
  load: (specifier: string) => Promise<Record<string, unknown>>,
): Promise<unknown> {
  const where = `adapters/independent/${file}`;
  let mod: Record<string, unknown>;
  try {
    mod = await load(`../adapters/independent/${file.replace(/\.ts$/, '.js')}`);
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    if (err?.code === 'ERR_MODULE_NOT_FOUND' && String(err.message).includes('independent')) {
      throw new ImplementationUnavailable(
        `the independent implementation is not there yet: ${where} is missing (issue 14 item 1 adds it)`,
      );
    }
    throw new ImplementationUnavailable(`${where} could not be loaded: ${err?.message ?? String(e)}`);
  }
  if (mod[wanted] === undefined)
    throw new ImplementationUnavailable(
      `${where} exports no ${wanted} (adapters/independent/contract.ts says what it must)`,
    );
  return mod[wanted];
}

/** `load` is the module loader; tests give another to play a folder that is missing or wrong. */
export async function independentImplementation(
  load: (specifier: string) => Promise<Record<string, unknown>> = (s) => import(s),
): Promise<Implementation> {
  const start = await importIndependent('index.ts', 'startIndependent', load);
  const faults = await importIndependent('faults/catalogue.ts', 'INDEPENDENT_FAULTS', load);
  if (typeof start !== 'function')
    throw new ImplementationUnavailable('adapters/independent/index.ts: startIndependent is not a function');
  if (!Array.isArray(faults) || faults.some((f) => typeof f?.id !== 'string' || !Array.isArray(f?.breaks))) {
    throw new ImplementationUnavailable(
      'adapters/independent/faults/catalogue.ts: INDEPENDENT_FAULTS is not a list of CatalogueFault',
    );
  }
  return {
    name: 'independent',
    faults: (faults as ImplementationFault[]).filter((f) => f.breaks.length > 0),
    start: (defects, at = {}) =>
      (start as StartImplementation)({ host: at.host ?? '127.0.0.1', port: at.port ?? 0, defects }),
  };
}

export async function loadImplementation(name: string): Promise<Implementation> {
  if (name === 'reference') return referenceImplementation();
  if (name === 'independent') return independentImplementation();
  throw new ImplementationUnavailable(`unknown implementation "${name}"; known: ${IMPLEMENTATION_NAMES.join(', ')}`);
}

/** The faults with these ids, in the order given; an unknown id is refused, naming every known one. */
export function selectFaults(impl: Implementation, ids: readonly string[]): ImplementationFault[] {
  return ids.map((id) => {
    const fault = impl.faults.find((f) => f.id === id);
    if (!fault)
      throw new ImplementationUnavailable(
        `${impl.name} has no fault "${id}"; its faults: ${impl.faults.map((f) => f.id).join(', ')}`,
      );
    return fault;
  });
}

export const TRIAGE_VERDICTS = [
  'missing-scenario',
  'missing-requirement',
  'harness-blind-spot',
  'not-a-defect',
] as const;
export interface Triage {
  verdict: (typeof TRIAGE_VERDICTS)[number];
  note: string;
}
export const TRIAGE_FILE = 'specs/fault-triage.yaml';

/**
 * The triage of one implementation's survivors (fault id → verdict and note) from `text`, the YAML of `file`. A
 * malformed entry is refused with where it is: a triage that silently reads as "untriaged" would hide the lead's
 * decision.
 */
export function parseTriage(text: string, file: string, implementation: string): Map<string, Triage> {
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch (e) {
    throw new ImplementationUnavailable(`${file}: not YAML: ${(e as Error).message.split('\n')[0]}`);
  }
  const section = (doc as Record<string, unknown> | null)?.[implementation];
  if (section === undefined || section === null) return new Map();
  if (typeof section !== 'object' || Array.isArray(section))
    throw new ImplementationUnavailable(`${file}: ${implementation} must map fault ids to { verdict, note }`);
  return new Map(
    Object.entries(section).map(([id, entry]) => {
      const e = entry as Partial<Triage> | null;
      if (!TRIAGE_VERDICTS.includes(e?.verdict as Triage['verdict'])) {
        throw new ImplementationUnavailable(
          `${file}: ${implementation}.${id}.verdict must be one of ${TRIAGE_VERDICTS.join(', ')}; got ${JSON.stringify(e?.verdict ?? null)}`,
        );
      }
      if (typeof e?.note !== 'string' || !e.note.trim())
        throw new ImplementationUnavailable(`${file}: ${implementation}.${id}.note must say why (a non-empty string)`);
      return [id, { verdict: e.verdict!, note: e.note.trim() }];
    }),
  );
}

/**
 * The deterministic subset `npm test` scores (`--adapter-option subset=per-class`): for each class of defect, in
 * the order classes first appear in the catalogue, its first fault not already taken. Every kind of defect stays in
 * the gate at a fraction of the full catalogue's time; the full catalogue runs with `npm run mutants:independent`.
 */
export function perClassSubset(faults: readonly ImplementationFault[]): ImplementationFault[] {
  const taken = new Set<ImplementationFault>();
  const classes = [...new Set(faults.flatMap((f) => f.classes ?? []))];
  for (const c of classes) {
    const first = faults.find((f) => !taken.has(f) && f.classes?.includes(c));
    if (first) taken.add(first);
  }
  return faults.filter((f) => taken.has(f));
}

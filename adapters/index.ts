/**
 * The adapters that ship with the harness, by the name `--adapter` takes. The http and stdio adapters are imported
 * when made: a run against the in-process reference does not load an HTTP client (undici) or a process protocol.
 */
import type { Adapter } from './adapter.js';
import { createReferenceAdapter } from './reference/adapter.js';

export type AdapterFactory = (options: Record<string, string>) => Adapter | Promise<Adapter>;

/**
 * The code a built-in adapter imports when made, to load ahead of making it: importing is loading code (compiling
 * TypeScript in a clone), which the harness gives the import floor, not the step timeout that bounds making one.
 */
export const BUILTIN_MODULES = {
  http: () => import('./http/adapter.js'),
  stdio: () => import('./stdio/adapter.js'),
} as const;

/**
 * The `--adapter-option` keys each built-in adapter reads. A key that no adapter of a run reads would be ignored
 * without a word (`event=world` for `events=world`, `timout=200`): the harness refuses it instead.
 */
export const BUILTIN_OPTIONS: Readonly<Record<string, readonly string[]>> = {
  reference: ['faults'],
  http: ['url', 'events', 'timeout', 'ca'],
  stdio: ['command', 'timeout'],
};

export const BUILTIN_ADAPTERS: Readonly<Record<string, AdapterFactory>> = {
  /** The embedded reference implementation; `faults=a,b` injects named faults (adapters/reference/faults/). */
  reference: (o) => createReferenceAdapter(o.faults ? { faults: o.faults.split(',').filter(Boolean) } : {}),
  /** A networked system under test speaking specs/openapi.yaml: `url=http://HOST:PORT` (required), `timeout=MS`. */
  http: async (o) => (await BUILTIN_MODULES.http()).createHttpAdapter(o),
  /** A child process in any language speaking specs/adapter-protocol.md: `command=CMD` (required), `timeout=MS`. */
  stdio: async (o) => (await BUILTIN_MODULES.stdio()).createStdioAdapter(o),
};

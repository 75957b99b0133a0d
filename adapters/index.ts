/** The adapters that ship with the harness, by the name `--adapter` takes. */
import type { Adapter } from './adapter.js';
import { createHttpAdapter } from './http/adapter.js';
import { createReferenceAdapter } from './reference/adapter.js';
import { createStdioAdapter } from './stdio/adapter.js';

export type AdapterFactory = (options: Record<string, string>) => Adapter | Promise<Adapter>;

export const BUILTIN_ADAPTERS: Readonly<Record<string, AdapterFactory>> = {
  /** The embedded reference implementation; `faults=a,b` injects named faults (adapters/reference/faults/). */
  reference: (o) => createReferenceAdapter(o.faults ? { faults: o.faults.split(',').filter(Boolean) } : {}),
  /** A networked system under test speaking specs/openapi.yaml: `url=http://HOST:PORT` (required), `timeout=MS`. */
  http: (o) => createHttpAdapter(o),
  /** A child process in any language speaking specs/adapter-protocol.md: `command=CMD` (required), `timeout=MS`. */
  stdio: (o) => createStdioAdapter(o),
};

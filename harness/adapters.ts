/**
 * `--adapter NAME|./module.ts`: a built-in adapter by name, or a user's module whose default export is an
 * `Adapter` or a function that makes one from the `--adapter-option key=value` pairs.
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Adapter, AdapterModule } from '../adapters/adapter.js';
import { BUILTIN_ADAPTERS } from '../adapters/index.js';
import { withTimeout } from './crash-guard.js';

export class AdapterLoadError extends Error {}

const isAdapter = (x: unknown): x is Adapter =>
  typeof x === 'object' && x !== null && typeof (x as Adapter).open === 'function' && Array.isArray((x as Adapter).capabilities) && typeof (x as Adapter).name === 'string';

/**
 * Load and make the adapter. With `timeoutMs`, the module import and the factory together must finish in time,
 * or a `TimeoutError` says so: a module with a hung top-level await or a factory that never resolves must not
 * hold the run (the CLI then writes reports that say so).
 */
export function loadAdapter(spec: string, options: Record<string, string>, timeoutMs?: number): Promise<Adapter> {
  return timeoutMs ? withTimeout(timeoutMs, `loading and making adapter ${spec}`, () => load(spec, options)) : load(spec, options);
}

async function load(spec: string, options: Record<string, string>): Promise<Adapter> {
  const builtin = BUILTIN_ADAPTERS[spec];
  let made: unknown;
  try {
    if (builtin) made = await builtin(options);
    else if (/^(\.|\/)|\.(ts|js|mjs)$/.test(spec)) {
      let mod: { default?: AdapterModule };
      try {
        mod = (await import(pathToFileURL(resolve(spec)).href)) as { default?: AdapterModule };
      } catch (e) {
        throw new AdapterLoadError(`cannot load adapter module ${spec}: ${(e as Error).message.split('\n')[0]}`);
      }
      const d = mod.default;
      made = typeof d === 'function' ? await d(options) : d;
    } else throw new AdapterLoadError(`unknown adapter "${spec}": built-in adapters are ${Object.keys(BUILTIN_ADAPTERS).join(', ')}, or give a module path (./my-adapter.ts)`);
  } catch (e) {
    if (e instanceof AdapterLoadError) throw e;
    throw new AdapterLoadError(`adapter ${spec} could not be created: ${(e as Error).message}`);
  }
  if (!isAdapter(made)) throw new AdapterLoadError(`adapter ${spec}: the default export must be an Adapter {name, capabilities, open()} or a function returning one`);
  return made;
}

/**
 * `--adapter NAME|./module.ts`: a built-in adapter by name, or a user's module whose default export is an
 * `Adapter` or a function that makes one from the `--adapter-option key=value` pairs.
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Adapter, AdapterModule } from '../adapters/adapter.js';
import { BUILTIN_ADAPTERS, BUILTIN_MODULES, BUILTIN_OPTIONS } from '../adapters/index.js';
import { TimeoutError, withTimeout } from './crash-guard.js';

export class AdapterLoadError extends Error {}

/**
 * Run from its TypeScript sources, the harness is already under a TypeScript loader (tsx, tap's), and a user's
 * `.ts` module imports as any other. Run compiled (dist/, an installed package), it registers tsx on the first `.ts`
 * module, so a JavaScript adapter never pays for it. Registered for the process, not scoped to the import (tsx's
 * `tsImport`): a scoped import gets its own copy of every package it imports, this one included, and a
 * WireFormatViolation the adapter throws would not be the harness's (its failure would read as an adapter error).
 */
const compiled = !import.meta.url.endsWith('.ts');
let typescriptLoader: Promise<unknown> | undefined;
async function importModule(url: string): Promise<unknown> {
  if (compiled && /\.[cm]?ts$/.test(url))
    await (typescriptLoader ??= import('tsx/esm/api').then((tsx) => tsx.register()));
  return import(url);
}

/**
 * What is wrong with the option keys (`--adapter-option K=V`) when none of the run's adapters reads one of them and
 * every one is built in (a user's module may read any key); else undefined. One list for a differential run: its
 * adapters share the options.
 */
export function unreadOptions(adapters: readonly string[], keys: readonly string[]): string | undefined {
  if (!adapters.every((a) => Object.hasOwn(BUILTIN_OPTIONS, a))) return undefined;
  const read = new Set(adapters.flatMap((a) => BUILTIN_OPTIONS[a]!));
  const unread = keys.filter((k) => !read.has(k));
  if (!unread.length) return undefined;
  const readers = adapters.map((a) => `${a} reads ${BUILTIN_OPTIONS[a]!.map((k) => `${k}=`).join(', ')}`);
  return `--adapter-option ${unread.map((k) => `${k}=`).join(', ')}: no adapter of this run reads it, so it would be ignored (${readers.join('; ')})`;
}

export const isAdapter = (x: unknown): x is Adapter =>
  typeof x === 'object' &&
  x !== null &&
  typeof (x as Adapter).open === 'function' &&
  Array.isArray((x as Adapter).capabilities) &&
  typeof (x as Adapter).name === 'string';

/**
 * Importing a module is loading code (compiling TypeScript, reading its dependencies), not a call into the system
 * under test: it gets at least this long, whatever `--timeout` says, so a short step timeout does not refuse a
 * slow machine's import. A hung top-level await still ends in a `TimeoutError`.
 */
export const IMPORT_TIMEOUT_FLOOR_MS = 5000;

/**
 * Load and make the adapter. With `timeoutMs`, the factory must finish within it and the module import within
 * max(timeoutMs, IMPORT_TIMEOUT_FLOOR_MS), or a `TimeoutError` says which: a module with a hung top-level await or
 * a factory that never resolves must not hold the run (the CLI then writes reports that say so).
 */
export async function loadAdapter(spec: string, options: Record<string, string>, timeoutMs?: number): Promise<Adapter> {
  const timed = <T>(ms: number, what: string, work: () => Promise<T>) =>
    timeoutMs ? withTimeout(ms, what, work) : work();
  const builtin = BUILTIN_ADAPTERS[spec];
  let made: unknown;
  try {
    if (builtin) {
      // Its code first, under the import floor: a stdio adapter's own hello deadline (95 % of --timeout, from the
      // child's start) must come before the harness's bound on making it, however slow the import.
      const code = Object.hasOwn(BUILTIN_MODULES, spec)
        ? BUILTIN_MODULES[spec as keyof typeof BUILTIN_MODULES]
        : undefined;
      if (code)
        await timed(Math.max(timeoutMs ?? 0, IMPORT_TIMEOUT_FLOOR_MS), `importing adapter ${spec}`, async () => {
          await code();
        });
      made = await timed(timeoutMs ?? 0, `making adapter ${spec}`, async () => builtin(options));
    } else if (/^(\.|\/)|\.(ts|js|mjs)$/.test(spec)) {
      let mod: { default?: AdapterModule };
      try {
        mod = await timed(
          Math.max(timeoutMs ?? 0, IMPORT_TIMEOUT_FLOOR_MS),
          `importing adapter module ${spec}`,
          async () => (await importModule(pathToFileURL(resolve(spec)).href)) as { default?: AdapterModule },
        );
      } catch (e) {
        if (e instanceof TimeoutError) throw e;
        throw new AdapterLoadError(`cannot load adapter module ${spec}: ${(e as Error).message.split('\n')[0]}`);
      }
      const d = mod.default;
      made = await timed(timeoutMs ?? 0, `making adapter ${spec}`, async () =>
        typeof d === 'function' ? d(options) : d,
      );
    } else
      throw new AdapterLoadError(
        `unknown adapter "${spec}": built-in adapters are ${Object.keys(BUILTIN_ADAPTERS).join(', ')}, or give a module path (./my-adapter.ts)`,
      );
  } catch (e) {
    if (e instanceof AdapterLoadError || e instanceof TimeoutError) throw e;
    throw new AdapterLoadError(`adapter ${spec} could not be created: ${(e as Error).message}`);
  }
  if (!isAdapter(made))
    throw new AdapterLoadError(
      `adapter ${spec}: the default export must be an Adapter {name, capabilities, open()} or a function returning one`,
    );
  return made;
}

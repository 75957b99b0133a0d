/**
 * `--adapter-option K=V` that no adapter of the run reads is refused (exit 2), not ignored: `event=world` for
 * `events=world` would run every scenario reading per person and say nothing. The keys each built-in adapter reads
 * are a table (BUILTIN_OPTIONS); these tests hold the table to what the adapters' factories actually read.
 */
import t from 'tap';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { BUILTIN_ADAPTERS, BUILTIN_OPTIONS } from '../adapters/index.js';
import { unreadOptions } from '../harness/adapters.js';
import { cli } from './support.js';

const CHAT = 'scenarios/chat/first-messages-within-deadline.yaml';

t.test('a key the in-process reference does not read is refused before anything runs: exit 2, no report', async (t) => {
  const r = await cli(['run', CHAT, '--adapter-option', 'event=world']);
  t.equal(r.code, 2);
  t.equal(
    r.err,
    'interop-conformance: --adapter-option event=: no adapter of this run reads it, so it would be ignored ' +
      '(reference reads faults=)\n(see interop-conformance run --help)\n',
  );
  t.equal(r.out, '');
  t.notOk(existsSync(join(r.outDir, 'report.json')), 'no report of a run that never ran');
});

t.test('a differential run accepts the keys any of its adapters reads, and names them all when refusing', async (t) => {
  t.equal(unreadOptions(['reference', 'http'], ['faults', 'url', 'events', 'timeout', 'ca']), undefined);
  t.equal(
    unreadOptions(['reference', 'http'], ['events', 'fautls']),
    '--adapter-option fautls=: no adapter of this run reads it, so it would be ignored ' +
      '(reference reads faults=; http reads url=, events=, timeout=, ca=)',
  );
  t.equal(
    unreadOptions(['stdio'], ['url', 'command']),
    '--adapter-option url=: no adapter of this run reads it, so it would be ignored (stdio reads command=, timeout=)',
  );
});

t.test(
  "a user's adapter module may read any key: nothing is refused when one adapter of the run is a module",
  async (t) => {
    t.equal(unreadOptions(['./my-adapter.ts'], ['anything']), undefined);
    t.equal(unreadOptions(['reference', './my-adapter.ts'], ['anything']), undefined);
  },
);

/** The keys a factory reads from its options, whatever it then does (a missing url, a command that fails). */
async function keysRead(name: string, given: Record<string, string>): Promise<string[]> {
  const read = new Set<string>();
  const options = new Proxy(given, {
    get: (o, k) => (typeof k === 'string' && read.add(k), Reflect.get(o, k)),
    has: (o, k) => (typeof k === 'string' && read.add(k), Reflect.has(o, k)),
  });
  try {
    const a = await BUILTIN_ADAPTERS[name]!(options);
    await (a as { close?: () => Promise<void> }).close?.();
  } catch {
    // Refusing the options given is fine: only which keys it read matters here.
  }
  return [...read].sort();
}

t.test('the table lists exactly the keys each built-in adapter reads', async (t) => {
  t.same(Object.keys(BUILTIN_OPTIONS).sort(), Object.keys(BUILTIN_ADAPTERS).sort(), 'one row per built-in adapter');
  t.same(await keysRead('reference', {}), ['faults']);
  const http = await keysRead('http', {
    url: 'http://127.0.0.1:9',
    events: 'person',
    timeout: '50',
    ca: '/nonexistent',
  });
  t.same(http, [...BUILTIN_OPTIONS.http!].sort());
  const stdio = await keysRead('stdio', { command: 'exit 3', timeout: '2000' });
  t.same(stdio, [...BUILTIN_OPTIONS.stdio!].sort());
});

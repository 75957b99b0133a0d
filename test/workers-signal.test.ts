/**
 * SIGINT during `run --workers 2` in process: the worker threads are stopped, the report says interrupted with what
 * had ended, and a stopped thread is not a crash. Through a real child process, since signals are what is tested.
 */
import t from 'tap';
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { RunResult } from '../reports/results.js';
import { CHAT_SCENARIO, scenarioDir } from './support.js';

const dir = scenarioDir({
  'chat/a.yaml': CHAT_SCENARIO,
  'chat/b.yaml': CHAT_SCENARIO.replaceAll('tara', 'wes').replace('Tara and Sam', 'Wes and Sam'),
  'chat/c-stuck.yaml': CHAT_SCENARIO.replaceAll('sam', 'sue').replace('Tara and Sam', 'Tara and Sue'),
});

t.test('SIGINT stops the threads: exit 130, interrupted, what ended is reported, no crash', async (t) => {
  const reference = pathToFileURL(join(import.meta.dirname, '..', 'adapters', 'reference', 'adapter.ts')).href;
  const module = join(dir, '..', 'stuck.mjs');
  // The world with sue never opens (within the step timeout): the run is still going when the signal comes.
  writeFileSync(
    module,
    `import { createReferenceAdapter } from ${JSON.stringify(reference)};
export default () => {
  const reference = createReferenceAdapter();
  return { ...reference, open: (world) => ('sue' in world.users ? new Promise(() => {}) : reference.open(world)) };
};
`,
  );
  const out = join(dir, '..', 'out');
  const child = spawn(
    process.execPath,
    [
      'bin/interop-conformance.js',
      'run',
      dir,
      '--adapter',
      module,
      '--workers',
      '2',
      '--reporter',
      'json',
      '--out',
      out,
    ],
    { env: { ...process.env, CI: '1', _TAPJS_PROCESSINFO_COVERAGE_: '0' } },
  );
  let stdout = '';
  let signalled = false;
  child.stdout.setEncoding('utf8').on('data', (s: string) => {
    stdout += s;
    // Once the first scenario is reported, the third is stuck in its thread, and the second's world waits for it.
    if (!signalled && /^pass chat\/a /m.test(stdout)) {
      signalled = true;
      setTimeout(() => child.kill('SIGINT'), 200);
    }
  });
  const code = await new Promise<number | null>((r) => child.on('close', r));
  t.equal(code, 130, 'exit 130 (128 + SIGINT)');
  const run = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as RunResult;
  t.equal(run.summary.interrupted, true);
  t.same(
    run.scenarios.map((s) => [s.id, s.verdict]),
    [['chat/a', 'pass']],
    'what was reported: b stays open until c is played',
  );
  t.equal(run.summary.crashes, undefined, 'threads stopped by the run are no crash');
  t.match(run.summary.gate.reasons[0], 'interrupted by SIGINT after 1 of 3 scenario results');
});

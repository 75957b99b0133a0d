/**
 * Where a one-lane run's time goes over HTTP (README "Parallel runs"), the time two lanes can overlap:
 * `node --import tsx bench/workers-time.ts [DIR]` (default scenarios/chat) starts `serve` as its own process, runs
 * the CLI's `run` in this process through an adapter module that wraps the http adapter and times every `open` and
 * `close`, and prints the run's `durationMs` beside the time its steps took (report.json), the time spent opening
 * worlds, and the harness's CPU time (this process: the server's is its own). One lane only: a module adapter
 * with --workers 2 would run in worker threads, out of this process's sight.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { main } from '../harness/cli.js';
import type { RunResult } from '../reports/results.js';
import { ROOT, userEnv } from './child.js';

/** What the wrapping module adds up, on globalThis: it is imported by the run in this very process. */
interface Timed {
  opens: number;
  openMs: number;
  closeMs: number;
}

const WRAPPER = `import { createHttpAdapter } from ${JSON.stringify(pathToFileURL(join(ROOT, 'adapters/http/adapter.ts')).href)};
const t = (globalThis.__workersTime = { opens: 0, openMs: 0, closeMs: 0 });
export default async (options) => {
  const http = await createHttpAdapter(options);
  return {
    name: http.name, capabilities: http.capabilities, settleMs: http.settleMs,
    secrets: () => http.secrets?.() ?? [], dispose: () => http.dispose?.(),
    open: async (world) => {
      const t0 = performance.now();
      const s = await http.open(world);
      t.openMs += performance.now() - t0;
      t.opens++;
      return {
        perform: (a, x) => s.perform(a, x), drain: (u) => s.drain(u),
        ...(s.reconnect ? { reconnect: (u) => s.reconnect(u) } : {}),
        ...(s.disconnect ? { disconnect: (u) => s.disconnect(u) } : {}),
        close: async () => { const t1 = performance.now(); await s.close(); t.closeMs += performance.now() - t1; },
      };
    },
  };
};
`;

export async function whereTimeGoes(dir: string): Promise<string[]> {
  const tmp = mkdtempSync(join(tmpdir(), 'ic-bench-workers-time-'));
  const server = spawn(process.execPath, [join(ROOT, 'bin/interop-conformance.js'), 'serve'], { env: userEnv() });
  try {
    const url = await new Promise<string>((resolve, reject) => {
      let out = '';
      server.stdout.setEncoding('utf8').on('data', (s: string) => {
        out += s;
        const m = /listening on (http:\/\/\S+)/.exec(out);
        if (m) resolve(m[1]!);
      });
      server.on('exit', (code) => reject(new Error(`serve exited with code ${code} before listening`)));
    });
    writeFileSync(join(tmp, 'timed-http.mjs'), WRAPPER);
    const out = join(tmp, 'out');
    const sink = { write: () => true } as unknown as NodeJS.WritableStream;
    let err = '';
    const stderr = { write: (x: string) => ((err += x), true) } as unknown as NodeJS.WritableStream;
    const cpu = process.cpuUsage();
    const args = ['run', dir, '--adapter', join(tmp, 'timed-http.mjs'), '--url', url, '--workers', '1'];
    const code = await main([...args, '--reporter', 'json', '--out', out, '--quiet'], {
      stdout: sink,
      stderr,
      env: process.env,
    });
    if (code > 1) throw new Error(`run exited ${code}: ${err.trim().split('\n')[0]}`);
    const used = process.cpuUsage(cpu);
    const run = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as RunResult;
    const steps = run.scenarios.flatMap((s) => s.steps.map((x) => x.durationMs)).sort((a, b) => a - b);
    const t = (globalThis as { __workersTime?: Timed }).__workersTime!;
    const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
    const stepMs = steps.reduce((a, b) => a + b, 0);
    return [
      `run ${dir} over HTTP, one lane: exit ${code}, ${run.scenarios.length} scenarios, ${steps.length} steps`,
      `  the run (durationMs): ${s(run.summary.durationMs)}`,
      `  its steps, added up: ${s(stepMs)} (median ${steps[steps.length >> 1]!.toFixed(1)} ms)`,
      `  opening the ${t.opens} worlds: ${s(t.openMs)} (${(t.openMs / t.opens).toFixed(0)} ms each); closing them: ${s(t.closeMs)}`,
      `  the rest (the last world's settle window, the runner between steps): ${s(run.summary.durationMs - stepMs - t.openMs)}`,
      `  the harness's CPU (this process, loading included): ${s((used.user + used.system) / 1000)}`,
    ];
  } finally {
    server.kill();
    rmSync(tmp, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  for (const line of await whereTimeGoes(process.argv[2] ?? 'scenarios/chat')) console.log(line);
  process.exit(0);
}

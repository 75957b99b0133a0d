/**
 * A worker thread's side of `--workers N` for in-process adapters (the reference, a module adapter): it loads the
 * adapter itself from its name and options (an `Adapter` object cannot cross threads), under its own crash guard,
 * then runs one lane (harness/run.ts) whose queue is the main thread's: it asks for scenarios one at a time, says
 * when each has been played (a world elsewhere may be waiting for it), and posts each result back with what its
 * guard caught and the adapter's new secrets. The main thread's side is ./pool.ts.
 */
import { isMainThread, parentPort, workerData, type MessagePort } from 'node:worker_threads';
import type { Adapter } from '../../adapters/adapter.js';
import { loadAdapter } from '../adapters.js';
import { installCrashGuard, withTimeout } from '../crash-guard.js';
import { deferred, runLane, type Lanes, type Queued } from '../run.js';
import type { ThreadData, ToMain, ToThread } from './messages.js';

type Port = Pick<MessagePort, 'postMessage' | 'on' | 'off'>;

const messageOf = (e: unknown) => (e instanceof Error ? e.message : String(e));

/** A result as plain data: an adapter's observation is JSON-checked, but may hold what cloning refuses. */
function post(port: Port, m: ToMain): void {
  try {
    port.postMessage(m);
  } catch {
    port.postMessage(JSON.parse(JSON.stringify(m)) as ToMain);
  }
}

export async function serveThread(port: Port, data: ThreadData): Promise<void> {
  const guard = installCrashGuard();
  const takes: ((q: Queued | undefined) => void)[] = [];
  const nexts = new Map<number, ReturnType<typeof deferred<boolean>>>();
  const next = (index: number) => nexts.get(index) ?? nexts.set(index, deferred<boolean>()).get(index)!;
  const listener = (m: ToThread) => {
    if (m.type === 'take') takes.shift()?.(m.queued);
    else next(m.index).resolve(m.opened);
  };
  port.on('message', listener);
  try {
    let adapter: Adapter;
    try {
      adapter = await loadAdapter(data.recipe.spec, data.recipe.options, data.recipe.timeoutMs);
    } catch (e) {
      post(port, { type: 'failed', message: messageOf(e) });
      return;
    }
    let reported = 0;
    const sent = new Set<string>();
    const lanes: Lanes = {
      take: () =>
        new Promise((resolve) => {
          takes.push(resolve);
          post(port, { type: 'want' });
        }),
      played: (index, opened) => post(port, { type: 'played', index, opened }),
      nextPlayed: (index) => (index + 1 >= data.total ? Promise.resolve(false) : next(index).promise),
      done: (index, result) => {
        const crashes = guard.all.slice(reported);
        reported = guard.all.length;
        const secrets = (adapter.secrets?.() ?? []).filter((s) => !sent.has(s) && sent.add(s));
        post(port, { type: 'result', index, result, crashes, secrets });
      },
    };
    try {
      await runLane(lanes, { adapter, ...data.run, crashes: guard });
    } catch (e) {
      post(port, { type: 'internal', message: messageOf(e) });
      return;
    }
    const notes: string[] = [];
    try {
      await withTimeout(data.run.stepTimeoutMs, `disposing of adapter ${adapter.name}`, () => adapter.dispose?.());
    } catch (e) {
      notes.push(`adapter ${adapter.name} could not be disposed of: ${messageOf(e)}`);
    }
    post(port, { type: 'done', notes, crashes: guard.all.slice(reported) });
  } finally {
    port.off('message', listener);
    guard.uninstall();
  }
}

const data = workerData as Partial<ThreadData> | undefined;
if (!isMainThread && parentPort && data?.interopConformanceThread) await serveThread(parentPort, data as ThreadData);

/**
 * `--workers N` for in-process adapters: N worker threads (./thread.ts), each with its own copy of the adapter,
 * taking scenarios one at a time from one queue in file order. The main thread hands them out, tells the thread
 * whose world waits for a scenario that it has been played (worlds overlap across threads as they do in one), and
 * reports results in scenario order (./in-order.ts).
 *
 * A thread that dies (native code ending it, `process.reallyExit`, running out of memory — a `process.exit` in
 * adapter code is caught by the thread's own crash guard, as in one thread) gives each scenario it held an `error`
 * verdict naming the exit, and the death is a crash of the run (exit 3); the other threads take the rest of the
 * queue. In a clone the sources are TypeScript: the thread registers tsx first, as the bin does.
 */
import { Worker } from 'node:worker_threads';
import type { ScenarioResult } from '../../reports/results.js';
import type { Reporter } from '../../reports/reporter.js';
import type { Scenario } from '../load.js';
import { notRunResults } from '../run-end.js';
import { InOrder } from './in-order.js';
import { portable } from '../compact-scenarios.js';
import type { ThreadData, ThreadRecipe, ThreadSettings, ToMain, ToThread } from './messages.js';
import { keepHeapSettings, threadResourceLimits } from '../heap-settings.js';

export type { ThreadRecipe, ThreadSettings } from './messages.js';

export interface ThreadsOptions {
  recipe: ThreadRecipe;
  run: ThreadSettings;
  threads: number;
  /** The adapter's name, for the results of scenarios a dead thread held. */
  adapterName: string;
  reporter?: Reporter;
  expectedToFail?: ReadonlySet<string>;
  /** What the threads' crash guards caught, and thread deaths: each closes the gate (exit 3). */
  onCrash(what: string): void;
  /** Secrets a thread's adapter issued, registered for redaction before the result that may quote them is reported. */
  onSecrets(secrets: readonly string[]): void;
  /** Trouble after the verdicts (a thread's adapter that could not be disposed of). */
  onNote(note: string): void;
  /** Resolves when the run is stopped (a signal): every thread is terminated. */
  stop?: Promise<unknown>;
  /** Whether the results are kept and returned (default); false: each goes to the reporter alone (the CLI's record). */
  keepResults?: boolean;
}

interface Slot {
  number: number;
  worker: Worker;
  /** Scenarios taken and not yet ended. */
  held: Set<number>;
  finished: boolean;
  dead: boolean;
}

const source = import.meta.url.endsWith('.ts');

/** A thread running ./thread.ts: compiled, directly; from the sources, after registering tsx (bin/'s way). */
function spawnThread(data: ThreadData): Worker {
  const entry = new URL(`./thread.${source ? 'ts' : 'js'}`, import.meta.url).href;
  // The CLI's young generation (harness/heap-settings.ts): V8's flags do not size a thread's, its resourceLimits do.
  const resourceLimits = threadResourceLimits();
  if (!source) return keepHeapSettings(new Worker(new URL(entry), { workerData: data, resourceLimits }));
  const tsx = import.meta.resolve('tsx/esm/api');
  const boot = `import(${JSON.stringify(tsx)}).then((t) => { t.register(); return import(${JSON.stringify(entry)}); })`;
  return keepHeapSettings(new Worker(boot, { eval: true, workerData: data, resourceLimits }));
}

export function runInThreads(scenarios: readonly Scenario[], o: ThreadsOptions): Promise<ScenarioResult[]> {
  const inOrder = new InOrder(o.reporter, o.expectedToFail, o.keepResults ?? true);
  const holder = new Map<number, Slot>();
  const live = new Set<Slot>();
  let next = 0;
  return new Promise<ScenarioResult[]>((resolve, reject) => {
    let ended = false;
    const end = (e?: Error) => {
      if (ended) return;
      ended = true;
      for (const s of live) void s.worker.terminate();
      if (e) reject(e);
      else inOrder.all().then(resolve, reject);
    };
    const give = (index: number, result: ScenarioResult) => inOrder.add(index, result);
    const send = (slot: Slot, m: ToThread) => {
      if (!slot.dead) slot.worker.postMessage(m);
    };
    /** The world of the scenario before `index`, if its thread lives, may stop waiting for it. */
    const tellPlayed = (index: number, opened: boolean) => {
      const before = holder.get(index - 1);
      if (before) send(before, { type: 'next-played', index: index - 1, opened });
    };
    const died = (slot: Slot, why: string) => {
      // Threads terminated at the end (a signal) did not die: what they held is not reported, as in one thread.
      if (ended || slot.dead || slot.finished) return;
      slot.dead = true;
      live.delete(slot);
      const held = [...slot.held].sort((a, b) => a - b);
      const during = held.length ? ` while it ran ${held.map((i) => scenarios[i]!.id).join(', ')}` : '';
      o.onCrash(`worker thread ${slot.number} ${why}${during}`);
      for (const i of held) {
        give(i, notRunResults([scenarios[i]!], o.adapterName, `worker thread ${slot.number} ${why}`)[0]!);
        tellPlayed(i, false);
      }
      slot.held.clear();
      if (!live.size) {
        const rest = scenarios.slice(next);
        const reason = `not run: every worker thread had ended (the last: worker thread ${slot.number} ${why})`;
        notRunResults([...rest], o.adapterName, reason).forEach((r, k) => give(next + k, r));
        next = scenarios.length;
        end();
      }
    };
    const on = (slot: Slot, m: ToMain) => {
      if (m.type === 'want') {
        if (next >= scenarios.length) return send(slot, { type: 'take' });
        const index = next++;
        holder.set(index, slot);
        slot.held.add(index);
        send(slot, { type: 'take', queued: { index, scenario: portable(scenarios[index]!) } });
      } else if (m.type === 'played') tellPlayed(m.index, m.opened);
      else if (m.type === 'result') {
        slot.held.delete(m.index);
        m.crashes.forEach(o.onCrash);
        o.onSecrets(m.secrets);
        give(m.index, m.result);
      } else if (m.type === 'done') {
        slot.finished = true;
        live.delete(slot);
        m.crashes.forEach(o.onCrash);
        m.notes.forEach(o.onNote);
        if (!live.size) end();
      } else if (m.type === 'failed') died(slot, `could not load the adapter: ${m.message}`);
      else end(new Error(`worker thread ${slot.number}: ${m.message}`));
    };
    const n = Math.max(1, Math.min(o.threads, scenarios.length));
    for (let k = 1; k <= n; k++) {
      const worker = spawnThread({
        interopConformanceThread: k,
        recipe: o.recipe,
        run: o.run,
        total: scenarios.length,
      });
      const slot: Slot = { number: k, worker, held: new Set(), finished: false, dead: false };
      live.add(slot);
      worker.on('message', (m: ToMain) => on(slot, m));
      worker.on('error', (e) => died(slot, `failed: ${e.message}`));
      worker.on('exit', (code) => died(slot, `ended with exit code ${code}`));
    }
    void o.stop?.then(() => end());
  });
}

/**
 * What the main thread and a worker thread of `run --workers N` say to each other (./pool.ts, ./thread.ts), apart
 * from either side's code: the pool must not reach the adapters the thread loads.
 */
import type { ScenarioResult } from '../../reports/results.js';
import type { Queued } from '../run.js';

/** How to make the adapter again in a thread: what `--adapter`, its options and `--timeout` say. */
export interface ThreadRecipe {
  spec: string;
  options: Record<string, string>;
  timeoutMs: number;
}

/** The run's settings as the runner takes them, already resolved by the main thread. */
export interface ThreadSettings {
  deadlineMs: number;
  deadlineOverrideMs?: number;
  stepTimeoutMs: number;
  settleMs: number;
}

export interface ThreadData {
  interopConformanceThread: number;
  recipe: ThreadRecipe;
  run: ThreadSettings;
  /** How many scenarios the run has: the last one has no next scenario to wait for. */
  total: number;
}

export type ToMain =
  | { type: 'want' }
  | { type: 'played'; index: number; opened: boolean }
  | { type: 'result'; index: number; result: ScenarioResult; crashes: string[]; secrets: string[] }
  | { type: 'done'; notes: string[]; crashes: string[] }
  | { type: 'failed'; message: string }
  | { type: 'internal'; message: string };

export type ToThread = { type: 'take'; queued?: Queued } | { type: 'next-played'; index: number; opened: boolean };

/**
 * What a step costs the oracle (issue 9, item 3): µs per predicted step over every step of the hand-written and
 * the generated suites, under xstate's `transition()` (a throwaway actor scope per call: the oracle before) and
 * under the scoped stepping (one reused scope per machine: the oracle now), against the floor — the same model
 * transitions replayed bare, nothing composed. Interleaved repetitions (before, now, floor, before, …) so that a
 * noisy machine weighs on all three alike; median and spread (min–max) of each.
 *
 *   node --expose-gc --import tsx bench/oracle-step.ts [REPETITIONS=9] [PASSES=5]
 */
import type { AnyStateMachine, EventFromLogic, SnapshotFrom } from 'xstate';
import { scopedStepping, type Stepping } from '../harness/oracle/stepping.js';
import { loadSuites, predictAll, xstateStepping } from '../test/oracle-suites.js';

const REPETITIONS = Number(process.argv[2] ?? 9);
const PASSES = Number(process.argv[3] ?? 5);
if (!(REPETITIONS >= 7 && PASSES >= 1)) throw new Error('usage: oracle-step.ts [REPETITIONS ≥ 7] [PASSES ≥ 1]');

const { handWritten, generated } = loadSuites();
const scenarios = [...handWritten, ...generated];

// The floor: every transition the oracle takes over the suites, recorded once, to be replayed bare.
const taken: [AnyStateMachine, unknown, unknown][] = [];
const recording: Stepping = {
  start: scopedStepping.start,
  next: <M extends AnyStateMachine>(m: M, from: SnapshotFrom<M>, event: EventFromLogic<M>) => {
    taken.push([m, from, event]);
    return scopedStepping.next(m, from, event);
  },
};
const steps = predictAll(scenarios, recording);

const bare = () => {
  for (const [m, from, event] of taken) scopedStepping.next(m, from as SnapshotFrom<typeof m>, event as never);
};
const ways: Record<string, () => unknown> = {
  before: () => predictAll(scenarios, xstateStepping),
  now: () => predictAll(scenarios, scopedStepping),
  floor: bare,
};

const gc = (globalThis as { gc?: () => void }).gc;
const µsPerStep: Record<string, number[]> = { before: [], now: [], floor: [] };
for (const work of Object.values(ways)) work(); // one untimed pass each: the JIT sees all three before timing
for (let r = 0; r < REPETITIONS; r++)
  for (const [name, work] of Object.entries(ways)) {
    gc?.();
    const t0 = performance.now();
    for (let p = 0; p < PASSES; p++) work();
    µsPerStep[name]!.push(((performance.now() - t0) * 1000) / (PASSES * steps));
  }

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
const figures = Object.fromEntries(
  Object.entries(µsPerStep).map(([k, xs]) => [
    k,
    { median: median(xs), min: Math.min(...xs), max: Math.max(...xs), runs: xs.map((x) => +x.toFixed(2)) },
  ]),
);
const f = (x: number) => x.toFixed(2);
console.log(
  `oracle: ${scenarios.length} scenarios, ${steps} steps, ${taken.length} model transitions ` +
    `(${f(taken.length / steps)} a step); ${REPETITIONS} interleaved repetitions of ${PASSES} passes` +
    (gc ? '' : ' (run with --expose-gc to collect before each timing)'),
);
for (const [k, v] of Object.entries(figures))
  console.log(`  ${k.padEnd(7)} ${f(v.median)} µs/step (min ${f(v.min)}, max ${f(v.max)})`);
console.log(
  `  now/before ${f(figures.now!.median / figures.before!.median)}, ` +
    `now/floor ${f(figures.now!.median / figures.floor!.median)}`,
);
console.log(JSON.stringify({ scenarios: scenarios.length, steps, transitions: taken.length, µsPerStep: figures }));

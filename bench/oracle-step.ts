/**
 * What a step costs the oracle (issue 9, item 3): µs per predicted step over every step of the hand-written and
 * the generated suites, under xstate's `transition()` (a throwaway actor scope per call: the oracle before) and
 * under the scoped stepping (one reused scope per machine: the oracle now), against two floors replayed bare,
 * nothing composed: `floor`, the same model transitions; `models`, every call into the models the oracle makes
 * (each start, from a world's input or not, and each transition with the `can()` check before it). Interleaved
 * repetitions (before, now, floor, models, before, …) so that a noisy machine weighs on all alike; median and spread (min–max) of each, in CPU time (the process's user +
 * system: what the work costs, not how long a machine shared with other processes kept it waiting) and in wall
 * time.
 *
 * No forced GC between timings: the garbage a way makes is collected as it allocates, as in a real load (a forced
 * full GC before each timing made the next timing of the scoped stepping a third dearer, not the others).
 *
 *   node --import tsx bench/oracle-step.ts [REPETITIONS=9] [PASSES=5]
 */
import type { AnyMachineSnapshot, AnyStateMachine, EventFromLogic, InputFrom, SnapshotFrom } from 'xstate';
import { scopedStepping, type Stepping } from '../harness/oracle/stepping.js';
import { loadSuites, predictAll, xstateStepping } from '../test/oracle-suites.js';

const REPETITIONS = Number(process.argv[2] ?? 9);
const PASSES = Number(process.argv[3] ?? 5);
if (!(REPETITIONS >= 7 && PASSES >= 1)) throw new Error('usage: oracle-step.ts [REPETITIONS ≥ 7] [PASSES ≥ 1]');

const { handWritten, generated } = loadSuites();
const scenarios = [...handWritten, ...generated];

// The floors: every start and transition the oracle makes over the suites, recorded once, to be replayed bare.
const taken: [AnyStateMachine, unknown, unknown][] = [];
const starts: [AnyStateMachine, unknown][] = [];
const recording: Stepping = {
  start: <M extends AnyStateMachine>(m: M, input?: InputFrom<M>) => {
    starts.push([m, input]);
    return scopedStepping.start(m, input);
  },
  next: <M extends AnyStateMachine>(m: M, from: SnapshotFrom<M>, event: EventFromLogic<M>) => {
    taken.push([m, from, event]);
    return scopedStepping.next(m, from, event);
  },
};
const steps = predictAll(scenarios, recording);

const bare = () => {
  for (const [m, from, event] of taken) scopedStepping.next(m, from as SnapshotFrom<typeof m>, event as never);
};
const models = () => {
  for (const [m, input] of starts) scopedStepping.start(m, input as never);
  for (const [m, from, event] of taken)
    if ((from as AnyMachineSnapshot).can(event as never))
      scopedStepping.next(m, from as SnapshotFrom<typeof m>, event as never);
};
const ways: Record<string, () => unknown> = {
  before: () => predictAll(scenarios, xstateStepping),
  now: () => predictAll(scenarios, scopedStepping),
  floor: bare,
  models,
};

const cpu: Record<string, number[]> = { before: [], now: [], floor: [], models: [] };
const wall: Record<string, number[]> = { before: [], now: [], floor: [], models: [] };
for (const work of Object.values(ways)) work(); // one untimed pass each: the JIT sees all four before timing
for (let r = 0; r < REPETITIONS; r++)
  for (const [name, work] of Object.entries(ways)) {
    const [c0, t0] = [process.cpuUsage(), performance.now()];
    for (let p = 0; p < PASSES; p++) work();
    const [c, t] = [process.cpuUsage(c0), performance.now() - t0];
    cpu[name]!.push((c.user + c.system) / (PASSES * steps));
    wall[name]!.push((t * 1000) / (PASSES * steps));
  }

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
const summary = (runs: Record<string, number[]>) =>
  Object.fromEntries(
    Object.entries(runs).map(([k, xs]) => [
      k,
      { median: median(xs), min: Math.min(...xs), max: Math.max(...xs), runs: xs.map((x) => +x.toFixed(2)) },
    ]),
  );
const figures = { cpu: summary(cpu), wall: summary(wall) };
const f = (x: number) => x.toFixed(2);
console.log(
  `oracle: ${scenarios.length} scenarios, ${steps} steps, ${taken.length} model transitions ` +
    `(${f(taken.length / steps)} a step), ${starts.length} model starts; ` +
    `${REPETITIONS} interleaved repetitions of ${PASSES} passes`,
);
for (const [clock, ways] of Object.entries(figures)) {
  for (const [k, v] of Object.entries(ways))
    console.log(`  ${clock.padEnd(4)} ${k.padEnd(7)} ${f(v.median)} µs/step (min ${f(v.min)}, max ${f(v.max)})`);
  console.log(
    `  ${clock.padEnd(4)} now/before ${f(ways.now!.median / ways.before!.median)}, ` +
      `now/floor ${f(ways.now!.median / ways.floor!.median)}, now/models ${f(ways.now!.median / ways.models!.median)}`,
  );
}
console.log(
  JSON.stringify({
    scenarios: scenarios.length,
    steps,
    transitions: taken.length,
    starts: starts.length,
    µsPerStep: figures,
  }),
);

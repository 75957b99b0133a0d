/**
 * The oracle's scoped stepping (one reused inert actor scope per machine, harness/oracle/stepping.ts) predicts
 * exactly what xstate's own `transition()` / `initialTransition()` predicted (a throwaway scope per call): every
 * step of the hand-written and the generated suites, prediction and model snapshots alike. And the comparison is
 * shown to catch a stepping that differs, whether in what a step predicts or only in the state it leaves.
 */
import t from 'tap';
import { isDeepStrictEqual } from 'node:util';
import {
  assign,
  createMachine,
  emit,
  raise,
  setup,
  transition,
  type AnyMachineSnapshot,
  type AnyStateMachine,
  type AnyStateNode,
  type EventFromLogic,
  type SnapshotFrom,
} from 'xstate';
import { MODELS } from '../specs/models/index.js';
import { chatMachine } from '../specs/models/chat.js';
import { initialModelState, predict } from '../harness/oracle.js';
import { currentStepping, scopedStepping, withStepping, type Stepping } from '../harness/oracle/stepping.js';
import { loadSuites, predictAll, replay, xstateStepping, type PlayedStep } from './oracle-suites.js';
import { world } from './fixtures/reference-world.js';

const { handWritten, generated } = loadSuites();
const everything = [...handWritten, ...generated];

/** The steps at which two replays of the same scenarios differ: in their predictions, in their models' state. */
function differences(a: PlayedStep[], b: PlayedStep[]) {
  const predictions: string[] = [];
  const models: string[] = [];
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const at = a[i]?.at ?? b[i]!.at;
    if (!isDeepStrictEqual(a[i]?.prediction, b[i]?.prediction)) predictions.push(at);
    if (!isDeepStrictEqual(a[i]?.models, b[i]?.models)) models.push(at);
  }
  return { predictions, models };
}

/** A stepping that counts the model transitions it takes. */
function counting(inner: Stepping) {
  const counts = { starts: 0, transitions: 0 };
  const stepping: Stepping = {
    start: (m, input) => (counts.starts++, inner.start(m, input)),
    next: (m, from, event) => (counts.transitions++, inner.next(m, from, event)),
  };
  return { counts, stepping };
}

const before = counting(xstateStepping);
const after = counting(scopedStepping);
const old = replay(everything, before.stepping);
const now = replay(everything, after.stepping);

t.test('both suites are what the comparison claims: 163 + 104 scenarios, 1033 + 221 steps, none refused', async (t) => {
  t.equal(handWritten.length, 163, 'hand-written scenarios');
  t.equal(generated.length, 104, 'generated scenarios (one per transition of every model)');
  const steps = (xs: typeof everything) => xs.reduce((n, s) => n + s.steps.length, 0);
  t.equal(steps(handWritten), 1033, 'hand-written steps');
  t.equal(steps(generated), 221, 'generated steps');
  t.equal(now.length, 1254, 'every step predicted');
  t.equal(predictAll(everything, scopedStepping), 1254, 'the steps bench/oracle-step.ts times: the same');
  t.same(
    now.filter((p) => 'refused' in p.prediction),
    [],
    'no step refused',
  );
});

t.test(
  "the scoped stepping predicts every step of both suites exactly as xstate's transition() did, snapshots too",
  async (t) => {
    t.same(differences(old, now), { predictions: [], models: [] }, 'no step differs, deep-equal');
    t.same(after.counts, before.counts, 'the same model starts and transitions, one for one');
    t.same(after.counts, { starts: 1904, transitions: 2396 }, 'model starts and transitions taken by 1254 steps');
  },
);

/** `inner`, with the snapshots `machine` gives changed by `change` (context only, value kept). */
function altering(machine: AnyStateMachine, change: (s: AnyMachineSnapshot) => object): Stepping {
  return {
    start: scopedStepping.start,
    next: <M extends AnyStateMachine>(m: M, from: SnapshotFrom<M>, event: EventFromLogic<M>) => {
      const next: AnyMachineSnapshot = scopedStepping.next(m, from, event);
      return (m !== machine ? next : m.resolveState({ value: next.value, context: change(next) })) as SnapshotFrom<M>;
    },
  };
}

t.test('the comparison catches a stepping that differs, in a prediction or only in the state it leaves', async (t) => {
  const forgetsRequirements = altering(chatMachine, (s) => ({
    ...s.context,
    decision: { ...s.context.decision, requirements: [] },
  }));
  const found = differences(old, replay(everything, forgetsRequirements));
  t.equal(found.predictions.length, 23, "a chat decision without its requirements changes 23 steps' predictions");
  t.equal(found.predictions[0], 'chat/plain-text-mention-refused step 3', 'the first, located');

  const leavesAMark = altering(chatMachine, (s) => ({ ...s.context, stepped: true }));
  const marked = differences(old, replay(everything, leavesAMark));
  t.same(marked.predictions, [], 'a mark left in the chat context predicts nothing different…');
  t.equal(marked.models.length, 1073, '…but the state it leaves differs after 1073 steps');
});

t.test('withStepping predicts with the stepping given, and goes back to the scoped one even on a throw', async (t) => {
  const broken: Stepping = {
    start: scopedStepping.start,
    next: () => {
      throw new Error('broken stepping');
    },
  };
  const w = world();
  t.throws(
    () =>
      withStepping(broken, () => predict(w, initialModelState(w), 'tara', { kind: 'message', to: 'sam', text: 'hi' })),
    /broken stepping/,
  );
  t.equal(currentStepping(), scopedStepping, 'the scoped stepping is back');
  t.equal(withStepping(xstateStepping, currentStepping), xstateStepping, 'inside, the stepping given');
});

/** The kinds of every action a machine can run (entry, exit, transitions, eventless), and `invoke` if it invokes. */
function actionKinds(machine: AnyStateMachine): string[] {
  const kinds = new Set<string>();
  const kind = (a: unknown) => String((a as { type?: unknown }).type ?? typeof a);
  const visit = (node: AnyStateNode) => {
    [...node.entry, ...node.exit].forEach((a) => kinds.add(kind(a)));
    for (const ts of [...node.transitions.values(), node.always ?? []])
      for (const t of ts) t.actions.forEach((a) => kinds.add(kind(a)));
    if (node.invoke.length) kinds.add('invoke');
    Object.values(node.states).forEach(visit);
  };
  visit(machine.root);
  return [...kinds].sort();
}

t.test(
  'every action of every model is an assign: nothing a reused scope could carry from one step to the next',
  async (t) => {
    for (const [name, machine] of Object.entries(MODELS)) t.same(actionKinds(machine), ['xstate.assign'], name);
    const talkative = setup({
      types: {} as { events: { type: 'GO' } | { type: 'GONE' } },
      actors: { child: createMachine({}) },
    }).createMachine({
      entry: emit({ type: 'started' }),
      on: { GO: { actions: [raise({ type: 'GONE' }), assign({})] } },
      invoke: { src: 'child' },
    });
    t.same(
      actionKinds(talkative),
      ['invoke', 'xstate.assign', 'xstate.emit', 'xstate.raise'],
      'caught in a model that had them',
    );
  },
);

t.test(
  "the scoped stepping executes no action, as xstate's transition() executes none: stepping stays pure",
  async (t) => {
    let ran = 0;
    const counter = createMachine({
      initial: 'idle',
      context: { n: 0 },
      states: {
        idle: {
          on: { GO: { target: 'gone', actions: [() => ran++, assign({ n: ({ context }) => context.n + 1 })] } },
        },
        gone: {},
      },
    });
    const start = scopedStepping.start(counter);
    const next = scopedStepping.next(counter, start, { type: 'GO' });
    t.equal(ran, 0, 'the action function was not run');
    t.same([next.value, next.context], ['gone', { n: 1 }], 'the assign and the target were taken');
    const [viaXstate] = transition(counter, start, { type: 'GO' });
    t.same(counter.getPersistedSnapshot(next), counter.getPersistedSnapshot(viaXstate), "the same as xstate's");
    t.equal(ran, 0);
  },
);

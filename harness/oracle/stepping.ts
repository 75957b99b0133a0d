/**
 * How the oracle steps a model: purely, as xstate's `transition()` and `initialTransition()` do, but without their
 * cost. Each of those calls builds a throwaway inert actor scope — an actor (whose constructor computes a whole
 * initial snapshot) and its system — only to discard it (≈ 21 µs a call). The scope is what a machine's actions
 * see of the outside world: `self`, `system`, `defer`, `emit`, the action executor. The models' actions are
 * `assign`s alone (rule.ts writes the decision with one; no spawn, send, timer or emit), so nothing is ever
 * registered, deferred or emitted into a scope, and one inert scope per machine, built once, serves every step.
 *
 * Only xstate's public API: `createActor`, the `ActorScope` type, and the machine's own `transition()` and
 * `getInitialSnapshot()`, which xstate's pure functions call with their throwaway scope. That the two steppings
 * predict the same, step for step and snapshot for snapshot, over the hand-written and the generated suites, is
 * test/oracle-equivalence.test.ts — a release of xstate that changed what a scope must hold fails it.
 */
import {
  createActor,
  type AnyActorScope,
  type AnyMachineSnapshot,
  type AnyStateMachine,
  type EventFromLogic,
  type InputFrom,
  type SnapshotFrom,
} from 'xstate';

/** Starting a model and stepping it by one event: the next snapshot, nothing run. */
export interface Stepping {
  start<M extends AnyStateMachine>(machine: M, input?: InputFrom<M>): SnapshotFrom<M>;
  next<M extends AnyStateMachine>(machine: M, from: SnapshotFrom<M>, event: EventFromLogic<M>): SnapshotFrom<M>;
}

const ignore = () => {};
const scopes = new WeakMap<AnyStateMachine, AnyActorScope>();

/** The machine's inert scope, as xstate's `transition()` builds it, built once (why one is enough: above). */
function scopeOf(machine: AnyStateMachine): AnyActorScope {
  let scope = scopes.get(machine);
  if (!scope) {
    const self = createActor(machine);
    scope = {
      self,
      id: '',
      sessionId: '',
      logger: ignore,
      defer: ignore,
      emit: ignore,
      system: self.system,
      stopChild: ignore,
      // xstate's `transition()` collects the actions left to execute; the oracle never executes any.
      actionExecutor: ignore,
    };
    scopes.set(machine, scope);
  }
  return scope;
}

const started = new WeakMap<AnyStateMachine, AnyMachineSnapshot>();

/**
 * One reused inert scope per machine; and a model started without input (a pair's relationship and call, the
 * world's chat, blocked list, escalation and security) starts from one snapshot, made once: it is the same every
 * time, and no snapshot is ever changed in place (a transition makes a new one), so every world and pair can
 * start from it. A start with input (a tenant's policies, the unlisted users) is made each time.
 */
export const scopedStepping: Stepping = {
  // A machine's own methods return its snapshot type, which TypeScript cannot tell is `SnapshotFrom<M>`.
  start: <M extends AnyStateMachine>(machine: M, input?: InputFrom<M>) => {
    if (input !== undefined) return machine.getInitialSnapshot(scopeOf(machine), input) as SnapshotFrom<M>;
    let initial = started.get(machine);
    if (!initial) started.set(machine, (initial = machine.getInitialSnapshot(scopeOf(machine))));
    return initial as SnapshotFrom<M>;
  },
  next: <M extends AnyStateMachine>(machine: M, from: SnapshotFrom<M>, event: EventFromLogic<M>) =>
    machine.transition(from, event, scopeOf(machine)) as SnapshotFrom<M>,
};

let stepping: Stepping = scopedStepping;

/** The stepping the composition uses now. */
export const currentStepping = (): Stepping => stepping;

/**
 * Predict with another stepping for the length of `run` (the equivalence test's xstate `transition()`, a faulty
 * one its check must catch), then go back to the one before, whatever happens (a throw included).
 */
export function withStepping<T>(other: Stepping, run: () => T): T {
  const was = stepping;
  stepping = other;
  try {
    return run();
  } finally {
    stepping = was;
  }
}

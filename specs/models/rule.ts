/**
 * Every transition of every model is a named rule that implements one or more requirements. `rule()` writes that
 * once: the name and requirement ids go in the transition's `meta` (so tools can list and cover rules without
 * running anything) and, when the transition is taken, into `context.decision` (so the oracle can say which rule
 * predicted a step).
 *
 * `rulesFor(model, machineSetup)` binds `rule()` to one model's `setup()`, so that xstate checks each rule as it
 * checks any transition of that machine: `rule('CONTACT', …)` is a transition for CONTACT only (placed under
 * another event it does not compile), its guard names are the setup's guards, its inline guards, actions and
 * payload see the CONTACT event with its fields, and its payload is one of the model's decisions.
 */
import {
  assertEvent,
  type ActionFunction,
  type AssignArgs,
  type EventObject,
  type ExtractEvent,
  type MachineContext,
  type ParameterizedObject,
  type TransitionConfig,
} from 'xstate';

export interface RuleMeta {
  rule: string;
  requirements: string[];
}

/** What a model decided on its last event: the rule that fired, and what it says happens. */
export type Decision<P extends object = object> = RuleMeta & P;

/** Whether a transition's `meta` is a rule's (every transition of the models is, `always` ones aside). */
export const isRuleMeta = (meta: unknown): meta is RuleMeta =>
  typeof meta === 'object' && meta !== null && 'rule' in meta && typeof meta.rule === 'string';

/**
 * The model-specific part of the decisions of a model whose context is `C`: its `decision` without the rule's
 * name and requirement ids (an outcome, an error code, who receives what), member by member of a union.
 */
export type PayloadOf<C> = C extends { decision: infer D }
  ? D extends RuleMeta
    ? Omit<D, keyof RuleMeta>
    : never
  : never;

/** A transition of a model with context `C`, events `E` and guards `G`, on the event(s) `X`. */
export type RuleConfig<
  C extends MachineContext,
  X extends EventObject,
  E extends EventObject,
  G extends ParameterizedObject,
> = TransitionConfig<C, X, E, never, never, G, never, EventObject, RuleMeta>;

/**
 * What a rule needs of its model's `setup()`: the typed `assign` (the decision is written with it, so the model's
 * own context type checks it: xstate's context types are invariant, no generic helper could write it) and, for the
 * names of its guards, `createAction`. A `setup()` result is one; its types are inferred from it.
 */
export interface ModelSetup<C extends MachineContext, E extends EventObject, G extends ParameterizedObject> {
  assign: (assignment: {
    decision: (args: AssignArgs<C, E, E, never>) => Decision<PayloadOf<C>>;
  }) => ActionFunction<C, E, E, undefined, never, never, never, never, never>;
  createAction: (action: ActionFunction<C, E, E, unknown, never, never, G, never, EventObject>) => unknown;
}

const isList = <T>(x: T | readonly T[]): x is readonly T[] => Array.isArray(x);
const listOf = <T>(x: T | readonly T[] | undefined): readonly T[] => (x === undefined ? [] : isList(x) ? x : [x]);

/** `rule()` for the model `model` whose machine is made by `machineSetup`. */
export function rulesFor<C extends MachineContext, E extends EventObject, G extends ParameterizedObject>(
  model: string,
  machineSetup: ModelSetup<C, E, G>,
) {
  /**
   * The transition config of rule `model.name` on event `event`. `payload` is the model-specific part of the
   * decision, fixed or computed from the event and context; `extra` carries target, guard and any actions of the
   * rule's own, which run before the decision is recorded.
   */
  return function rule<K extends E['type']>(
    event: K,
    name: string,
    requirements: string[],
    payload: PayloadOf<C> | ((args: { context: C; event: ExtractEvent<E, K> }) => PayloadOf<C>),
    extra: Omit<RuleConfig<C, ExtractEvent<E, K>, E, G>, 'meta'> = {},
  ): RuleConfig<C, ExtractEvent<E, K>, E, G> {
    const meta: RuleMeta = { rule: `${model}.${name}`, requirements };
    const decide = machineSetup.assign({
      decision: ({ context, event: taken }) => {
        // The config's type allows only `event` here already; this keeps the payload honest at run time too.
        assertEvent(taken, event);
        return Object.assign({}, meta, typeof payload === 'function' ? payload({ context, event: taken }) : payload);
      },
    });
    return { ...extra, meta, actions: [...listOf(extra.actions), decide] };
  };
}

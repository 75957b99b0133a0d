/**
 * Every transition of every model is a named rule that implements one or more requirements. `rule()` writes that
 * once: the name and requirement ids go in the transition's `meta` (so tools can list and cover rules without
 * running anything) and, when the transition is taken, into `context.decision` (so the oracle can say which rule
 * predicted a step).
 */
import { assign } from 'xstate';

export interface RuleMeta {
  rule: string;
  requirements: string[];
}

/** What a model decided on its last event: the rule that fired, and what it says happens. */
export type Decision<P extends object = object> = RuleMeta & P;

type PayloadOf<C, E, P> = P | ((args: { context: C; event: E }) => P);

/**
 * A transition config for rule `model.name`. `payload` is the model-specific part of the decision (an outcome,
 * an error code, who receives what), fixed or computed from the event and context.
 */
export function rule<C extends { decision: unknown }, E, P extends object>(
  model: string,
  name: string,
  requirements: string[],
  payload: PayloadOf<C, E, P>,
  extra: Record<string, unknown> = {},
) {
  const meta: RuleMeta = { rule: `${model}.${name}`, requirements };
  const make = (args: { context: C; event: E }): Decision<P> => ({
    ...meta,
    ...(typeof payload === 'function' ? (payload as (a: { context: C; event: E }) => P)(args) : payload),
  });
  // `extra` carries target/guard; `actions` may add assignments of its own before the decision is recorded.
  const own = extra.actions ? [extra.actions].flat() : [];
  return {
    ...extra,
    meta,
    actions: [...own, assign({ decision: make as never })],
  } as never;
}

/**
 * Transition-covering paths: for every rule (transition) of every model, a shortest sequence of events, with
 * their payloads, from one of the model's starting worlds that ends by taking that rule.
 *
 * @xstate/graph walks each model from each start with the events of `event-alphabet.ts`. Its graph nodes are
 * keyed by the state, the deciding part of the context *and the rule that was just taken*, so a shortest path
 * to a node is a shortest path ending with that transition: paths are keyed by transition, not only by state
 * (a self-loop such as `teams-adds-to-request` is a node of its own). An event a state does not take leaves the
 * snapshot as it was, hence the same node: no path goes through it.
 */
import { getShortestPaths } from '@xstate/graph';
import type { EventObject } from 'xstate';
import { isModelName, MODELS, rulesOf, type ModelEvent, type ModelName } from '../../specs/models/index.js';
import { isRuleMeta } from '../../specs/models/rule.js';
import { ALPHABETS, type ModelAlphabet, type WorldVariant } from './event-alphabet.js';

export interface PathStep {
  /** One of the model's alphabet, as it was sent. */
  event: ModelEvent;
  /** The rule the model took on this event. */
  rule: string;
}

export interface ModelPath {
  model: ModelName;
  /** The rule this path is for: its last step takes it. */
  rule: string;
  variant: WorldVariant;
  steps: PathStep[];
}

export interface ModelPaths {
  model: string;
  /** One per reachable rule, in the model's rule order. */
  paths: ModelPath[];
  /** Rules no path from any start takes with the alphabet, with why. */
  unreachable: { rule: string; why: string }[];
}

/** The rule a snapshot's model took last (its context's `decision`), or `''` before any. */
const lastRule = (context: Record<string, unknown>): string =>
  isRuleMeta(context.decision) ? context.decision.rule : '';

const nodeKey =
  (alphabet: ModelAlphabet) =>
  (s: { value: unknown; context: Record<string, unknown> }): string => {
    const { decision: _decision, ...context } = s.context;
    return JSON.stringify([
      s.value,
      alphabet.context ? alphabet.context(context) : context,
      lastRule(s.context) || null,
    ]);
  };

/** The transition-covering paths of one model. */
export function modelPaths(model: string): ModelPaths {
  if (!isModelName(model)) throw new Error(`unknown model ${model}`);
  const machine = MODELS[model];
  const rules = rulesOf(machine).map((r) => r.rule);
  const alphabet: ModelAlphabet = ALPHABETS[model];

  const best = new Map<string, ModelPath>();
  for (const start of alphabet.starts) {
    const found = getShortestPaths(machine, {
      ...(start.input !== undefined ? { input: start.input } : {}),
      events: [...start.events],
      serializeState: nodeKey(alphabet),
    });
    for (const p of found) {
      // Each step is an event and the snapshot it led to. Every event but the first, xstate's own init, is one of
      // the alphabet's, sent as it is: finding it there gives it back with its type.
      const steps = p.steps.flatMap((s) => {
        const event = start.events.find((e) => e === s.event);
        return event ? [{ event, rule: lastRule(s.state.context) }] : [];
      });
      const rule = steps.at(-1)?.rule;
      if (!rule) continue;
      const known = best.get(rule);
      // Strictly shorter only: on a tie the earlier start (the default world comes first) and path win.
      if (!known || steps.length < known.steps.length) best.set(rule, { model, rule, variant: start.variant, steps });
    }
  }
  return {
    model,
    paths: rules.flatMap((r) => best.get(r) ?? []),
    unreachable: rules
      .filter((r) => !best.has(r))
      .map((rule) => ({
        rule,
        why: `no sequence of the generator's ${model} events from its starting worlds takes it`,
      })),
  };
}

/** The transition-covering paths of every model, in the catalogue's order. */
export function allModelPaths(): ModelPaths[] {
  return Object.keys(MODELS).map(modelPaths);
}

/** `SET_ORG_SWITCH {allowPublicUsers: true} → AUTHORIZE {user: tara, use: chat}`: a path for a reader. */
export function formatPath(steps: readonly PathStep[]): string {
  return steps.map((s) => formatEvent(s.event)).join(' → ');
}

export function formatEvent(event: EventObject): string {
  // A message's text is the scenario's business, not the path's.
  const { type, ...rest } = event;
  const payload = Object.fromEntries(Object.entries(rest).filter(([key]) => key !== 'text'));
  const show = (v: unknown): string =>
    v !== null && typeof v === 'object'
      ? `{${Object.entries(v)
          .map(([k, x]) => `${k}: ${show(x)}`)
          .join(', ')}}`
      : String(v);
  return Object.keys(payload).length ? `${type} ${show(payload)}` : type;
}

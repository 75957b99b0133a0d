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
import type { AnyStateMachine, EventObject } from 'xstate';
import { MODELS, rulesOf } from '../../specs/models/index.js';
import { ALPHABETS, type ModelAlphabet, type WorldVariant } from './event-alphabet.js';

export interface PathStep {
  event: EventObject;
  /** The rule the model took on this event. */
  rule: string;
}

export interface ModelPath {
  model: string;
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

interface Snap {
  value: unknown;
  context: Record<string, unknown> & { decision?: { rule?: string } | null };
}

const nodeKey =
  (alphabet: ModelAlphabet) =>
  (s: Snap): string => {
    const { decision, ...context } = s.context;
    return JSON.stringify([s.value, alphabet.context ? alphabet.context(context) : context, decision?.rule ?? null]);
  };

/** The transition-covering paths of one model. */
export function modelPaths(model: string): ModelPaths {
  const machine = MODELS[model] as AnyStateMachine | undefined;
  if (!machine) throw new Error(`unknown model ${model}`);
  const rules = rulesOf(machine).map((r) => r.rule);
  const alphabet = ALPHABETS[model];
  if (!alphabet)
    return {
      model,
      paths: [],
      unreachable: rules.map((rule) => ({ rule, why: `the generator has no event alphabet for model ${model}` })),
    };

  const best = new Map<string, ModelPath>();
  for (const start of alphabet.starts) {
    const found = getShortestPaths(machine, {
      ...(start.input !== undefined ? { input: start.input } : {}),
      events: [...start.events],
      serializeState: nodeKey(alphabet) as never,
    });
    for (const p of found) {
      // Each step is an event and the snapshot it led to; the first is xstate's own init.
      const steps = p.steps
        .filter((s) => s.event.type !== 'xstate.init')
        .map((s) => ({
          event: s.event as EventObject,
          rule: (s.state as unknown as Snap).context.decision?.rule ?? '',
        }));
      const rule = steps.at(-1)?.rule;
      if (!rule) continue;
      const known = best.get(rule);
      // Strictly shorter only: on a tie the earlier start (the default world comes first) and path win.
      if (!known || steps.length < known.steps.length) best.set(rule, { model, rule, variant: start.variant, steps });
    }
  }
  return {
    model,
    paths: rules.filter((r) => best.has(r)).map((r) => best.get(r)!),
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
  const { type, text: _text, ...payload } = event as EventObject & { text?: string };
  const show = (v: unknown): string =>
    v !== null && typeof v === 'object'
      ? `{${Object.entries(v)
          .map(([k, x]) => `${k}: ${show(x)}`)
          .join(', ')}}`
      : String(v);
  return Object.keys(payload).length ? `${type} ${show(payload)}` : type;
}

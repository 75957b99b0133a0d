/**
 * Observed against predicted, for one step, closed world: every key of the outcome and every delivery with each of
 * its keys is compared with the prediction, and a key the field catalogue (specs/observed-fields.ts) does not know
 * is a mismatch of its own. Each difference becomes a sentence naming the requirement it breaks: the deciding
 * rule's for a wrong outcome or a missing or unexpected delivery, the field's own for a wrong field, CHAT-006 for
 * a late one, and CHAT-009 besides when a text was lost without a word. A delivery that reached its recipient
 * with a wrong sender or kind is diagnosed as that delivery with the wrong field (misdelivered), not as lost.
 */
import type { Delivery, Observation } from '../specs/protocol.js';
import type { Mismatch, Prediction } from '../reports/results.js';
import {
  DELIVERY_FIELDS,
  fieldBlame,
  LATENCY_REQUIREMENTS,
  OUTCOME_FIELDS,
  SILENT_LOSS_REQUIREMENT,
  type ObservedField,
} from '../specs/observed-fields.js';
import { carriesText, describeDelivery, identifies, listenMs, pairUp, sameDelivery } from './deliveries.js';

type Fields = Readonly<Record<string, ObservedField>>;
type Seen = { d: Delivery; at: number | undefined };
const describeOutcome = (o: Observation['outcome']) => (o.status === 'ok' ? 'ok' : `error ${o.error}`);

/** Each catalogue's keys and their places, read once: keysOf runs for every outcome and delivery compared. */
const places = new WeakMap<Fields, ReadonlyMap<string, number>>();
const placesIn = (catalogue: Fields) => {
  let place = places.get(catalogue);
  if (!place) places.set(catalogue, (place = new Map(Object.keys(catalogue).map((k, i) => [k, i]))));
  return place;
};

/** A catalogue's own entry: a key named like an Object method (`constructor`) is undocumented, not an entry. */
const entryOf = (catalogue: Fields, key: string) => (Object.hasOwn(catalogue, key) ? catalogue[key] : undefined);

/** The keys of both objects: catalogue order first (stable messages), then any other key, sorted. */
const keysOf = (catalogue: Fields, a: object, b: object) => {
  const place = placesIn(catalogue);
  const keys = Object.keys(a);
  for (const k of Object.keys(b)) if (!keys.includes(k)) keys.push(k);
  return keys.sort((x, y) => {
    const [px, py] = [place.get(x), place.get(y)];
    if (px !== undefined || py !== undefined) return (px ?? Infinity) - (py ?? Infinity);
    return x < y ? -1 : x > y ? 1 : 0;
  });
};

/** JSON with object keys sorted: `{state, media}` and `{media, state}` are the same observation. */
const canonical = (v: unknown): string | undefined =>
  JSON.stringify(v, (_k, x: unknown) =>
    x && typeof x === 'object' && !Array.isArray(x)
      ? Object.fromEntries(Object.entries(x).sort(([a], [b]) => (a < b ? -1 : 1)))
      : x,
  );

/** The value as compared: absent means the catalogue's default, and an unordered list is compared as a set. */
const normal = (entry: ObservedField, value: unknown): string | undefined => {
  const v = value === undefined ? entry.absentMeans : value;
  return canonical(entry.unordered && Array.isArray(v) ? [...v].sort() : v);
};

/**
 * Whether the observed value says what the predicted one does. The same value (a string, a flag, absent on both
 * sides) is the same whatever its JSON; only values that differ are compared as normal JSON (a list, an object).
 */
const same = (entry: ObservedField, want: unknown, got: unknown): boolean =>
  (want === undefined ? entry.absentMeans : want) === (got === undefined ? entry.absentMeans : got) ||
  normal(entry, want) === normal(entry, got);

/** A short word stays bare (`from is tom`); anything else is quoted. */
const show = (v: unknown) => (typeof v === 'string' && /^[\w.-]+$/.test(v) ? v : JSON.stringify(v));

export function compare(p: Prediction, observed: Observation, deadlineMs: number): Mismatch[] {
  const out: Mismatch[] = [];
  const push = (message: string, requirements: readonly string[]) =>
    out.push({ message, requirements: [...new Set(requirements)] });
  const own = (message: string, extra: string[] = []) => push(message, [...p.ruleRequirements, ...extra]);

  const seen: Seen[] = observed.deliveries.map((d, i) => ({ d, at: observed.latenciesMs?.[i] }));
  const exact = pairUp(p.deliveries, seen, (e, o) => sameDelivery(e, o.d));
  const misdelivered = pairUp(exact.unmatched, exact.extra, (e, o) => identifies(e, o.d));
  const pairs = [...exact.pairs, ...misdelivered.pairs];

  compareOutcome(
    p,
    observed,
    pairs.map(([e]) => e),
    own,
    push,
  );

  for (const e of misdelivered.unmatched) {
    const lost = carriesText(e) && observed.outcome.status === 'ok' && p.requirements.includes(SILENT_LOSS_REQUIREMENT);
    own(
      `${describeDelivery(e)} never arrived (listened for ${listenMs(deadlineMs)} ms)${lost ? ' and the sender was told it was sent' : ''}`,
      lost ? [SILENT_LOSS_REQUIREMENT] : [],
    );
  }
  for (const [e, { d, at }] of pairs) {
    if (at !== undefined && at > deadlineMs)
      push(
        `${describeDelivery(e)} arrived after ${Math.round(at)} ms; the deadline is ${deadlineMs} ms`,
        LATENCY_REQUIREMENTS,
      );
    for (const key of keysOf(DELIVERY_FIELDS, e, d)) {
      const [want, got] = [
        (e as unknown as Record<string, unknown>)[key],
        (d as unknown as Record<string, unknown>)[key],
      ];
      const entry = entryOf(DELIVERY_FIELDS, key);
      if (!entry) own(`${describeDelivery(e)}: an undocumented field ${key} (${JSON.stringify(got)})`);
      else if (!entry.notCompared && !same(entry, want, got))
        push(
          `${describeDelivery(e)}: ${key} is ${got === undefined ? 'missing' : show(got)}; expected ${want === undefined ? 'none' : show(want)}`,
          fieldBlame(entry, want, p.ruleRequirements),
        );
    }
  }
  for (const { d } of misdelivered.extra) own(`unexpected delivery: ${describeDelivery(d)}`);
  return out;
}

/** The outcome: status and error code as one, then every other key of either side through the catalogue. */
function compareOutcome(
  p: Prediction,
  observed: Observation,
  arrived: Delivery[],
  own: (m: string, extra?: string[]) => void,
  push: (m: string, r: readonly string[]) => void,
) {
  const exp = p.outcome;
  const obs = observed.outcome;
  if (exp.status !== obs.status || (exp.status === 'error' && obs.status === 'error' && exp.error !== obs.error)) {
    const silent = obs.status === 'ok' && observed.deliveries.length === 0;
    const lostWithoutWord = exp.status === 'error' && silent && p.requirements.includes(SILENT_LOSS_REQUIREMENT);
    // Refused, yet it went out: the sender believes a message was lost that its recipient has read.
    const through =
      obs.status === 'error' && arrived.length
        ? `, although ${arrived.map((d) => `the ${carriesText(d) ? 'message' : d.kind} was delivered to ${d.to}`).join(' and ')}`
        : '';
    own(
      `the actor was shown ${describeOutcome(obs)}${through}; expected ${describeOutcome(exp)}${lostWithoutWord ? ' — the message was lost without a word' : ''}`,
      lostWithoutWord ? [SILENT_LOSS_REQUIREMENT] : [],
    );
    return;
  }
  for (const key of keysOf(OUTCOME_FIELDS, exp, obs)) {
    if (key === 'status' || key === 'error') continue;
    const [want, got] = [(exp as Record<string, unknown>)[key], (obs as Record<string, unknown>)[key]];
    const entry = entryOf(OUTCOME_FIELDS, key);
    if (!entry) own(`the outcome carries an undocumented field ${key} (${JSON.stringify(got)})`);
    else if (!entry.notCompared && !same(entry, want, got))
      push(
        `${key}: observed ${normal(entry, got) ?? 'nothing'}; expected ${normal(entry, want) ?? 'nothing'}`,
        fieldBlame(entry, want, p.ruleRequirements),
      );
  }
}

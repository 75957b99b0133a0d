/** Matching and describing deliveries: shared by the expectation check and the comparison of observations. */
import { DELIVERY_KINDS, type Delivery } from '../specs/protocol.js';

export const describeDelivery = (d: Partial<Delivery>): string => {
  const what = [d.kind ?? 'anything', d.media && `(${d.media})`, d.text !== undefined && JSON.stringify(d.text)]
    .filter(Boolean)
    .join(' ');
  const flags = [
    d.surface && `in ${d.surface}`,
    d.external && 'marked external',
    d.encrypted === false && 'unencrypted',
  ]
    .filter(Boolean)
    .join(', ');
  return `${d.to ?? 'someone'} ← ${what}${d.from ? ` from ${d.from}` : ''}${flags ? ` [${flags}]` : ''}`;
};

export const describeDeliveries = (ds: Partial<Delivery>[]): string =>
  ds.length ? ds.map(describeDelivery).join('; ') : 'nothing';

/** Same recipient, sender and kind: the same delivery, whatever else differs. */
export const sameDelivery = (a: Partial<Delivery>, b: Partial<Delivery>): boolean =>
  a.to === b.to && a.kind === b.kind && (a.from === undefined || b.from === undefined || a.from === b.from);

/** A message, or a request that carries a message's text: identified by its text. */
export const carriesText = (d: Partial<Delivery>): boolean =>
  d.kind === 'message' || (d.kind === 'request' && d.text !== undefined);

// Every kind but a request and a message is about a call.
const CALL_KINDS: ReadonlySet<string> = new Set(DELIVERY_KINDS.filter((k) => k !== 'request' && k !== 'message'));
const familyOf = (kind: string | undefined) =>
  kind === undefined ? undefined : CALL_KINDS.has(kind) ? 'call' : 'contact';

/**
 * This observed delivery is the expected one, even if some of its fields are wrong: the same recipient, and the
 * same text for a delivery that carries one, else the same family of kind (contact or call) or the same sender.
 * A message that reached its recipient with the wrong sender or kind has arrived — misdelivered, not lost.
 */
export const identifies = (expected: Delivery, observed: Delivery): boolean =>
  sameDelivery(expected, observed) ||
  (expected.to === observed.to &&
    (carriesText(expected)
      ? observed.text === expected.text
      : familyOf(expected.kind) === familyOf(observed.kind) || expected.from === observed.from));

/**
 * This observed delivery is the expected one to the letter of its identity: same recipient, sender and kind, and
 * the expected text if it has one. Tried before `identifies`, so that another step's late delivery is not taken
 * for this one's misdelivered message.
 */
export const exactly = (expected: Delivery, observed: Delivery): boolean =>
  identifies(expected, observed) &&
  expected.from === observed.from &&
  expected.kind === observed.kind &&
  (expected.text === undefined || expected.text === observed.text);

/** Every field `partial` states agrees with `full`. */
export const agrees = (partial: Partial<Delivery>, full: Delivery): boolean =>
  (Object.keys(partial) as (keyof Delivery)[]).every((k) => partial[k] === full[k]);

/**
 * Pair each of `wanted` with a distinct element of `pool` using `fits`; returns the pairs and both leftovers.
 * Greedy in order, which is exact for deliveries: at most one per recipient, sender and kind per step.
 */
export function pairUp<A, B>(wanted: A[], pool: B[], fits: (a: A, b: B) => boolean) {
  const free = [...pool];
  const pairs: [A, B][] = [];
  const unmatched: A[] = [];
  for (const w of wanted) {
    const i = free.findIndex((p) => fits(w, p));
    if (i < 0) unmatched.push(w);
    else pairs.push([w, free.splice(i, 1)[0]!]);
  }
  return { pairs, unmatched, extra: free };
}

/** How long to listen for a delivery due within `deadlineMs`: longer than the deadline, to measure a late one. */
export const listenMs = (deadlineMs: number): number => deadlineMs + Math.min(deadlineMs, 5000);

/**
 * The catalogue of everything a step can observe: every key of the actor's outcome and of a delivery, with the
 * requirements a wrong, missing or extra value of it breaks — or why it is not compared. The comparison is closed
 * world (harness/compare.ts): a key observed that is not listed here is itself a mismatch, an undocumented field.
 * A field the models predict must be listed; a field they do not predict must say `notCompared` and why.
 *
 * Specification, not harness code: which clause each observable field answers to is a statement about the
 * interop (a wrong surface breaks REQ-008, a missing external flag REQ-002), made next to the catalogue it cites;
 * the harness only applies it (compare.ts), and specs/interop.ts reads it too, which specs/ may not do to harness/.
 */
import type { Delivery } from './protocol.js';

export interface ObservedField {
  /** What the field is. */
  meaning: string;
  /**
   * What a wrong, missing or extra value breaks: requirement ids, or `rule` — the deciding rule's own
   * requirements (the field is what that rule decides: a message's text, a search's result).
   */
  breaks?: readonly string[] | 'rule';
  /** Per predicted value, when the clause depends on it (a surface answers to its own client's clause). */
  breaksWhenExpected?: Readonly<Record<string, readonly string[]>>;
  /** Why the field is not compared with any prediction (then `breaks` is absent). */
  notCompared?: string;
  /** An absent field and this value say the same thing. */
  absentMeans?: unknown;
  /** A list compared as a set: its order is not part of the contract. */
  unordered?: boolean;
}

/** The keys of the actor's outcome (`ActorOutcome`). `status` and `error` are compared first, as the outcome. */
export const OUTCOME_FIELDS: Readonly<Record<string, ObservedField>> = {
  status: { meaning: 'ok or error: whether the actor was told the action succeeded', breaks: 'rule' },
  error: { meaning: 'the error code the actor was shown', breaks: 'rule' },
  // No requirement orders a search's result (an email belongs to one person at most): compared as a set.
  found: { meaning: "a search's result: who was found", breaks: 'rule', unordered: true },
  // BLOCK-004 and PROTOCOL.md sort the blocked list by name: its order is part of the contract.
  blocked: { meaning: "the Teams user's blocked contacts, sorted by name", breaks: 'rule' },
  messages: { meaning: 'the texts of a pending request, shown by View messages, in order', breaks: 'rule' },
  presence: {
    meaning: "the other user's presence as shown to the actor: only ever hidden across the interop",
    breaks: ['CHAT-007'],
  },
  call: { meaning: 'where a call went when it did not ring (voicemail)', breaks: 'rule' },
  callState: { meaning: "the actor's call with the other person now: its state and media", breaks: 'rule' },
};

/** The keys of a delivery (`Delivery`). */
export const DELIVERY_FIELDS: Readonly<Record<string, ObservedField>> = {
  to: { meaning: 'who received it', breaks: 'rule' },
  from: { meaning: 'whose action caused it', breaks: 'rule' },
  kind: { meaning: 'request, message, call, or a call notice', breaks: 'rule' },
  surface: {
    meaning: 'the client the recipient sees it in',
    breaks: 'rule',
    breaksWhenExpected: { teams: ['REQ-008'], 'skype-for-business': ['REQ-009'] },
  },
  text: { meaning: "a message's or a request's text", breaks: 'rule' },
  media: { meaning: "a call's media (audio or video)", breaks: 'rule' },
  external: { meaning: 'marked as coming from an external (Skype) user', breaks: ['REQ-002'], absentMeans: false },
  encrypted: {
    meaning: 'the text travelled and is stored encrypted (only deliveries with text say so)',
    breaks: ['CHAT-005'],
  },
  deliveredAt: {
    meaning: "when it arrived, by the system's own clock",
    notCompared:
      "timing evidence, not behaviour: the runner times every delivery on the harness's own clock and reports the system's timestamp beside it",
  },
};

/** The keys of an observation the harness itself adds: none comes from the system under test. */
export const HARNESS_FIELDS: Readonly<Record<string, ObservedField>> = {
  latenciesMs: {
    meaning: 'when each delivery arrived, on the harness clock',
    notCompared: 'measured by the harness, checked against the deadline (CHAT-006), not against a prediction',
  },
  systemLatenciesMs: {
    meaning: "the same by the system's clock",
    notCompared: "the system's claim, reported beside the harness's measurement",
  },
};

/** A delivery that arrives after the deadline (F13). */
export const LATENCY_REQUIREMENTS: readonly string[] = ['CHAT-006'];

/** An answer that is not in the API document's shape or status (a `WireFormatViolation`). */
export const WIRE_REQUIREMENT = 'WIRE-001';

/** Lost without a word (F30, F12): a text the sender was told went out, and that reached nobody. */
export const SILENT_LOSS_REQUIREMENT = 'CHAT-009';

/** The requirements a wrong, missing or extra value of `field` breaks, given its predicted value. */
export function fieldBlame(entry: ObservedField, expected: unknown, ruleRequirements: readonly string[]): string[] {
  const byValue = typeof expected === 'string' ? entry.breaksWhenExpected?.[expected] : undefined;
  if (byValue) return [...byValue];
  return entry.breaks === 'rule' || entry.breaks === undefined ? [...ruleRequirements] : [...entry.breaks];
}

/** The requirements a predicted delivery exercises through its fields (beyond its rule's), its arrival time included. */
export function deliveryRequirements(d: Delivery): string[] {
  const out = new Set<string>(LATENCY_REQUIREMENTS);
  for (const [key, value] of Object.entries(d)) {
    const entry = DELIVERY_FIELDS[key];
    if (!entry || entry.notCompared) continue;
    for (const r of fieldBlame(entry, value, [])) out.add(r);
  }
  return [...out];
}

/**
 * Deliveries that turn up after the step that caused them. A system that delivers through a queue or a remote
 * network (F13) may hand over a delivery while a later step runs, or after the scenario's last step: the runner
 * keeps listening (the settle window) and lays each such delivery at the step that caused it, found by the
 * delivery's identity (sender, recipient, text or kind), so that a message leaked to a blocker is named as the
 * blocked send's failure (BLOCK-001/003), not as the next step's surprise. A delivery no step of the scenario
 * could have caused came from elsewhere: another world (WIRE-002).
 */
import type { Action, Delivery, DeliveryKind } from '../specs/protocol.js';
import type { Mismatch } from '../reports/results.js';
import { LATENCY_REQUIREMENTS } from '../specs/observed-fields.js';
import { describeDelivery, identifies } from './deliveries.js';
import type { LoadedStep } from './load.js';

/** Worlds are isolated: nothing done in one is observable in another, whatever names they share. */
export const ISOLATION_REQUIREMENT = 'WIRE-002';
/** A reconnected event stream gets every event it missed and none it already had. */
export const RECONNECT_REQUIREMENT = 'WIRE-003';

/** What each action can deliver, to whom, from whom: `null` when it delivers nothing to anyone. */
function reach(
  actor: string,
  a: Action,
): { from: string; to: string[]; kinds: DeliveryKind[] | 'any'; text?: string; media?: string } | null {
  switch (a.kind) {
    case 'message':
      return { from: actor, to: [a.to], kinds: ['request', 'message'], text: a.text };
    case 'group-chat':
      return { from: actor, to: a.with, kinds: ['request', 'message'], text: a.text };
    case 'call':
      return { from: a.onBehalfOf ?? actor, to: [a.to], kinds: ['call', 'request', 'voicemail'], media: a.media };
    case 'answer':
      return { from: actor, to: [a.from], kinds: ['call-answered'] };
    case 'decline':
      return { from: actor, to: [a.from], kinds: ['call-declined'] };
    case 'hang-up':
      return { from: actor, to: [a.with], kinds: ['call-ended'] };
    case 'add-video':
      return { from: actor, to: [a.with], kinds: ['video-added'] };
    case 'add-participant':
      return { from: actor, to: [a.with, a.user], kinds: 'any' };
    case 'share-screen':
      return { from: actor, to: [a.with], kinds: 'any' };
    case 'meeting':
      return { from: actor, to: a.with, kinds: 'any' };
    case 'accept':
    case 'view-messages':
      return { from: actor, to: [a.from], kinds: 'any' };
    case 'block':
    case 'unblock':
      return { from: actor, to: [a.user], kinds: 'any' };
    default:
      return null;
  }
}

/** A delivery with a text was caused by the step that sent that text, and by no other. */
const textFits = (text: string | undefined, d: Delivery) => (d.text === undefined ? true : text === d.text);

/**
 * Whether `step` caused `d`: same sender, one of its recipients, a kind it can deliver, its text. `strictly`:
 * only by what the action delivers when it delivers (a late arrival), not by whatever a faulty system might send
 * in answer to an action that delivers nothing (accept, block…), which only the step's own surplus may be.
 */
export function causedBy(step: Pick<LoadedStep, 'actor' | 'action'>, d: Delivery, strictly = false): boolean {
  const r = reach(step.actor, step.action);
  if (!r || r.from !== d.from || !r.to.includes(d.to)) return false;
  if (r.kinds === 'any') return !strictly && textFits(r.text, d);
  // A call's media tells an audio call from the video call after it.
  const mediaFits = r.media === undefined || d.media === undefined || r.media === d.media;
  return r.kinds.includes(d.kind) && textFits(r.text, d) && mediaFits;
}

/** Whether some step could have sent `d` at all, to whomever (a misdelivery is still this scenario's doing). */
export function sentHere(steps: readonly Pick<LoadedStep, 'actor' | 'action'>[], d: Delivery): boolean {
  return steps.some((st) => {
    const r = reach(st.actor, st.action);
    if (!r) return false;
    if (d.text !== undefined) return r.text === d.text;
    return r.from === d.from || r.to.includes(d.to);
  });
}

/** What a delivery that arrived after its step's end says about that step. */
export interface LateArrival {
  /** The earlier step it belongs to. */
  step: LoadedStep;
  mismatch: Mismatch;
  /** The step predicts this delivery, and this is its first arrival: its only fault can be its lateness. */
  predicted: boolean;
}

/**
 * Judge `d`, seen `latencyMs` after `step` was sent, while step `during` ran (or after the last step: `null`).
 * `observedBefore` is what that step was already seen to deliver; `reconnected` whether an event stream was
 * reopened since the step ran.
 */
export function lateArrival(
  step: LoadedStep,
  d: Delivery,
  latencyMs: number,
  during: number | null,
  observedBefore: readonly Delivery[],
  reconnected: boolean,
  deadlineMs: number,
): LateArrival {
  const when = `${Math.round(latencyMs)} ms after step ${step.index} was sent (${during === null ? 'after the last step' : `while step ${during} ran`})`;
  const p = step.prediction;
  const again = observedBefore.some((o) => identifies(o, d) && o.text === d.text && o.kind === d.kind);
  if (again)
    return {
      step,
      predicted: false,
      mismatch: {
        message: `${describeDelivery(d)} arrived a second time, ${when}${reconnected ? ', after its event stream was reopened: it was replayed' : ''}`,
        requirements: reconnected ? [RECONNECT_REQUIREMENT] : [...p.ruleRequirements],
      },
    };
  if (p.deliveries.some((e) => identifies(e, d)))
    return {
      step,
      predicted: true,
      mismatch: {
        message: `${describeDelivery(d)} arrived only ${when}; the deadline is ${deadlineMs} ms`,
        requirements: [...LATENCY_REQUIREMENTS],
      },
    };
  return {
    step,
    predicted: false,
    mismatch: {
      message: `${describeDelivery(d)} arrived ${when}, but rule ${p.rule} predicts no such delivery`,
      requirements: [...p.ruleRequirements],
    },
  };
}

/** A delivery no step of this scenario sent: it came from another world. */
export function foreign(d: Delivery, during: number | null): Mismatch {
  return {
    message: `${describeDelivery(d)} reached this world ${during === null ? 'after its last step' : `while step ${during} ran`}, but no step of it sent anything like it: another world's traffic leaked in`,
    requirements: [ISOLATION_REQUIREMENT],
  };
}

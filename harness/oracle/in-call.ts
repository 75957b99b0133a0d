/** What happens in a call between a pair (answer, decline, hang up, add video…), and `call-state`, a query. */
import type { Action } from '../../specs/protocol.js';
import { pairOf } from '../world-queries.js';
import { callNotice } from './deliveries.js';
import { decided, error, ok, type Decided, type Step } from './step.js';

export type InCallAction = Extract<
  Action,
  { kind: 'answer' | 'decline' | 'hang-up' | 'add-video' | 'add-participant' | 'share-screen' }
>;

const EVENT = {
  answer: 'ANSWER',
  decline: 'DECLINE',
  'hang-up': 'HANG_UP',
  'add-video': 'ADD_VIDEO',
  'add-participant': 'ADD_PARTICIPANT',
  'share-screen': 'SHARE_SCREEN',
} as const;

export function inCall(step: Step, actorName: string, action: InCallAction): Decided {
  const other = 'from' in action ? action.from : action.with;
  const pair = pairOf(step.world, actorName, other);
  const explain = {
    answer: `no call from ${other} is ringing for ${actorName}`,
    decline: `no call from ${other} is ringing for ${actorName}`,
    'hang-up': `${actorName} has no call with ${other} to hang up`,
    'add-video': `${actorName} has no answered audio call with ${other}`,
    'add-participant': `${actorName} has no answered call with ${other}`,
    'share-screen': 'not allowed',
  }[action.kind];
  const d = step.models.call(pair, { type: EVENT[action.kind], by: pair.sideOf(actorName) }, explain);
  if (d.error) return decided(error(d.error), d);
  // A dropped call's caller hangs up: nobody else knew of it (notice null). Notices in a call carry no media.
  const told = d.notice ? [callNotice(pair.bySide(pair.sideOf(other)), actorName, { kind: d.notice.kind })] : [];
  return decided(ok(), d, told);
}

/** `call-state`: what the actor sees of their call with the other person now (the call model; a query). */
export function callState(step: Step, actorName: string, action: Extract<Action, { kind: 'call-state' }>): Decided {
  const pair = pairOf(step.world, actorName, action.with);
  const d = step.models.call(
    pair,
    { type: 'SHOW_STATE', by: pair.sideOf(actorName) },
    `${actorName} cannot see a call with ${action.with}`,
  );
  return decided(ok({ callState: d.shown! }), d);
}

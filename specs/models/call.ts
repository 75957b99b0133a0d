/**
 * One call between a connected Teams user and Skype user (F15–F18, F10): ringing, answered with audio or video,
 * ended. One machine per pair, one call at a time. Whether the call may be placed at all (policy, relationship)
 * is decided before `DIAL` reaches this model.
 */
import { and, assign, setup } from 'xstate';
import type { Media } from '../protocol.js';
import { rule, type Decision } from './rule.js';
import type { Side } from './relationship.js';

/** `to`: who is told, `caller` or `callee` (or `other`: the party that did not act). */
export type CallNotice = { kind: 'call' | 'call-answered' | 'call-declined' | 'call-ended' | 'video-added' | 'voicemail'; media?: Media };
export type CallDecision = Decision<{ notice: CallNotice | null; error?: 'unsupported-group' | 'unsupported-screen-share' | 'delegation-unsupported'; voicemail?: boolean }>;

export interface CallContext {
  caller: Side | null;
  media: Media;
  decision: CallDecision | null;
}

export type CallEvent =
  | { type: 'DIAL'; by: Side; media: Media; calleeForwards: boolean; onBehalf: boolean }
  | { type: 'ANSWER'; by: Side }
  | { type: 'DECLINE'; by: Side }
  | { type: 'HANG_UP'; by: Side }
  | { type: 'ADD_VIDEO'; by: Side }
  | { type: 'ADD_PARTICIPANT'; by: Side }
  | { type: 'SHARE_SCREEN'; by: Side };

const M = 'call';
type C = CallContext;
type E = CallEvent;
type Dial = Extract<E, { type: 'DIAL' }>;
const d = (e: E) => e as Dial;
const notice = (kind: CallNotice['kind'], media?: (a: { context: C; event: E }) => Media) =>
  (a: { context: C; event: E }) => ({ notice: media ? { kind, media: media(a) } : { kind } });
const byCallee = ({ context, event }: { context: C; event: E }) =>
  context.caller !== null && 'by' in event && event.by !== context.caller;
const byCaller = ({ context, event }: { context: C; event: E }) => 'by' in event && event.by === context.caller;
/** Whether a call from `by` would go to voicemail: a Skype caller, a Teams callee who forwards (F16). */
export const goesToVoicemail = (by: Side, calleeForwards: boolean): boolean => by === 'skype' && calleeForwards;
const idle = { actions: assign({ caller: null }) };

export const callMachine = setup({
  types: {} as { context: C; events: E },
  guards: {
    onBehalf: ({ event }) => d(event).onBehalf,
    toForwardingTeamsUser: ({ event }) => goesToVoicemail(d(event).by, d(event).calleeForwards),
    video: ({ event }) => d(event).media === 'video',
    byCallee,
    ringsVideo: ({ context }) => context.media === 'video',
    byCaller,
  },
}).createMachine({
  id: M,
  context: { caller: null, media: 'audio', decision: null },
  initial: 'idle',
  on: {
    SHARE_SCREEN: rule<C, E, object>(M, 'screen-share-refused', ['CALL-008'], { notice: null, error: 'unsupported-screen-share' }),
  },
  states: {
    idle: {
      on: {
        DIAL: [
          rule<C, E, object>(M, 'delegate-call-refused', ['CALL-007'], { notice: null, error: 'delegation-unsupported' }, { guard: 'onBehalf' }),
          rule<C, E, object>(M, 'forwarded-to-voicemail', ['CALL-005'], { notice: { kind: 'voicemail' }, voicemail: true }, { guard: 'toForwardingTeamsUser' }),
          rule<C, E, object>(M, 'video-call-rings', ['CALL-002'], notice('call', () => 'video'), {
            guard: 'video', target: 'ringing', actions: assign({ caller: ({ event }) => d(event as E).by, media: 'video' }),
          }),
          rule<C, E, object>(M, 'audio-call-rings', ['CALL-001'], notice('call', () => 'audio'), {
            target: 'ringing', actions: assign({ caller: ({ event }) => d(event as E).by, media: 'audio' }),
          }),
        ],
      },
    },
    ringing: {
      on: {
        ANSWER: [
          rule<C, E, object>(M, 'callee-answers-video', ['CALL-002'], notice('call-answered'), { guard: and(['byCallee', 'ringsVideo']), target: 'answered.video' }),
          rule<C, E, object>(M, 'callee-answers-audio', ['CALL-001'], notice('call-answered'), { guard: 'byCallee', target: 'answered.audio' }),
        ],
        DECLINE: rule<C, E, object>(M, 'callee-declines', ['CALL-004'], notice('call-declined'), { guard: 'byCallee', target: 'idle', ...idle }),
        // Either party may hang up a ringing call (PROTOCOL.md); for the callee it ends the call like a decline.
        HANG_UP: [
          rule<C, E, object>(M, 'caller-cancels', ['CALL-004'], notice('call-ended'), { guard: 'byCaller', target: 'idle', ...idle }),
          rule<C, E, object>(M, 'callee-hangs-up-ringing', ['CALL-004'], notice('call-ended'), { target: 'idle', ...idle }),
        ],
      },
    },
    answered: {
      initial: 'audio',
      states: {
        audio: {
          on: { ADD_VIDEO: rule<C, E, object>(M, 'video-added', ['CALL-003'], notice('video-added'), { target: 'video' }) },
        },
        video: {},
      },
      on: {
        HANG_UP: rule<C, E, object>(M, 'party-hangs-up', ['CALL-004'], notice('call-ended'), { target: 'idle', ...idle }),
        ADD_PARTICIPANT: rule<C, E, object>(M, 'escalation-refused', ['CALL-006'], { notice: null, error: 'unsupported-group' }),
      },
    },
  },
});

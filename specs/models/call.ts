/**
 * One call between a connected Teams user and Skype user (F15–F18, F10): ringing, answered with audio or video,
 * ended. One machine per pair, one call at a time. Whether the call may be placed at all (policy, relationship)
 * is decided before `DIAL` reaches this model.
 *
 * A call to someone who blocks the caller reaches nobody, yet the caller must see what an unblocked caller sees
 * (F21, BLOCK-003): a call that rings. `DIAL_DROPPED` records such a call in `dropped`; only its caller sees it
 * (ringing, with its media) until they hang up, silently, or the pair's next call replaces it.
 * `SHOW_STATE` is the `call-state` query: what one party sees of the pair's call now. It changes nothing.
 */
import { and, assign, setup, type ExtractEvent, type GuardArgs } from 'xstate';
import type { CallState, Media } from '../protocol.js';
import { goesToVoicemail } from '../interop.js';
import { rulesFor, type Decision, type PayloadOf } from './rule.js';
import type { Side } from './relationship.js';

/** `to`: who is told, `caller` or `callee` (or `other`: the party that did not act). */
export type CallNotice = {
  kind: 'call' | 'call-answered' | 'call-declined' | 'call-ended' | 'video-added' | 'voicemail';
  media?: Media;
};
export type CallDecision = Decision<{
  notice: CallNotice | null;
  error?: 'unsupported-group' | 'unsupported-screen-share' | 'delegation-unsupported';
  voicemail?: boolean;
  /** The answer to SHOW_STATE. */
  shown?: CallState;
}>;

export interface CallContext {
  caller: Side | null;
  media: Media;
  /** A call to someone who blocks its caller: only the caller sees it, ringing (BLOCK-003). */
  dropped: { caller: Side; media: Media } | null;
  decision: CallDecision | null;
}

export type CallEvent =
  | { type: 'DIAL'; by: Side; media: Media; calleeForwards: boolean; onBehalf: boolean }
  /** A call the relationship dropped (the callee blocks the caller) where an unblocked call would have rung. */
  | { type: 'DIAL_DROPPED'; by: Side; media: Media }
  /** `call-state`: what `by` sees of the pair's call. */
  | { type: 'SHOW_STATE'; by: Side }
  | { type: 'ANSWER'; by: Side }
  | { type: 'DECLINE'; by: Side }
  | { type: 'HANG_UP'; by: Side }
  | { type: 'ADD_VIDEO'; by: Side }
  | { type: 'ADD_PARTICIPANT'; by: Side }
  | { type: 'SHARE_SCREEN'; by: Side };

const M = 'call';
type C = CallContext;
type E = CallEvent;
type Dial = GuardArgs<C, ExtractEvent<E, 'DIAL'>>;
const notice =
  (kind: CallNotice['kind'], media?: (a: { context: C; event: E }) => Media) => (a: { context: C; event: E }) => ({
    notice: media ? { kind, media: media(a) } : { kind },
  });
const byCallee = ({ context, event }: { context: C; event: E }) =>
  context.caller !== null && 'by' in event && event.by !== context.caller;
const byCaller = ({ context, event }: { context: C; event: E }) => 'by' in event && event.by === context.caller;
const idle = { actions: assign<C, E, undefined, E, never>({ caller: null }) };
const shows = (state: CallState['state'], media?: Media) => ({
  notice: null,
  shown: media ? { state, media } : { state },
});
/** What the caller of a dropped call sees (`byDroppedCaller` holds, so there is one). */
const showsDropped = ({ context }: { context: C }) =>
  context.dropped ? shows('ringing', context.dropped.media) : shows('none');
type ShowRule = [name: string, requirements: string[], payload: PayloadOf<C> | typeof showsDropped];

// The guards of a DIAL transition.
const onBehalf = ({ event }: Dial) => event.onBehalf;
const toForwardingTeamsUser = ({ event }: Dial) => goesToVoicemail(event.by, event.calleeForwards);
const video = ({ event }: Dial) => event.media === 'video';

const call = setup({
  types: {} as { context: C; events: E },
  guards: {
    byCallee,
    ringsVideo: ({ context }) => context.media === 'video',
    byCaller,
    byDroppedCaller: ({ context, event }) =>
      context.dropped !== null && 'by' in event && event.by === context.dropped.caller,
  },
});
const rule = rulesFor(M, call);
/** The SHOW_STATE rule of a state (a query: no target, so nothing changes). */
const show = ([name, requirements, payload]: ShowRule, extra: Parameters<typeof rule<'SHOW_STATE'>>[4] = {}) =>
  rule('SHOW_STATE', name, requirements, payload, extra);

export const callMachine = call.createMachine({
  id: M,
  context: { caller: null, media: 'audio', dropped: null, decision: null },
  initial: 'idle',
  on: {
    SHARE_SCREEN: rule('SHARE_SCREEN', 'screen-share-refused', ['CALL-008'], {
      notice: null,
      error: 'unsupported-screen-share',
    }),
  },
  states: {
    idle: {
      on: {
        DIAL: [
          rule(
            'DIAL',
            'delegate-call-refused',
            ['CALL-007'],
            { notice: null, error: 'delegation-unsupported' },
            { guard: onBehalf },
          ),
          rule(
            'DIAL',
            'forwarded-to-voicemail',
            ['CALL-005'],
            { notice: { kind: 'voicemail' }, voicemail: true },
            { guard: toForwardingTeamsUser },
          ),
          rule(
            'DIAL',
            'video-call-rings',
            ['CALL-002'],
            notice('call', () => 'video'),
            {
              guard: video,
              target: 'ringing',
              actions: assign({ caller: ({ event }) => event.by, media: 'video', dropped: null }),
            },
          ),
          rule(
            'DIAL',
            'audio-call-rings',
            ['CALL-001'],
            notice('call', () => 'audio'),
            {
              target: 'ringing',
              actions: assign({ caller: ({ event }) => event.by, media: 'audio', dropped: null }),
            },
          ),
        ],
        DIAL_DROPPED: rule(
          'DIAL_DROPPED',
          'blocked-call-seems-to-ring',
          ['BLOCK-003'],
          { notice: null },
          {
            actions: assign({
              dropped: ({ event }) => ({ caller: event.by, media: event.media }),
            }),
          },
        ),
        // Its caller leaves the dropped call: nobody else knew of it, so nobody is told.
        HANG_UP: rule(
          'HANG_UP',
          'blocked-caller-hangs-up',
          ['BLOCK-003'],
          { notice: null },
          { guard: 'byDroppedCaller', actions: assign({ dropped: null }) },
        ),
        SHOW_STATE: [
          show(['blocked-caller-sees-ringing', ['BLOCK-003'], showsDropped], { guard: 'byDroppedCaller' }),
          show(['shows-no-call', ['CALL-004'], shows('none')]),
        ],
      },
    },
    ringing: {
      on: {
        ANSWER: [
          rule('ANSWER', 'callee-answers-video', ['CALL-002'], notice('call-answered'), {
            guard: and(['byCallee', 'ringsVideo']),
            target: 'answered.video',
          }),
          rule('ANSWER', 'callee-answers-audio', ['CALL-001'], notice('call-answered'), {
            guard: 'byCallee',
            target: 'answered.audio',
          }),
        ],
        DECLINE: rule('DECLINE', 'callee-declines', ['CALL-004'], notice('call-declined'), {
          guard: 'byCallee',
          target: 'idle',
          ...idle,
        }),
        // Either party may hang up a ringing call (PROTOCOL.md); for the callee it ends the call like a decline.
        HANG_UP: [
          rule('HANG_UP', 'caller-cancels', ['CALL-004'], notice('call-ended'), {
            guard: 'byCaller',
            target: 'idle',
            ...idle,
          }),
          rule('HANG_UP', 'callee-hangs-up-ringing', ['CALL-004'], notice('call-ended'), {
            target: 'idle',
            ...idle,
          }),
        ],
        SHOW_STATE: [
          show(['shows-ringing-video', ['CALL-002'], shows('ringing', 'video')], { guard: 'ringsVideo' }),
          show(['shows-ringing-audio', ['CALL-001'], shows('ringing', 'audio')]),
        ],
      },
    },
    answered: {
      initial: 'audio',
      states: {
        audio: {
          on: {
            ADD_VIDEO: rule('ADD_VIDEO', 'video-added', ['CALL-003'], notice('video-added'), { target: 'video' }),
            SHOW_STATE: show(['shows-connected-audio', ['CALL-001'], shows('connected', 'audio')]),
          },
        },
        // Reached by answering a video call (CALL-002) or by adding video (CALL-003, F15: "the call is now video").
        video: {
          on: { SHOW_STATE: show(['shows-connected-video', ['CALL-002', 'CALL-003'], shows('connected', 'video')]) },
        },
      },
      on: {
        HANG_UP: rule('HANG_UP', 'party-hangs-up', ['CALL-004'], notice('call-ended'), {
          target: 'idle',
          ...idle,
        }),
        ADD_PARTICIPANT: rule('ADD_PARTICIPANT', 'escalation-refused', ['CALL-006'], {
          notice: null,
          error: 'unsupported-group',
        }),
      },
    },
  },
});

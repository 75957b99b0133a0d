import type { Action } from '../../../specs/protocol.js';
import type { Fault, Layer } from './kit.js';
import { lose, rewrite } from './kit.js';

/** Actions of this kind are carried although the interop cannot carry them. */
export const carried = (kind: Action['kind']): Layer => ({
  carriage: (inner) => ({ unsupported: (action) => (action.kind === kind ? undefined : inner.unsupported(action)) }),
});

export const CALL_FAULTS: readonly Fault[] = [
  {
    id: 'call-answer-not-signalled',
    breaks: ['CALL-001'],
    description: 'When the callee answers, the caller is never told and the call keeps ringing for them.',
    layer: () => lose((e) => e.kind === 'call-answered'),
  },
  {
    id: 'video-calls-ring-as-audio',
    breaks: ['CALL-002'],
    description: 'A video call rings the callee as an audio call.',
    layer: () => rewrite((e) => (e.kind === 'call' && e.media === 'video' ? { ...e, media: 'audio' } : e)),
  },
  {
    id: 'add-video-not-signalled',
    breaks: ['CALL-003'],
    description: 'When one party adds video to a call, the other party is not told.',
    layer: () => lose((e) => e.kind === 'video-added'),
  },
  {
    id: 'hang-up-not-signalled',
    breaks: ['CALL-004'],
    description: 'When one party hangs up, the other party is not told and stays in the call.',
    layer: () => lose((e) => e.kind === 'call-ended'),
  },
  {
    id: 'forwarding-ignored',
    breaks: ['CALL-005'],
    description: "A Skype user's call to a Teams user who forwards calls rings instead of going to voicemail.",
    layer: () => ({ forwarding: () => ({ toVoicemail: () => false }) }),
  },
  {
    id: 'add-participant-allowed',
    breaks: ['CALL-006'],
    description: 'Adding a participant to a call with a Skype user is accepted instead of refused.',
    layer: () => carried('add-participant'),
  },
  {
    id: 'delegate-call-allowed',
    breaks: ['CALL-007'],
    description: "A delegate's call to a Skype user on behalf of a Teams user is placed instead of refused.",
    layer: () => carried('call'),
  },
  {
    id: 'screen-share-allowed',
    breaks: ['CALL-008'],
    description: 'Sharing the screen with a Skype user is accepted instead of refused.',
    layer: () => carried('share-screen'),
  },
];

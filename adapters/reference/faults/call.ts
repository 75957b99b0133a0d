import type { Fault } from './kit.js';
import { around, lose, rewrite } from './kit.js';

export const CALL_FAULTS: readonly Fault[] = [
  {
    id: 'call-answer-not-signalled',
    breaks: ['CALL-001'],
    description: 'When the callee answers, the caller is never told and the call keeps ringing for them.',
    apply: (service) => lose(service, (e) => e.kind === 'call-answered'),
  },
  {
    id: 'video-calls-ring-as-audio',
    breaks: ['CALL-002'],
    description: 'A video call rings the callee as an audio call.',
    apply: (service) =>
      rewrite(service, (e) => (e.kind === 'call' && e.media === 'video' ? { ...e, media: 'audio' } : e)),
  },
  {
    id: 'add-video-not-signalled',
    breaks: ['CALL-003'],
    description: 'When one party adds video to a call, the other party is not told.',
    apply: (service) => lose(service, (e) => e.kind === 'video-added'),
  },
  {
    id: 'hang-up-not-signalled',
    breaks: ['CALL-004'],
    description: 'When one party hangs up, the other party is not told and stays in the call.',
    apply: (service) => lose(service, (e) => e.kind === 'call-ended'),
  },
  {
    id: 'forwarding-ignored',
    breaks: ['CALL-005'],
    description: "A Skype user's call to a Teams user who forwards calls rings instead of going to voicemail.",
    apply: (service) => {
      service.forwardsToVoicemail = () => false;
    },
  },
  {
    id: 'add-participant-allowed',
    breaks: ['CALL-006'],
    description: 'Adding a participant to a call with a Skype user is accepted instead of refused.',
    apply: (service) =>
      around(
        service,
        'unsupported',
        (unsupported) => (a) => (a.kind === 'add-participant' ? undefined : unsupported(a)),
      ),
  },
  {
    id: 'delegate-call-allowed',
    breaks: ['CALL-007'],
    description: "A delegate's call to a Skype user on behalf of a Teams user is placed instead of refused.",
    apply: (service) =>
      around(service, 'unsupported', (unsupported) => (a) => (a.kind === 'call' ? undefined : unsupported(a))),
  },
  {
    id: 'screen-share-allowed',
    breaks: ['CALL-008'],
    description: 'Sharing the screen with a Skype user is accepted instead of refused.',
    apply: (service) =>
      around(service, 'unsupported', (unsupported) => (a) => (a.kind === 'share-screen' ? undefined : unsupported(a))),
  },
];

/**
 * What a networked system answers a hostile request (SEC-001…007). One machine per world; the answers do not
 * depend on history. Only adapters that speak to a real wire (capability `wire`) can make these requests.
 */
import { setup } from 'xstate';
import type { Attack, ErrorCode } from '../protocol.js';
import { rulesFor, type Decision } from './rule.js';

export type SecurityDecision = Decision<{ error: ErrorCode }>;
export interface SecurityContext {
  decision: SecurityDecision | null;
}
export type SecurityEvent = { type: 'PROBE'; attack: Attack };

const M = 'security';
type C = SecurityContext;
type E = SecurityEvent;
const is =
  (attack: Attack) =>
  ({ event }: { event: E }) =>
    event.attack === attack;

const security = setup({ types: {} as { context: C; events: E } });
const rule = rulesFor(M, security);

export const securityMachine = security.createMachine({
  id: M,
  context: { decision: null },
  initial: 'guarded',
  states: {
    guarded: {
      on: {
        PROBE: [
          rule(
            'PROBE',
            'other-users-chats-denied',
            ['SEC-001'],
            { error: 'denied' },
            { guard: is('read-other-chats') },
          ),
          rule(
            'PROBE',
            'acting-as-another-denied',
            ['SEC-002'],
            { error: 'denied' },
            { guard: is('act-as-other-user') },
          ),
          rule('PROBE', 'other-world-denied', ['SEC-003'], { error: 'denied' }, { guard: is('reach-other-world') }),
          rule(
            'PROBE',
            'malformed-json-rejected',
            ['SEC-004'],
            { error: 'bad-request' },
            { guard: is('malformed-json') },
          ),
          rule(
            'PROBE',
            'oversized-body-rejected',
            ['SEC-005'],
            { error: 'payload-too-large' },
            { guard: is('oversized-body') },
          ),
          rule(
            'PROBE',
            'deleted-world-token-denied',
            ['SEC-007'],
            { error: 'denied' },
            { guard: is('use-deleted-world-token') },
          ),
          rule('PROBE', 'unknown-route-not-found', ['SEC-006'], { error: 'not-found' }),
        ],
      },
    },
  },
});

/**
 * Faults that only deliveries in flight together show: a step-by-step run waits for each message before the
 * next is sent, so a message that is merely slower than the one after it still arrives within the deadline, and
 * passes. Scenarios with `wait: false` steps send several before the first arrives.
 */
import type { Fault } from './kit.js';

/** How much later than the next one the overtaken message arrives: well inside any delivery deadline. */
export const OVERTAKEN_BY_MS = 40;

export const IN_FLIGHT_FAULTS: readonly Fault[] = [
  {
    id: 'messages-overtake-in-transit',
    breaks: ['CHAT-001', 'CHAT-002'],
    description: `Every other message of a conversation takes a slower path (${OVERTAKEN_BY_MS} ms more), so when two are sent in quick succession the second arrives first.`,
    layer: () => {
      const count = new Map<string, number>();
      return {
        postbox: (inner, world) => ({
          deliver: (e) => {
            if (e.kind !== 'message') return inner.deliver(e);
            const pair = JSON.stringify([e.from, e.to]);
            const n = (count.get(pair) ?? 0) + 1;
            count.set(pair, n);
            if (n % 2 === 1) world.later(OVERTAKEN_BY_MS, () => inner.deliver(e));
            else inner.deliver(e);
          },
        }),
      };
    },
  },
];

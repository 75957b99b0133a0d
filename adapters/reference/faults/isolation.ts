/**
 * Faults of isolation between worlds: state kept by a user's name rather than by account. They show only while
 * two worlds are open at once with people of the same name, as the runner arranges (a world stays open while the
 * next scenario is played).
 */
import { forwardingTo } from '../api.js';
import type { Envelope } from '../inbox.js';
import type { StoredText } from '../vault.js';
import type { Fault } from './kit.js';

/** What a name-keyed store reaches of one open world of a faulty variant. */
interface OpenWorld {
  has(name: string): boolean;
  /** Its texts are sealed under its own key. */
  seal(text: string): StoredText;
  /** Its inboxes, beneath this fault. */
  put(envelope: Envelope): void;
}

/** Every open world of a faulty variant, in the order they opened, by a token of each world. */
const open = new Map<object, OpenWorld>();

export const ISOLATION_FAULTS: readonly Fault[] = [
  {
    id: 'deliveries-shared-across-worlds',
    breaks: ['WIRE-002'],
    description:
      "Deliveries are routed by the recipient's name: a message to sam reaches every open world's sam, not only this world's.",
    layer: () => {
      const self = {};
      return {
        postbox: (inner, world) => {
          open.set(self, {
            has: (name) => world.directory.has(name),
            seal: (text) => world.sealer.seal(text),
            put: (envelope) => inner.deliver(envelope),
          });
          return {
            deliver: (envelope) => {
              // Each world keeps its texts under its own key: the leaked copy is re-sealed for the world it lands in.
              const text = envelope.body && world.sealer.open(envelope.body);
              for (const [other, into] of open)
                if (other === self) into.put(envelope);
                else if (into.has(envelope.to))
                  into.put({ ...envelope, ...(text === undefined ? {} : { body: into.seal(text) }) });
            },
          };
        },
        service: (inner) => ({
          ...forwardingTo(inner),
          dispose: () => {
            open.delete(self);
            inner.dispose();
          },
        }),
      };
    },
  },
];

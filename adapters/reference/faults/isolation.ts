/**
 * Faults of isolation between worlds: state kept by a user's name rather than by account. They show only while
 * two worlds are open at once with people of the same name, as the runner arranges (a world stays open while the
 * next scenario is played).
 */
import type { Envelope } from '../inbox.js';
import type { InteropService } from '../service.js';
import type { Fault } from './kit.js';
import { around } from './kit.js';

/** The inboxes of every open world of a faulty variant, by service: what a name-keyed store would reach. */
const open = new Map<InteropService, (envelope: Envelope) => void>();

export const ISOLATION_FAULTS: readonly Fault[] = [
  {
    id: 'deliveries-shared-across-worlds',
    breaks: ['WIRE-002'],
    description:
      "Deliveries are routed by the recipient's name: a message to sam reaches every open world's sam, not only this world's.",
    apply: (service) => {
      around(service, 'deliver', (deliver) => {
        open.set(service, deliver);
        return (envelope) => {
          // Each world keeps its texts under its own key: the leaked copy is re-sealed for the world it lands in.
          const text = envelope.body && service.unseal(envelope.body);
          for (const [other, put] of open)
            if (other === service) put(envelope);
            else if (other.directory.has(envelope.to))
              put({ ...envelope, ...(text === undefined ? {} : { body: other.seal(text) }) });
        };
      });
      around(service, 'dispose', (dispose) => () => {
        open.delete(service);
        dispose();
      });
    },
  },
];

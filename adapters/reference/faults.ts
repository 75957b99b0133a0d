/**
 * The catalogue of faulty variants of the reference: each wraps one of the collaborators a world's service is
 * built from, or the service's interface (faults/kit.ts), and names the requirements it breaks.
 * `createReferenceAdapter({ faults: [...] })` builds every world with them.
 */
import { ADMIN_FAULTS } from './faults/admin.js';
import { BLOCK_FAULTS } from './faults/block.js';
import { CALL_FAULTS } from './faults/call.js';
import { CALL_STATE_FAULTS } from './faults/call-state.js';
import { CHAT_FAULTS } from './faults/chat.js';
import type { Fault } from './faults/kit.js';
import { OBSERVATION_FAULTS } from './faults/observations.js';
import { REQUEST_FAULTS } from './faults/request.js';
import { SEARCH_FAULTS } from './faults/search.js';
import { SEQUENCE_FAULTS } from './faults/sequences.js';
import { IN_FLIGHT_FAULTS } from './faults/in-flight.js';
import { ISOLATION_FAULTS } from './faults/isolation.js';

export type { Fault } from './faults/kit.js';
export { LATE_FIRST_MESSAGE_MS } from './faults/chat.js';

export const FAULTS: readonly Fault[] = Object.freeze([
  ...SEARCH_FAULTS,
  ...REQUEST_FAULTS,
  ...CHAT_FAULTS,
  ...CALL_FAULTS,
  ...CALL_STATE_FAULTS,
  ...BLOCK_FAULTS,
  ...ADMIN_FAULTS,
  ...SEQUENCE_FAULTS,
  ...IN_FLIGHT_FAULTS,
  ...ISOLATION_FAULTS,
  ...OBSERVATION_FAULTS,
]);

/** The faults with these ids, in the order given; an unknown id throws, listing the known ones. */
export function faultsById(ids: readonly string[]): Fault[] {
  return ids.map((id) => {
    const fault = FAULTS.find((f) => f.id === id);
    if (!fault) throw new Error(`unknown fault "${id}"; known faults: ${FAULTS.map((f) => f.id).join(', ')}`);
    return fault;
  });
}

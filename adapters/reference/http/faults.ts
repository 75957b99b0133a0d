/**
 * Faulty variants of the HTTP service, for proving that the harness catches a service that misbehaves on the
 * wire: three faults of the HTTP layer, and any fault of the in-process reference's catalogue (faults.ts),
 * applied to each world's service. An id in both catalogues means the HTTP one.
 */
import { FAULTS, faultsById, type Fault } from '../faults.js';
import { LATE_DELIVERY_MS } from './limits.js';

export const HTTP_FAULTS = {
  'late-delivery': { breaks: ['CHAT-006'], description: 'Every event reaches its user late (by `lateDeliveryMs`).' },
  'cross-user-read': { breaks: ['SEC-001'], description: "A user's token can read another user's chats." },
  'blocked-sender-told': { breaks: ['BLOCK-003'], description: 'A blocked sender or caller is answered 403 recipient-unavailable, and so learns they are blocked.' },
} as const;

export type HttpFaultId = keyof typeof HTTP_FAULTS;

export interface ServiceFaults {
  readonly http: ReadonlySet<HttpFaultId>;
  /** Reference faults applied to every world's InteropService. */
  readonly domain: readonly Fault[];
  readonly lateDeliveryMs: number;
}

const isHttpFault = (id: string): id is HttpFaultId => Object.hasOwn(HTTP_FAULTS, id);

/** Fault ids as a list or one comma-separated string; an unknown id throws, listing every known one. */
export function parseFaults(ids: readonly string[] | string | undefined, lateDeliveryMs = LATE_DELIVERY_MS): ServiceFaults {
  const list = (typeof ids === 'string' ? ids.split(',') : (ids ?? [])).map((id) => id.trim()).filter(Boolean);
  const unknown = list.filter((id) => !isHttpFault(id) && !FAULTS.some((f) => f.id === id));
  if (unknown.length) {
    throw new Error(`unknown fault "${unknown[0]}"; HTTP faults: ${Object.keys(HTTP_FAULTS).join(', ')}; reference faults: ${FAULTS.map((f) => f.id).join(', ')}`);
  }
  return { http: new Set(list.filter(isHttpFault)), domain: faultsById(list.filter((id) => !isHttpFault(id))), lateDeliveryMs };
}

export const NO_FAULTS: ServiceFaults = parseFaults([]);

/**
 * Which requirement a delivery's fields answer to. When a delivery arrives but one of its fields is wrong, the
 * failure is laid at the door of that field's requirement, not of the rule that predicted the delivery: a
 * message that arrives unencrypted breaks CHAT-005, not CHAT-001.
 */
import type { Delivery } from './protocol.js';

export type DeliveryField = 'surface' | 'encrypted' | 'external' | 'latency';

export function fieldRequirements(field: DeliveryField, expected: Delivery): string[] {
  switch (field) {
    case 'surface':
      return expected.surface === 'skype-for-business' ? ['REQ-009'] : expected.surface === 'teams' ? ['REQ-008'] : [];
    case 'encrypted':
      return ['CHAT-005'];
    case 'external':
      return ['REQ-002'];
    case 'latency':
      return ['CHAT-006'];
  }
}

/** The requirements a predicted delivery exercises through its fields. */
export function deliveryRequirements(d: Delivery): string[] {
  const out = fieldRequirements('surface', d).concat(fieldRequirements('latency', d));
  if (d.encrypted !== undefined) out.push(...fieldRequirements('encrypted', d));
  if (d.external !== undefined) out.push(...fieldRequirements('external', d));
  return out;
}

/** Lost without a word (F30, F12): a text the sender was told went out, and that reached nobody. */
export const SILENT_LOSS_REQUIREMENT = 'CHAT-009';

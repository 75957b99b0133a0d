/**
 * Calling into an adapter: every call under the step timeout, what a crash guard caught meanwhile turned into an
 * adapter fault, and every answer checked to be what the Adapter interface promises (plain, serialisable data)
 * before the runner judges it. Also what a scenario needs of an adapter at all (its capabilities).
 */
import { CAPABILITY_OF_ACTION, type Capability } from '../adapters/adapter.js';
import type { ActorOutcome, Delivery } from '../specs/protocol.js';
import { deploymentMet } from '../specs/interop.js';
import type { Scenario } from './load.js';

/** The adapter broke (threw, hung, crashed, answered something that is no answer): verdict `error`. */
export class AdapterFault extends Error {}

export const faultOf = (e: unknown) => (e instanceof Error ? e.message : String(e));
export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, Math.max(0, ms)));

async function within<T>(ms: number, what: string, work: () => Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new AdapterFault(`${what} took longer than ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([Promise.resolve().then(work), late]);
  } finally {
    clearTimeout(timer);
  }
}

/** `work` under the timeout; whatever the crash guard caught meanwhile makes it an adapter fault. */
export function guarded(o: { stepTimeoutMs: number; crashes?: { take(): string | undefined } }) {
  return async <T>(what: string, work: () => Promise<T>): Promise<T> => {
    let value: T;
    try {
      value = await within(o.stepTimeoutMs, what, work);
    } catch (e) {
      const crash = o.crashes?.take();
      throw crash ? new AdapterFault(`${crash} (during ${what})`) : e;
    }
    const crash = o.crashes?.take();
    if (crash) throw new AdapterFault(`${crash} (during ${what})`);
    return value;
  };
}

/** An answer the runner can judge and every report can write, or an adapter fault saying why not. */
export function checked<T>(what: string, value: T, valid: (v: T) => boolean): T {
  try {
    JSON.stringify(value);
  } catch (e) {
    throw new AdapterFault(`${what} cannot be serialised (${faultOf(e)}): an adapter must return plain data`);
  }
  if (!valid(value))
    throw new AdapterFault(
      `${what} is not what the Adapter interface promises: ${JSON.stringify(value)?.slice(0, 200)}`,
    );
  return value;
}
export const isOutcome = (o: ActorOutcome) =>
  typeof o === 'object' && o !== null && (o.status === 'ok' || (o.status === 'error' && typeof o.error === 'string'));
export const isDeliveries = (ds: Delivery[]) =>
  Array.isArray(ds) &&
  ds.every((d) => typeof d === 'object' && d !== null && typeof d.to === 'string' && typeof d.kind === 'string');

/** What a scenario needs of an adapter: its actions' capabilities, and two of its world's. */
export function neededCapabilities(s: Scenario): Capability[] {
  const need = new Set<Capability>(s.steps.map((st) => CAPABILITY_OF_ACTION[st.action.kind]));
  const users = Object.values(s.world.users);
  if (users.some((u) => u.kind === 'teams' && u.mode === 'Islands')) need.add('coexistence');
  // A tenant whose interop is not deployed (F26-F28): the same test the spec makes, from specs/interop.ts.
  if (Object.values(s.world.tenants).some((t) => !deploymentMet(t))) need.add('deployment');
  return [...need].sort();
}

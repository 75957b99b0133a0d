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

/** A call into the adapter under way, in the list the watchdog reads: when it times out, and how it fails then. */
class Pending {
  timedOut = false;
  prev: Pending | undefined = undefined;
  next: Pending | undefined = undefined;
  constructor(
    readonly due: number,
    readonly late: () => void,
  ) {}
}

// One timer watches every call under way. A timer per call (set, then cleared microseconds later when the
// in-process reference answers) cost more than the reference's own work: Node rebuilt its timer list every call.
// The calls under way are a linked list: linking and unlinking cost less than a Set's hashing, call after call.
let first: Pending | undefined;
let watchdog: NodeJS.Timeout | undefined;
let watchdogDue = Infinity;

function arm(due: number): void {
  if (watchdog && due >= watchdogDue) return;
  clearTimeout(watchdog);
  watchdogDue = due;
  watchdog = setTimeout(watch, Math.max(1, due - performance.now()));
}

/** The watchdog's round: what is due times out (never early: a timer may fire before its time by Node's clock). */
function watch(): void {
  watchdog = undefined;
  watchdogDue = Infinity;
  const now = performance.now();
  let next = Infinity;
  for (let x = first, after = x?.next; x; x = after, after = x?.next)
    if (x.due <= now) {
      end(x);
      x.timedOut = true;
      x.late();
    } else next = Math.min(next, x.due);
  if (next < Infinity) arm(next);
}

function begin(x: Pending): void {
  x.next = first;
  if (first) first.prev = x;
  first = x;
  arm(x.due);
  // The watchdog keeps the process alive while a call is under way (a hung adapter must time out, not end the
  // program with nothing written), and never after: the end of a run must not wait for it.
  if (!x.next) watchdog!.ref();
}

function end(x: Pending): void {
  if (x.prev) x.prev.next = x.next;
  else if (first === x) first = x.next;
  else return; // already ended: timed out, and now answering
  if (x.next) x.next.prev = x.prev;
  x.prev = x.next = undefined;
  if (!first) watchdog?.unref();
}

/** `work` under the timeout; whatever the crash guard caught meanwhile makes it an adapter fault. */
export function guarded(o: { stepTimeoutMs: number; crashes?: { take(): string | undefined } }) {
  const ms = o.stepTimeoutMs;
  const crashed = (what: string) => {
    const crash = o.crashes?.take();
    return crash ? new AdapterFault(`${crash} (during ${what})`) : undefined;
  };
  return <T>(what: string, work: () => Promise<T>): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      const call = new Pending(performance.now() + ms, () =>
        reject(crashed(what) ?? new AdapterFault(`${what} took longer than ${ms} ms`)),
      );
      begin(call);
      // A `work` that throws before it returns a promise fails the call like one that rejects. Once the call has
      // timed out, whatever it ends with is nobody's: the crash guard's record stays for the next call to take.
      let answer: Promise<T>;
      try {
        answer = Promise.resolve(work());
      } catch (e) {
        answer = Promise.reject(e as Error);
      }
      answer.then(
        (value) => {
          end(call);
          if (call.timedOut) return;
          const fault = crashed(what);
          if (fault) reject(fault);
          else resolve(value);
        },
        (e: unknown) => {
          end(call);
          if (!call.timedOut) reject(crashed(what) ?? e);
        },
      );
    });
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

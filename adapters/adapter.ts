/**
 * The contract between the harness and a system under test. An adapter declares what it can do, builds a fresh
 * world for each scenario, performs one action at a time as the named actor, and hands over what each user
 * received. It never predicts anything: that is the oracle's job.
 */
import type { Action, ActionKind, ActorOutcome, Delivery, World } from '../specs/protocol.js';

/** Groups of actions a system under test may lack; a scenario that needs a missing one is skipped, not failed. */
export type Capability =
  'search' | 'chat' | 'call' | 'relationship' | 'presence' | 'admin' | 'coexistence' | 'deployment' | 'wire';

export const CAPABILITY_OF_ACTION: Readonly<Record<ActionKind, Capability>> = {
  search: 'search',
  message: 'chat',
  'group-chat': 'chat',
  call: 'call',
  answer: 'call',
  decline: 'call',
  'hang-up': 'call',
  'add-video': 'call',
  'add-participant': 'call',
  'share-screen': 'call',
  meeting: 'call',
  accept: 'relationship',
  block: 'relationship',
  unblock: 'relationship',
  'block-number': 'relationship',
  'unblock-number': 'relationship',
  'view-messages': 'relationship',
  'blocked-contacts': 'relationship',
  presence: 'presence',
  'call-state': 'call',
  'set-searchable': 'search',
  'set-org-switch': 'admin',
  'set-user-policy': 'admin',
  'set-enterprise-app': 'admin',
  'set-public-provider': 'admin',
  'set-sip-federation-srv': 'admin',
  'set-cloud': 'admin',
  probe: 'wire',
};

/**
 * Thrown by an adapter whose system answered in the wrong shape (a response that breaks the API schema, an
 * undocumented status). Unlike other exceptions it is a conformance failure (WIRE-001), not an adapter error:
 * the system did answer, wrongly. `details` is the evidence, e.g. the schema errors.
 */
export class WireFormatViolation extends Error {
  /** `requirement`: the wire requirement broken when it is not WIRE-001 (e.g. WIRE-003, an event sent twice). */
  constructor(
    message: string,
    readonly details: string[] = [],
    readonly requirement?: string,
  ) {
    super(message);
    this.name = 'WireFormatViolation';
  }
}

export interface Session {
  /** Perform one action as `actor` (a user's scenario name) and return what the actor is shown. */
  perform(actor: string, action: Action): Promise<ActorOutcome>;
  /** Everything delivered to `user` since the previous call, oldest first. Never blocks waiting for more. */
  drain(user: string): Promise<Delivery[]>;
  /**
   * Optional: drop `user`'s connection for deliveries and make a new one, resuming where the old one stopped
   * (SSE: `Last-Event-ID`). Afterwards `drain` must yield every delivery exactly once — none replayed, none lost
   * — as if nothing had happened. The runner calls it mid-scenario to check exactly that.
   */
  reconnect?(user: string): Promise<void>;
  /**
   * Optional, with `reconnect`: drop `user`'s connection for deliveries and leave it closed until `reconnect`, so
   * that what an action delivers meanwhile must come on the resumed stream (WIRE-003: nothing lost while away).
   */
  disconnect?(user: string): Promise<void>;
  /** Release the world. Called once, also after a failure. */
  close(): Promise<void>;
}

export interface Adapter {
  /** Shown in reports. */
  readonly name: string;
  readonly capabilities: readonly Capability[];
  /**
   * How long, in ms, this system may still deliver something after it has answered an action (queues, remote
   * networks: F13). The harness listens this long after a scenario's last step before it concludes that nothing
   * more will arrive. Absent: DEFAULT_SETTLE_MS. `--settle MS` overrides it.
   */
  readonly settleMs?: number;
  /** Build a fresh, isolated world. Throwing here is an adapter fault (verdict `error`), not a conformance failure. */
  open(world: World): Promise<Session>;
  /** Release what the adapter holds across worlds (connection pools); called once, after the last scenario. */
  dispose?(): Promise<void>;
  /**
   * Secrets the adapter holds or was issued so far (tokens, passwords): reports replace each with `[redacted]`
   * wherever it appears. Asked again whenever something is reported; strings under 8 characters are ignored.
   */
  secrets?(): readonly string[];
}

/** The settle window of an adapter that does not declare one: suits a service on a network. */
export const DEFAULT_SETTLE_MS = 500;

/** What a user module may export by default: an adapter, or a function that makes one. */
export type AdapterModule = Adapter | ((options: Record<string, string>) => Adapter | Promise<Adapter>);

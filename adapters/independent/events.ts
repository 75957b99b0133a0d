/**
 * The vocabulary of a world's log: every change to a world is one of these facts, appended in order and never
 * rewritten. Everything a client reads — relationships, blocks, calls, chat histories, tenant settings, each
 * user's event stream — is a projection of this log (projection.ts, feeds.ts). Facts are past tense and carry
 * everything a projection needs, so that replaying the log rebuilds the world exactly.
 */
import type { Cloud, Delivery, Media, SrvRecord, World as WorldSpec } from '../../specs/protocol.js';

/** What reached one user, as their event stream shows it (openapi DeliveryEvent): the vocabulary's delivery, stamped by the stream. */
export type DeliveryFact = Omit<Delivery, 'deliveredAt'>;

export type DomainEvent =
  | { type: 'world-created'; spec: WorldSpec }
  | { type: 'searchability-changed'; user: string; searchable: boolean }
  | { type: 'org-switch-changed'; tenant: string; allowPublicUsers: boolean }
  | {
      type: 'policy-changed';
      user: string;
      enablePublicCloudAccess?: boolean;
      enablePublicCloudAudioVideoAccess?: boolean;
    }
  | { type: 'enterprise-app-changed'; tenant: string; enabled: boolean }
  | {
      type: 'deployment-changed';
      tenant: string;
      publicProvider?: string;
      sipFederationSrv?: SrvRecord | null;
      cloud?: Cloud;
    }
  /**
   * The pair's one-on-one chat now exists, under `id` (opaque, random, the same for both members). Creating it
   * delivers nothing and decides nothing: the first message does (openapi createChat).
   */
  | { type: 'chat-created'; id: string; by: string; other: string }
  /** A first contact: the pair now has a pending request whose initiator is `from`. */
  | { type: 'request-opened'; from: string; to: string }
  /**
   * A text written by `from` to `to`. `reached` is false when it reached nobody (the recipient blocks the sender,
   * F21): the sender's history still shows it, the recipient's does not. `inRequest`: part of a pending request
   * (what "View messages" shows, REQ-006).
   */
  | { type: 'message-written'; from: string; to: string; text: string; reached: boolean; inRequest: boolean }
  | { type: 'request-accepted'; by: string; from: string }
  /** Blocking decides a pending request the blocker received (REQ-005, BLOCK-005). */
  | { type: 'contact-blocked'; by: string; user: string }
  | { type: 'contact-unblocked'; by: string; user: string }
  | { type: 'number-blocked'; by: string; phone: string }
  | { type: 'number-unblocked'; by: string; phone: string }
  /** A call that rings. `callerOnly`: the callee blocks the caller, so it rings for the caller alone (BLOCK-003). */
  | { type: 'call-rang'; caller: string; callee: string; media: Media; callerOnly: boolean }
  | { type: 'call-answered'; by: string; caller: string }
  /** The pair's call is over: declined, hung up. */
  | { type: 'call-ended'; a: string; b: string }
  | { type: 'video-added'; by: string; other: string }
  /** Something reached a user: the source of their event stream. */
  | { type: 'delivered'; delivery: DeliveryFact }
  /** A sync marker for every user who has opened a stream (`users`), after everything delivered so far. */
  | { type: 'sync-marked'; marker: string; users: string[] };

/** One entry of the log: the fact, its position and the server's time when it was appended. */
export interface LogEntry {
  readonly seq: number;
  readonly at: number;
  readonly event: DomainEvent;
}

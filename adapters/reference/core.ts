/**
 * The state of one interop world and the steps the actions share: tenant gates, the relationship's routing,
 * discovery, sealing and delivery. Every decision that varies is a collaborator passed in at construction
 * (policies.ts, gates.ts, inbox.ts, vault.ts; assembled in assemble.ts): the core holds them read-only and
 * nothing outside can swap one.
 */
import type { ActorOutcome, Delivery, DeliveryKind, Person, TeamsUser } from '../../specs/protocol.js';
import type { OtherBlockList } from './blocked-others.js';
import type { Call, CallTable } from './calls.js';
import type { Conversation, ConversationStore } from './conversation.js';
import type { Directory, Pair } from './directory.js';
import type { Gate, Use } from './gates.js';
import type { Envelope, Inboxes, Postbox } from './inbox.js';
import {
  refused,
  type BlockedSender,
  type Carriage,
  type Forwarding,
  type PresencePolicy,
  type Router,
  type SearchPolicy,
  type Surfaces,
} from './policies.js';
import { outOfScope } from './scope.js';
import type { Timers } from './timers.js';
import { isEncrypted, type Sealer } from './vault.js';

export { ok, refused, type ActionOf, type Route } from './policies.js';

/** What one world's service is built from. */
export interface Collaborators {
  readonly directory: Directory;
  readonly conversations: ConversationStore;
  readonly calls: CallTable;
  /** Where deliveries wait to be collected. */
  readonly inboxes: Inboxes;
  /** The way into the inboxes that the service sends through. */
  readonly postbox: Postbox;
  readonly sealer: Sealer;
  readonly timers: Timers;
  /** The tenant gates, in the order they are checked. */
  readonly gates: readonly Gate[];
  readonly carriage: Carriage;
  readonly search: SearchPolicy;
  readonly router: Router;
  readonly forwarding: Forwarding;
  readonly blockedSender: BlockedSender;
  readonly presence: PresencePolicy;
  readonly surfaces: Surfaces;
  /** Other Teams users and phone numbers each Teams user blocks: on the list, nothing more (F22). */
  readonly otherBlocks: OtherBlockList;
}

export interface Admitted {
  readonly pair: Pair;
  readonly conversation: Conversation;
  readonly route: 'request' | 'connected';
}

/** A contact to someone who blocks its sender: it reaches nobody, and the sender is `shown` this (BLOCK-003). */
export interface Blocked {
  readonly pair: Pair;
  readonly route: 'blocked';
  readonly shown: ActorOutcome;
}

export class InteropCore {
  protected readonly directory: Directory;
  protected readonly conversations: ConversationStore;
  protected readonly calls: CallTable;
  protected readonly otherBlocks: OtherBlockList;
  protected readonly sealer: Sealer;
  protected readonly carriage: Carriage;
  protected readonly searchPolicy: SearchPolicy;
  protected readonly forwarding: Forwarding;
  protected readonly presencePolicy: PresencePolicy;
  readonly #inboxes: Inboxes;
  readonly #postbox: Postbox;
  readonly #timers: Timers;
  readonly #gates: readonly Gate[];
  readonly #router: Router;
  readonly #blockedSender: BlockedSender;
  readonly #surfaces: Surfaces;

  constructor(parts: Collaborators) {
    this.directory = parts.directory;
    this.conversations = parts.conversations;
    this.calls = parts.calls;
    this.otherBlocks = parts.otherBlocks;
    this.sealer = parts.sealer;
    this.carriage = parts.carriage;
    this.searchPolicy = parts.search;
    this.forwarding = parts.forwarding;
    this.presencePolicy = parts.presence;
    this.#inboxes = parts.inboxes;
    this.#postbox = parts.postbox;
    this.#timers = parts.timers;
    this.#gates = parts.gates;
    this.#router = parts.router;
    this.#blockedSender = parts.blockedSender;
    this.#surfaces = parts.surfaces;
  }

  // ── Inboxes and lifetime ────────────────────────────────────────────────────────────────────────────────

  /** What has arrived for `user` since the last collection, oldest first, texts decrypted. */
  collect(user: string): Delivery[] {
    this.directory.user(user);
    return this.#inboxes.take(user).map((envelope) => this.open(envelope));
  }

  dispose(): void {
    this.#timers.dispose();
  }

  // ── Internals ───────────────────────────────────────────────────────────────────────────────────────────

  /** The first tenant gate that refuses this Teams user's `use`, if any. */
  protected refusal(teams: TeamsUser, use: Use): Gate | undefined {
    const tenant = this.directory.tenant(teams.tenant);
    return this.#gates.find((gate) => gate.uses.includes(use) && gate.refuses(tenant, teams));
  }

  /** Gates, then the relationship: either the actor's refusal or where the contact goes. */
  protected admit(sender: Person, recipient: Person, use: 'chat' | 'call'): ActorOutcome | Admitted | Blocked {
    const pair = this.directory.pair(sender, recipient);
    const gate = this.refusal(pair.teams, use);
    // What the actor is told when a gate refuses: a Skype actor only learns the recipient is unavailable.
    if (gate) return refused(sender.kind === 'teams' ? gate.error : 'recipient-unavailable');
    const conversation = this.conversations.of(pair);
    const route = this.#router.route(conversation, sender);
    if (route === 'not-accepted') return refused('request-not-accepted');
    if (route === 'blocking') return refused('contact-blocked');
    if (route === 'undiscoverable') return refused('recipient-unavailable');
    if (route === 'blocked') return { pair, route, shown: this.#blockedSender.shown(sender, recipient, use) };
    if (route === 'request' && conversation.standing === 'strangers') conversation.startRequest(sender.name);
    return { pair, conversation, route };
  }

  /** Whether `searcher` may find `candidate`: the Teams side passes the gates, a Skype candidate is listed. */
  protected isDiscoverable(searcher: Person, candidate: Person): boolean {
    const { teams, skype } = this.directory.pair(searcher, candidate);
    if (this.refusal(teams, 'search')) return false;
    return candidate.kind !== 'skype' || this.searchPolicy.listed(skype);
  }

  protected callWith(actorName: string, otherName: string, states: readonly Call['state'][]) {
    const me = this.directory.person(actorName);
    const other = this.directory.person(otherName);
    const pair = this.directory.pair(me, other);
    const call = this.calls.find(pair, states);
    if (!call) outOfScope(`${me.name} and ${other.name} have no ${states.join(' or ')} call`);
    return { me, other, pair, call };
  }

  protected conversationOf(actorName: string, otherName: string): Conversation {
    return this.conversations.of(
      this.directory.pair(this.directory.person(actorName), this.directory.person(otherName)),
    );
  }

  protected sendRequest(sender: Person, recipient: Person, content: Pick<Envelope, 'body' | 'media'>): void {
    this.send('request', sender, recipient, { ...content, ...(recipient.kind === 'teams' ? { external: true } : {}) });
  }

  protected send(
    kind: DeliveryKind,
    from: Person,
    to: Person,
    content: Pick<Envelope, 'body' | 'media' | 'external'> = {},
  ): void {
    this.#postbox.deliver({ to: to.name, from: from.name, kind, surface: this.#surfaces.of(to), ...content });
  }

  protected open(envelope: Envelope): Delivery {
    const { to, from, kind, surface, body, media, external } = envelope;
    return {
      to,
      from,
      kind,
      surface,
      ...(body ? { text: this.sealer.open(body) } : {}),
      ...(media ? { media } : {}),
      ...(external ? { external } : {}),
      ...(body ? { encrypted: isEncrypted(body) } : {}),
    };
  }
}

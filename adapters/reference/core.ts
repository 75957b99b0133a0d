/**
 * The state of one interop world and the decisions the actions share: tenant gates, the relationship's routing,
 * search matching, surfaces, sealing and delivery. The public methods under "Seams" are the single places where
 * one behaviour is decided; faults.ts replaces them on one instance to make a faulty variant.
 */
import type {
  Action,
  ActionKind,
  ActorOutcome,
  Delivery,
  DeliveryKind,
  ErrorCode,
  Person,
  SkypeUser,
  Surface,
  TeamsUser,
  World,
} from '../../specs/protocol.js';
import { CallTable, type Call } from './calls.js';
import { ConversationStore, type Conversation } from './conversation.js';
import { Directory, type Pair } from './directory.js';
import { GATES, type Gate, type Use } from './gates.js';
import { Inboxes, type Envelope } from './inbox.js';
import { outOfScope } from './scope.js';
import { isEncrypted, Vault, type StoredText } from './vault.js';

export type ActionOf<K extends ActionKind> = Extract<Action, { kind: K }>;
type OkOutcome = Extract<ActorOutcome, { status: 'ok' }>;

/**
 * Where the relationship sends a message or call. `blocking`: the sender blocks the recipient (refused, they may
 * unblock); `undiscoverable`: a Teams user's first contact with a Skype user hidden from search (refused).
 */
export type Route = 'request' | 'not-accepted' | 'blocked' | 'blocking' | 'undiscoverable' | 'connected';

export const ok = (data: Omit<OkOutcome, 'status'> = {}): ActorOutcome => ({ status: 'ok', ...data });
export const refused = (error: ErrorCode): ActorOutcome => ({ status: 'error', error });
const sameEmail = (a: string, b: string): boolean => a.trim().toLowerCase() === b.trim().toLowerCase();

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
  readonly directory: Directory;
  readonly conversations = new ConversationStore();
  readonly calls = new CallTable();
  readonly inboxes = new Inboxes();
  /** The tenant gates, in the order they are checked. */
  gates: Gate[] = [...GATES];
  protected readonly vault = new Vault();
  readonly #timers = new Set<ReturnType<typeof setTimeout>>();

  constructor(world: World) {
    this.directory = new Directory(world);
  }

  // ── Inboxes and lifetime ────────────────────────────────────────────────────────────────────────────────

  /** What has arrived for `user` since the last collection, oldest first, texts decrypted. */
  collect(user: string): Delivery[] {
    this.directory.user(user);
    return this.inboxes.take(user).map((envelope) => this.open(envelope));
  }

  /** Run `task` after `ms` unless the service is disposed first. */
  later(ms: number, task: () => void): void {
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      task();
    }, ms);
    this.#timers.add(timer);
  }

  dispose(): void {
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
  }

  // ── Seams ───────────────────────────────────────────────────────────────────────────────────────────────

  /** Checks that need no tenant: what the interop cannot carry at all (CHAT-003/004, CALL-006/007/008). */
  unsupported(action: Action): ErrorCode | undefined {
    switch (action.kind) {
      case 'call':
        return action.onBehalfOf !== undefined ? 'delegation-unsupported' : undefined;
      case 'group-chat':
      case 'meeting':
      case 'add-participant':
        return 'unsupported-group';
      case 'share-screen':
        return 'unsupported-screen-share';
      case 'message': {
        const rich = action.format === 'rich' || (action.mentions?.length ?? 0) > 0;
        return rich || action.emoji !== undefined || action.file !== undefined ? 'unsupported-content' : undefined;
      }
      default:
        return undefined;
    }
  }

  /** The first tenant gate that refuses this Teams user's `use`, if any. */
  refusal(teams: TeamsUser, use: Use): Gate | undefined {
    const tenant = this.directory.tenant(teams.tenant);
    return this.gates.find((gate) => gate.uses.includes(use) && gate.refuses(tenant, teams));
  }

  /** What the actor is told when a gate refuses: a Skype actor only learns the recipient is unavailable. */
  refuse(actor: Person, gate: Gate): ActorOutcome {
    return refused(actor.kind === 'teams' ? gate.error : 'recipient-unavailable');
  }

  routeContact(conversation: Conversation, sender: Person): Route {
    const recipient = this.directory.person(conversation.other(sender.name));
    switch (conversation.standing) {
      case 'strangers':
        // A Teams user starts from the search results (F5): nobody can pick a Skype user search does not show.
        return recipient.kind === 'skype' && !this.appearsInSearch(recipient) ? 'undiscoverable' : 'request';
      case 'pending':
        return conversation.initiator === sender.name ? 'request' : 'not-accepted';
      case 'decided': {
        // Blocking stops both ways: the blocker is told (they know they block), before anything else is checked.
        if (this.isBlockedBy(sender, recipient)) return 'blocking';
        return this.isBlockedBy(recipient, sender) ? 'blocked' : 'connected';
      }
    }
  }

  isBlockedBy(blocker: Person, sender: Person): boolean {
    return this.conversations.of(this.directory.pair(blocker, sender)).blockers.has(blocker.name);
  }

  /**
   * A blocked sender is told exactly what an unblocked one would be (BLOCK-003): a call to someone who forwards
   * calls would have gone to voicemail, so that is what the blocked caller is shown too.
   */
  blockedSenderOutcome(sender: Person, recipient: Person, use: 'chat' | 'call'): ActorOutcome {
    return use === 'call' && this.forwardsToVoicemail(recipient, sender) ? ok({ call: 'voicemail' }) : ok();
  }

  forwardsToVoicemail(callee: Person, caller: Person): boolean {
    return callee.kind === 'teams' && callee.forwarding !== 'none' && caller.kind === 'skype';
  }

  /** Search is by email only (F1–F3). */
  matchesSearch(candidate: Person, query: ActionOf<'search'>): boolean {
    return query.email !== undefined && sameEmail(candidate.email, query.email);
  }

  appearsInSearch(user: SkypeUser): boolean {
    return user.searchable;
  }

  presenceOf(_viewer: Person, _subject: Person): 'hidden' | 'shown' {
    return 'hidden';
  }

  surfaceFor(recipient: Person): Surface {
    if (recipient.kind === 'skype') return 'skype';
    return recipient.mode === 'Islands' ? 'skype-for-business' : 'teams';
  }

  seal(text: string): StoredText {
    return this.vault.seal(text);
  }

  /** A stored text read back with this world's key. */
  unseal(stored: StoredText): string {
    return this.vault.open(stored);
  }

  /** Hand an envelope to its recipient's inbox: the moment it arrives. */
  deliver(envelope: Envelope): void {
    this.inboxes.put(envelope);
  }

  // ── Internals ───────────────────────────────────────────────────────────────────────────────────────────

  /** Gates, then the relationship: either the actor's refusal or where the contact goes. */
  protected admit(sender: Person, recipient: Person, use: 'chat' | 'call'): ActorOutcome | Admitted | Blocked {
    const pair = this.directory.pair(sender, recipient);
    const gate = this.refusal(pair.teams, use);
    if (gate) return this.refuse(sender, gate);
    const conversation = this.conversations.of(pair);
    const route = this.routeContact(conversation, sender);
    if (route === 'not-accepted') return refused('request-not-accepted');
    if (route === 'blocking') return refused('contact-blocked');
    if (route === 'undiscoverable') return refused('recipient-unavailable');
    if (route === 'blocked') return { pair, route, shown: this.blockedSenderOutcome(sender, recipient, use) };
    if (route === 'request' && conversation.standing === 'strangers') conversation.startRequest(sender.name);
    return { pair, conversation, route };
  }

  /** Whether `searcher` may find `candidate`: the Teams side passes the gates, a Skype candidate is listed. */
  protected isDiscoverable(searcher: Person, candidate: Person): boolean {
    const { teams, skype } = this.directory.pair(searcher, candidate);
    if (this.refusal(teams, 'search')) return false;
    return candidate.kind !== 'skype' || this.appearsInSearch(skype);
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
    this.deliver({ to: to.name, from: from.name, kind, surface: this.surfaceFor(to), ...content });
  }

  protected open(envelope: Envelope): Delivery {
    const { to, from, kind, surface, body, media, external } = envelope;
    return {
      to,
      from,
      kind,
      surface,
      ...(body ? { text: this.vault.open(body) } : {}),
      ...(media ? { media } : {}),
      ...(external ? { external } : {}),
      ...(body ? { encrypted: isEncrypted(body) } : {}),
    };
  }
}

/**
 * The worlds the service hosts: world id → its InteropService, its users' bearer tokens, its event streams and
 * what each user has seen of each chat. Ids and tokens are random (crypto.randomBytes) and are never logged.
 */
import { randomBytes } from 'node:crypto';
import type { Delivery, World } from '../../../specs/protocol.js';
import { InteropService } from '../service.js';
import { Vault, type StoredText } from '../vault.js';
import { deliveryDelayMs, type ServiceFaults } from './faults.js';
import { HttpError, MAX_WORLDS, WORLD_IDLE_MS } from './limits.js';
import { EventHub } from './sse.js';

const random = (bytes: number) => randomBytes(bytes).toString('base64url');

export interface ChatEntry {
  readonly id: string;
  readonly from: string;
  readonly at: Date;
  readonly text: StoredText;
}

/**
 * Each user's own view of their one-on-one chats: what they were told they sent, and what reached them. A
 * blocked sender's view shows their message sent, exactly as an unblocked sender's (F21). Texts stay sealed.
 */
export class ChatViews {
  readonly #vault = new Vault();
  readonly #byUser = new Map<string, Map<string, ChatEntry[]>>();

  record(viewer: string, peer: string, from: string, text: string): ChatEntry {
    const chats = this.#byUser.get(viewer) ?? new Map<string, ChatEntry[]>();
    this.#byUser.set(viewer, chats);
    const entries = chats.get(peer) ?? [];
    chats.set(peer, entries);
    const entry = { id: random(9), from, at: new Date(), text: this.#vault.seal(text) };
    entries.push(entry);
    return entry;
  }

  peers(viewer: string): string[] {
    return [...(this.#byUser.get(viewer)?.keys() ?? [])].sort();
  }

  messages(viewer: string, peer: string): { id: string; from: string; at: Date; text: string }[] {
    return (this.#byUser.get(viewer)?.get(peer) ?? []).map((e) => ({ id: e.id, from: e.from, at: e.at, text: this.#vault.open(e.text) }));
  }
}

export class HostedWorld {
  readonly id = random(16);
  readonly service: InteropService;
  readonly events: EventHub;
  readonly chats = new ChatViews();
  readonly #userByToken = new Map<string, string>();
  readonly tokens: Record<string, string> = {};
  lastUsed = Date.now();
  /** Set when the service decides a contact is from a blocked sender (for the `blocked-sender-told` fault). */
  blockedSenderSeen = false;

  constructor(world: World, readonly faults: ServiceFaults) {
    this.service = new InteropService(world);
    for (const fault of faults.domain) fault.apply(this.service);
    this.events = new EventHub({
      delayMs: deliveryDelayMs(faults),
      replayOnReconnect: faults.http.has('events-replayed-on-reconnect'),
      loseWhileClosed: faults.http.has('events-lost-on-reconnect'),
    });
    for (const name of Object.keys(world.users)) {
      const token = random(32);
      this.tokens[name] = token;
      this.#userByToken.set(token, name);
    }
    // Whatever reaches an inbox (now, or later through a fault's delay) goes out on the recipient's stream.
    const inboxes = this.service.inboxes;
    const put = inboxes.put.bind(inboxes);
    inboxes.put = (envelope) => {
      put(envelope);
      for (const d of this.service.collect(envelope.to)) this.#arrived(d);
    };
    if (faults.http.has('blocked-contacts-leak-to-blocker')) {
      // The fault: a contact the service routes as blocked (sender blocked by the recipient) goes through.
      const route = this.service.routeContact.bind(this.service);
      this.service.routeContact = (conversation, sender) => {
        const decided = route(conversation, sender);
        return decided === 'blocked' ? 'connected' : decided;
      };
    }
    const blockedSenderOutcome = this.service.blockedSenderOutcome.bind(this.service);
    this.service.blockedSenderOutcome = (...args) => {
      this.blockedSenderSeen = true;
      return blockedSenderOutcome(...args);
    };
  }

  /** The user a bearer token belongs to in this world. */
  userOf(token: string | undefined): string | undefined {
    return token === undefined ? undefined : this.#userByToken.get(token);
  }

  has(user: string): boolean {
    return this.service.directory.has(user);
  }

  dispose(): void {
    this.service.dispose();
    this.events.close();
  }

  #arrived(d: Delivery): void {
    if (d.text !== undefined) this.chats.record(d.to, d.from, d.from, d.text);
    this.events.deliver(d);
  }
}

export class WorldRegistry {
  readonly #worlds = new Map<string, HostedWorld>();
  readonly #sweeper = setInterval(() => this.sweep(), 60_000).unref();
  #sweeping = false;

  constructor(readonly faults: ServiceFaults) {}

  create(world: World): HostedWorld {
    if (this.#worlds.size >= MAX_WORLDS) this.sweep(Date.now() - 60_000);
    if (this.#worlds.size >= MAX_WORLDS) throw new HttpError(403, 'denied', `this service hosts ${MAX_WORLDS} worlds already; delete some`);
    const hosted = new HostedWorld(world, this.faults);
    this.#worlds.set(hosted.id, hosted);
    return hosted;
  }

  get(id: string): HostedWorld | undefined {
    const hosted = this.#worlds.get(id);
    if (hosted) hosted.lastUsed = Date.now();
    return hosted;
  }

  delete(id: string): boolean {
    const hosted = this.#worlds.get(id);
    if (!hosted) return false;
    if (this.faults.http.has('deleted-world-tokens-still-work') && !this.#sweeping) {
      // The fault: the streams end, but the world (and every token of it) stays until the idle sweep.
      hosted.events.close();
      return true;
    }
    this.#worlds.delete(id);
    hosted.dispose();
    return true;
  }

  /** Delete the worlds unused since `before`. */
  sweep(before = Date.now() - WORLD_IDLE_MS): void {
    this.#sweeping = true;
    for (const [id, hosted] of this.#worlds) if (hosted.lastUsed < before) this.delete(id);
    this.#sweeping = false;
  }

  /** `tokens-valid-in-every-world`: the name a token of any world has, if `here` has a user of that name. */
  nameOfToken(token: string | undefined, here: HostedWorld): string | undefined {
    for (const w of this.#worlds.values()) {
      const name = w.userOf(token);
      if (name !== undefined) return here.has(name) ? name : undefined;
    }
    return undefined;
  }

  get size(): number {
    return this.#worlds.size;
  }

  close(): void {
    clearInterval(this.#sweeper);
    this.sweep(Infinity);
  }
}

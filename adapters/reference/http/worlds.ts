/**
 * The worlds the service hosts: world id → its interop service, its users' bearer tokens, its event streams and
 * its chats (chats.ts). Ids and tokens are random (crypto.randomBytes) and are never logged.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { ActorOutcome, Delivery, World } from '../../../specs/protocol.js';
import type { InteropApi } from '../api.js';
import { assemble, type Layer } from '../assemble.js';
import type { Directory } from '../directory.js';
import { ChatViews } from './chats.js';
import { deliveryDelayMs, type ServiceFaults } from './faults.js';
import {
  CALL_COST,
  LIMITS,
  messageCost,
  quotaReached,
  WORLD_COST_PER_JSON_BYTE,
  WORLD_COST_PER_USER,
  WORLD_IDLE_MS,
  type Limits,
} from './limits.js';
import { EventHub } from './sse.js';

const random = (bytes: number) => randomBytes(bytes).toString('base64url');

export class HostedWorld {
  readonly id = random(16);
  readonly service: InteropApi;
  readonly directory: Directory;
  readonly events: EventHub;
  readonly chats = new ChatViews();
  readonly #userByToken = new Map<string, string>();
  /** By user name; no prototype, so that no user name can reach Object's members. */
  readonly tokens: Record<string, string> = Object.create(null) as Record<string, string>;
  /** Every user's name, in the world's order (the event cursor names them all). */
  readonly users: readonly string[];
  /** Needed for DELETE /worlds/{id}, POST /worlds/{id}/sync and the world stream: whoever created the world has it. */
  readonly controlToken = random(32);
  lastUsed = Date.now();
  /** Counted bytes this world holds (limits.ts): its cost when created, plus every message and call admitted. */
  bytes: number;
  /** Set when the service decides a contact is from a blocked sender (for the `blocked-sender-told` fault). */
  #blockedSenderSeen = false;

  constructor(
    world: World,
    readonly faults: ServiceFaults,
    readonly size: { base: number; charge(bytes: number): void },
    readonly limits: Readonly<Limits> = LIMITS,
  ) {
    this.bytes = size.base;
    // Whatever reaches an inbox (now, or later through a fault's delay) goes out on the recipient's stream.
    const reference = assemble(world, {
      layers: [...faults.domain.map((fault) => fault.layer()), this.#layer(faults)],
      arrived: (envelope) => {
        for (const d of this.service.collect(envelope.to)) this.#arrived(d);
      },
    });
    this.service = reference.service;
    this.directory = reference.parts.directory;
    this.users = Object.keys(world.users);
    const fault = (id: Parameters<typeof faults.http.has>[0]) => faults.http.has(id);
    this.events = new EventHub({
      delayMs: deliveryDelayMs(faults),
      replayOnReconnect: fault('events-replayed-on-reconnect'),
      loseWhileClosed: fault('events-lost-on-reconnect'),
      streamBufferBytes: limits.streamBufferBytes,
      users: this.users,
      world: {
        replay: fault('world-events-replayed-on-reconnect'),
        loseOnResume: fault('world-events-lost-on-reconnect'),
        worldNumbering: fault('world-events-own-numbering'),
        wrongRecipient: fault('world-events-wrong-recipient'),
      },
    });
    for (const name of this.users) {
      const token = random(32);
      this.tokens[name] = token;
      this.#userByToken.set(token, name);
    }
  }

  /** What the HTTP service wraps around each world's service, over the reference faults. */
  #layer(faults: ServiceFaults): Layer {
    return {
      // The fault: a contact the service routes as blocked (sender blocked by the recipient) goes through.
      ...(faults.http.has('blocked-contacts-leak-to-blocker') && {
        router: (inner) => ({
          route: (conversation, sender) => {
            const decided = inner.route(conversation, sender);
            return decided === 'blocked' ? 'connected' : decided;
          },
        }),
      }),
      blockedSender: (inner) => ({
        shown: (sender, recipient, use) => {
          this.#blockedSenderSeen = true;
          return inner.shown(sender, recipient, use);
        },
      }),
    };
  }

  /** A message or call, and whether the service found its sender blocked by the recipient. */
  contact(act: () => ActorOutcome): { outcome: ActorOutcome; senderBlocked: boolean } {
    this.#blockedSenderSeen = false;
    const outcome = act();
    return { outcome, senderBlocked: this.#blockedSenderSeen };
  }

  /** Whether `token` is this world's control token (compared in constant time). */
  controls(token: string | undefined): boolean {
    const want = Buffer.from(this.controlToken);
    const got = Buffer.from(token ?? '');
    return got.length === want.length && timingSafeEqual(got, want);
  }

  /**
   * Room for one more message `from` → `to` (cost: messageCost) or call (CALL_COST), or a 429: the world's bytes,
   * every world's bytes, the messages kept in either side's view of the chat, the deliveries queued for `to`.
   * Admitted, its cost is counted at once.
   */
  admit(from: string, to: string, text?: string): void {
    const cost = text === undefined ? CALL_COST : messageCost(text);
    const { worldBytes, messagesPerChat, queuedDeliveries } = this.limits;
    if (this.bytes + cost > worldBytes) throw quotaReached(`this world holds its ${worldBytes} bytes already`);
    if (text !== undefined && Math.max(this.chats.count(from, to), this.chats.count(to, from)) >= messagesPerChat) {
      throw quotaReached(`this chat holds its ${messagesPerChat} messages already`);
    }
    if (this.events.queued(to) >= queuedDeliveries)
      throw quotaReached(`${queuedDeliveries} deliveries wait for the recipient already`, 5);
    this.size.charge(cost);
    this.bytes += cost;
  }

  /** The user a bearer token belongs to in this world. */
  userOf(token: string | undefined): string | undefined {
    return token === undefined ? undefined : this.#userByToken.get(token);
  }

  has(user: string): boolean {
    return this.directory.has(user);
  }

  /** What `POST /worlds` offers beyond what every service must (document 0.4.0): the world stream, unless a variant says not. */
  get capabilities(): string[] {
    return this.faults.http.has('world-events-not-offered') ? [] : ['world-events'];
  }

  /** Whether `GET /worlds/{id}/interop/events` is served: offered, and not the variant that offers it and 404s. */
  get servesWorldEvents(): boolean {
    return this.capabilities.length > 0 && !this.faults.http.has('world-events-offered-not-served');
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
  /** The counted bytes of every live world (limits.ts, MAX_HOSTED_BYTES). */
  #bytes = 0;

  constructor(
    readonly faults: ServiceFaults,
    readonly limits: Readonly<Limits> = LIMITS,
  ) {}

  /** What a world costs when created: its JSON and its users (limits.ts). */
  static cost(world: World): number {
    return (
      WORLD_COST_PER_JSON_BYTE * Buffer.byteLength(JSON.stringify(world)) +
      WORLD_COST_PER_USER * Object.keys(world.users).length
    );
  }

  create(world: World): HostedWorld {
    const base = WorldRegistry.cost(world);
    const { worlds, hostedBytes } = this.limits;
    if (this.#worlds.size >= worlds || this.#bytes + base > hostedBytes) this.sweep(Date.now() - 60_000);
    if (this.#worlds.size >= worlds) throw quotaReached(`this service hosts ${worlds} worlds already; delete some`, 60);
    if (this.#bytes + base > hostedBytes)
      throw quotaReached(`the worlds hosted here hold ${hostedBytes} bytes already; delete some`, 60);
    this.#bytes += base;
    const hosted = new HostedWorld(
      world,
      this.faults,
      {
        base,
        charge: (bytes) => {
          if (this.#bytes + bytes > hostedBytes)
            throw quotaReached(`the worlds hosted here hold ${hostedBytes} bytes already`, 60);
          this.#bytes += bytes;
        },
      },
      this.limits,
    );
    this.#worlds.set(hosted.id, hosted);
    return hosted;
  }

  /** The counted bytes of every live world. */
  get bytes(): number {
    return this.#bytes;
  }

  /** The world, without counting this as a use (the event cursor reads it for every answer). */
  peek(id: string): HostedWorld | undefined {
    return this.#worlds.get(id);
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
    this.#bytes -= hosted.bytes;
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

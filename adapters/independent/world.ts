/**
 * A world: its append-only log, the read model folded from it, its users' feeds and its credentials; and the
 * registry of worlds the service holds. Every handler reaches the defect switches through `world.defects` (or
 * the registry's), so a fault can be switched on by id anywhere a decision is made.
 */
import { randomBytes } from 'node:crypto';
import type { World as WorldSpec } from '../../specs/protocol.js';
import type { DomainEvent, LogEntry } from './events.js';
import { Feeds } from './feeds.js';
import { refuse } from './gates.js';
import { clockSkewMs } from './faults/hooks.js';
import { bindDefects } from './faults/memory.js';
import { afterApply, beforeAppend } from './faults/pipeline.js';
import { bury, registerTokens, sharedFeeds } from './faults/wire.js';
import { registerControlToken } from './faults/world-stream.js';
import { apply, emptyState, type WorldState } from './projection.js';

/** The defect switches of this service: ids from faults/catalogue.ts, all off in the conformant service. */
export class Defects {
  readonly #on: ReadonlySet<string>;
  constructor(on: ReadonlySet<string> = new Set()) {
    this.#on = new Set(on);
  }
  has(id: string): boolean {
    return this.#on.has(id);
  }
}

/**
 * This service's own bounds (openapi.yaml lets each implementation choose; the harness comes nowhere near them).
 * Past one, the request is answered 429 and changes nothing; Retry-After where waiting can help.
 */
export const LIMITS = Object.freeze({
  worlds: 10_000,
  factsPerWorld: 100_000,
  textBytesPerWorld: 8 * 1024 * 1024,
  textBytesInAll: 128 * 1024 * 1024,
});

/** Text bytes held by one service, across its worlds (a world's are given back when it is deleted). */
export interface Budget {
  textBytes: number;
}

/** Random and unguessable, in the alphabet openapi.yaml gives ids and tokens (base64url). */
export const secret = (bytes: number): string => randomBytes(bytes).toString('base64url');

export class World {
  readonly id = secret(16);
  /** The harness's credential for DELETE and sync (wire-contract: ≥ 128 bits). */
  readonly controlToken = secret(32);
  readonly tokens = new Map<string, string>();
  readonly log: LogEntry[] = [];
  readonly state: WorldState = emptyState();
  readonly feeds: Feeds;
  textBytes = 0;

  constructor(
    spec: WorldSpec,
    readonly defects: Defects,
    private readonly budget: Budget = { textBytes: 0 },
  ) {
    bindDefects(this.state, defects);
    this.feeds = sharedFeeds(defects) ?? new Feeds(defects);
    this.append([{ type: 'world-created', spec }]);
    for (const name of Object.keys(spec.users)) this.tokens.set(secret(32), name);
    registerTokens(defects, this.tokens);
    registerControlToken(defects, this.controlToken);
  }

  /** Append facts in order; each is folded into the read model and projected onto the feeds as it lands. */
  append(events: readonly DomainEvent[]): void {
    // Checked before the first fact lands, so a refused action leaves no half of itself in the log.
    const bytes = events.reduce((n, e) => n + (e.type === 'message-written' ? Buffer.byteLength(e.text) : 0), 0);
    if (this.log.length + events.length > LIMITS.factsPerWorld)
      refuse(429, 'too-many-requests', 'this world holds as much history as this service keeps');
    if (this.textBytes + bytes > LIMITS.textBytesPerWorld)
      refuse(429, 'too-many-requests', 'this world holds as many message bytes as this service keeps');
    if (this.budget.textBytes + bytes > LIMITS.textBytesInAll)
      refuse(429, 'too-many-requests', 'the service holds as many message bytes as it keeps', { 'retry-after': '60' });
    this.textBytes += bytes;
    this.budget.textBytes += bytes;
    // Faults between a decision and the log (faults/pipeline.ts): the identity when every switch is off.
    for (const event of beforeAppend(this, events)) {
      const entry: LogEntry = { seq: this.log.length + 1, at: Date.now() + clockSkewMs(this.defects), event };
      this.log.push(entry);
      apply(this.state, event, entry.seq, entry.at);
      afterApply(this, event);
      this.feeds.project(entry);
    }
  }

  userOf(token: string): string | undefined {
    return this.tokens.get(token);
  }

  tokensByUser(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [token, user] of this.tokens) out[user] = token;
    return out;
  }

  close(): void {
    this.budget.textBytes -= this.textBytes;
    this.textBytes = 0;
    this.feeds.endAll();
  }
}

export class Registry {
  readonly #worlds = new Map<string, World>();
  readonly #budget: Budget = { textBytes: 0 };
  constructor(readonly defects: Defects) {}

  create(spec: WorldSpec): World {
    if (this.#worlds.size >= LIMITS.worlds)
      refuse(429, 'too-many-requests', 'the service holds as many worlds as it keeps', { 'retry-after': '60' });
    const w = new World(spec, this.defects, this.#budget);
    this.#worlds.set(w.id, w);
    return w;
  }

  get(id: string): World | undefined {
    return this.#worlds.get(id);
  }

  delete(id: string): boolean {
    const w = this.#worlds.get(id);
    if (!w) return false;
    this.#worlds.delete(id);
    if (!bury(this.defects, id, w)) w.close();
    return true;
  }

  closeAll(): void {
    for (const id of [...this.#worlds.keys()]) this.delete(id);
  }
}

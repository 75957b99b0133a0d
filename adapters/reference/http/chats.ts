/**
 * The one-on-one chats of one world as Graph names them: one chat per pair with one id for both members, one id
 * per message for both views, and each user's own view of each chat — what they were told they sent, and what
 * reached them. A blocked sender's view shows their message sent, exactly as an unblocked sender's (F21). Texts
 * stay sealed; a message on its way is known by a hash of its text only.
 */
import { createHash, randomBytes } from 'node:crypto';
import { Vault, type StoredText } from '../vault.js';

export interface ChatEntry {
  readonly id: string;
  readonly from: string;
  readonly at: Date;
  readonly text: StoredText;
}

export interface Chat {
  readonly id: string;
  /** The two members, sorted. */
  readonly members: readonly [string, string];
  readonly created: Date;
  updated: Date;
}

/** A message sent and not yet arrived: the id its recipient's view must show, and a hash of its text. */
interface OnTheWay {
  readonly id: string;
  readonly digest: string;
}

const random = (bytes: number) => randomBytes(bytes).toString('base64url');
const digest = (text: string) => createHash('sha256').update(text).digest('base64url');
const pairKey = (from: string, to: string) => JSON.stringify([from, to]);

/** The reference's chat id (Graph's shape for a one-on-one chat); clients must not parse it. */
export const chatIdOf = (a: string, b: string): string => `19:${[a, b].sort().join('_')}@unq.gbl.spaces`;

export class ChatViews {
  readonly #vault = new Vault();
  readonly #byUser = new Map<string, Map<string, ChatEntry[]>>();
  readonly #chats = new Map<string, Chat>();
  readonly #onTheWay = new Map<string, OnTheWay[]>();

  /** The chat of `a` and `b`, created (with its id) the first time it is needed. */
  chatOf(a: string, b: string): Chat {
    const id = chatIdOf(a, b);
    let chat = this.#chats.get(id);
    if (!chat) {
      const now = new Date();
      chat = { id, members: [a, b].sort() as [string, string], created: now, updated: now };
      this.#chats.set(id, chat);
    }
    return chat;
  }

  /** The chat with this id, if there is one. */
  chat(id: string): Chat | undefined {
    return this.#chats.get(id);
  }

  /** `viewer` lists the chat with `peer` from now on (its creator, before any message). */
  open(viewer: string, peer: string): Chat {
    this.#entries(viewer, peer);
    return this.chatOf(viewer, peer);
  }

  /**
   * A message `from` → `to` is about to be sent: the id both views will show. Its recipient's view takes it when
   * the text arrives (`record` without an id); `forget` it when it will never arrive.
   */
  send(from: string, to: string, text: string): string {
    const id = random(12);
    const key = pairKey(from, to);
    this.#onTheWay.set(key, [...(this.#onTheWay.get(key) ?? []), { id, digest: digest(text) }]);
    return id;
  }

  /** The message `id` will never arrive (refused, or dropped for a blocker). */
  forget(from: string, to: string, id: string): void {
    const key = pairKey(from, to);
    const left = (this.#onTheWay.get(key) ?? []).filter((m) => m.id !== id);
    if (left.length) this.#onTheWay.set(key, left);
    else this.#onTheWay.delete(key);
  }

  /**
   * Record a message in `viewer`'s view of the chat with `peer`. Without an `id`, it is an arrival: it takes the
   * id of the first message on its way from `from` with this text — not necessarily the first on its way, since
   * a message may overtake another (F13) — or a new id if none is known.
   */
  record(viewer: string, peer: string, from: string, text: string, id?: string): ChatEntry {
    const entry = { id: id ?? this.#arrival(from, viewer, text), from, at: new Date(), text: this.#vault.seal(text) };
    this.#entries(viewer, peer).push(entry);
    this.chatOf(viewer, peer).updated = entry.at;
    return entry;
  }

  /** How many messages `viewer`'s chat with `peer` holds. */
  count(viewer: string, peer: string): number {
    return this.#byUser.get(viewer)?.get(peer)?.length ?? 0;
  }

  /** The chats `viewer` lists, sorted by id. */
  listed(viewer: string): Chat[] {
    return [...(this.#byUser.get(viewer)?.keys() ?? [])].map((peer) => this.chatOf(viewer, peer)).sort(byId);
  }

  messages(viewer: string, peer: string): { id: string; from: string; at: Date; text: string }[] {
    return (this.#byUser.get(viewer)?.get(peer) ?? []).map((e) => ({
      id: e.id,
      from: e.from,
      at: e.at,
      text: this.#vault.open(e.text),
    }));
  }

  #entries(viewer: string, peer: string): ChatEntry[] {
    const chats = this.#byUser.get(viewer) ?? new Map<string, ChatEntry[]>();
    this.#byUser.set(viewer, chats);
    const entries = chats.get(peer) ?? [];
    chats.set(peer, entries);
    return entries;
  }

  #arrival(from: string, to: string, text: string): string {
    const key = pairKey(from, to);
    const waiting = this.#onTheWay.get(key) ?? [];
    const at = waiting.findIndex((m) => m.digest === digest(text));
    if (at < 0) return random(12);
    const left = waiting.filter((_, i) => i !== at);
    if (left.length) this.#onTheWay.set(key, left);
    else this.#onTheWay.delete(key);
    return waiting[at]!.id;
  }
}

const byId = (a: Chat, b: Chat) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

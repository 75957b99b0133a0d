/**
 * Chat and message ids. The protocol names a conversation by the other person (`message: { to: sam }`); Graph names a chat by
 * one opaque id that both members share. The id comes from `createChat` (oneOnOne, the two as members), which
 * Graph makes idempotent: asking again for the same two people answers the same chat. Each side asks once and the
 * id it got is kept per (actor, other person) — not per pair: that both sides get one id is the system's promise
 * to keep, not ours to assume, so when the second side's id differs from the first side's it is a wire violation
 * (WIRE-001: one chat, one id), shown with both ids.
 */
import { WireFormatViolation } from '../adapter.js';
import type { Answer, WorldApi } from './api.js';

/** Graph's member binding (`aadUserConversationMember` with `user@odata.bind`); only `users('<id>')` counts. */
export function memberBinding(userId: string) {
  return {
    '@odata.type': '#microsoft.graph.aadUserConversationMember',
    roles: ['owner'],
    // OData quotes a key in single quotes and doubles one inside it.
    'user@odata.bind': `https://graph.microsoft.com/v1.0/users('${userId.replaceAll("'", "''")}')`,
  };
}

/** What `createChat` asks for: a oneOnOne chat of `actor` and `other` (the caller first, as Graph's examples do). */
export const oneOnOne = (actor: string, other: string) => ({
  chatType: 'oneOnOne',
  members: [memberBinding(actor), memberBinding(other)],
});

export type ChatIdAnswer = { id: string } | { refused: Answer };

export class ChatIds {
  /** `actor\0other` → the id `actor` was given for their chat with `other`. */
  readonly #ids = new Map<string, string>();

  constructor(private readonly api: WorldApi) {}

  static #key = (actor: string, other: string) => `${actor}\0${other}`;

  /** The id `actor` holds for the chat with `other`, if `actor` has asked for it already. */
  known(actor: string, other: string): string | undefined {
    return this.#ids.get(ChatIds.#key(actor, other));
  }

  /**
   * The id of `actor`'s chat with `other`: the one `actor` got before, else `createChat` as `actor`. A refusal
   * (a documented 4xx: an unknown user, the same platform) is returned as it is, for the action's outcome.
   */
  async of(actor: string, other: string): Promise<ChatIdAnswer> {
    const known = this.known(actor, other);
    if (known !== undefined) return { id: known };
    const a = await this.api.invoke('createChat', actor, { body: oneOnOne(actor, other) });
    if (a.status >= 400) return { refused: a };
    const id = (a.data as { id: string }).id;
    const theirs = this.known(other, actor);
    if (theirs !== undefined && theirs !== id)
      throw new WireFormatViolation(
        this.api.redact.text(
          `${actor}: POST /chats (oneOnOne with ${other}) answered ${a.status} with the chat id ${JSON.stringify(id)}, but ${other} was given ${JSON.stringify(theirs)} for the same chat: a chat has one id, the same for both members`,
        ),
        [
          this.api.redact.text(`${other} → ${actor}: ${JSON.stringify(theirs)}`),
          this.api.redact.text(`${actor} → ${other}: ${JSON.stringify(id)}`),
        ],
      );
    this.#ids.set(ChatIds.#key(actor, other), id);
    return { id };
  }

  /** The id of a chat of `a` and `b`: whichever of the two already holds one, else `a` asks for it. */
  async between(a: string, b: string): Promise<ChatIdAnswer> {
    const known = this.known(a, b) ?? this.known(b, a);
    return known !== undefined ? { id: known } : this.of(a, b);
  }
}

/** A chatMessage as a list shows it: only what the check below reads. */
interface Listed {
  id: string;
  body: { content: string };
  from?: { user?: { id?: string } | null } | null;
}

/**
 * One message, one id. What each sender's 201 named each message, kept per (sender, recipient, text), so that the
 * recipient's view of the same message (View messages: the request's messages) can be held to it: a message
 * listed under an id its sender was never given is a wire violation (WIRE-001), shown with both.
 */
export class MessageIds {
  readonly #ids = new Map<string, string[]>();

  constructor(private readonly redact: { text(s: string): string }) {}

  static #key = (from: string, to: string, content: string) => `${from}\0${to}\0${content}`;

  /** `from` sent `content` to `to` and was answered with the message's `id`. */
  sent(from: string, to: string, content: string, id: string): void {
    const key = MessageIds.#key(from, to, content);
    this.#ids.set(key, [...(this.#ids.get(key) ?? []), id]);
  }

  /** `viewer` was shown `listed`, messages from `from` (those sent through this adapter are checked). */
  viewed(viewer: string, from: string, listed: readonly Listed[]): void {
    for (const m of listed) {
      const sender = m.from?.user?.id ?? from;
      const given = this.#ids.get(MessageIds.#key(sender, viewer, m.body.content));
      if (!given || given.includes(m.id)) continue;
      const text = JSON.stringify(m.body.content.length > 60 ? `${m.body.content.slice(0, 60)}…` : m.body.content);
      throw new WireFormatViolation(
        this.redact.text(
          `${viewer} was shown ${sender}'s message ${text} with the id ${JSON.stringify(m.id)}, but ${sender} was given ${given.map((id) => JSON.stringify(id)).join(' or ')} when sending it: a message has one id, the same for sender and recipient`,
        ),
        [
          this.redact.text(`${sender} (POST /chats/{id}/messages answered 201): ${given.join(', ')}`),
          this.redact.text(`${viewer} (GET /interop/me/requests/${from}/messages): ${m.id}`),
        ],
      );
    }
  }
}

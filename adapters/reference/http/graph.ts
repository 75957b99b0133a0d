/**
 * The Microsoft Graph v1.0 side of the served reference: chats, chat messages and presence shaped as Graph's
 * `chat`, `chatMessage`, `aadUserConversationMember` / `skypeUserConversationMember`, `teamworkUserIdentity` and
 * `presence` (specs/openapi.yaml names each source), and the chat operations that are Graph's own rather than the
 * interop service's: creating a one-on-one chat, and who may see or use one.
 */
import { createHash } from 'node:crypto';
import type { Chat } from './chats.js';
import type { Ctx, Reply } from './context.js';
import { HttpError } from './limits.js';

export interface ChatMessageView {
  id: string;
  from: string;
  at: Date;
  text: string;
}

/** A member of a chat, by Graph's derived type: a Teams user, or a Skype user (with the world's id, an extension). */
export function member(c: Ctx, chat: Chat, name: string) {
  const u = c.world.directory.user(name);
  // Graph's membership ids are opaque and differ from the user's id.
  const id = createHash('sha256').update(`${chat.id}\n${name}`).digest('base64url').slice(0, 24);
  if (u.kind === 'skype')
    return {
      '@odata.type': '#microsoft.graph.skypeUserConversationMember',
      id,
      displayName: name,
      roles: ['owner'],
      skypeId: u.skypeId,
      userId: name,
    };
  // A chat's members are people (createChat takes no admin): a Teams user here.
  const teams = c.world.directory.teams(name);
  return {
    '@odata.type': '#microsoft.graph.aadUserConversationMember',
    id,
    displayName: name,
    roles: ['owner'],
    userId: name,
    email: teams.email,
    tenantId: teams.tenant,
  };
}

/** A chat as Graph answers it; its members only under `$expand=members`, as Graph. */
export function chatBody(c: Ctx, chat: Chat) {
  return {
    id: chat.id,
    chatType: 'oneOnOne',
    topic: null,
    createdDateTime: chat.created.toISOString(),
    lastUpdatedDateTime: chat.updated.toISOString(),
    ...(c.query.get('$expand') === 'members' ? { members: chat.members.map((m) => member(c, chat, m)) } : {}),
  };
}

/** Who sent a message, as Graph's `from.user`: the world's id, and which platform's user it is. */
export function sender(c: Ctx, name: string) {
  return {
    '@odata.type': '#microsoft.graph.teamworkUserIdentity',
    id: name,
    displayName: name,
    userIdentityType: c.world.directory.user(name).kind === 'skype' ? 'skypeUser' : 'aadUser',
  };
}

export function messageBody(c: Ctx, chatId: string, m: ChatMessageView, contentType = 'text') {
  const at = m.at.toISOString();
  return {
    id: m.id,
    chatId,
    messageType: 'message',
    createdDateTime: at,
    lastModifiedDateTime: at,
    from: { user: sender(c, m.from) },
    body: { contentType, content: m.text },
  };
}

/**
 * The chat named by the path and `viewer`'s peer in it: 404 when no chat has this id, 403 `denied` when `viewer`
 * is not one of its two members (reading or sending in someone else's chat, SEC-001/SEC-002).
 */
export function chatOf(c: Ctx, viewer: string, reading = false): { chat: Chat; peer: string } {
  const chat = c.world.chats.chat(c.params.chatId!);
  if (!chat) throw new HttpError(404, 'not-found', 'no such chat');
  // The `non-member-reads-chat` variant checks membership on sending only.
  const unchecked = reading && c.world.faults.http.has('non-member-reads-chat');
  if (!chat.members.includes(viewer) && !unchecked)
    throw new HttpError(403, 'denied', 'you are not a member of this chat');
  return { chat, peer: chat.members[0] === viewer ? chat.members[1] : chat.members[0] };
}

/** The user a member binding names: `user@odata.bind` ends in `users('<id>')`, whatever its base. */
export const boundUser = (binding: { 'user@odata.bind': string }): string =>
  /users\('([^']+)'\)$/.exec(binding['user@odata.bind'])![1]!;

/**
 * `POST /chats` with chatType `oneOnOne`: the chat of the caller and one user of the other platform, created or
 * found again (Graph answers an existing one-on-one chat again). It delivers nothing and reveals nothing, so no
 * gate or block is asked: they decide at the first message.
 */
export function createOneOnOne(c: Ctx, names: string[]): Reply {
  const other = names.find((n) => n !== c.me);
  if (!names.includes(c.me) || other === undefined || names.filter((n) => n === other).length !== 1)
    throw new HttpError(400, 'bad-request', 'a oneOnOne chat has two members: you and one other user');
  const mine = c.world.directory.user(c.me).kind;
  const theirs = c.world.directory.user(other).kind;
  if (theirs === 'admin' || theirs === mine)
    throw new HttpError(400, 'bad-request', 'a chat across the interop is with a user of the other platform');
  return { status: 201, body: chatBody(c, c.world.chats.open(c.me, other)) };
}

/** Presence as Graph answers it: availability and activity alike. */
export const presenceBody = (id: string, shown: boolean) => {
  const value = shown ? 'Available' : 'PresenceUnknown';
  return { id, availability: value, activity: value };
};

/**
 * The Microsoft Graph v1.0 namespace (`/worlds/{worldId}/v1.0/…`): chats, their messages, presence, meetings. A
 * chat is one resource with one opaque id for both members; its creation delivers nothing and is never refused for
 * a gate or a block (the first message decides those). Shapes come from graph.ts.
 */
import type { Person } from '../../specs/protocol.js';
import { refuseWith } from './gates.js';
import { boundUser, chat, chatMessage, collection } from './graph.js';
import { me, personNamed, type Ctx, type Reply, type Route } from './http.js';
import { aliasChat, actsForOther, historyOrder, nonMemberAllowed, presenceShown, resolveChat } from './faults/hooks.js';
import { on } from './faults/memory.js';
import { blocks, pairKey, person, type WorldState } from './projection.js';
import * as rules from './rules.js';
import { secret } from './world.js';

const G = '/worlds/{worldId}/v1.0';

/**
 * The chat named in the path, as `user` acts in it: 404 when there is none, 403 for anyone not a member. `other`
 * is the member `user` writes to; `reader` and `read` whose history `user` is shown (their own, as a member).
 */
function chatOf(ctx: Ctx, user: Person, writing: boolean) {
  const s = ctx.world!.state;
  const c = resolveChat(s, ctx.params.chatId!);
  if (!c) return refuseWith('not-found', 'no such chat in this world');
  const member = c.members.includes(user.name);
  if (!member && !nonMemberAllowed(s, writing)) refuseWith('denied', 'only the members of a chat read or write in it');
  // A non-member let in by a fault writes to the first member, and reads the chat as its first member sees it.
  const at = (name: string) => s.users.get(name) as Person;
  const reader = member ? user : at(c.members[0]);
  return {
    c,
    other: at(c.members.find((n) => n !== user.name)!),
    reader,
    read: at(c.members.find((n) => n !== reader.name)!),
  };
}

/** The chats listed for `user`: those they created, and those where a message of theirs was written or reached them. */
function chatsOf(ctx: Ctx, user: Person) {
  const s = ctx.world!.state;
  const withMembers = /(^|,)\s*members\s*(,|$)/.test(ctx.url.searchParams.get('$expand') ?? '');
  const listed = [...s.chats.values()].filter((c) => {
    if (!c.members.includes(user.name) || s.chatOfPair.get(pairKey(c.members[0], c.members[1])) !== c.id) return false;
    if (c.createdBy === user.name) return true;
    const list = s.messages.get(pairKey(c.members[0], c.members[1])) ?? [];
    return list.some((m) => m.from === user.name || m.reached);
  });
  return collection(
    'chats',
    listed.sort((a, b) => a.createdAt - b.createdAt).map((c) => chat(s, c, withMembers)),
  );
}

/** What `user` wrote in the chat and what reached them in it, oldest first. */
function historyOf(s: WorldState, user: Person, other: Person) {
  const all = s.messages.get(pairKey(user.name, other.name)) ?? [];
  const mine = all.filter((m) => m.from === user.name || (m.to === user.name && m.reached));
  return collection(
    'chatMessages',
    historyOrder(s, mine).map((m) => chatMessage(s, m, user.name)),
  );
}

/** CHAT-004: only plain text crosses the interop (Graph's contentType defaults to text). */
function plainText(
  body: { body: { contentType?: string; content: string }; mentions?: unknown[]; attachments?: unknown[] },
  s: WorldState,
): string {
  if (
    (body.body.contentType ?? 'text') !== 'text' ||
    ((body.mentions?.length ?? 0) > 0 && !on(s, 'mentions-stripped-not-refused')) ||
    (body.attachments?.length ?? 0) > 0
  )
    refuseWith('unsupported-content', 'only plain text crosses to Skype: no rich text, mentions, emoji or files');
  return body.body.content;
}

function send(ctx: Ctx, as: Person): Reply {
  const { other } = chatOf(ctx, as, true);
  const w = ctx.world!;
  if (on(w.state, 'content-type-required') && ctx.body.body.contentType === undefined)
    refuseWith('bad-request', 'body.contentType is required');
  const text = plainText(ctx.body, w.state);
  rules.requireAcross(as, other);
  w.append(rules.sendMessage(w.state, as, other, text).events);
  const last = w.state.messages.get(pairKey(as.name, other.name))!.at(-1)!;
  return { status: 201, body: chatMessage(w.state, last, as.name) };
}

/** SEC-001/SEC-002: the /users/{userId} routes are the user's own, whoever else carries a token. */
function self(ctx: Ctx): Person {
  const actor = me(ctx);
  const target = personNamed(ctx, ctx.params.userId!);
  if (target.name === actor.name) return actor;
  const s = ctx.world!.state;
  const c = ctx.params.chatId === undefined ? undefined : resolveChat(s, ctx.params.chatId);
  const other = actsForOther(s, actor, target, ctx.req.method === 'POST', c?.members);
  if (other) return other;
  return refuseWith('denied', "another user's chats are theirs alone");
}

/** createChat: oneOnOne with the caller and one person of the other platform; a group (or more) is refused. */
function createChat(ctx: Ctx): Reply {
  const actor = me(ctx);
  const s = ctx.world!.state;
  const ids = (ctx.body.members as Record<string, unknown>[]).map(boundUser);
  if (ids.some((id) => id === undefined))
    refuseWith('bad-request', "every member binds a user: user@odata.bind ending in users('<id>')");
  if (ctx.body.chatType === 'group' || ids.length > 2) return groupChat(ctx, actor, ids as string[]);
  if (ids.length !== 2 || !ids.includes(actor.name) || ids[0] === ids[1])
    refuseWith('bad-request', 'a oneOnOne chat has two members: the caller and one other user');
  const other = personNamed(
    ctx,
    ids.find((id) => id !== actor.name)!,
  );
  rules.requireAcross(actor, other);
  // create-chat-refused-by-recipient-block: the chat service checks the other's block list first.
  if (on(s, 'create-chat-refused-by-recipient-block') && blocks(s, other.name, actor.name))
    refuseWith('contact-blocked', `${other.name} blocks ${actor.name}`);
  const existing = s.chatOfPair.get(pairKey(actor.name, other.name));
  if (existing === undefined)
    ctx.world!.append([
      { type: 'chat-created', id: `19:${secret(18)}@unq.gbl.spaces`, by: actor.name, other: other.name },
    ]);
  const c = s.chats.get(s.chatOfPair.get(pairKey(actor.name, other.name))!)!;
  return { status: 201, body: { ...chat(s, c, true), id: aliasChat(s, c, actor.name) } };
}

/** group-chat faults: a group the faulty check lets through, as the Chat it creates. */
function groupChat(ctx: Ctx, actor: Person, ids: string[]): Reply {
  const s = ctx.world!.state;
  const members = ids.map((id) => person(s, id)).filter((p): p is Person => p !== undefined && p.name !== actor.name);
  const skype = members.filter((p) => p.kind === 'skype').length + (actor.kind === 'skype' ? 1 : 0);
  const allowed =
    (actor.kind === 'teams' && skype === 1 && on(s, 'group-chat-allowed-with-one-skype-member')) ||
    (actor.kind === 'skype' && on(s, 'group-chat-check-skipped-for-skype-creator'));
  if (!allowed) return refuseWith('unsupported-group', 'a group chat is not supported across the interop');
  const now = new Date().toISOString();
  return {
    status: 201,
    body: {
      id: `19:group-${ctx.world!.log.length}@thread.v2`,
      chatType: 'group',
      topic: ctx.body.topic ?? null,
      createdDateTime: now,
      lastUpdatedDateTime: now,
    },
  };
}

function presence(ctx: Ctx): Reply {
  const viewer = me(ctx);
  const of = personNamed(ctx, ctx.params.userId!);
  const shown = presenceShown(ctx.world!.state, viewer, of) ? 'Available' : 'PresenceUnknown';
  // presence-without-activity: the old document's presence, availability alone.
  const activity = on(ctx.world!.state, 'presence-without-activity') ? {} : { activity: shown };
  return { status: 200, body: { id: of.name, availability: shown, ...activity } };
}

export const GRAPH_ROUTES: readonly Route[] = [
  {
    method: 'GET',
    path: `${G}/me/chats`,
    auth: 'user',
    handle: (ctx) => ({ status: 200, body: chatsOf(ctx, me(ctx)) }),
  },
  { method: 'POST', path: `${G}/chats`, auth: 'user', operation: 'createChat', handle: createChat },
  {
    method: 'GET',
    path: `${G}/chats/{chatId}`,
    auth: 'user',
    handle: (ctx) => {
      const { c } = chatOf(ctx, me(ctx), false);
      const expand = /members/.test(ctx.url.searchParams.get('$expand') ?? '');
      return { status: 200, body: chat(ctx.world!.state, c, expand) };
    },
  },
  {
    method: 'GET',
    path: `${G}/chats/{chatId}/messages`,
    auth: 'user',
    handle: (ctx) => {
      const { reader, read } = chatOf(ctx, me(ctx), false);
      return { status: 200, body: historyOf(ctx.world!.state, reader, read) };
    },
  },
  {
    method: 'POST',
    path: `${G}/chats/{chatId}/messages`,
    auth: 'user',
    operation: 'sendChatMessage',
    handle: (ctx) => send(ctx, me(ctx)),
  },
  {
    method: 'GET',
    path: `${G}/users/{userId}/chats`,
    auth: 'user',
    handle: (ctx) => ({ status: 200, body: chatsOf(ctx, self(ctx)) }),
  },
  {
    method: 'GET',
    path: `${G}/users/{userId}/chats/{chatId}/messages`,
    auth: 'user',
    handle: (ctx) => {
      const { reader, read } = chatOf(ctx, self(ctx), false);
      return { status: 200, body: historyOf(ctx.world!.state, reader, read) };
    },
  },
  {
    method: 'POST',
    path: `${G}/users/{userId}/chats/{chatId}/messages`,
    auth: 'user',
    operation: 'sendUserChatMessage',
    handle: (ctx) => send(ctx, self(ctx)),
  },
  {
    method: 'GET',
    path: `${G}/me/presence`,
    auth: 'user',
    // The user's own presence is outside the interop: shown as it is.
    handle: (ctx) => ({ status: 200, body: { id: me(ctx).name, availability: 'Available', activity: 'Available' } }),
  },
  { method: 'GET', path: `${G}/users/{userId}/presence`, auth: 'user', handle: presence },
  {
    method: 'POST',
    path: `${G}/me/onlineMeetings`,
    auth: 'user',
    operation: 'createMeeting',
    handle: (ctx) =>
      me(ctx).kind === 'teams' && on(ctx.world!.state, 'meeting-refused-only-for-skype-organiser')
        ? { status: 201, body: { id: `meeting-${ctx.world!.log.length}` } }
        : refuseWith('unsupported-group', 'a meeting is not supported across the interop'),
  },
];

/**
 * Microsoft Graph's shapes, as specs/openapi.yaml gives them for the v1.0 namespace: a chat, its members (Graph's
 * derived conversationMember types, told apart by `@odata.type`), a chatMessage, a presence, a collection. Pure
 * functions of the read model: what a route answers is built here and nowhere else.
 */
import type { Person } from '../../specs/protocol.js';
import { messageIdFor, stamp } from './faults/hooks.js';
import { pairKey, type ChatRecord, type StoredMessage, type WorldState } from './projection.js';

export const TEAMS_MEMBER = '#microsoft.graph.aadUserConversationMember';
export const SKYPE_MEMBER = '#microsoft.graph.skypeUserConversationMember';

/** Graph's collection envelope; `@odata.context` is optional and says what the collection is. */
export const collection = <T>(context: string, value: T[]) => ({ '@odata.context': context, value });

/** A conversation member's own id: opaque, one per chat and user (Graph's are base64 strings). */
const membershipId = (chatId: string, user: string) => Buffer.from(`${chatId}#${user}`).toString('base64url');

/** Graph's derived member types: a Teams user by Entra ID; a Skype user by Skype ID, with the world's user id. */
export function member(chatId: string, p: Person) {
  const common = { id: membershipId(chatId, p.name), displayName: p.name, roles: ['owner'] };
  if (p.kind === 'teams')
    return { '@odata.type': TEAMS_MEMBER, ...common, userId: p.name, email: p.email, tenantId: p.tenant };
  return { '@odata.type': SKYPE_MEMBER, ...common, skypeId: p.skypeId, userId: p.name };
}

export function chat(s: WorldState, c: ChatRecord, withMembers: boolean) {
  const shape = {
    id: c.id,
    chatType: 'oneOnOne',
    topic: null,
    createdDateTime: stamp(s, c.createdAt),
    lastUpdatedDateTime: stamp(s, c.updatedAt),
  };
  if (!withMembers) return shape;
  const people = c.members.map((n) => s.users.get(n) as Person);
  return { ...shape, members: people.map((p) => member(c.id, p)) };
}

/** Graph's teamworkUserIdentity of the sender. */
export function identityOf(p: Person) {
  return {
    '@odata.type': '#microsoft.graph.teamworkUserIdentity',
    id: p.name,
    displayName: p.name,
    userIdentityType: p.kind === 'teams' ? 'aadUser' : 'skypeUser',
  };
}

/** A message as `viewer` reads it (the id is the same on both sides: the message's place in the world's log). */
export function chatMessage(s: WorldState, m: StoredMessage, viewer: string) {
  const created = stamp(s, m.at);
  return {
    id: messageIdFor(s, m, viewer),
    chatId: s.chatOfPair.get(pairKey(m.from, m.to)) ?? null,
    messageType: 'message',
    createdDateTime: created,
    lastModifiedDateTime: created,
    from: { user: identityOf(s.users.get(m.from) as Person) },
    body: { contentType: 'text', content: m.text },
  };
}

/** `users('<id>')` at the end of a MemberBinding's `user@odata.bind`, whatever the base before it. */
export const boundUser = (binding: Record<string, unknown>): string | undefined =>
  /users\('([^']+)'\)$/.exec(String(binding['user@odata.bind']))?.[1];

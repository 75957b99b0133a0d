/**
 * The routes under `/worlds/{worldId}/`, each acting as the user whose bearer token it carries: one handler per
 * operation of specs/openapi.yaml — Graph's under `v1.0/` (shaped in graph.ts), the interop's extension under
 * `interop/` — calling the world's interop service. A refusal is an HttpError with the documented status of its
 * code.
 *
 * why-long: ROUTES is one table, one entry per operation of specs/openapi.yaml (about 230 lines), read beside
 *   that document in its order; splitting it by path would only add an index.
 */
import { randomBytes } from 'node:crypto';
import type { Action, ActorOutcome, ErrorCode, Tenant } from '../../../specs/protocol.js';
import { chatIdOf } from './chats.js';
import type { Ctx, Reply } from './context.js';
import { boundUser, chatBody, chatOf, createOneOnOne, messageBody, presenceBody } from './graph.js';
import { HttpError } from './limits.js';

export type { Ctx, Reply } from './context.js';

interface Route {
  method: string;
  segments: string[];
  /** The request body's schema in specs/openapi.yaml. */
  schema?: string;
  who: 'person' | 'admin' | 'anyone';
  handle(c: Ctx): Reply;
}

/** The documented status of every error code. */
export const STATUS_OF: Readonly<Record<ErrorCode, number>> = {
  'bad-request': 400,
  denied: 403,
  'not-found': 404,
  'payload-too-large': 413,
  'request-not-accepted': 409,
  'contact-blocked': 409,
  'unsupported-content': 422,
  'unsupported-group': 422,
  'unsupported-screen-share': 422,
  'delegation-unsupported': 422,
  'interop-unavailable': 403,
  'skype-access-disabled': 403,
  'audio-video-disabled': 403,
  'chat-service-unavailable': 403,
  'recipient-unavailable': 403,
};

type Ok = Extract<ActorOutcome, { status: 'ok' }>;
type NewMessage = {
  body: { contentType?: 'text' | 'html'; content: string };
  mentions?: { mentioned: { user: { id: string } } }[];
  attachments?: { name: string }[];
};
type NewChat = { chatType: 'oneOnOne' | 'group'; members: { 'user@odata.bind': string }[] };

const identity = (id: string) => ({ id, displayName: id });
const newId = () => randomBytes(9).toString('base64url');

/** The outcome's data, or its refusal as an HttpError. */
function okOrThrow(outcome: ActorOutcome): Ok {
  if (outcome.status === 'error')
    throw new HttpError(STATUS_OF[outcome.error], outcome.error, `refused: ${outcome.error}`);
  return outcome;
}

/** A user named in the path or body must exist in this world (404 otherwise, whoever asks). */
function user(c: Ctx, name: string): string {
  if (!c.world.has(name)) throw new HttpError(404, 'not-found', 'no such user');
  return name;
}

/** `/users/{userId}/…` is the caller's own, or 403 — unless a fault (`cross-user-read`, `send-as-another-user`) lets it through. */
function owner(c: Ctx, read: boolean): string {
  const id = user(c, c.params.userId!);
  if (id === c.me || c.world.faults.http.has(read ? 'cross-user-read' : 'send-as-another-user')) return id;
  throw new HttpError(403, 'denied', "another user's chats are not yours to see or use");
}

function chats(c: Ctx, viewer: string): Reply {
  return { status: 200, body: { value: c.world.chats.listed(viewer).map((chat) => chatBody(c, chat)) } };
}

function chatMessages(c: Ctx, viewer: string): Reply {
  const { chat } = chatOf(c, viewer, true);
  // A member reads their own view; a non-member (only the `non-member-reads-chat` variant gets here) a member's.
  const reader = chat.members.includes(viewer) ? viewer : chat.members[0];
  const peer = chat.members[0] === reader ? chat.members[1] : chat.members[0];
  return { status: 200, body: { value: c.world.chats.messages(reader, peer).map((m) => messageBody(c, chat.id, m)) } };
}

/**
 * A message or call, and whether its sender is blocked by the recipient: a blocked sender is answered as an
 * unblocked one, unless the `blocked-sender-told` fault tells.
 */
function contact(c: Ctx, act: () => ActorOutcome): { ok: Ok; senderBlocked: boolean } {
  const { outcome, senderBlocked } = c.world.contact(act);
  if (senderBlocked && c.world.faults.http.has('blocked-sender-told'))
    throw new HttpError(403, 'recipient-unavailable', 'the recipient has blocked you');
  return { ok: okOrThrow(outcome), senderBlocked };
}

/** A message in a chat `sender` is a member of, to its other member; one id in both views. */
function sendMessage(c: Ctx, sender: string): Reply {
  const { chat, peer } = chatOf(c, sender);
  const m = c.body as NewMessage;
  const contentType = m.body.contentType ?? 'text';
  const action: Extract<Action, { kind: 'message' }> = {
    kind: 'message',
    to: peer,
    text: m.body.content,
    ...(contentType === 'html' ? { format: 'rich' as const } : {}),
    ...(m.mentions?.length ? { mentions: m.mentions.map((x) => x.mentioned.user.id) } : {}),
    ...(m.attachments?.length ? { file: m.attachments[0]!.name } : {}),
  };
  c.world.admit(sender, peer, m.body.content);
  const id = c.world.chats.send(sender, peer, m.body.content);
  let arrives = false;
  try {
    arrives = !contact(c, () => c.world.service.sendMessage(sender, action)).senderBlocked;
  } finally {
    if (!arrives) c.world.chats.forget(sender, peer, id);
  }
  const entry = c.world.chats.record(sender, peer, sender, m.body.content, id);
  return { status: 201, body: messageBody(c, chat.id, { ...entry, text: m.body.content }, contentType) };
}

function callState(c: Ctx, state: 'established' | 'terminated', act: (peer: string) => ActorOutcome): Reply {
  const peer = user(c, c.params.callId!);
  okOrThrow(act(peer));
  return { status: 200, body: { id: peer, state } };
}

const route = (spec: string, who: Route['who'], handle: Route['handle'], schema?: string): Route => {
  const [method, path] = spec.split(' ') as [string, string];
  return { method, segments: path.split('/').filter(Boolean), who, handle, ...(schema ? { schema } : {}) };
};

export const ROUTES: readonly Route[] = [
  // ── Microsoft Graph v1.0 ──
  route('GET /v1.0/me/chats', 'person', (c) => chats(c, c.me)),
  route(
    'POST /v1.0/chats',
    'person',
    (c) => {
      const b = c.body as NewChat;
      const names = b.members.map((m) => user(c, boundUser(m)));
      if (b.chatType === 'oneOnOne' && names.length === 2) return createOneOnOne(c, names);
      // A group (or a "oneOnOne" of more than two): the interop has none (F9, CHAT-003).
      const others = [...new Set(names.filter((n) => n !== c.me))];
      okOrThrow(c.world.service.refuseFeature(c.me, { kind: 'group-chat', with: others, text: '' }));
      const at = new Date().toISOString();
      return {
        status: 201,
        body: {
          id: `19:${newId()}@thread.v2`,
          chatType: 'group',
          topic: null,
          createdDateTime: at,
          lastUpdatedDateTime: at,
        },
      };
    },
    'NewChat',
  ),
  route('GET /v1.0/chats/{chatId}', 'person', (c) => ({ status: 200, body: chatBody(c, chatOf(c, c.me, true).chat) })),
  route('GET /v1.0/chats/{chatId}/messages', 'person', (c) => chatMessages(c, c.me)),
  route('POST /v1.0/chats/{chatId}/messages', 'person', (c) => sendMessage(c, c.me), 'NewChatMessage'),
  route('GET /v1.0/users/{userId}/chats', 'person', (c) => chats(c, owner(c, true))),
  route('GET /v1.0/users/{userId}/chats/{chatId}/messages', 'person', (c) => chatMessages(c, owner(c, true))),
  route(
    'POST /v1.0/users/{userId}/chats/{chatId}/messages',
    'person',
    (c) => sendMessage(c, owner(c, false)),
    'NewChatMessage',
  ),
  route(
    'POST /v1.0/me/onlineMeetings',
    'person',
    (c) => {
      const { attendees } = (c.body as { participants: { attendees: { identity: { user: { id: string } } }[] } })
        .participants;
      const names = attendees.map((a) => user(c, a.identity.user.id));
      okOrThrow(c.world.service.refuseFeature(c.me, { kind: 'meeting', with: names }));
      return { status: 201, body: { id: newId() } };
    },
    'NewOnlineMeeting',
  ),
  route('GET /v1.0/me/presence', 'person', (c) => ({ status: 200, body: presenceBody(c.me, true) })),
  route('GET /v1.0/users/{userId}/presence', 'person', (c) => {
    const of = user(c, c.params.userId!);
    const presence = okOrThrow(c.world.service.presence(c.me, of)).presence;
    return { status: 200, body: presenceBody(of, presence === 'shown') };
  }),
  // ── The interop extension ──
  route('GET /interop/me/events', 'anyone', () => ({ status: 200, stream: true })),
  route('GET /interop/me/people', 'person', (c) => {
    const keys = (['email', 'skypeId', 'phone'] as const).filter((k) => c.query.has(k));
    if (keys.length !== 1) throw new HttpError(400, 'bad-request', 'search by exactly one of email, skypeId, phone');
    const found =
      okOrThrow(c.world.service.search(c.me, { kind: 'search', [keys[0]!]: c.query.get(keys[0]!)! })).found ?? [];
    return {
      status: 200,
      body: { value: found.map((id) => ({ ...identity(id), platform: c.world.directory.user(id).kind })) },
    };
  }),
  route(
    'PATCH /interop/me/settings',
    'person',
    (c) => {
      const { searchable } = c.body as { searchable: boolean };
      okOrThrow(c.world.service.setSearchable(c.me, searchable));
      return { status: 200, body: { searchable } };
    },
    'UserSettings',
  ),
  route(
    'POST /interop/me/calls',
    'person',
    (c) => {
      const b = c.body as { target: string; requestedModalities: ('audio' | 'video')[]; onBehalfOf?: string };
      const to = user(c, b.target);
      if (b.onBehalfOf !== undefined) user(c, b.onBehalfOf);
      c.world.admit(c.me, to);
      const media = b.requestedModalities.includes('video') ? 'video' : 'audio';
      const { ok } = contact(c, () =>
        c.world.service.startCall(c.me, {
          kind: 'call',
          to,
          media,
          ...(b.onBehalfOf !== undefined ? { onBehalfOf: b.onBehalfOf } : {}),
        }),
      );
      return {
        status: 201,
        body:
          ok.call === 'voicemail'
            ? { id: to, state: 'redirected', redirectedTo: 'voicemail' }
            : { id: to, state: 'establishing' },
      };
    },
    'NewCall',
  ),
  // The `call-state` query: Graph's call `state`, and `activeModalities` while there is a call.
  route('GET /interop/me/calls/{callId}', 'person', (c) => {
    const peer = user(c, c.params.callId!);
    const now = okOrThrow(c.world.service.callState(c.me, peer)).callState!;
    if (now.state === 'none') return { status: 200, body: { id: peer, state: 'none' } };
    return {
      status: 200,
      body: {
        id: peer,
        state: now.state === 'connected' ? 'established' : 'ringing',
        activeModalities: now.media === 'video' ? ['audio', 'video'] : ['audio'],
      },
    };
  }),
  route('POST /interop/me/calls/{callId}/answer', 'person', (c) =>
    callState(c, 'established', (p) => c.world.service.answer(c.me, p)),
  ),
  route('POST /interop/me/calls/{callId}/decline', 'person', (c) =>
    callState(c, 'terminated', (p) => c.world.service.decline(c.me, p)),
  ),
  route('POST /interop/me/calls/{callId}/hangUp', 'person', (c) =>
    callState(c, 'terminated', (p) => c.world.service.hangUp(c.me, p)),
  ),
  route('POST /interop/me/calls/{callId}/addVideo', 'person', (c) =>
    callState(c, 'established', (p) => c.world.service.addVideo(c.me, p)),
  ),
  route('POST /interop/me/calls/{callId}/shareScreen', 'person', (c) =>
    callState(c, 'established', (p) => c.world.service.refuseFeature(c.me, { kind: 'share-screen', with: p })),
  ),
  route(
    'POST /interop/me/calls/{callId}/participants',
    'person',
    (c) => {
      const peer = user(c, c.params.callId!);
      const invited = user(c, (c.body as { userId: string }).userId);
      okOrThrow(c.world.service.refuseFeature(c.me, { kind: 'add-participant', with: peer, user: invited }));
      return { status: 201, body: { id: newId(), userId: invited } };
    },
    'NewParticipant',
  ),
  route('POST /interop/me/requests/{requestId}/accept', 'person', (c) => {
    const from = user(c, c.params.requestId!);
    okOrThrow(c.world.service.accept(c.me, from));
    return { status: 200, body: { id: from, state: 'accepted' } };
  }),
  route('GET /interop/me/requests/{requestId}/messages', 'person', (c) => {
    const from = user(c, c.params.requestId!);
    const texts = okOrThrow(c.world.service.viewMessages(c.me, from)).messages ?? [];
    const at = new Date();
    const chatId = chatIdOf(c.me, from);
    // Each text as it reached the viewer's chat, under the id its sender was given (one message, one id).
    const held = c.world.chats.messages(c.me, from).filter((m) => m.from === from);
    const take = (text: string, i: number) => {
      const k = held.findIndex((m) => m.text === text);
      return k < 0 ? { id: `${from}-${i + 1}`, from, at, text } : held.splice(k, 1)[0]!;
    };
    return { status: 200, body: { value: texts.map((text, i) => messageBody(c, chatId, take(text, i))) } };
  }),
  route('GET /interop/me/blockedContacts', 'person', (c) => {
    // People are users of the world; the rest of the list is phone numbers (F22), kept in the service's order.
    const blocked = okOrThrow(c.world.service.blockedContacts(c.me)).blocked ?? [];
    const people = blocked.filter((entry) => c.world.directory.has(entry));
    const phoneNumbers = blocked.filter((entry) => !c.world.directory.has(entry));
    return { status: 200, body: { value: people.map(identity), ...(phoneNumbers.length ? { phoneNumbers } : {}) } };
  }),
  route('POST /interop/me/blockedNumbers/{phoneNumber}', 'person', (c) => {
    okOrThrow(c.world.service.blockNumber(c.me, c.params.phoneNumber!, true));
    return { status: 200, body: { phoneNumber: c.params.phoneNumber } };
  }),
  route('DELETE /interop/me/blockedNumbers/{phoneNumber}', 'person', (c) => {
    okOrThrow(c.world.service.blockNumber(c.me, c.params.phoneNumber!, false));
    return { status: 204 };
  }),
  route('POST /interop/me/blockedContacts/{userId}', 'person', (c) => {
    const other = user(c, c.params.userId!);
    okOrThrow(c.world.service.block(c.me, other));
    return { status: 200, body: identity(other) };
  }),
  route('DELETE /interop/me/blockedContacts/{userId}', 'person', (c) => {
    okOrThrow(c.world.service.unblock(c.me, user(c, c.params.userId!)));
    return { status: 204 };
  }),
  route('POST /interop/me/settings/privacy/blockedContacts/{userId}', 'person', (c) => {
    const other = user(c, c.params.userId!);
    okOrThrow(c.world.service.block(c.me, other, 'privacy-settings'));
    return { status: 200, body: identity(other) };
  }),
  route('DELETE /interop/me/settings/privacy/blockedContacts/{userId}', 'person', (c) => {
    okOrThrow(c.world.service.unblock(c.me, user(c, c.params.userId!), 'privacy-settings'));
    return { status: 204 };
  }),
  route(
    'PATCH /interop/admin/federationConfiguration',
    'admin',
    (c) => {
      const { allowPublicUsers } = c.body as { allowPublicUsers: boolean };
      okOrThrow(c.world.service.setOrgSwitch(c.me, allowPublicUsers));
      return { status: 200, body: { allowPublicUsers } };
    },
    'FederationConfiguration',
  ),
  route(
    'PATCH /interop/admin/users/{userId}/externalAccessPolicy',
    'admin',
    (c) => {
      const target = user(c, c.params.userId!);
      okOrThrow(c.world.service.setUserPolicy(c.me, { kind: 'set-user-policy', user: target, ...(c.body as object) }));
      return { status: 200, body: { userId: target, ...c.world.directory.teams(target).policy } };
    },
    'ExternalAccessPolicyChange',
  ),
  route(
    'PATCH /interop/admin/servicePrincipals/skypeForBusinessOnline',
    'admin',
    (c) => {
      const { accountEnabled } = c.body as { accountEnabled: boolean };
      okOrThrow(c.world.service.setEnterpriseApp(c.me, accountEnabled));
      return { status: 200, body: { appDisplayName: 'Skype for Business Online', accountEnabled } };
    },
    'ServicePrincipalChange',
  ),
  route(
    'PATCH /interop/admin/deployment',
    'admin',
    (c) => {
      okOrThrow(
        c.world.service.setDeployment(
          c.me,
          c.body as Partial<Pick<Tenant, 'cloud' | 'publicProvider' | 'sipFederationSrv'>>,
        ),
      );
      const { cloud, publicProvider, sipFederationSrv } = c.world.directory.tenant(
        c.world.directory.admin(c.me).tenant,
      );
      return { status: 200, body: { cloud, publicProvider, sipFederationSrv } };
    },
    'DeploymentChange',
  ),
];

/** The methods served at the path after `/worlds/{worldId}` (for 405's `Allow`); none: no such path. */
export function methodsAt(segments: string[]): string[] {
  const fits = (r: Route) =>
    r.segments.length === segments.length && r.segments.every((s, i) => s.startsWith('{') || s === segments[i]);
  return [...new Set(ROUTES.filter(fits).map((r) => r.method))];
}

/** The route for a method and the path after `/worlds/{worldId}`, with its path parameters; none → 404. */
export function match(
  method: string,
  segments: string[],
): { route: Route; params: Record<string, string> } | undefined {
  for (const r of ROUTES) {
    if (r.method !== method || r.segments.length !== segments.length) continue;
    const params: Record<string, string> = {};
    if (
      r.segments.every((s, i) =>
        s.startsWith('{') ? ((params[s.slice(1, -1)] = segments[i]!), true) : s === segments[i],
      )
    )
      return { route: r, params };
  }
  return undefined;
}

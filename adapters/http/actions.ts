/**
 * Actions as API calls, and answers as what the actor is shown: a 2xx is `ok` with its data, any documented
 * error is `error` with the code from the error body. A 429 is none of the protocol's answers: a quota of the
 * system under test was reached, so it is an error of the run (no verdict), like a 5xx. (Probes are in probes.ts.)
 */
import type { Action, ActorOutcome, CallState, ErrorCode } from '../../specs/protocol.js';
import { WireFormatViolation } from '../adapter.js';
import type { Answer, WorldApi } from './api.js';
import { memberBinding, type ChatIds, type MessageIds } from './chats.js';

type Ok = Extract<ActorOutcome, { status: 'ok' }>;
type Plain = Exclude<Action, { kind: 'probe' }>;

function outcome(a: Answer, data: (body: any) => Omit<Ok, 'status'> = () => ({})): ActorOutcome {
  if (a.status === 429)
    throw new Error(
      `the system under test answered 429 (a quota reached: ${String(a.data?.error?.message ?? 'no message').slice(0, 200)}); no verdict`,
    );
  if (a.status >= 400) return { status: 'error', error: a.data.error.code as ErrorCode };
  return { status: 'ok', ...data(a.data) };
}

/**
 * The Graph-style message body of a `message` action: rich text, mentions and emoji are HTML; a file is an attachment.
 * Mentions with an explicit `format: plain` go as a text body that still carries the `mentions` list (a client that
 * tags a plain message): the interop must refuse the mention itself, not only the HTML around it.
 */
export function messageBody(m: Extract<Action, { kind: 'message' }>) {
  const html = m.format === 'rich' || m.emoji !== undefined || ((m.mentions?.length ?? 0) > 0 && m.format !== 'plain');
  const escape = (s: string) => s.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
  const content = html
    ? [
        escape(m.text),
        ...(m.mentions ?? []).map((u, i) => `<at id="${i}">${escape(u)}</at>`),
        ...(m.emoji !== undefined ? [`<emoji alt="${escape(m.emoji)}"></emoji>`] : []),
      ].join(' ')
    : m.text;
  // Plain text goes as Graph's minimal body, `{ body: { content } }` (contentType defaults to text), as Graph
  // clients send it; a plain message that tags someone says `text` explicitly.
  return {
    body: html ? { contentType: 'html', content } : m.mentions?.length ? { contentType: 'text', content } : { content },
    ...(m.mentions?.length
      ? {
          mentions: m.mentions.map((u, i) => ({
            id: i,
            mentionText: u,
            mentioned: { user: { id: u, displayName: u } },
          })),
        }
      : {}),
    ...(m.file !== undefined ? { attachments: [{ contentType: 'reference', name: m.file }] } : {}),
  };
}

const user = (id: string) => ({ userId: id });
/** Graph's `meetingParticipants`: each attendee by the user's id. */
const attendees = (ids: readonly string[]) => ({
  attendees: ids.map((id) => ({ identity: { user: { id } } })),
});

/**
 * A 400 `bad-request` says the body is malformed. To a body the document's own request schema accepts (a message
 * is always sent so), it is not the answer the document gives: a wire violation (WIRE-001), with the body.
 */
function refusedValid(api: WorldApi, id: string, what: string, body: unknown): void {
  const schema = api.doc.operation(id).request;
  if (schema && api.doc.problems(schema, body).length === 0)
    throw new WireFormatViolation(
      api.redact.text(
        `${what} answered 400 to a body specs/openapi.yaml accepts (${schema}): ${JSON.stringify(body).slice(0, 300)}`,
      ),
    );
}

/** Graph's call `state` and `activeModalities` (schema-checked already) as the protocol's CallState. */
function callStateOf(b: { state: 'none' | 'ringing' | 'established'; activeModalities?: string[] }): CallState {
  if (b.state === 'none') return { state: 'none' };
  return {
    state: b.state === 'established' ? 'connected' : 'ringing',
    media: b.activeModalities?.includes('video') ? 'video' : 'audio',
  };
}

/** The ids this world's people were given: chats per (person, other person), messages per sender. */
export interface WorldIds {
  chats: ChatIds;
  messages: MessageIds;
}

export async function performAction(api: WorldApi, ids: WorldIds, actor: string, a: Plain): Promise<ActorOutcome> {
  const call = (id: string, o: Parameters<WorldApi['invoke']>[2] = {}) => api.invoke(id, actor, o);
  switch (a.kind) {
    case 'search': {
      const query: Record<string, string> =
        a.email !== undefined
          ? { email: a.email }
          : a.skypeId !== undefined
            ? { skypeId: a.skypeId }
            : { phone: a.phone ?? '' };
      return outcome(await call('searchPeople', { query }), (b) => ({
        found: b.value.map((p: { id: string }) => p.id),
      }));
    }
    case 'set-searchable':
      return outcome(await call('updateMySettings', { body: { searchable: a.value } }));
    case 'message': {
      // The chat first (its id is the system's), then the message in it.
      const chat = await ids.chats.of(actor, a.to);
      if ('refused' in chat) return outcome(chat.refused);
      const body = messageBody(a);
      const sent = await call('sendChatMessage', { params: { chatId: chat.id }, body });
      if (sent.status === 201) ids.messages.sent(actor, a.to, body.body.content, sent.data.id);
      if (sent.status === 400) refusedValid(api, 'sendChatMessage', `${actor}: POST /chats/{id}/messages`, body);
      return outcome(sent);
    }
    case 'group-chat':
      // Graph creates a group chat without a first message: the text has nowhere to go (the chat is refused anyway).
      return outcome(
        await call('createChat', { body: { chatType: 'group', members: [actor, ...a.with].map(memberBinding) } }),
      );
    case 'meeting':
      return outcome(await call('createMeeting', { body: { participants: attendees(a.with) } }));
    case 'call': {
      const body = {
        target: a.to,
        requestedModalities: a.media === 'video' ? ['audio', 'video'] : ['audio'],
        ...(a.onBehalfOf !== undefined ? { onBehalfOf: a.onBehalfOf } : {}),
      };
      return outcome(await call('createCall', { body }), (b) =>
        b.redirectedTo === 'voicemail' ? { call: 'voicemail' } : {},
      );
    }
    case 'answer':
      return outcome(await call('answerCall', { params: { callId: a.from } }));
    case 'decline':
      return outcome(await call('declineCall', { params: { callId: a.from } }));
    case 'hang-up':
      return outcome(await call('hangUpCall', { params: { callId: a.with } }));
    case 'add-video':
      return outcome(await call('addVideo', { params: { callId: a.with } }));
    case 'share-screen':
      return outcome(await call('shareScreen', { params: { callId: a.with } }));
    case 'add-participant':
      return outcome(await call('addParticipant', { params: { callId: a.with }, body: user(a.user) }));
    case 'accept':
      return outcome(await call('acceptRequest', { params: { requestId: a.from } }));
    case 'view-messages':
      return outcome(await call('viewRequestMessages', { params: { requestId: a.from } }), (b) => {
        ids.messages.viewed(actor, a.from, b.value);
        return { messages: b.value.map((m: { body: { content: string } }) => m.body.content) };
      });
    case 'block':
      return outcome(
        await call(a.via === 'privacy-settings' ? 'blockContactInPrivacySettings' : 'blockContact', {
          params: { userId: a.user },
        }),
      );
    case 'unblock':
      return outcome(
        await call(a.via === 'privacy-settings' ? 'unblockContactInPrivacySettings' : 'unblockContact', {
          params: { userId: a.user },
        }),
      );
    case 'blocked-contacts':
      return outcome(await call('listBlockedContacts'), (b) => ({
        blocked: [...b.value.map((c: { id: string }) => c.id), ...(b.phoneNumbers ?? [])],
      }));
    case 'block-number':
      return outcome(await call('blockNumber', { params: { phoneNumber: a.phone } }));
    case 'unblock-number':
      return outcome(await call('unblockNumber', { params: { phoneNumber: a.phone } }));
    case 'presence':
      // Graph's presence: `availability` and `activity` (the document requires both); hidden is PresenceUnknown.
      return outcome(await call('getPresence', { params: { userId: a.of } }), (b) => ({
        presence: b.availability === 'PresenceUnknown' ? 'hidden' : 'shown',
      }));
    case 'call-state':
      return outcome(await call('getCall', { params: { callId: a.with } }), (b) => ({ callState: callStateOf(b) }));
    case 'set-org-switch':
      return outcome(await call('updateFederationConfiguration', { body: { allowPublicUsers: a.allowPublicUsers } }));
    case 'set-user-policy': {
      const body = {
        ...(a.enablePublicCloudAccess !== undefined ? { enablePublicCloudAccess: a.enablePublicCloudAccess } : {}),
        ...(a.enablePublicCloudAudioVideoAccess !== undefined
          ? { enablePublicCloudAudioVideoAccess: a.enablePublicCloudAudioVideoAccess }
          : {}),
      };
      return outcome(await call('updateExternalAccessPolicy', { params: { userId: a.user }, body }));
    }
    case 'set-enterprise-app':
      return outcome(await call('updateSkypeForBusinessOnlineApp', { body: { accountEnabled: a.enabled } }));
    case 'set-public-provider':
      return outcome(await call('updateDeployment', { body: { publicProvider: a.provider } }));
    case 'set-sip-federation-srv':
      return outcome(await call('updateDeployment', { body: { sipFederationSrv: a.record } }));
    case 'set-cloud':
      return outcome(await call('updateDeployment', { body: { cloud: a.cloud } }));
    default: {
      const unknown: never = a;
      throw new Error(`the http adapter cannot perform ${JSON.stringify(unknown)}`);
    }
  }
}

/**
 * specs/openapi.yaml's answer schemas are open and its request schemas strict (issue 12 item 1): a system that
 * answers what Graph answers (`@odata.context`, `@odata.etag`, `importance`, `viewpoint`, …) passes WIRE-001,
 * while a documented property missing or of the wrong type still fails it; a client's request with a property the
 * document does not name is refused, and Graph's optional fields are taken.
 */
import t from 'tap';
import { apiSchemaRef, createApiAjv, readApiDocument } from '../specs/schemas/ajv.js';
import { oneOnOne } from './fixtures/graph-chat.js';

t.test(
  "answers are open and requests strict: a real Graph payload passes the document's answer schemas, a missing or mistyped documented property fails",
  async (t) => {
    const ajv = createApiAjv(readApiDocument(), { allErrors: true, strict: true, strictTypes: false });
    const problems = (schema: string, data: unknown) => {
      const validate = ajv.getSchema(apiSchemaRef(schema))!;
      return validate(data) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message}`);
    };
    // As Graph answers GET /chats/{id}/messages/{id} (learn.microsoft.com's example), with this world's user id.
    const message = {
      '@odata.context':
        "https://graph.microsoft.com/v1.0/$metadata#chats('19%3Asam_tara%40unq.gbl.spaces')/messages/$entity",
      '@odata.etag': '1616990032035',
      id: '1616990032035',
      replyToId: null,
      etag: '1616990032035',
      messageType: 'message',
      createdDateTime: '2021-03-29T03:53:52.035Z',
      lastModifiedDateTime: '2021-03-29T03:53:52.035Z',
      lastEditedDateTime: null,
      deletedDateTime: null,
      subject: null,
      chatId: '19:sam_tara@unq.gbl.spaces',
      importance: 'normal',
      locale: 'en-us',
      from: {
        application: null,
        device: null,
        user: {
          '@odata.type': '#microsoft.graph.teamworkUserIdentity',
          id: 'tara',
          displayName: 'Tara',
          userIdentityType: 'aadUser',
          tenantId: 'contoso',
        },
      },
      body: { contentType: 'text', content: 'Hello world' },
      attachments: [],
      mentions: [],
      reactions: [],
    };
    t.same(problems('ChatMessage', message), [], 'a chatMessage as Graph answers it');
    const { messageType: _, ...untyped } = message;
    t.same(problems('ChatMessage', untyped), ["/ must have required property 'messageType'"], 'without messageType');
    t.same(problems('ChatMessage', { ...message, createdDateTime: 1616990032035 }), [
      '/createdDateTime must be string',
    ]);
    const chats = {
      '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#chats',
      '@odata.count': 1,
      value: [
        {
          id: '19:sam_tara@unq.gbl.spaces',
          topic: null,
          createdDateTime: '2021-03-29T03:53:52.035Z',
          lastUpdatedDateTime: '2021-03-29T03:53:52.035Z',
          chatType: 'oneOnOne',
          webUrl: 'https://teams.microsoft.com/l/chat/19%3Asam_tara%40unq.gbl.spaces/0',
          tenantId: 'contoso',
          viewpoint: { isHidden: false, lastMessageReadDateTime: '2021-03-29T03:53:52.035Z' },
          members: [
            {
              '@odata.type': '#microsoft.graph.aadUserConversationMember',
              id: 'MCMjMSMjNzZmOWYxY2UtN2FkZC00ZDBiLWE0ZjUtYjU5YzRiZmM4MmNlIyMxOTp',
              roles: ['owner'],
              displayName: 'Tara',
              visibleHistoryStartDateTime: '0001-01-01T00:00:00Z',
              userId: 'tara',
              email: 'tara@contoso.example',
              tenantId: 'contoso',
            },
            {
              '@odata.type': '#microsoft.graph.skypeUserConversationMember',
              id: 'MCMjMSMjNzZmOWYxY2UtN2FkZC00ZDBiLWE0ZjUtYjU5YzRiZmM4MmNlIyMxOTq',
              roles: ['owner'],
              displayName: 'Sam',
              skypeId: 'live:sam',
              userId: 'sam',
            },
          ],
        },
      ],
    };
    t.same(problems('ChatCollection', chats), [], 'a chat collection as Graph answers it, members expanded');
    const [chat] = chats.value;
    const broken = {
      value: [{ ...chat, chatType: 'twoOnTwo', members: [{ ...chat!.members[1], userId: undefined }] }],
    };
    t.same(problems('ChatCollection', JSON.parse(JSON.stringify(broken))), [
      '/value/0/chatType must be equal to one of the allowed values',
      // No member type fits: both lack userId, and the Teams one wants another @odata.type too.
      "/value/0/members/0 must have required property 'userId'",
      '/value/0/members/0/@odata.type must be equal to constant',
      "/value/0/members/0 must have required property 'userId'",
      '/value/0/members/0 must match exactly one schema in oneOf',
    ]);
    const presence = {
      '@odata.context': 'x',
      id: 'sam',
      availability: 'PresenceUnknown',
      activity: 'PresenceUnknown',
      statusMessage: null,
    };
    t.same(problems('Presence', presence), [], "Graph's presence, with its statusMessage");
    const { activity: __, ...noActivity } = presence;
    t.same(problems('Presence', noActivity), ["/ must have required property 'activity'"]);
    const error = {
      error: {
        code: 'denied',
        message: 'x',
        innerError: {
          date: '2026-11-30T08:00:00Z',
          'request-id': 'r',
          'client-request-id': 'c',
          'x-ms-ags-diagnostic': '{}',
        },
        details: [],
      },
    };
    t.same(problems('ForbiddenError', error), [], "Graph's error, innerError and all");
    t.same(problems('ForbiddenError', { error: { ...error.error, innerError: { date: 'yesterday' } } }), [
      '/error/innerError/date must match format "date-time"',
    ]);
    // Requests stay strict, and take the optional fields a Graph client sends.
    t.same(problems('NewChatMessage', { '@odata.type': '#microsoft.graph.chatMessage', body: { content: 'hi' } }), []);
    t.same(problems('NewChatMessage', { body: { content: 'hi' }, importance: 'high' }), [
      '/ must NOT have additional properties',
    ]);
    t.same(
      problems('NewChat', { '@odata.type': '#microsoft.graph.chat', topic: null, ...oneOnOne('tara', 'sam') }),
      [],
    );
  },
);

/**
 * The three checks on the event cursor that close blind spots the independent implementation's faults showed
 * (each of its faults was caught by 0 of 163 scenarios before): a 401 never carries a cursor, a user left out after
 * an entry above 0 went down to 0, and an answer counts at least what the streams had shown before its request.
 */
import t from 'tap';
import { WireFormatViolation } from '../adapters/adapter.js';
import { WorldApi } from '../adapters/http/api.js';
import { HttpClient, Redactor } from '../adapters/http/client.js';
import { EventCursor } from '../adapters/http/cursor.js';
import { ApiDocument } from '../adapters/http/schema.js';

const USERS = new Set(['tara', 'sam', 'ada']);
const same = (s: string) => s;
const cursor = () => new EventCursor(USERS);

t.test('a user left out after an entry above 0 is a WIRE-001 violation; one left out at 0 is not', async (t) => {
  const c = cursor();
  c.take('tara=0, sam=0, ada=0', 'first', same);
  c.take('tara=0', 'users at 0 left out', same);
  t.equal(c.of('sam'), 0);
  c.take('sam=2', 'sam above 0', same);
  t.throws(
    () => c.take('tara=1', 'tara: POST /v1.0/chats answered 201', same),
    {
      constructor: WireFormatViolation,
      message: /tara: POST \/v1\.0\/chats answered 201 .*leaves out sam, whose entry was 2/,
    },
    'sam was 2: left out now reads as 0, going down',
  );
  t.doesNotThrow(() => c.take('tara=1, sam=2', 'sam named again', same));
});

t.test('an entry below the id a stream had shown before the request is a WIRE-001 violation', async (t) => {
  const shown = new Map<string, number>([['sam', 4]]);
  const c = cursor();
  t.equal(c.shownNow(), undefined, 'no streams watched: nothing to hold the answer to');
  c.watch((user) => shown.get(user) ?? 0);
  const before = c.shownNow()!;
  t.same([...before], [['sam', 4]], 'users whose streams showed nothing are not held');
  t.throws(() => c.take('tara=0, sam=3', 'sam: GET /v1.0/me/chats answered 200', same, before), {
    constructor: WireFormatViolation,
    message: /counts sam's events up to 3, but sam's stream had shown the id 4 before the request was sent/,
  });
  t.throws(() => c.take('tara=0', 'sam left out', same, before), {
    message: /up to 0, but sam's stream had shown the id 4/,
  });
  t.doesNotThrow(() => c.take('tara=0, sam=4', 'at what was shown', same, before));
  t.doesNotThrow(() => c.take('tara=0, sam=6', 'above it', same, before));
});

t.test(
  'a 401 carrying an Interop-Event-Cursor is a WIRE-001 violation naming the header; one without passes',
  async (t) => {
    const client = new HttpClient({ url: 'http://127.0.0.1:9', timeoutMs: 1000 });
    t.teardown(() => client.close());
    const api = new WorldApi(client, ApiDocument.load(), new Redactor(), 'w1', { tara: 'a-token-of-tara-0123456789' });
    const unauthorized = {
      status: 401,
      contentType: 'application/json',
      text: JSON.stringify({ error: { code: 'denied', message: 'no valid token' } }),
      what: 'tara: GET /v1.0/me/chats',
    };
    t.equal(api.checked('listMyChats', unauthorized).status, 401, 'the document gives this 401');
    t.throws(() => api.checked('listMyChats', { ...unauthorized, cursor: 'tara=0, sam=3' }), {
      constructor: WireFormatViolation,
      message: /answered 401 with an Interop-Event-Cursor/,
      details: ['Interop-Event-Cursor: tara=0, sam=3'],
    });
  },
);

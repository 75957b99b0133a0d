/**
 * The independent implementation of specs/openapi.yaml (issue 14, adapters/independent/): the whole suite passes
 * against it over HTTP; a differential run against the served reference observes the same at every step (and a
 * differential run does see a difference when there is one); and the session's wire contract holds.
 */
import t from 'tap';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { request } from 'undici';
import { startIndependent } from '../adapters/independent/index.js';
import { LIMITS } from '../adapters/independent/world.js';
import { Feed, SLOW_READER_CUT } from '../adapters/independent/feeds.js';
import { cli } from './support.js';
import { skype, teams, worldOf } from './fixtures/reference-world.js';

const SCENARIOS = 163;
/** The requirements on a client's requests, checked through msw (issue 12 item 3): no run against a service tests them. */
const CLIENT_CLAUSES = (
  parse(readFileSync('specs/requirements.yaml', 'utf8')).requirements as { id: string; 'checked-by'?: string }[]
)
  .filter((r) => r['checked-by'] === 'msw.client-requests')
  .map((r) => r.id);
/** A world of one tenant with every default, one Teams and one Skype user (openapi World). */
const WORLD = worldOf(teams('tara'), skype('sam', { client: 'web' }));

/** createChat (Graph's body) of `a`'s chat with `b`, as `token`: the chat's id. */
async function createChat(url: string, world: string, token: string, a: string, b: string): Promise<string> {
  const bind = (u: string) => ({ 'user@odata.bind': `https://graph.microsoft.com/v1.0/users('${u}')` });
  const res = await request(`${url}/worlds/${world}/v1.0/chats`, {
    method: 'POST',
    body: JSON.stringify({ chatType: 'oneOnOne', members: [bind(a), bind(b)] }),
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
  });
  return ((await res.body.json()) as { id: string }).id;
}

// Three whole-suite runs over HTTP: on a loaded CI machine that is more than the default 120 s a file.
t.setTimeout(360_000);

/** `interop-conformance serve` as a child process (no coverage: tsx's would not merge with tap's). */
async function serveReference(t: { teardown(fn: () => void): void }): Promise<string> {
  const env = { ...process.env, _TAPJS_PROCESSINFO_COVERAGE_: '0' };
  const child = spawn(process.execPath, ['bin/interop-conformance.js', 'serve', '--port', '0'], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env,
  });
  t.teardown(() => void child.kill('SIGTERM'));
  let out = '';
  return new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve printed no URL: ${out}`)), 30_000);
    child.stdout.on('data', (d: Buffer) => {
      out += d;
      const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    });
  });
}

t.test(
  'every one of the 163 scenarios passes over HTTP against the independent implementation and the served reference, and a differential run of the two disagrees nowhere',
  async (t) => {
    const reference = await serveReference(t);
    // Every adapter of a differential run gets every option: `url` is the http adapter's; the independent
    // adapter module starts its own service and ignores it.
    const r = await cli([
      'run',
      'scenarios',
      '--adapter',
      'http,adapters/independent/adapter.ts',
      '--adapter-option',
      `url=${reference}`,
      '--quiet',
      '--reporter',
      'json',
    ]);
    t.equal(r.code, 0, r.err || r.out.slice(-1500));
    const report = r.report();
    t.same(report.differential!.adapters, [`http(${reference})`, 'independent']);
    t.equal(report.summary.scenarios.pass, 2 * SCENARIOS, 'each adapter passes every scenario');
    t.same(report.differential!.disagreements, [], 'no step observed differently');
    // The same run is the independent implementation's whole-suite run over HTTP (one run, not two: CI time).
    const independent = report.scenarios.filter((s) => s.adapter === 'independent');
    t.equal(independent.length, SCENARIOS, `all ${SCENARIOS} scenarios ran against the independent implementation`);
    t.same(
      independent.filter((s) => s.verdict !== 'pass').map((s) => s.id),
      [],
      'every one passes against it, security ones included: none skipped, over HTTP every capability is there',
    );
    t.equal(report.summary.scenarios.skip, 0, 'nothing is skipped on either side');
    t.same(
      report.requirements.filter((q) => q.verdict !== 'pass').map((q) => [q.id, q.verdict]),
      CLIENT_CLAUSES.map((id) => [id, 'untested']),
      "every requirement passes, but a client's clauses: a service's run cannot test them (msw does)",
    );
  },
);

t.test(
  'the same differential run does report a disagreement when one side is faulty (the check can fail)',
  async (t) => {
    // One scenario and a short deadline: the dropped messages are waited for only that long.
    const r = await cli([
      'run',
      'scenarios/chat',
      '--grep',
      'both-ways',
      '--deadline',
      '300',
      '--adapter',
      'reference,adapters/independent/adapter.ts',
      '--adapter-option',
      'faults=teams-to-skype-messages-dropped',
      '--quiet',
      '--reporter',
      'json',
    ]);
    t.equal(r.code, 1, 'the faulty reference fails the gate');
    const d = r.report().differential!;
    t.same(d.adapters, ['reference!teams-to-skype-messages-dropped', 'independent']);
    t.equal(
      d.disagreements.length,
      3,
      'the 3 steps whose Teams-to-Skype message the reference dropped were observed differently',
    );
    const failedByReference = d.matrix.filter(
      (m) => m.verdicts['reference!teams-to-skype-messages-dropped'] === 'fail',
    );
    t.same(
      failedByReference.map((m) => m.requirement),
      ['REQ-004', 'CHAT-001', 'CHAT-009'],
      'the faulty reference fails the clauses of a lost message',
    );
    t.same(
      failedByReference.map((m) => m.verdicts.independent),
      failedByReference.map(() => 'pass'),
      'where the faulty reference fails a requirement, the independent side passes it',
    );
  },
);

t.test('the wire contract: control token, 401 with WWW-Authenticate, 405 with Allow, nosniff, 421, 404', async (t) => {
  const service = await startIndependent();
  t.teardown(() => service.close());
  const created = await request(`${service.url}/worlds`, {
    method: 'POST',
    body: JSON.stringify(WORLD),
    headers: { 'content-type': 'application/json' },
  });
  t.equal(created.statusCode, 201);
  t.equal(created.headers['x-content-type-options'], 'nosniff', 'nosniff on a 201');
  const { id, tokens, controlToken } = (await created.body.json()) as {
    id: string;
    tokens: Record<string, string>;
    controlToken: string;
  };
  t.match(controlToken, /^[A-Za-z0-9_-]{43}$/, 'a control token of 256 random bits, base64url');
  const as = (token: string) => ({ authorization: `Bearer ${token}`, 'content-type': 'application/json' });

  const syncAsUser = await request(`${service.url}/worlds/${id}/sync`, {
    method: 'POST',
    body: '{"marker":"m1"}',
    headers: as(tokens.tara!),
  });
  t.equal(syncAsUser.statusCode, 401, "a user's token does not sync");
  t.equal(syncAsUser.headers['www-authenticate'], 'Bearer realm="interop-conformance"');
  const refusal = (await syncAsUser.body.json()) as { error: Record<string, unknown> };
  t.same([refusal.error.code, refusal.error.message], ['denied', "this route takes the world's control token"]);
  const sync = await request(`${service.url}/worlds/${id}/sync`, {
    method: 'POST',
    body: '{"marker":"m1"}',
    headers: as(controlToken),
  });
  t.equal(sync.statusCode, 202);
  t.same(await sync.body.json(), { marker: 'm1' });

  const wrongMethod = await request(`${service.url}/worlds/${id}/interop/me/blockedContacts`, {
    method: 'DELETE',
    headers: as(tokens.tara!),
  });
  t.equal(wrongMethod.statusCode, 405);
  t.equal(wrongMethod.headers.allow, 'GET');
  t.equal(((await wrongMethod.body.json()) as { error: { code: string } }).error.code, 'method-not-allowed');

  const foreignHost = await request(`${service.url}/worlds/${id}/v1.0/me/chats`, {
    headers: { ...as(tokens.tara!), host: 'attacker.example' },
  });
  t.equal(foreignHost.statusCode, 421, 'a Host that is not loopback is misdirected');
  t.equal(((await foreignHost.body.json()) as { error: { code: string } }).error.code, 'misdirected-request');

  const noToken = await request(`${service.url}/worlds/${id}/v1.0/me/chats`);
  t.equal(noToken.statusCode, 401);
  t.equal(
    noToken.headers['www-authenticate'],
    'Bearer realm="interop-conformance"',
    'every 401 says how to authenticate',
  );
  await noToken.body.dump();

  const deleteAsUser = await request(`${service.url}/worlds/${id}`, { method: 'DELETE', headers: as(tokens.sam!) });
  t.equal(deleteAsUser.statusCode, 401, "a user's token does not delete the world");
  await deleteAsUser.body.dump();
  const deleted = await request(`${service.url}/worlds/${id}`, { method: 'DELETE', headers: as(controlToken) });
  t.equal(deleted.statusCode, 204);
  await deleted.body.dump();
  const gone = await request(`${service.url}/worlds/${id}/v1.0/me/chats`, { headers: as(tokens.tara!) });
  t.equal(gone.statusCode, 404, "a deleted world's token reaches nothing");
  await gone.body.dump();

  const unknown = await request(`${service.url}/nowhere`);
  t.equal(unknown.statusCode, 404);
  t.equal(unknown.headers['x-content-type-options'], 'nosniff', 'nosniff on a 404');
  await unknown.body.dump();
});

t.test(
  'a world past its message-byte bound answers 429 too-many-requests and keeps nothing of the refused message',
  async (t) => {
    const service = await startIndependent();
    t.teardown(() => service.close());
    const created = await request(`${service.url}/worlds`, {
      method: 'POST',
      body: JSON.stringify(WORLD),
      headers: { 'content-type': 'application/json' },
    });
    const { id, tokens } = (await created.body.json()) as { id: string; tokens: Record<string, string> };
    const chat = await createChat(service.url, id, tokens.tara!, 'tara', 'sam');
    const send = async (content: string) => {
      const a = await request(`${service.url}/worlds/${id}/v1.0/chats/${chat}/messages`, {
        method: 'POST',
        body: JSON.stringify({ body: { contentType: 'text', content } }),
        headers: { authorization: `Bearer ${tokens.tara}`, 'content-type': 'application/json' },
      });
      return { status: a.statusCode, retryAfter: a.headers['retry-after'], body: (await a.body.json()) as any };
    };
    const chunk = 'x'.repeat(60_000);
    const fits = Math.floor(LIMITS.textBytesPerWorld / chunk.length);
    for (let i = 0; i < fits; i++)
      if ((await send(chunk)).status !== 201) return t.fail(`message ${i + 1} of ${fits} was refused below the bound`);
    const over = await send(chunk);
    t.equal(
      over.status,
      429,
      `message ${fits + 1} (${(fits + 1) * chunk.length} bytes in all) is past the 8 MiB bound`,
    );
    t.equal(over.body.error.code, 'too-many-requests');
    t.equal(over.retryAfter, undefined, 'no Retry-After: waiting does not shrink a world');
    const history = await request(`${service.url}/worlds/${id}/v1.0/chats/${chat}/messages`, {
      headers: { authorization: `Bearer ${tokens.tara}` },
    });
    t.equal(
      ((await history.body.json()) as { value: unknown[] }).value.length,
      fits,
      'the refused message is in no history',
    );
  },
);

t.test(
  "a person's chats and histories: a message to a blocker is the sender's alone; another user's are refused; bad worlds and paths are 400",
  async (t) => {
    const service = await startIndependent();
    t.teardown(() => service.close());
    const post = (path: string, body: unknown, token = '') =>
      request(`${service.url}${path}`, {
        method: 'POST',
        body: JSON.stringify(body),
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      });
    const get = async (path: string, token: string) => {
      const a = await request(`${service.url}${path}`, { headers: { authorization: `Bearer ${token}` } });
      return { status: a.statusCode, body: (await a.body.json()) as any };
    };
    const { id, tokens } = (await (await post('/worlds', WORLD)).body.json()) as {
      id: string;
      tokens: Record<string, string>;
    };
    const W = `/worlds/${id}`;
    const text = (content: string) => ({ body: { contentType: 'text', content } });
    const chat = await createChat(service.url, id, tokens.sam!, 'sam', 'tara');
    const messages = `${W}/v1.0/chats/${chat}/messages`;
    t.equal((await post(messages, text('Hello Tara'), tokens.sam)).statusCode, 201);
    t.equal((await post(`${W}/interop/me/blockedContacts/sam`, {}, tokens.tara)).statusCode, 200);
    t.equal(
      (await post(messages, text('Still there?'), tokens.sam)).statusCode,
      201,
      'the blocked sender is answered as if delivered (F21)',
    );

    const mine = await get(`${W}/v1.0/me/chats?$expand=members`, tokens.tara);
    t.same(
      mine.body.value.map((c: { id: string; members: { '@odata.type': string; userId: string }[] }) => [
        c.id,
        c.members.map((m) => [m['@odata.type'], m.userId]),
      ]),
      [
        [
          chat,
          [
            ['#microsoft.graph.skypeUserConversationMember', 'sam'],
            ['#microsoft.graph.aadUserConversationMember', 'tara'],
          ],
        ],
      ],
      "the chat Sam made, under one id, with Graph's member types",
    );
    t.same(
      (await get(`${W}/v1.0/users/tara/chats?$expand=members`, tokens.tara)).body,
      mine.body,
      'the /users/{own id} route is the same list',
    );
    const contents = async (path: string, token: string) =>
      (await get(path, token)).body.value.map((m: { body: { content: string } }) => m.body.content);
    t.same(await contents(messages, tokens.sam), ['Hello Tara', 'Still there?'], "the sender's history holds both");
    t.same(await contents(messages, tokens.tara), ['Hello Tara'], "the blocker's holds only what reached them");
    t.same(await contents(`${W}/v1.0/users/tara/chats/${chat}/messages`, tokens.tara), ['Hello Tara']);
    const other = await get(`${W}/v1.0/users/tara/chats/${chat}/messages`, tokens.sam);
    t.same(
      [other.status, other.body.error.code, JSON.stringify(other.body).includes('Hello')],
      [403, 'denied', false],
      "another user's history is refused and leaks nothing",
    );

    const bad = async (change: (w: any) => void) => {
      const w = structuredClone(WORLD) as any;
      change(w);
      const a = await post('/worlds', w);
      return [a.statusCode, ((await a.body.json()) as any).error.message];
    };
    t.same(await bad((w) => (w.users.tara.name = 'tom')), [400, 'users.tara.name is "tom": a user\'s name is its key']);
    t.same(await bad((w) => (w.users.tara.tenant = 'fabrikam')), [
      400,
      'users.tara.tenant: no tenant "fabrikam" in this world',
    ]);
    t.same(await bad((w) => (w.users.sam.email = 'TARA@contoso.example')), [
      400,
      'users.sam.email: another user has that address (letter case aside)',
    ]);
    t.same(await bad((w) => (w.users.tara.delegates = ['nobody'])), [400, 'a delegate is not a user of this world']);
    const badPath = await get(`${W}/v1.0/users/%E0%A4%A/chats`, tokens.tara);
    t.same(
      [badPath.status, badPath.body.error.code],
      [400, 'bad-request'],
      'a path that does not decode is a bad request, not a crash',
    );
  },
);

t.test(
  'an event stream more than 1 MiB behind is cut, and a stream reopened with Last-Event-ID gets what it missed',
  async (t) => {
    const feed = new Feed();
    const stream = (backlog: number) => {
      const r = {
        writableLength: backlog,
        written: [] as string[],
        destroyed: false,
        writeHead: () => r,
        write: (x: string) => r.written.push(x),
        destroy: () => (r.destroyed = true),
        on: () => r,
      };
      return r;
    };
    const slow = stream(0);
    feed.attach(slow as any, undefined);
    feed.push('delivery', { n: 1 });
    slow.writableLength = SLOW_READER_CUT + 1;
    feed.push('delivery', { n: 2 });
    t.equal(slow.destroyed, true, 'the reader 1 MiB behind was cut');
    t.same(
      slow.written.filter((x) => x.startsWith('id:')),
      ['id: 1\nevent: delivery\ndata: {"n":1}\n\n'],
      'event 2 was not queued behind the backlog',
    );
    feed.live.delete(slow as any);
    const resumed = stream(0);
    feed.attach(resumed as any, 1);
    t.same(
      resumed.written.filter((x) => x.startsWith('id:')),
      ['id: 2\nevent: delivery\ndata: {"n":2}\n\n'],
      'resuming after 1 gets event 2, once',
    );
  },
);

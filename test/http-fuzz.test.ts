/**
 * HTTP fuzz of the served reference (issue 10, item 3): random methods, paths built from the real routes and
 * junk, headers, bodies, and tokens of other users and other worlds (a deleted one's too). It proves: no answer
 * is a 5xx; every refusal is a JSON error; a secret planted in world A between tara and sam (and one in world B)
 * appears in no answer to a request that carries neither one's token; nothing is logged as an internal error;
 * and afterwards the service answers normally and a scenario run over HTTP still passes.
 * Seeded and reproducible: HTTP_FUZZ_SEED=N HTTP_FUZZ_RUNS=M npx tap test/http-fuzz.test.ts replays a run; a
 * failure names the seed and the request (tokens by their owner, never their value).
 */
import t from 'tap';
import fc from 'fast-check';
import { randomBytes } from 'node:crypto';
import { Agent, request } from 'undici';
import { startService, type RunningService } from '../adapters/reference/http/server.js';
import { ROUTES } from '../adapters/reference/http/routes.js';
import { cli } from './support.js';
import { skype as skypeOf, teams as teamsOf, tenant } from './fixtures/reference-world.js';
import { bind, chatWith, referenceChatId as chat } from './fixtures/graph-chat.js';

const SEED = Number(process.env.HTTP_FUZZ_SEED ?? 20_261_130);
const RUNS = Number(process.env.HTTP_FUZZ_RUNS ?? 2_000);
const CONCURRENCY = 6;

const TENANT = tenant();
const teams = (name: string) => teamsOf(name);
const skype = (name: string) => skypeOf(name, { client: 'web' });
const WORLD = {
  tenants: { contoso: TENANT },
  users: {
    tara: teams('tara'),
    tom: teams('tom'),
    sam: skype('sam'),
    sue: skype('sue'),
    ada: { kind: 'admin', name: 'ada', tenant: 'contoso' },
  },
};
const USERS = Object.keys(WORLD.users);

interface Made {
  id: string;
  tokens: Record<string, string>;
  controlToken: string;
}
/** One fuzz request, by labels: `world` and `token` name what the run resolves them to. */
interface Req {
  method: string;
  world: string;
  tail: string;
  query: string;
  token: string;
  auth: string;
  contentType?: string;
  host: string;
  lastEventId?: string;
  body?: string;
}

const junkSegment = fc.oneof(
  fc.constantFrom(
    'constructor',
    '__proto__',
    'toString',
    'hasOwnProperty',
    '..',
    '.',
    '%2e%2e',
    '%00',
    '%zz',
    '%',
    '%2F',
    '~',
    'null',
    'undefined',
    '0',
    '-1',
    'x'.repeat(300),
    'Tara',
    'tara%20',
    'sam%00',
  ),
  fc.string({ maxLength: 12 }).map(encodeURIComponent),
);
const user = fc.constantFrom(...USERS);
const param = fc.oneof(
  { weight: 6, arbitrary: user },
  { weight: 4, arbitrary: fc.tuple(user, user).map(([u, v]) => chat(u, v)) },
  { weight: 2, arbitrary: junkSegment },
  { weight: 1, arbitrary: fc.constantFrom('+15551234567', 'live:sam', 'sam@outlook.example') },
);
const bool = fc.constantFrom(true, false, 'yes', null);
/** A body that fits each request schema of the service, give or take a field (most answers should get past 400). */
const FITTING: Record<string, fc.Arbitrary<unknown>> = {
  NewChatMessage: fc.oneof(
    {
      weight: 4,
      arbitrary: fc.record({
        body: fc.record({
          contentType: fc.constantFrom('text', 'text', 'html'),
          content: fc.string({ maxLength: 40 }),
        }),
      }),
    },
    {
      weight: 1,
      arbitrary: fc.record(
        {
          body: fc.record(
            { contentType: fc.constantFrom('text', 'xml', ''), content: fc.string({ maxLength: 40 }) },
            { requiredKeys: [] },
          ),
          mentions: fc.array(fc.record({ mentioned: fc.record({ user: fc.record({ id: user }) }) }), { maxLength: 2 }),
        },
        { requiredKeys: [] },
      ),
    },
  ),
  NewCall: fc.record({
    target: fc.oneof(user, junkSegment),
    requestedModalities: fc.constantFrom(['audio'], ['video'], ['audio', 'video'], []),
  }),
  NewChat: fc.record({
    chatType: fc.constantFrom('oneOnOne', 'oneOnOne', 'group', 'meeting'),
    members: fc.array(user.map(bind), { maxLength: 3 }),
  }),
  NewParticipant: fc.record({ userId: user }),
  NewOnlineMeeting: fc.record({
    participants: fc.record({
      attendees: fc.array(fc.record({ identity: fc.record({ user: fc.record({ id: user }) }) }), { maxLength: 3 }),
    }),
  }),
  UserSettings: fc.record({ searchable: bool }),
  FederationConfiguration: fc.record({ allowPublicUsers: bool }),
  ServicePrincipalChange: fc.record({ accountEnabled: bool }),
  ExternalAccessPolicyChange: fc.record(
    { enablePublicCloudAccess: bool, enablePublicCloudAudioVideoAccess: bool },
    { requiredKeys: [] },
  ),
  DeploymentChange: fc.record({ publicProvider: fc.constantFrom('WindowsLive', '', 'x') }),
  SyncRequest: fc.record({ marker: fc.oneof(fc.constantFrom('m1', 'abc_DEF-9'), fc.string({ maxLength: 70 })) }),
};
/** Where the planted secrets could leak from: the chat and request reads, aimed at the secrets' two holders. */
const holder = fc.constantFrom('tara', 'sam', 'tara', 'sam', 'sue', 'tom');
const reads = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.constantFrom(
      `/v1.0/users/tara/chats/${chat('tara', 'sam')}/messages`,
      `/v1.0/users/sam/chats/${chat('tara', 'sam')}/messages`,
      `/v1.0/chats/${chat('tara', 'sam')}/messages`,
    ),
  },
  fc.tuple(holder, holder, holder).map(([u, v, w]) => `/v1.0/users/${u}/chats/${chat(v, w)}/messages`),
  holder.map((u) => `/v1.0/users/${u}/chats`),
  fc.tuple(holder, holder).map(([u, v]) => `/v1.0/chats/${chat(u, v)}/messages`),
  fc.tuple(holder, holder).map(([u, v]) => `/v1.0/chats/${chat(u, v)}`),
  holder.map((v) => `/interop/me/requests/${v}/messages`),
  fc.constant('/v1.0/me/chats'),
  fc.constant('/interop/me/events'),
);
/** Messages across the interop (Teams ↔ Skype), the one write most scenarios make. */
const sends = fc.constantFrom(
  `/v1.0/chats/${chat('tara', 'sam')}/messages`,
  `/v1.0/chats/${chat('tara', 'sue')}/messages`,
  `/v1.0/chats/${chat('tom', 'sam')}/messages`,
  `/v1.0/chats/${chat('tom', 'sue')}/messages`,
  `/v1.0/users/tara/chats/${chat('tara', 'sue')}/messages`,
);
/** A route of the service with its parameters filled (and its schema), a read aimed at the secrets, a send, a control path, or junk. */
const tail = fc.oneof(
  { weight: 3, arbitrary: sends.map((path) => ({ method: 'POST', path, schema: 'NewChatMessage' })) },
  {
    weight: 8,
    arbitrary: fc
      .constantFrom(...ROUTES)
      .chain((r) =>
        fc
          .tuple(...r.segments.map((s) => (s.startsWith('{') ? param : fc.constant(s))))
          .map((parts) => ({ method: r.method, path: `/${parts.join('/')}`, schema: r.schema })),
      ),
  },
  { weight: 4, arbitrary: reads.map((path) => ({ method: 'GET', path, schema: undefined })) },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      { method: 'DELETE', path: '', schema: undefined },
      { method: 'POST', path: '/sync', schema: 'SyncRequest' },
    ),
  },
  {
    weight: 2,
    arbitrary: fc
      .array(junkSegment, { maxLength: 4 })
      .map((parts) => ({ method: 'GET', path: parts.length ? `/${parts.join('/')}` : '/', schema: undefined })),
  },
);
const junkBody = fc.oneof(
  { weight: 4, arbitrary: fc.constant(undefined) },
  { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      '{"__proto__":{"admin":true},"body":{"contentType":"text","content":"x"}}',
      '{"constructor":{"prototype":{}}}',
      '{',
      '"',
      'null',
      '[]',
      `${'['.repeat(3000)}${']'.repeat(3000)}`,
      'x'.repeat(70_000),
      '{"body":{"contentType":"text","content":"\\ud800"}}',
    ),
  },
  { weight: 1, arbitrary: fc.string({ maxLength: 60 }) },
);
/** The tail, and a body: mostly one that fits its route's schema, else junk. */
const tailAndBody = tail.chain((t) =>
  fc.record({
    tail: fc.constant(t),
    body: t.schema
      ? fc.oneof(
          { weight: 3, arbitrary: FITTING[t.schema]!.map((b) => JSON.stringify(b)) },
          { weight: 1, arbitrary: junkBody },
        )
      : junkBody,
  }),
);
function requests(tokenLabels: string[]): fc.Arbitrary<Req> {
  return fc
    .record({
      tailAndBody,
      otherMethod: fc.oneof(
        { weight: 5, arbitrary: fc.constant(undefined) },
        { weight: 1, arbitrary: fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS') },
      ),
      world: fc.constantFrom('A', 'A', 'A', 'A', 'A', 'B', 'B', 'C', 'D', 'none', 'junk', 'A-upper'),
      ownUser: fc.oneof(
        { weight: 4, arbitrary: fc.constantFrom(...USERS) },
        { weight: 1, arbitrary: fc.constant(undefined) },
      ),
      query: fc.constantFrom(
        '',
        '',
        '',
        '?email=sam@outlook.example',
        '?$expand=members',
        '?skypeId=live:sue',
        '?phone=1&email=x',
        '?email=',
        '?%zz',
      ),
      token: fc.constantFrom(...tokenLabels),
      auth: fc.constantFrom(...Array(16).fill('Bearer '), 'bearer  ', 'Basic ', '', 'Bearer x '),
      contentType: fc.constantFrom(
        ...Array(8).fill('application/json'),
        undefined,
        'text/plain',
        'application/merge-patch+json',
        'application/json; charset=utf-16',
      ),
      host: fc.constantFrom(...Array(18).fill('own'), 'localhost', 'evil.example'),
      lastEventId: fc.constantFrom(undefined, undefined, '0', '1', '99999999999999999', '-1', 'abc'),
    })
    .map(({ otherMethod, ownUser, tailAndBody: { tail, body }, ...r }) => {
      // Mostly a user of the world the path names (so that real routes are reached), else any token at all.
      const own = ownUser !== undefined && ['A', 'B', 'C', 'D'].includes(r.world) ? `${r.world}.${ownUser}` : r.token;
      return {
        ...r,
        token: own,
        method: otherMethod ?? tail.method,
        tail: tail.path,
        ...(body !== undefined ? { body } : {}),
      };
    });
}

async function create(s: RunningService): Promise<Made> {
  const res = await request(`${s.url}/worlds`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(WORLD),
  });
  return (await res.body.json()) as Made;
}

/** `runs` requests of the seeded fuzz against `s`, `CONCURRENCY` at a time: what it saw, and each problem found. */
async function fuzz(s: RunningService, runs: number) {
  const [A, B, C, D] = [await create(s), await create(s), await create(s), await create(s)];
  const secret = { A: `secret-A-${randomBytes(8).toString('hex')}`, B: `secret-B-${randomBytes(8).toString('hex')}` };
  for (const [w, text] of [
    [A, secret.A],
    [B, secret.B],
  ] as const) {
    // The chats the fuzz sends in exist (Graph's way: created first); the secret is in tara's and sam's.
    for (const [a, b] of [
      ['tara', 'sue'],
      ['tom', 'sam'],
      ['tom', 'sue'],
    ] as const)
      await chatWith(s.url, w.id, w.tokens[a]!, a, b);
    const res = await request(
      `${s.url}/worlds/${w.id}/v1.0/chats/${await chatWith(s.url, w.id, w.tokens.tara!, 'tara', 'sam')}/messages`,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${w.tokens.tara}` },
        body: JSON.stringify({ body: { contentType: 'text', content: text } }),
      },
    );
    if (res.statusCode !== 201) throw new Error(`the secret could not be planted: ${res.statusCode}`);
    await res.body.dump();
  }
  await (
    await request(`${s.url}/worlds/${D.id}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${D.controlToken}` },
    })
  ).body.dump();

  // Tokens by label; A's and B's control tokens stay out, so that the fuzz cannot delete the worlds it reads.
  const tokens: Record<string, string> = { none: '', junk: 'x'.repeat(43), 'C.control': C.controlToken };
  for (const [label, w] of [
    ['A', A],
    ['B', B],
    ['C', C],
    ['D', D],
  ] as const)
    for (const u of USERS) tokens[`${label}.${u}`] = w.tokens[u]!;
  const worlds: Record<string, string> = {
    A: A.id,
    B: B.id,
    C: C.id,
    D: D.id,
    none: '',
    junk: 'nosuchworld0123456789',
    'A-upper': A.id.toUpperCase(),
  };
  /** Who may see each secret: the two people of its chat, in its world. */
  const mayRead = { A: [A.tokens.tara, A.tokens.sam], B: [B.tokens.tara, B.tokens.sam] };

  const cases = fc.sample(requests(Object.keys(tokens)), { seed: SEED, numRuns: runs });
  const agent = new Agent({ connections: CONCURRENCY, keepAliveTimeout: 2_000 });
  const port = new URL(s.url).port;
  const statuses = new Map<number, number>();
  const problems: string[] = [];
  const started = Date.now();
  const one = async (r: Req, i: number) => {
    const token = tokens[r.token]!;
    const headers: Record<string, string> = {
      ...(r.auth || token ? { authorization: `${r.auth}${token}` } : {}),
      ...(r.contentType ? { 'content-type': r.contentType } : {}),
      ...(r.lastEventId !== undefined ? { 'last-event-id': r.lastEventId } : {}),
      host: r.host === 'own' ? `127.0.0.1:${port}` : r.host,
    };
    const path = r.world === 'none' ? `/worlds${r.tail}` : `/worlds/${worlds[r.world]}${r.tail}${r.query}`;
    const what = `#${i} ${r.method} /worlds/{${r.world}}${r.tail}${r.query} as ${r.token} (${JSON.stringify(r.auth)}), host ${r.host}, body ${r.body === undefined ? 'none' : JSON.stringify(r.body.slice(0, 60))}`;
    let status: number;
    let text = '';
    let type = '';
    try {
      const res = await request(`${s.url}${path}`, {
        dispatcher: agent,
        method: r.method as 'GET',
        headers,
        ...(r.body !== undefined && r.method !== 'GET' && r.method !== 'HEAD' ? { body: r.body } : {}),
        headersTimeout: 10_000,
        bodyTimeout: 10_000,
      });
      status = res.statusCode;
      type = String(res.headers['content-type'] ?? '');
      if (type.startsWith('text/event-stream')) {
        // A stream never ends: what it sends at once (the catch-up) is what there is to read.
        const timer = setTimeout(() => res.body.destroy(), 100);
        try {
          for await (const chunk of res.body) text += chunk;
        } catch {
          /* cut on purpose */
        }
        clearTimeout(timer);
      } else text = await res.body.text();
    } catch (e) {
      problems.push(`${what}: no answer (${(e as Error).message})`);
      return;
    }
    statuses.set(status, (statuses.get(status) ?? 0) + 1);
    if (status >= 500) problems.push(`${what}: answered ${status} ${text.slice(0, 200)}`);
    for (const w of ['A', 'B'] as const)
      if (text.includes(secret[w]) && !mayRead[w].includes(token))
        problems.push(`${what}: world ${w}'s secret in the answer`);
    if (status >= 400 && r.method !== 'HEAD') {
      let ok = false;
      try {
        ok =
          typeof (JSON.parse(text) as { error: { code: unknown } }).error.code === 'string' &&
          type.startsWith('application/json');
      } catch {
        /* not JSON */
      }
      if (!ok) problems.push(`${what}: answered ${status} without a JSON error: ${text.slice(0, 120)}`);
    }
  };
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < cases.length) {
        const i = next++;
        await one(cases[i]!, i);
      }
    }),
  );
  await agent.close();
  const ms = Date.now() - started;
  const histogram = [...statuses]
    .sort(([a], [b]) => a - b)
    .map(([k, n]) => `${k}×${n}`)
    .join(' ');
  const fivexx = [...statuses].filter(([k]) => k >= 500).reduce((n, [, c]) => n + c, 0);
  return { A, secret, cases, statuses, problems, histogram, fivexx, ms };
}

t.test(
  `HTTP fuzz of the served reference, ${RUNS} requests (seed ${SEED}): no 5xx, no cross-user or cross-world read, the service normal afterwards`,
  async (t) => {
    const logged: string[] = [];
    const s = await startService({ log: (l) => logged.push(l) });
    t.teardown(() => s.close());
    const { A, secret, cases, statuses, problems, histogram, fivexx, ms } = await fuzz(s, RUNS);
    t.comment(
      `HTTP fuzz, seed ${SEED}: ${cases.length} requests in ${(ms / 1000).toFixed(1)} s — ${histogram}; 5xx: ${fivexx}`,
    );
    t.equal(cases.length, RUNS, `${RUNS} requests tried`);
    t.same(
      problems.slice(0, 20),
      [],
      `replay with HTTP_FUZZ_SEED=${SEED}: no 5xx, no leak, every refusal a JSON error`,
    );
    t.same(logged, [], 'nothing logged as an internal error');
    t.ok(
      (statuses.get(201) ?? 0) > 0 &&
        (statuses.get(200) ?? 0) > 0 &&
        (statuses.get(401) ?? 0) > 0 &&
        (statuses.get(404) ?? 0) > 0,
      'the fuzz reached real routes as well as refusals',
    );

    const own = await request(`${s.url}/worlds/${A.id}/v1.0/chats/${chat('tara', 'sam')}/messages`, {
      headers: { authorization: `Bearer ${A.tokens.tara}` },
    });
    t.equal(own.statusCode, 200, 'afterwards: tara still reads her chat');
    t.match(await own.body.text(), secret.A, 'with the secret in it');
    const r = await cli([
      'run',
      'scenarios/chat/teams-to-skype-after-accept.yaml',
      'scenarios/security',
      '--adapter',
      'http',
      '--adapter-option',
      `url=${s.url}`,
      '--quiet',
    ]);
    t.equal(r.code, 0, `afterwards a scenario run over HTTP passes: ${r.err.slice(-500)}`);
  },
);

// The checks can fail: the same fuzz against services with a known hole finds it.
t.test(
  'the fuzz catches a service that leaks across users and worlds (faults cross-user-read, tokens-valid-in-every-world)',
  async (t) => {
    const s = await startService({ faults: 'cross-user-read,tokens-valid-in-every-world' });
    t.teardown(() => s.close());
    const { problems } = await fuzz(s, 1000);
    const leaks = problems.filter((p) => /secret in the answer/.test(p));
    t.ok(
      leaks.length > 0,
      `${leaks.length} leaking answers found (the count varies with the interleaving of ${CONCURRENCY} clients)`,
    );
    t.ok(
      leaks.some((p) => / as [AB]\.(tom|sue|ada)/.test(p)),
      'another user of the same world read the secret',
    );
    t.ok(
      leaks.some((p) => /\{A\}.* as [BCD]\.|\{B\}.* as [ACD]\./.test(p)),
      'a user of another world read it',
    );
  },
);

t.test('the fuzz catches a service that answers 5xx (every 50th world lookup throws)', async (t) => {
  const s = await startService({ log: () => {} });
  t.teardown(() => s.close());
  const get = s.worlds.get.bind(s.worlds);
  let n = 0;
  s.worlds.get = (id) => {
    if (++n % 50 === 0) throw new Error('every 50th lookup fails');
    return get(id);
  };
  const { problems, fivexx } = await fuzz(s, 300);
  t.ok(fivexx > 0 && problems.some((p) => /answered 500/.test(p)), `${fivexx} answers of 500 reported`);
});

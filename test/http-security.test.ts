/**
 * Faulty variants of the HTTP service fail the requirement they break, and the real service turns hostile
 * requests away the way SEC-001…007 say, and keeps serving after each.
 */
import t from 'tap';
import { Readable } from 'node:stream';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { request } from 'undici';
import type { IncomingMessage } from 'node:http';
import { connect } from 'node:net';
import { allowedHosts, checkHost, printable, rateLimited } from '../adapters/reference/http/guard.js';
import { FANOUT_BYTES_PER_TICK } from '../adapters/reference/http/sse.js';
import { startService, type RunningService } from '../adapters/reference/http/server.js';
import { LATE_DELIVERY_MS, MAX_BODY_BYTES } from '../adapters/reference/http/limits.js';
import { chatWith } from './fixtures/graph-chat.js';
import { createHttpAdapter } from '../adapters/http/adapter.js';
import type { World } from '../specs/protocol.js';
import { cli } from './support.js';
import { skype, teams, worldOf } from './fixtures/reference-world.js';

async function run(faults: string, args: string[], late?: number) {
  const service = await startService({ faults, ...(late ? { lateDeliveryMs: late } : {}) });
  const tokens: string[] = [];
  const create = service.worlds.create.bind(service.worlds);
  service.worlds.create = (w) => {
    const hosted = create(w);
    tokens.push(...Object.values(hosted.tokens));
    return hosted;
  };
  try {
    const r = await cli(['run', ...args, '--adapter', 'http', '--adapter-option', `url=${service.url}`, '--quiet']);
    return { r, report: r.report(), tokens };
  } finally {
    await service.close();
  }
}

const failing = (report: ReturnType<Awaited<ReturnType<typeof run>>['r']['report']>) =>
  report.requirements.filter((q) => q.verdict === 'fail').map((q) => q.id);

t.test('late-delivery: with --deadline 500 the run exits 1 and fails CHAT-006 with the measured latency', async (t) => {
  const { r, report } = await run('late-delivery', [
    'scenarios/chat/first-messages-within-deadline.yaml',
    '--deadline',
    '500',
  ]);
  t.equal(r.code, 1);
  t.same(failing(report), ['CHAT-006']);
  const [m] = report.scenarios[0]!.steps.flatMap((s) => s.mismatches);
  // The fault holds every event LATE_DELIVERY_MS (750); a loaded machine only adds to that: no upper bound.
  t.match(m, { requirements: ['CHAT-006'], message: /arrived after \d+ ms; the deadline is 500 ms/ });
  const latency = Number(/arrived after (\d+) ms/.exec((m as { message: string }).message)![1]);
  t.ok(latency > 500 && latency > LATE_DELIVERY_MS - 100, `measured ${latency} ms: past the deadline, near the hold`);
  t.match(readFileSync(join(r.outDir, 'summary.md'), 'utf8'), /CHAT-006/);
});

t.test('cross-user-read: the run exits 1 and fails SEC-001, and no token reaches a report', async (t) => {
  const { r, report, tokens } = await run('cross-user-read', ['scenarios/security']);
  t.equal(r.code, 1);
  t.same(failing(report), ['SEC-001']);
  t.same(
    report.scenarios
      .filter((s) => s.verdict === 'fail')
      .map((s) => s.id)
      .sort(),
    [
      'security/chat-member-cannot-act-as-the-other-member',
      'security/hostile-requests-mid-conversation',
      'security/other-users-chats-unreadable',
    ],
  );
  t.match(
    report.scenarios.find((s) => s.id === 'security/other-users-chats-unreadable'),
    { steps: [{}, {}, {}, { mismatches: [{ message: /shown ok; expected error denied/ }] }] },
  );
  t.equal(tokens.length, 32, 'one token per person of every world: 32');
  for (const f of ['report.json', 'summary.md', 'junit.xml'])
    t.notOk(
      tokens.some((tok) => readFileSync(join(r.outDir, f), 'utf8').includes(tok)),
      `no token in ${f}`,
    );
});

// Each wire fault of SEC-002…007 is caught by exactly its own scenarios and the scenario that tries every attack
// mid-conversation, on the probe step, laid at the clause it breaks.
const SECURITY_FAULTS: [fault: string, requirement: string, own: string | string[], step: number][] = [
  [
    'send-as-another-user',
    'SEC-002',
    [
      'security/cannot-send-as-another-user',
      'security/cannot-send-as-a-colleague',
      'security/chat-member-cannot-act-as-the-other-member',
    ],
    4,
  ],
  ['tokens-valid-in-every-world', 'SEC-003', 'security/other-world-unreachable', 6],
  ['malformed-json-repaired', 'SEC-004', 'security/malformed-json-refused', 7],
  ['oversized-body-accepted', 'SEC-005', 'security/oversized-body-refused', 8],
  ['unknown-route-answered-ok', 'SEC-006', 'security/unknown-route-not-found', 9],
  ['deleted-world-tokens-still-work', 'SEC-007', 'security/deleted-world-token-refused', 10],
];
for (const [fault, requirement, own, step] of SECURITY_FAULTS) {
  t.test(
    `${fault}: the security scenarios fail ${requirement}, in exactly ${[own].flat().length + 1} scenarios, on the probe`,
    async (t) => {
      const { r, report } = await run(fault, ['scenarios/security']);
      t.equal(r.code, 1);
      t.ok(failing(report).includes(requirement), failing(report).join(', '));
      const failed = report.scenarios.filter((s) => s.verdict === 'fail');
      t.same(failed.map((s) => s.id).sort(), [own, 'security/hostile-requests-mid-conversation'].flat().sort());
      const mixed = failed.find((s) => s.id === 'security/hostile-requests-mid-conversation')!;
      const probe = mixed.steps.find((s) => s.index === step)!;
      t.match(probe, { verdict: 'fail', action: { kind: 'probe' } }, 'the attack that this fault lets through fails');
      t.match(probe.mismatches[0], { message: /shown ok; expected error/, requirements: [requirement] });
      t.same(
        mixed.steps.filter(
          (s) =>
            s.index < step && s.verdict !== 'pass' && s.mismatches.some((m) => m.requirements.includes(requirement)),
        ),
        [],
        `no earlier step is blamed on ${requirement}`,
      );
    },
  );
}

t.test('malformed-json-repaired acts on what it can close, and still refuses what it cannot', async (t) => {
  const s = await startService({ faults: 'malformed-json-repaired' });
  t.teardown(() => s.close());
  const { id, tokens } = JSON.parse((await call(s, 'POST', '/worlds', { body: JSON.stringify(WORLD) })).text) as {
    id: string;
    tokens: Record<string, string>;
  };
  const chat = await chatWith(s.url, id, tokens.tara!, 'tara', 'sam');
  const post = (body: string) =>
    call(s, 'POST', `/worlds/${id}/v1.0/chats/${chat}/messages`, { token: tokens.tara!, body });
  t.equal(
    (await post('{"body": {"contentType": "text", "content": "cut \\" off')).status,
    201,
    'a cut-off string (with an escaped quote) is closed and sent',
  );
  t.match(
    await post('{"body": {"contentType": "text", "content": }'),
    { status: 400, text: /not valid JSON/ },
    'a value missing cannot be repaired',
  );
});

t.test('blocked-sender-told: the run exits 1 and fails BLOCK-003', async (t) => {
  const { r, report } = await run('blocked-sender-told', ['scenarios/block']);
  t.equal(r.code, 1);
  t.ok(failing(report).includes('BLOCK-003'), failing(report).join(', '));
  t.match(
    report.scenarios.find((s) => s.id === 'block/blocked-sender-not-told'),
    { verdict: 'fail' },
  );
});

t.test('a reference fault is served too: faults=teams-to-skype-messages-dropped fails CHAT-001', async (t) => {
  const { r, report } = await run('teams-to-skype-messages-dropped', [
    'scenarios/chat/teams-to-skype-after-accept.yaml',
    '--deadline',
    '1000',
  ]);
  t.equal(r.code, 1);
  t.ok(failing(report).includes('CHAT-001'));
});

const WORLD = worldOf(teams('tara'), skype('sam', { client: 'web' }), skype('sue', { client: 'web' }));

async function call(
  s: RunningService,
  method: 'GET' | 'POST',
  path: string,
  o: { token?: string; body?: string | Readable; type?: string } = {},
) {
  const headers: Record<string, string> = {
    'content-type': o.type ?? 'application/json',
    ...(o.token ? { authorization: `Bearer ${o.token}` } : {}),
  };
  const res = await request(`${s.url}${path}`, { method, headers, ...(o.body !== undefined ? { body: o.body } : {}) });
  return { status: res.statusCode, type: String(res.headers['content-type']), text: await res.body.text() };
}

t.test(
  'the service itself: 400, 413, 404, 401/403 with nothing leaked — and it answers normally after each',
  async (t) => {
    const s = await startService();
    t.teardown(() => s.close());
    const made = await call(s, 'POST', '/worlds', { body: JSON.stringify(WORLD) });
    t.equal(made.status, 201);
    const { id, tokens } = JSON.parse(made.text) as { id: string; tokens: Record<string, string> };
    const chat = await chatWith(s.url, id, tokens.tara!, 'tara', 'sam');
    const send = (text: string, token = tokens.tara!) =>
      call(s, 'POST', `/worlds/${id}/v1.0/chats/${chat}/messages`, {
        token,
        body: JSON.stringify({ body: { contentType: 'text', content: text } }),
      });
    const stillServing = async (what: string) =>
      t.equal((await send(`after ${what}`)).status, 201, `still serving after ${what}`);

    const malformed = await call(s, 'POST', `/worlds/${id}/v1.0/chats/${chat}/messages`, {
      token: tokens.tara!,
      body: '{"body": {"content',
    });
    t.match(malformed, { status: 400, type: /^application\/json/ });
    t.match(JSON.parse(malformed.text), { error: { code: 'bad-request', message: 'the body is not valid JSON' } });
    await stillServing('malformed JSON');

    const over = 'x'.repeat(MAX_BODY_BYTES + 1);
    const declared = await call(s, 'POST', `/worlds/${id}/v1.0/chats/${chat}/messages`, {
      token: tokens.tara!,
      body: over,
    });
    t.match(declared, { status: 413, text: /"code":"payload-too-large"/ }, '64 KiB + 1 byte, Content-Length declared');
    await stillServing('a declared oversized body');
    const chunked = await call(s, 'POST', `/worlds/${id}/v1.0/chats/${chat}/messages`, {
      token: tokens.tara!,
      body: Readable.from([over.slice(0, 40_000), over.slice(40_000), 'y'.repeat(1 << 20)]),
    });
    t.match(chunked, { status: 413 }, 'over a MiB, chunked, no Content-Length');
    await stillServing('a chunked oversized body');

    const unknown = await call(s, 'GET', `/worlds/${id}/me/secrets`, { token: tokens.tara! });
    t.match(
      [unknown.status, JSON.parse(unknown.text)],
      [404, { error: { code: 'not-found', message: 'no such route' } }],
    );
    await stillServing('an unknown route');

    const secret = 'The merger closes on Friday';
    t.equal((await send(secret)).status, 201);
    // Another user's chats by user id (SEC-001), and their chat itself, which sue is no member of: the same breach.
    const paths = [
      '/v1.0/users/tara/chats',
      `/v1.0/users/tara/chats/${chat}/messages`,
      `/v1.0/users/sam/chats/${chat}/messages`,
      `/v1.0/chats/${chat}`,
      `/v1.0/chats/${chat}/messages`,
      `/v1.0/users/sue/chats/${chat}/messages`,
    ];
    for (const path of paths) {
      const a = await call(s, 'GET', `/worlds/${id}${path}`, { token: tokens.sue! });
      t.equal(a.status, 403, `sue: GET ${path} is 403`);
      t.notMatch(a.text, /merger|tara|sam/i, 'and names nobody and nothing of theirs');
    }
    const asSam = await call(s, 'POST', `/worlds/${id}/v1.0/users/sam/chats/${chat}/messages`, {
      token: tokens.sue!,
      body: JSON.stringify({ body: { contentType: 'text', content: 'signed sam' } }),
    });
    t.equal(asSam.status, 403, 'sue cannot send as sam');
    t.equal((await send('signed sue', tokens.sue!)).status, 403, 'sue cannot send in the chat of tara and sam');
    t.equal((await call(s, 'GET', `/worlds/${id}/v1.0/me/chats`)).status, 401, 'no token: 401');
    const other = JSON.parse((await call(s, 'POST', '/worlds', { body: JSON.stringify(WORLD) })).text) as {
      id: string;
      tokens: Record<string, string>;
      controlToken: string;
    };
    t.equal(
      (await call(s, 'GET', `/worlds/${id}/v1.0/me/chats`, { token: other.tokens.tara! })).status,
      401,
      "another world's token: 401",
    );
    t.equal(
      (await call(s, 'GET', `/worlds/nosuchworld0123456789/v1.0/me/chats`, { token: tokens.tara! })).status,
      404,
      'no such world: 404',
    );
    t.equal(
      (await call(s, 'GET', `/worlds/${other.id}/v1.0/me/chats`, { token: other.tokens.tara! })).status,
      200,
      'before its deletion, the other world serves its own token',
    );
    const deleted = await request(`${s.url}/worlds/${other.id}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${other.controlToken}` },
    });
    t.equal(deleted.statusCode, 204);
    await deleted.body.dump();
    t.equal(
      (await call(s, 'GET', `/worlds/${other.id}/v1.0/me/chats`, { token: other.tokens.tara! })).status,
      404,
      "SEC-007: a deleted world's token in its own routes: 404",
    );
    t.equal(
      (await call(s, 'GET', `/worlds/${id}/v1.0/me/chats`, { token: other.tokens.tara! })).status,
      401,
      "SEC-007: a deleted world's token here: 401",
    );
    const delivered = await send('Before the block');
    t.equal(
      (await call(s, 'POST', `/worlds/${id}/interop/me/requests/tara/accept`, { token: tokens.sam! })).status,
      200,
    );
    t.equal(
      (await call(s, 'POST', `/worlds/${id}/interop/me/blockedContacts/tara`, { token: tokens.sam! })).status,
      200,
    );
    const dropped = await send('After the block');
    const shape = (a: { status: number; text: string }) => [a.status, Object.keys(JSON.parse(a.text) as object).sort()];
    t.same(
      shape(dropped),
      shape(delivered),
      "F21: a blocked sender's answer has the status and shape of a delivered one",
    );
    const own = await call(s, 'GET', `/worlds/${id}/v1.0/chats/${chat}/messages`, { token: tokens.sam! });
    t.match(own, { status: 200, text: /The merger closes on Friday/ }, 'sam reads his own chat');
    t.notMatch(own.text, /After the block/, 'what a blocker blocks never reaches them');
    await stillServing('every attempt');
  },
);

t.test(
  'the http adapter tells the run its secrets: every token, control token and world id the service issued it, and nothing else',
  async (t) => {
    const s = await startService();
    t.teardown(() => s.close());
    const issued: string[] = [];
    const create = s.worlds.create.bind(s.worlds);
    s.worlds.create = (w) => {
      const hosted = create(w);
      issued.push(hosted.id, hosted.controlToken, ...Object.values(hosted.tokens));
      return hosted;
    };
    const adapter = createHttpAdapter({ url: s.url });
    t.teardown(() => adapter.dispose());
    t.same(adapter.secrets(), [], 'none before a world is opened');
    const session = await adapter.open(WORLD as unknown as World);
    await session.perform('tara', { kind: 'probe', attack: 'reach-other-world' });
    await session.close();
    t.equal(issued.length, 10, "two worlds of three users: the scenario's and the probe's");
    t.same([...adapter.secrets()].sort(), [...issued].sort());
  },
);

t.test(
  'the Host allow-list: the loopback names and the configured host, any port; a wildcard address adds no name',
  async (t) => {
    const host = (h: string | undefined) =>
      ({ headers: h === undefined ? {} : { host: h } }) as unknown as IncomingMessage;
    const allows = (configured: string, h: string | undefined) => {
      try {
        checkHost(host(h), allowedHosts(configured));
        return true;
      } catch (e) {
        return (e as { status?: number }).status === 421 ? false : e;
      }
    };
    t.same(
      [
        allows('interop.test', 'interop.test:8080'),
        allows('interop.test', 'INTEROP.test'),
        allows('interop.test', 'other.test'),
      ],
      [true, true, false],
      'a configured name',
    );
    t.same(
      [allows('::1', '[::1]:9'), allows('fe80::2', '[fe80::2]:80'), allows('fe80::2', 'fe80::2')],
      [true, true, false],
      'an IPv6 address, bracketed',
    );
    t.same(
      [allows('0.0.0.0', '0.0.0.0:80'), allows('::', '[::]'), allows('0.0.0.0', '127.0.0.1:1')],
      [false, false, true],
      'a wildcard: loopback only',
    );
    t.same(
      [allows('127.0.0.1', undefined), allows('127.0.0.1', ''), allows('127.0.0.1', 'localhost:99999999')],
      [false, false, false],
      'no Host, an empty one, a port that is no port',
    );
  },
);

t.test(
  'the error log: 10 lines a second, then the rest counted into one line when the next second starts; control characters escaped',
  async (t) => {
    let now = 0;
    const lines: string[] = [];
    const log = rateLimited(
      (l) => lines.push(l),
      10,
      () => now,
    );
    for (let i = 0; i < 12; i++) log(`e${i}`);
    now = 1000;
    log('next\r\nsecond');
    t.same(lines, [
      ...Array.from({ length: 10 }, (_, i) => `e${i}`),
      '… 2 more error lines suppressed (at most 10 a second)',
      'next\\u000d\\u000asecond',
    ]);
    t.equal(printable('a\u0007b\u009bc'), 'a\\u0007b\\u009bc');
  },
);

t.test("a request head past node:http's limit is a JSON 431 with nosniff, not a bare socket error", async (t) => {
  const s = await startService();
  t.teardown(() => s.close());
  const raw = connect(Number(new URL(s.url).port), '127.0.0.1');
  let text = '';
  raw.on('data', (c: Buffer) => (text += c));
  raw.on('error', () => {});
  raw.write(`GET /worlds HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: ${'b'.repeat(20_000)}\r\n\r\n`);
  await new Promise((r) => raw.once('close', r));
  t.match(
    text,
    /^HTTP\/1\.1 431 Request Header Fields Too Large\r\n[^]*x-content-type-options: nosniff\r\n[^]*"code":"bad-request"/,
  );
});

t.test(
  'fanning a 60 KB message out to 30 streams spreads over turns of the event loop and keeps the order: the sync marker after it comes after it on every stream',
  async (t) => {
    const s = await startService();
    t.teardown(() => s.close());
    const { id, tokens, controlToken } = JSON.parse(
      (await call(s, 'POST', '/worlds', { body: JSON.stringify(WORLD) })).text,
    ) as { id: string; tokens: Record<string, string>; controlToken: string };
    const texts: string[] = Array(30).fill('');
    const streams = await Promise.all(
      texts.map(async (_, i) => {
        const res = await request(`${s.url}/worlds/${id}/interop/me/events`, {
          headers: { authorization: `Bearer ${tokens.sam}` },
        });
        res.body.on('data', (c: Buffer) => (texts[i] += c));
        return res;
      }),
    );
    t.teardown(() => streams.forEach((r) => r.body.destroy()));
    const big = `big ${'z'.repeat(60_000)}`;
    const chat = await chatWith(s.url, id, tokens.tara!, 'tara', 'sam');
    t.equal(
      (
        await call(s, 'POST', `/worlds/${id}/v1.0/chats/${chat}/messages`, {
          token: tokens.tara!,
          body: JSON.stringify({ body: { contentType: 'text', content: big } }),
        })
      ).status,
      201,
    );
    await request(`${s.url}/worlds/${id}/sync`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${controlToken}` },
      body: '{"marker":"after-big"}',
    }).then((r) => r.body.dump());
    while (texts.some((x) => !x.includes('after-big'))) await new Promise((r) => setTimeout(r, 5));
    t.same(
      texts.map((x) => x.indexOf('big zzz') >= 0 && x.indexOf('big zzz') < x.indexOf('"marker":"after-big"')),
      Array(30).fill(true),
    );
    t.ok(30 * 60_000 > FANOUT_BYTES_PER_TICK, "more than one turn's worth of bytes");
  },
);

t.test(
  'the http adapter: a 429 is an error of the run naming the quota (no verdict), not an outcome the oracle would judge',
  async (t) => {
    const s = await startService({ limits: { messagesPerChat: 2 } });
    t.teardown(() => s.close());
    const adapter = createHttpAdapter({ url: s.url });
    t.teardown(() => adapter.dispose());
    const session = await adapter.open(WORLD as unknown as World);
    for (const text of ['one', 'two'])
      t.match(await session.perform('tara', { kind: 'message', to: 'sam', text }), { status: 'ok' });
    await t.rejects(
      session.perform('tara', { kind: 'message', to: 'sam', text: 'three' }),
      /^the system under test answered 429 \(a quota reached: this chat holds its 2 messages already\); no verdict$/,
    );
    await session.close();
  },
);

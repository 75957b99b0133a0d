/** The whole suite over HTTP: the reference service served in-process, the CLI's `run --adapter http` against it, and `serve` as a program. */
import t from 'tap';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { request } from 'undici';
import { parse } from 'yaml';
import { ApiDocument } from '../adapters/http/schema.js';
import { ROUTES } from '../adapters/reference/http/routes.js';
import { startService } from '../adapters/reference/http/server.js';
import { cli } from './support.js';

t.test(
  'every scenario passes over HTTP against the reference service, security ones included, none skipped; no token reaches a report',
  async (t) => {
    const service = await startService();
    const tokens: string[] = [];
    const create = service.worlds.create.bind(service.worlds);
    service.worlds.create = (world) => {
      const hosted = create(world);
      tokens.push(...Object.values(hosted.tokens));
      return hosted;
    };
    const started = performance.now();
    const r = await cli(['run', 'scenarios', '--adapter', 'http', '--adapter-option', `url=${service.url}`, '--quiet']);
    const wallMs = performance.now() - started;
    t.equal(service.worlds.size, 0, 'every world was deleted when its scenario ended');
    await service.close();

    t.equal(r.code, 0, r.err || r.out.slice(-2000));
    const report = r.report();
    const { scenarios, steps } = report.summary;
    t.same([scenarios.total, steps.total], [163, 1033], 'the whole suite: 163 scenarios, 1,033 steps');
    t.equal(scenarios.pass, scenarios.total, `${scenarios.pass}/${scenarios.total} scenarios pass`);
    t.equal(scenarios.skip, 0, 'nothing is skipped: the http adapter has every capability, wire included');
    t.equal(report.scenarios.filter((s) => s.area === 'security').length, 10, 'the 10 security scenarios ran');
    // A client's requirements (checked-by msw.…) judge what a client sends, which no scenario run checks.
    const catalogue = parse(readFileSync('specs/requirements.yaml', 'utf8')) as {
      requirements: { id: string; 'checked-by'?: string }[];
    };
    const ofClients = catalogue.requirements.filter((q) => q['checked-by']?.startsWith('msw.')).map((q) => q.id);
    t.same(
      report.requirements.filter((q) => q.verdict !== 'pass').map((q) => `${q.id} ${q.verdict}`),
      ofClients.map((id) => `${id} untested`),
      "every requirement passes, SEC-001…007 and WIRE-001 included, but a client's (msw), which no run can check",
    );
    t.equal(tokens.length, 434, 'one token per person of every world: 434');
    for (const file of ['report.json', 'summary.md', 'junit.xml']) {
      const text = readFileSync(join(r.outDir, file), 'utf8');
      t.notOk(
        tokens.some((token) => text.includes(token)),
        `no token in ${file}`,
      );
    }
    t.comment(`${scenarios.total} scenarios, ${steps.total} steps over HTTP in ${Math.round(wallMs)} ms`);
  },
);

t.test('the http adapter without a url is a usage error that says how to give one', async (t) => {
  const r = await cli(['run', 'scenarios/security', '--adapter', 'http']);
  t.equal(r.code, 2);
  t.match(r.err, /needs the service's address: --adapter-option url=http:\/\/127\.0\.0\.1:PORT/);
  const bad = await cli([
    'run',
    'scenarios/security',
    '--adapter',
    'http',
    '--adapter-option',
    'url=ftp://127.0.0.1:1',
  ]);
  t.equal(bad.code, 2);
  t.match(bad.err, /url must be http:\/\/ or https:\/\//);
});

t.test('serve: prints its 127.0.0.1 URL, serves, and closes cleanly on SIGTERM', async (t) => {
  // The program runs through tsx, not tap's loader: its coverage would not map onto the same sources and would
  // spoil the merged report (tap tracks spawned children), so the child takes none.
  const env = { ...process.env, _TAPJS_PROCESSINFO_COVERAGE_: '0' };
  const child = spawn(process.execPath, ['bin/interop-conformance.js', 'serve', '--port', '0'], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env,
  });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve printed no URL: ${out}`)), 20_000);
    child.stdout.on('data', () => {
      const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    });
  });
  const answer = await request(`${url}/no/such/route`);
  t.equal(answer.statusCode, 404);
  t.match(await answer.body.json(), {
    error: { code: 'not-found', message: 'no such route', innerError: { date: String, 'request-id': String } },
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  child.kill('SIGTERM');
  t.equal(await exited, 0, 'exit code 0 after SIGTERM');
  t.match(out, /SIGTERM: closed/);
});

t.test('serve refuses bad options before listening', async (t) => {
  const faults = await cli(['serve', '--adapter-option', 'faults=no-such-fault']);
  t.equal(faults.code, 2);
  t.match(
    faults.err,
    /unknown fault "no-such-fault"; HTTP faults: late-delivery, async-delivery, cross-user-read, non-member-reads-chat, send-as-another-user, /,
  );
  const port = await cli(['serve', '--port', '70000']);
  t.equal(port.code, 2);
  t.match(port.err, /--port takes 0 to 65535/);
  const queued = await cli([
    'serve',
    '--adapter-option',
    'faults=async-delivery',
    '--adapter-option',
    'async-delivery-ms=0',
  ]);
  t.equal(queued.code, 2);
  t.match(queued.err, /async-delivery-ms takes a whole number above 0; got "0"/);
  const option = await cli(['serve', '--adapter-option', 'colour=blue']);
  t.equal(option.code, 2);
  t.match(option.err, /not colour/);
});

t.test(
  'the API document: every JSON answer is a component schema open to unknown properties (a real Graph payload carries more), and it documents exactly the routes the service serves',
  async (t) => {
    type Json = Record<string, any>;
    const doc = parse(readFileSync('specs/openapi.yaml', 'utf8')) as Json;
    const schemas = doc.components.schemas as Json;
    const name = (ref: string) => ref.split('/').pop()!;
    // Where, inside an answer's schema, unknown properties are refused (every subschema, each component once).
    const closedAt = (s: unknown, at: string, seen = new Set<string>()): string[] => {
      if (Array.isArray(s)) return s.flatMap((x, i) => closedAt(x, `${at}/${i}`, seen));
      if (!s || typeof s !== 'object') return [];
      const o = s as Json;
      if (typeof o.$ref === 'string') {
        const n = name(o.$ref);
        if (seen.has(n)) return [];
        seen.add(n);
        return closedAt(schemas[n], n, seen);
      }
      return [
        ...(o.additionalProperties === false ? [at] : []),
        ...Object.entries(o).flatMap(([k, v]) => (k === 'additionalProperties' ? [] : closedAt(v, `${at}/${k}`, seen))),
      ];
    };
    t.same(
      closedAt({ $ref: '#/components/schemas/NewChat' }, ''),
      ['NewChat', 'MemberBinding'],
      'the walk finds closed schemas, through references (a request body: those stay strict)',
    );
    const documented = new Set<string>();
    for (const [path, item] of Object.entries<Json>(doc.paths)) {
      for (const [method, op] of Object.entries<Json>(item)) {
        if (!op.operationId) continue;
        documented.add(`${method.toUpperCase()} ${path.replace(/\{\w+\}/g, '{}')}`);
        for (const [status, r] of Object.entries<Json>(op.responses)) {
          const content = (r.$ref ? doc.components.responses[name(r.$ref)] : r).content as Json | undefined;
          const schema = content?.['application/json']?.schema as Json | undefined;
          if (status === '204') t.notOk(content, `${op.operationId} 204 has no body`);
          else if (!content?.['text/event-stream']) {
            t.ok(schema?.$ref, `${op.operationId} ${status}: a component schema`);
            t.same(closedAt(schema, `${op.operationId} ${status}`), [], `${op.operationId} ${status}: open`);
          }
        }
      }
    }
    const served = new Set([
      'POST /worlds',
      'DELETE /worlds/{}',
      'POST /worlds/{}/sync',
      // The world stream (0.4.0) takes the control token, not a user's: answer.ts serves it beside the control plane.
      'GET /worlds/{}/interop/events',
      ...ROUTES.map((r) => `${r.method} /worlds/{}/${r.segments.map((s) => (s.startsWith('{') ? '{}' : s)).join('/')}`),
    ]);
    t.same(
      [...served].filter((r) => !documented.has(r)),
      [],
      'every route served is documented',
    );
    t.same(
      [...documented].filter((r) => !served.has(r)),
      [],
      'every route documented is served',
    );
  },
);

t.test(
  "the adapter's check of an answer: a real Graph payload's extra properties pass; a documented property of the wrong type, a required one missing, or an undocumented status is a WIRE-001 violation",
  async (t) => {
    const doc = ApiDocument.load();
    const getChat = doc.operation('getChat');
    const check = (status: number, body: unknown) => () => doc.check(getChat, status, body, 'GET /chats/… answered');
    const chat = {
      '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#chats/$entity',
      '@odata.etag': 'W/"1"',
      id: '19:sam_tara@unq.gbl.spaces',
      chatType: 'oneOnOne',
      topic: null,
      createdDateTime: '2026-11-30T08:00:00.000Z',
      lastUpdatedDateTime: '2026-11-30T08:00:00.000Z',
      tenantId: '2432b57b-0abd-43db-aa7b-16eadd115d34',
      webUrl: 'https://teams.microsoft.com/l/chat/19%3Asam_tara%40unq.gbl.spaces/0',
    };
    t.doesNotThrow(check(200, chat), "Graph's chat, with properties the document does not list");
    t.throws(check(200, { ...chat, id: 42 }), { name: 'WireFormatViolation', details: ['/id must be string'] });
    t.throws(check(200, { id: chat.id }), {
      name: 'WireFormatViolation',
      details: ["(root) must have required property 'chatType'"],
    });
    t.throws(check(418, chat), { message: /status 418 is not documented for getChat/ });
    const innerError = { date: '2026-11-30T08:00:00Z', 'request-id': 'r1', 'client-request-id': 'c1', extra: 1 };
    t.doesNotThrow(check(403, { error: { code: 'denied', message: 'not a member', innerError } }));
    t.throws(check(403, { error: { message: 'not a member', innerError } }), {
      name: 'WireFormatViolation',
      details: ["/error must have required property 'code'"],
    });
    const message = doc.operation('sendChatMessage');
    const sent = {
      '@odata.context':
        "https://graph.microsoft.com/v1.0/$metadata#chats('19%3Asam_tara%40unq.gbl.spaces')/messages/$entity",
      id: '1732953600000',
      replyToId: null,
      etag: '1732953600000',
      messageType: 'message',
      createdDateTime: '2026-11-30T08:00:00.000Z',
      lastModifiedDateTime: '2026-11-30T08:00:00.000Z',
      chatId: chat.id,
      importance: 'normal',
      from: {
        application: null,
        user: { '@odata.type': '#microsoft.graph.teamworkUserIdentity', id: 'tara', userIdentityType: 'aadUser' },
      },
      body: { contentType: 'text', content: 'Hello' },
      attachments: [],
      mentions: [],
      reactions: [],
    };
    t.doesNotThrow(() => doc.check(message, 201, sent, 'POST answered'), "Graph's chatMessage");
    t.throws(() => doc.check(message, 201, { ...sent, messageType: undefined }, 'POST answered'), {
      name: 'WireFormatViolation',
      details: ["(root) must have required property 'messageType'"],
    });
  },
);

t.test('a differential run of reference,http observes the same thing at every step', async (t) => {
  const service = await startService();
  const r = await cli([
    'run',
    'scenarios',
    '--adapter',
    'reference,http',
    '--adapter-option',
    `url=${service.url}`,
    '--quiet',
    '--reporter',
    'json',
  ]);
  await service.close();
  t.equal(r.code, 0, r.err || r.out.slice(-1500));
  const d = r.report().differential!;
  const http = `http(${service.url})`;
  t.same(d.adapters, ['reference', http]);
  t.same(d.disagreements, [], 'no step where the in-process and the HTTP reference disagree');
  const skippedOnlyInProcess = d.matrix
    .filter((m) => m.verdicts.reference !== m.verdicts[http])
    .map((m) => m.requirement);
  t.ok(
    skippedOnlyInProcess.every((id) => /^(SEC|WIRE)-/.test(id)),
    'verdicts differ only where the in-process reference has no wire',
  );
  t.equal(d.latency[http]?.count, 386, 'delivery latency measured over HTTP from server timestamps, at every delivery');
});

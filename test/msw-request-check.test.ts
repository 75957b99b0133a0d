/**
 * The parts of interop-conformance/msw on their own. The request checker read against a small document of its own,
 * so that each rule — which operation a path and method name, parameters, bodies, credentials — is shown catching
 * its faulty request and passing the right one, whatever specs/openapi.yaml holds today; the recorder's redaction
 * and text; the world resolver against the harness's loader.
 */
import t from 'tap';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { Recorder } from '../adapters/msw/record.js';
import { setupInteropServer } from '../adapters/msw/index.js';
import { RequestChecker, type ClientRequest } from '../adapters/msw/request-check.js';
import { resolveWorld } from '../adapters/msw/world.js';
import { findScenarioFiles, loadScenarios } from '../harness/load.js';
import { loadCatalogue } from '../harness/specs-files.js';

const DOC = {
  openapi: '3.1.0',
  security: [{ bearer: [] }],
  components: {
    securitySchemes: { bearer: { type: 'http', scheme: 'bearer' }, control: { type: 'http', scheme: 'bearer' } },
    parameters: { itemId: { name: 'itemId', in: 'path', required: true, schema: { $ref: '#/components/schemas/Id' } } },
    requestBodies: {
      Item: { required: true, content: { 'application/json': { schema: { $ref: '#/components/schemas/Item' } } } },
    },
    schemas: {
      Id: { type: 'string', pattern: '^[a-z]+$' },
      Item: {
        type: 'object',
        additionalProperties: false,
        required: ['name'],
        properties: { name: { type: 'string' } },
      },
    },
  },
  paths: {
    '/items/{itemId}': {
      parameters: [{ $ref: '#/components/parameters/itemId' }],
      get: {
        operationId: 'getItem',
        parameters: [
          { name: 'x-trace', in: 'header', required: true, schema: { type: 'string', maxLength: 4 } },
          { name: 'limit', in: 'query', schema: { type: 'string', pattern: '^[0-9]+$' } },
        ],
        responses: { '200': { description: 'ok' } },
      },
      put: { operationId: 'putItem', requestBody: { $ref: '#/components/requestBodies/Item' }, responses: {} },
      patch: {
        operationId: 'patchItem',
        requestBody: { content: { 'application/json': { schema: { type: 'object' } } } },
        responses: {},
      },
    },
    '/items/special': { post: { operationId: 'special', security: [], responses: {} } },
    '/admin/reset': { post: { operationId: 'reset', security: [{ control: [] }], responses: {} } },
    '/stream': {
      get: { operationId: 'stream', responses: { '200': { content: { 'text/event-stream': {} } } } },
    },
  },
};

const checker = new RequestChecker(DOC);
const tokenOk = (scheme: string, token: string) => token === (scheme === 'control' ? 'ctl' : 'tok');
const req = (method: string, url: string, headers: Record<string, string> = {}, body = ''): ClientRequest => {
  const u = new URL(url, 'http://x.invalid');
  return {
    method,
    path: u.pathname,
    query: u.searchParams,
    headers: { authorization: 'Bearer tok', ...headers },
    body,
  };
};
const findings = (r: ClientRequest) =>
  checker.check(r, tokenOk).findings.map((f) => [f.clause, f.message, ...f.errors]);

t.test(
  'path and method name one operation; a literal path wins over a template; bad percent-encoding names none',
  async (t) => {
    t.same(
      checker.operations.map((o) => [o.id, o.method, o.schemes, o.stream]),
      [
        ['getItem', 'GET', ['bearer'], false],
        ['putItem', 'PUT', ['bearer'], false],
        ['patchItem', 'PATCH', ['bearer'], false],
        ['special', 'POST', [], false],
        ['reset', 'POST', ['control'], false],
        ['stream', 'GET', ['bearer'], true],
      ],
    );
    t.equal(checker.match('POST', '/items/special').operation?.id, 'special');
    t.equal(
      checker.match('GET', '/items/special').operation?.id,
      'getItem',
      'GET takes the template: special is an itemId',
    );
    t.same(checker.match('GET', '/items/%E0%A4%A').operation, undefined);
    t.same(findings(req('DELETE', '/items/abc')), [
      ['CLIENT-001', 'DELETE /items/abc: the path is documented for GET, PUT, PATCH only, not DELETE'],
    ]);
  },
);

t.test(
  'parameters: path, query and header, each against its schema; undocumented and repeated query parameters',
  async (t) => {
    t.same(findings(req('GET', '/items/abc?limit=10', { 'x-trace': 'ab' })), [], 'the right request');
    t.same(findings(req('GET', '/items/ABC?limit=ten&limit=2&offset=1')), [
      [
        'CLIENT-002',
        'the parameters of getItem are not as documented',
        'query parameter offset is not documented for getItem',
        'path parameter itemId must match pattern "^[a-z]+$"',
        'header parameter x-trace is required',
        'query parameter limit is given 2 times',
        'query parameter limit must match pattern "^[0-9]+$"',
      ],
    ]);
    t.same(findings(req('GET', '/items/abc', { 'x-trace': 'too long' })), [
      [
        'CLIENT-002',
        'the parameters of getItem are not as documented',
        'header parameter x-trace must NOT have more than 4 characters',
      ],
    ]);
  },
);

t.test(
  'bodies: required, JSON, of the schema, none where none is taken, and said to be application/json',
  async (t) => {
    const json = { 'content-type': 'application/json; charset=utf-8' };
    t.same(findings(req('PUT', '/items/abc', json, '{"name":"a"}')), [], 'the right body');
    t.same(findings(req('PATCH', '/items/abc')), [], 'an optional body left out');
    t.same(findings(req('PUT', '/items/abc')), [['CLIENT-002', 'putItem needs a JSON body (Item)']]);
    t.same(findings(req('PUT', '/items/abc', json, '{"name":')), [
      ['CLIENT-002', 'the body is not JSON: Unexpected end of JSON input'],
    ]);
    t.same(findings(req('PUT', '/items/abc', json, '{"name":1,"size":2}')), [
      [
        'CLIENT-002',
        'the body is not a Item',
        'body must NOT have additional properties ("size")',
        '/name must be string',
      ],
    ]);
    t.same(findings(req('PATCH', '/items/abc', json, '[]')), [
      ['CLIENT-002', 'the body is not a body', 'body must be object'],
    ]);
    t.same(findings(req('POST', '/items/special', {}, '{}')), [
      ['CLIENT-003', 'a body without Content-Type: application/json'],
      ['CLIENT-002', 'a body, but special takes none'],
    ]);
  },
);

t.test('credentials: none needed, a user token, the control token', async (t) => {
  t.same(findings(req('POST', '/items/special', { authorization: '' })), [], 'security: [] needs no token');
  t.same(findings(req('POST', '/admin/reset')), [
    ['CLIENT-003', 'reset needs a control token of this world; the bearer token sent is not one'],
  ]);
  t.same(findings(req('POST', '/admin/reset', { authorization: 'Bearer ctl' })), []);
  t.same(findings(req('GET', '/stream', { authorization: 'Basic dTpw' })), [
    ['CLIENT-003', 'stream needs Authorization: Bearer and a token of bearer, and none was sent'],
  ]);
});

t.test('a document whose $ref names nothing is refused when read', async (t) => {
  const broken = {
    ...DOC,
    paths: { '/x': { get: { operationId: 'x', parameters: [{ $ref: '#/components/parameters/gone' }] } } },
  };
  t.throws(() => new RequestChecker(broken), {
    message: 'specs/openapi.yaml: #/components/parameters/gone names nothing in the document',
  });
});

t.test(
  'the recorder: tokens replaced wherever they appear, other credentials redacted, long error lists cut',
  async (t) => {
    const r = new Recorder(new Map([['s3cr3t', 'tara']]));
    r.add({
      method: 'GET',
      path: '/items/s3cr3t?x=s3cr3t',
      headers: { authorization: 'Basic dTpw', cookie: 'session=s3cr3t', 'x-note': 'carries s3cr3t' },
      status: 400,
      findings: [{ clause: 'CLIENT-002', message: 'about s3cr3t', errors: ['1', '2', '3', '4', '5', '6', '7 s3cr3t'] }],
    });
    const report = r.report();
    t.notOk(JSON.stringify(report).includes('s3cr3t'), 'the token is nowhere in the report');
    t.same(report.requests[0]!.headers, {
      authorization: '[redacted]',
      cookie: '[redacted]',
      'x-note': 'carries [token of tara]',
    });
    t.equal(
      report.text,
      [
        '1 request, 1 broke specs/openapi.yaml:',
        '  #1 GET /items/[token of tara]?x=[token of tara] (Authorization: [redacted]) → 400',
        '    CLIENT-002 about [token of tara]',
        '      - 1',
        '      - 2',
        '      - 3',
        '      - 4',
        '      - 5',
        '      - … 2 more',
      ].join('\n'),
    );
  },
);

t.test(
  "a scenario's world, written short, resolves exactly as the harness's loader resolves it, in every scenario",
  async (t) => {
    const { scenarios } = loadScenarios(findScenarioFiles(['scenarios']), loadCatalogue().requirements);
    t.equal(scenarios.length, 163);
    const differ = scenarios.filter(
      (s) => JSON.stringify(resolveWorld(parse(readFileSync(s.file, 'utf8')).world)) !== JSON.stringify(s.world),
    );
    t.same(
      differ.map((s) => s.id),
      [],
    );
    // The comparison sees a difference: a default taken otherwise (Islands instead of TeamsOnly) is one.
    const islands = resolveWorld({ users: { tara: { platform: 'teams', mode: 'Islands' } } });
    t.not(JSON.stringify(islands), JSON.stringify(resolveWorld({ users: { tara: { platform: 'teams' } } })));
    t.equal(resolveWorld(scenarios[0]!.world), scenarios[0]!.world, 'a resolved World is taken as it is');
    t.throws(() => resolveWorld({ users: { x: { platform: 'martian' as 'teams' } } }), {
      message: 'world.users.x: platform must be teams, skype or admin',
    });
    t.throws(() => resolveWorld({ users: { x: { platform: 'admin', tenant: 'nowhere' } } }), {
      message: 'world.users.x: unknown tenant "nowhere"',
    });
  },
);

t.test('a world the reference refuses is an error naming why; a user naming no tenant too', async (t) => {
  await t.rejects(
    setupInteropServer({
      world: { tenants: {}, users: { sam: { kind: 'admin', name: 'sue', tenant: 'contoso' } } },
    }),
    /^the reference refused the world \(400\): /,
  );
  await t.rejects(
    setupInteropServer({ world: { tenants: { a: {}, b: {} }, users: { tara: { platform: 'teams' } } } }),
    { message: 'world.users.tara: needs a tenant' },
  );
});

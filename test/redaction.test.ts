/**
 * Redaction both ways: what the run knows is secret (an adapter's `secrets()`), Authorization/Cookie values and
 * well-known secret shapes are hidden in every output; scenario ids, file paths, locations, rule and requirement
 * ids are never touched — not even an id that looks like a token.
 */
import t from 'tap';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { redactedJson } from '../reports/json.js';
import { keepIds, redact, redactDeep, registerSecrets } from '../reports/redact.js';
import { CHAT_SCENARIO, cli, scenarioDir } from './support.js';

t.test('well-known secret shapes are redacted, the word in front kept', async (t) => {
  const cases: [string, string][] = [
    ['Authorization: Basic dXNlcjpwYXNzd29yZA==', 'Authorization: Basic [redacted]'],
    ['authorization=Token abc123', 'authorization=Token [redacted]'],
    ['Proxy-Authorization: Negotiate YIIGhgYGKwYBBQUCoIIGejCCBnag', 'Proxy-Authorization: Negotiate [redacted]'],
    ['login with Basic dXNlcjpwYXNz failed', 'login with Basic [redacted] failed'],
    ['Cookie: session=abc123; theme=dark', 'Cookie: [redacted]'],
    ['Set-Cookie: sid=31d4d96e407aad42; Path=/; Secure\nnext line', 'Set-Cookie: [redacted]\nnext line'],
    ['{"cookie":"a=b; c=d"}', '{"cookie":"[redacted]"}'],
    ['key AKIAIOSFODNN7EXAMPLE used', 'key [redacted] used'],
    ['sk-proj-4fG7hJ2kL9mN3pQ8rS1tU6vW and sk_live_51HxYzAbCdEfGhIjKlMnOpQr', '[redacted] and [redacted]'],
    [
      'ghp_16C7e42F292c6912E7710c838347Ae178B4a and github_pat_11ABCDEFG0123456789_abcdefghijklmnop',
      '[redacted] and [redacted]',
    ],
    ['xoxb-123456789012-abcdefghijkl', '[redacted]'],
    ['session_id=9f8e7d6c5b4a', 'session_id=[redacted]'],
    ['client_secret: "s3cr3t-value"', 'client_secret: "[redacted]"'],
  ];
  for (const [input, want] of cases) t.equal(redact(input), want, input);
});

t.test('prose and ids are left alone, even where they look like a secret', async (t) => {
  keepIds(['chat/sk-teams2skype-long-scenario-id', 'scenarios/chat/H30RefusalDistinctFromLoss9x.yaml:12:5']);
  const harmless = [
    'Basic interop works', // a word after Basic, not base64
    'the Cookie jar is empty',
    'chat/sk-teams2skype-long-scenario-id breaks CHAT-001', // an id shaped like an sk- key, kept because it is an id
    'step 2 (scenarios/chat/H30RefusalDistinctFromLoss9x.yaml:12:5) — rule relationship.teams-blocks; REQ-003',
    'tara@contoso.example AKIA is a prefix only',
  ];
  for (const text of harmless) t.equal(redact(text), text, `leaves alone: ${text}`);
  t.equal(
    redact('chat/sk-teams2skype-long-scenario-id got token=abc123xyz'),
    'chat/sk-teams2skype-long-scenario-id got token=[redacted]',
    'the id kept, the secret beside it not',
  );
});

t.test('secrets the run was told about are redacted wherever they appear, and only while registered', async (t) => {
  const unregister = registerSecrets(() => ['q7ZrT0kenNotShaped', 'short']);
  t.equal(redact('issued q7ZrT0kenNotShaped to tara'), 'issued [redacted] to tara');
  t.equal(
    redact('a short word'),
    'a short word',
    'strings under 8 characters are not secrets: they would destroy text',
  );
  unregister();
  t.equal(redact('issued q7ZrT0kenNotShaped to tara'), 'issued q7ZrT0kenNotShaped to tara');
  const throwing = registerSecrets(() => {
    throw new Error('adapter broke');
  });
  t.equal(redact('password=x1'), 'password=[redacted]', 'a failing secret source does not stop redaction');
  throwing();
});

t.test('report.json redaction skips id fields and survives circular and BigInt values', async (t) => {
  const circular: Record<string, unknown> = { text: 'Bearer abc.def' };
  circular.self = circular;
  const shared = { n: 1 };
  const copy = redactDeep({
    id: 'chat/ghp_16C7e42F292c6912E7710c838347Ae178B4a',
    file: 'x/AKIAIOSFODNN7EXAMPLE.yaml',
    error: 'AKIAIOSFODNN7EXAMPLE',
    big: 12n,
    circular,
    a: shared,
    b: shared,
  }) as Record<string, unknown>;
  t.same(
    copy,
    {
      id: 'chat/ghp_16C7e42F292c6912E7710c838347Ae178B4a',
      file: 'x/AKIAIOSFODNN7EXAMPLE.yaml',
      error: '[redacted]',
      big: '12n',
      circular: { text: 'Bearer [redacted]', self: '[circular]' },
      a: { n: 1 },
      b: { n: 1 },
    },
    'ids whole, free text redacted, a cycle cut, a shared object copied twice',
  );
});

t.test(
  "end to end: a file named like a token stays whole everywhere; the adapter's leaked credentials do not",
  async (t) => {
    const secret = 'tok3n-Issued-To-The-Run-Q9';
    const dir = scenarioDir({ 'chat/H30RefusalDistinctFromLoss9x.yaml': CHAT_SCENARIO });
    const r = await cli([
      'run',
      dir,
      '--adapter',
      'test/fixtures/crash-adapter.ts',
      '--adapter-option',
      'crash=leak-secret',
      '--adapter-option',
      `secret=${secret}`,
    ]);
    t.equal(r.code, 1, r.err);
    const outputs: [string, string][] = [
      ['terminal', r.out + r.err],
      ...['summary.md', 'junit.xml', 'report.json'].map(
        (f) => [f, readFileSync(join(r.outDir, f), 'utf8')] as [string, string],
      ),
    ];
    for (const [name, text] of outputs) {
      t.match(text, 'chat/H30RefusalDistinctFromLoss9x', `${name}: the scenario id whole`);
      t.notMatch(text, /\[redacted\]\.yaml/, `${name}: the file name whole`);
      for (const leaked of [secret, 'dXNlcjpwYXNzd29yZA', 'AKIAIOSFODNN7EXAMPLE', 'sk-proj-4fG7', 'abc123def'])
        t.notMatch(text, leaked, `${name} hides ${leaked.slice(0, 6)}…`);
      t.match(text, '[redacted]', `${name}: says that something was redacted`);
    }
    const report = r.report();
    t.match(report.scenarios[0], {
      file: /scenarios\/chat\/H30RefusalDistinctFromLoss9x\.yaml$/,
      steps: [{ location: /H30RefusalDistinctFromLoss9x\.yaml:\d+:\d+$/ }],
    });
  },
);

t.test(
  'known secrets are found inside longer runs of token characters, beside others and with other characters, longest first; a whole report reads the secret sources once',
  async (t) => {
    const token = 'Tok3n_abcdefghijklmnopqrstuvwxyz012345';
    const world = 'W0rld-id-0123456789';
    const odd = 'p@ss word!';
    let reads = 0;
    const undo = registerSecrets(() => (reads++, [world, token, odd, token.slice(0, 12)]));
    t.teardown(undo);
    t.equal(redact(`a ${token} b`), 'a [redacted] b', 'a token alone');
    t.equal(redact(`x${token}y`), 'x[redacted]y', 'inside a longer run of token characters');
    t.equal(redact(`${world}/${token}`), '[redacted]/[redacted]', 'two beside each other');
    t.equal(redact(`${world}${token}`), '[redacted][redacted]', 'two in one run');
    t.equal(redact(`say ${odd} now`), 'say [redacted] now', 'a secret with other characters, as written');
    t.equal(
      redact(token.slice(0, 12) + ' and ' + token),
      '[redacted] and [redacted]',
      'the longest first, then a part',
    );
    t.equal(redact('nothing secret here'), 'nothing secret here');
    reads = 0;
    const report = { scenarios: Array.from({ length: 50 }, (_, i) => ({ reason: `step ${i}: ${token}` })) };
    const out = redactDeep(report);
    t.equal(reads, 1, 'a whole report asks the secret sources once, not once per string');
    t.same(out.scenarios[49], { reason: 'step 49: [redacted]' });
  },
);

t.test(
  'redactedJson writes exactly what JSON.stringify(redactDeep(…)) writes under any key, or leaves a value to the copy',
  async (t) => {
    const fc = (await import('fast-check')).default;
    const secret = 'tok-3f9a7c1e5b2d';
    const undo = registerSecrets(() => [secret]);
    t.teardown(undo);
    // Strings that redaction changes (a registered secret, a bearer token) or keeps, under id fields and others.
    const text = fc.oneof(
      fc.constantFrom(`with ${secret} inside`, 'Bearer abcdefghijklmnop1234', 'plain words', 'chat/a.yaml'),
      fc.string(),
    );
    const key = fc.constantFrom(undefined, 'id', 'requirements', 'message', 'trace', 'text', '0');
    const keys = fc.constantFrom('id', 'requirements', 'message', 'trace', 'text', 'tags', '__proto__x');
    const { value } = fc.letrec<{ value: unknown }>((tie) => ({
      value: fc.oneof(
        { depthSize: 'small' },
        text,
        fc.integer(),
        fc.double(),
        fc.boolean(),
        fc.constant(null),
        fc.constant(undefined),
        fc.array(tie('value'), { maxLength: 4 }),
        fc.dictionary(keys, tie('value'), { maxKeys: 4 }),
      ),
    }));
    const expected = (v: unknown, k: string | undefined) =>
      JSON.stringify(
        k === undefined ? redactDeep(v) : (redactDeep({ [k]: [v] }) as Record<string, unknown[]>)[k]![0],
        null,
        2,
      );
    fc.assert(
      fc.property(value, key, (v, k) =>
        // undefined alone is no JSON text: left to the caller (report.json writes it in an array, as null)
        v === undefined ? redactedJson(v, k, 2) === undefined : redactedJson(v, k, 2) === expected(v, k),
      ),
      { numRuns: 400, seed: 20261130 },
    );
    t.equal(
      redactedJson({ requirements: [[secret]], note: [secret] }, undefined),
      '{"requirements":[["' + secret + '"]],"note":["[redacted]"]}',
      "an array's items, however deep, sit under its key",
    );
    t.equal(redactedJson(secret, 'id'), JSON.stringify(secret), 'the value itself sits under the key given');
    t.equal(redactedJson(secret, 'text'), '"[redacted]"');
    // Anything else: written the same, or left to the copy (undefined), never written otherwise.
    class Point {
      constructor(readonly x = 1) {}
    }
    const exotic = fc.constantFrom<unknown>(
      new Date(0),
      12n,
      new Map([[1, 2]]),
      new Point(),
      Object('boxed'),
      () => 1,
      Symbol('s'),
      { toJSON: () => secret },
    );
    const mixed = fc.array(fc.oneof(value, exotic), { maxLength: 4 });
    fc.assert(
      fc.property(mixed, key, (v, k) => [undefined, expected(v, k)].includes(redactedJson(v, k, 2))),
      { numRuns: 300, seed: 20261130 },
    );
    const cycle: Record<string, unknown> = {};
    cycle.self = cycle;
    t.equal(redactedJson({ c: cycle }), undefined, 'a cycle: left to the copy, which marks it');
    t.equal(redactedJson({ s: Object(secret) }), undefined, 'a boxed string: left to the copy (JSON would unbox it)');
    const dated = { n: 5n, d: new Date(0), note: { toJSON: () => secret } };
    t.equal(redactedJson(dated, undefined, 2), expected(dated, undefined), 'BigInt and toJSON: written as the copy is');
  },
);

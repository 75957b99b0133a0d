/**
 * The Python example (examples/python-adapter/, issue 12 item 4): an interop implementation in another language,
 * standard library only, passes the whole suite through the stdio adapter; the same program with its demo fault
 * on fails the requirement that fault breaks (so the pass is earned); and it speaks the protocol on its own
 * (specs/adapter-protocol.md): answers by id, refuses what it cannot do with a message, exits on shutdown and EOF.
 */
import t from 'tap';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RunResult } from '../reports/results.js';

const EXAMPLE = 'examples/python-adapter/adapter.py';
const COMMAND = `python3 ${EXAMPLE}`;
const python = spawnSync('python3', ['--version'], { encoding: 'utf8' });
const skip = python.error || python.status !== 0 ? 'python3 is not installed: the Python example cannot run' : false;

// A whole-suite run spawns the CLI and the Python child: on a loaded CI machine more than the default 120 s a file.
t.setTimeout(300_000);

interface Run {
  code: number | null;
  out: string;
  err: string;
  report: RunResult;
}

/** `interop-conformance run` as a child (no coverage: tsx's would not merge with tap's), against the example. */
function runExample(args: string[], env: Record<string, string> = {}): Promise<Run> {
  const outDir = mkdtempSync(join(tmpdir(), 'ic-python-'));
  const argv = ['bin/interop-conformance.js', 'run', ...args, '--adapter', 'stdio', '--command', COMMAND];
  const child = spawn(process.execPath, [...argv, '--out', outDir, '--reporter', 'json', '--quiet'], {
    env: { ...process.env, CI: '1', _TAPJS_PROCESSINFO_COVERAGE_: '0', PYTHONDONTWRITEBYTECODE: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d));
  child.stderr.on('data', (d: Buffer) => (err += d));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => {
      try {
        resolve({ code, out, err, report: JSON.parse(readFileSync(join(outDir, 'report.json'), 'utf8')) });
      } catch (e) {
        reject(new Error(`no report (exit ${code}): ${err || out}`, { cause: e }));
      }
    });
  });
}

t.test(
  'the Python example passes all 153 scenarios it has the capabilities for and skips the 10 security ones (no wire), exit 0',
  { skip },
  async (t) => {
    const started = Date.now();
    const r = await runExample(['scenarios']);
    t.comment(`whole suite through python3 over stdio: ${Date.now() - started} ms`);
    t.equal(r.code, 0, r.err);
    t.equal(r.report.summary.adapter, 'stdio(python-example)');
    t.same(r.report.summary.scenarios, { total: 163, pass: 153, fail: 0, error: 0, skip: 10 });
    const skipped = r.report.scenarios.filter((s) => s.verdict === 'skip').map((s) => s.id);
    t.ok(
      skipped.every((id) => id.startsWith('security/')),
      `only the probing scenarios are skipped: ${skipped.join(', ')}`,
    );
    // Every requirement the other scenarios claim passes, 52 of them; the network API's (SEC-001…007, WIRE-001)
    // are skipped with the probing scenarios. (Requirements no scenario checks, such as msw's client ones, are
    // untested whatever the adapter, so they are not pinned here.)
    const { pass, fail, error } = r.report.summary.requirements;
    t.same({ pass, fail, error }, { pass: 52, fail: 0, error: 0 });
    t.same(
      r.report.requirements.filter((q) => q.verdict === 'skip').map((q) => q.id),
      ['SEC-001', 'SEC-002', 'SEC-003', 'SEC-004', 'SEC-005', 'SEC-006', 'SEC-007', 'WIRE-001'],
    );
  },
);

t.test(
  'with its demo fault skip-block-check the example fails 20 of the 24 block scenarios at BLOCK-001, BLOCK-003 and BLOCK-005, exit 1',
  { skip },
  async (t) => {
    const r = await runExample(['scenarios/block'], { EXAMPLE_FAULT: 'skip-block-check' });
    t.equal(r.code, 1, r.err);
    t.equal(r.report.summary.adapter, 'stdio(python-example(skip-block-check))');
    t.same(r.report.summary.scenarios, { total: 24, pass: 4, fail: 20, error: 0, skip: 0 });
    const failing = r.report.requirements.filter((q) => q.verdict === 'fail').map((q) => q.id);
    t.same(failing.sort(), ['BLOCK-001', 'BLOCK-003', 'BLOCK-005', 'REQ-005']);
  },
);

/** The example as a bare child: write request lines, collect every answer line and how it ended. */
function converse(lines: string[], env: Record<string, string> = {}) {
  const child = spawnSync('python3', [EXAMPLE], {
    input: lines.map((l) => `${l}\n`).join(''),
    encoding: 'utf8',
    env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1', ...env },
    timeout: 20_000,
  });
  const answers = child.stdout
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as { id: number; ok: boolean; result?: any; error?: { message: string } });
  return { code: child.status, answers, stderr: child.stderr };
}

const WORLD = {
  tenants: {
    contoso: {
      allowPublicUsers: true,
      cloud: 'commercial',
      publicProvider: 'WindowsLive',
      sipFederationSrv: { target: 'sipfed.online.lync.com', port: 5061, priority: 100, weight: 1 },
      skypeForBusinessOnlineApp: true,
    },
  },
  users: {
    tara: {
      kind: 'teams',
      name: 'tara',
      tenant: 'contoso',
      email: 'tara@contoso.example',
      mode: 'TeamsOnly',
      client: 'windows',
      policy: { enablePublicCloudAccess: true, enablePublicCloudAudioVideoAccess: true },
      forwarding: 'none',
      delegates: [],
    },
    sam: {
      kind: 'skype',
      name: 'sam',
      email: 'sam@outlook.example',
      skypeId: 'live:sam',
      phone: null,
      searchable: true,
      client: 'web',
    },
  },
};

t.test(
  'the example answers each request by its id, delivers a first message as an encrypted request, and exits 0 on shutdown',
  { skip },
  async (t) => {
    const r = converse([
      JSON.stringify({ id: 1, op: 'hello', protocol: 1 }),
      JSON.stringify({ id: 2, op: 'open', world: WORLD }),
      JSON.stringify({
        id: 3,
        op: 'perform',
        session: 's1',
        actor: 'tara',
        action: { kind: 'message', to: 'sam', text: 'Hi' },
      }),
      JSON.stringify({ id: 4, op: 'drain', session: 's1', user: 'sam' }),
      JSON.stringify({ id: 5, op: 'drain', session: 's1', user: 'sam' }),
      JSON.stringify({
        id: 6,
        op: 'perform',
        session: 's1',
        actor: 'sam',
        action: { kind: 'message', to: 'tara', text: 'Yo' },
      }),
      JSON.stringify({ id: 7, op: 'close', session: 's1' }),
      JSON.stringify({ id: 8, op: 'shutdown' }),
      JSON.stringify({ id: 9, op: 'hello', protocol: 1 }),
    ]);
    t.equal(r.code, 0);
    t.same(
      r.answers.map((a) => a.id),
      [1, 2, 3, 4, 5, 6, 7, 8],
      'every request up to shutdown answered once, in order, and nothing read after it',
    );
    t.same(r.answers[0]!.result.capabilities, [
      'search',
      'chat',
      'call',
      'relationship',
      'presence',
      'admin',
      'coexistence',
      'deployment',
    ]);
    t.same(r.answers[2]!.result, { status: 'ok' });
    const [request, ...more] = r.answers[3]!.result.deliveries;
    t.same(more, []);
    t.match(request, { to: 'sam', from: 'tara', kind: 'request', surface: 'skype', text: 'Hi', encrypted: true });
    t.type(request.deliveredAt, 'number', "stamped by the system's own clock");
    t.same(r.answers[4]!.result, { deliveries: [] }, 'a drain hands each delivery over once');
    t.same(r.answers[5]!.result, { status: 'error', error: 'request-not-accepted' }, 'a refusal is a result');
  },
);

t.test(
  'what the example cannot do is an ok:false answer with a message: an unknown op, an unknown session, a probe, another protocol',
  { skip },
  async (t) => {
    const r = converse([
      JSON.stringify({ id: 1, op: 'hello', protocol: 2 }),
      JSON.stringify({ id: 2, op: 'teleport' }),
      JSON.stringify({ id: 3, op: 'drain', session: 'nope', user: 'sam' }),
      JSON.stringify({ id: 4, op: 'open', world: WORLD }),
      JSON.stringify({
        id: 5,
        op: 'perform',
        session: 's1',
        actor: 'tara',
        action: { kind: 'probe', attack: 'unknown-route' },
      }),
      'not json',
    ]);
    t.equal(r.code, 0, 'the end of stdin ends the program');
    t.same(
      r.answers.map((a) => [a.id, a.ok]),
      [
        [1, false],
        [2, false],
        [3, false],
        [4, true],
        [5, false],
      ],
    );
    t.match(r.answers[0]!.error!.message, /speaks protocol 1, not 2/);
    t.match(r.answers[1]!.error!.message, /unknown op 'teleport'/);
    t.match(r.answers[2]!.error!.message, /no open session 'nope'/);
    t.match(r.answers[4]!.error!.message, /no network API to probe/);
    t.match(r.stderr, /a request that is not JSON, ignored/, 'the bad line is logged on stderr, not answered');
    t.notMatch(r.stderr, /Traceback/, 'no stack trace');
  },
);

t.test('an unknown EXAMPLE_FAULT is refused at start with the known ones named, exit 2', { skip }, async (t) => {
  const r = converse([JSON.stringify({ id: 1, op: 'hello', protocol: 1 })], { EXAMPLE_FAULT: 'no-such-fault' });
  t.equal(r.code, 2);
  t.same(r.answers, []);
  t.match(r.stderr, /unknown EXAMPLE_FAULT no-such-fault; known: skip-block-check/);
});

/**
 * `run --server "CMD" --url URL`: the harness starts the system under test, waits until it answers, runs, and stops
 * CMD's whole process group — after a pass, a failure to start, a timeout, and a SIGTERM to the harness. A URL that
 * already answers is refused, or reused with --reuse-server.
 */
import t from 'tap';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startService } from '../adapters/reference/http/server.js';
import { CommandContext, type Options } from '../harness/commands/context.js';
import { ServerForRun } from '../harness/commands/run-server.js';
import { groupAlive, ServerCommand } from '../harness/server-command.js';
import type { RunResult } from '../reports/results.js';
import { cli } from './support.js';

/** The two chat scenarios every case runs, with no settle window: what is under test is the server's life. */
const TWO_CHATS = ['run', 'scenarios/chat', '--grep', 'both-ways-after', '--settle', '0'];
const NO_COVERAGE = '_TAPJS_PROCESSINFO_COVERAGE_=0';
const SERVE = `${NO_COVERAGE} exec node bin/interop-conformance.js serve --port`;

/** A free port on loopback: listen on 0, close, reuse. */
const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });

/** Whether anything answers HTTP at the URL now. */
const answers = (url: string) =>
  fetch(url, { signal: AbortSignal.timeout(1000) }).then(
    () => true,
    () => false,
  );

/** A process that runs (a zombie has stopped: where PID 1 reaps nothing, killed grandchildren stay zombies). */
function running(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

const temp = () => mkdtempSync(join(tmpdir(), 'ic-server-'));
const pidIn = (file: string) => Number(readFileSync(file, 'utf8').trim());

t.test(
  'the served reference started by --server passes 2 chat scenarios and its whole process group is stopped after',
  async (t) => {
    const port = await freePort();
    const dir = temp();
    const url = `http://127.0.0.1:${port}`;
    // `sleep` in the background is a second process of the group: stopping only the shell would leave it running.
    const command = `echo $$ > ${dir}/leader; sleep 300 & echo $! > ${dir}/sleeper; ${SERVE} ${port}`;
    const r = await cli([...TWO_CHATS, '--server', command, '--url', url]);
    t.equal(r.code, 0, r.err);
    t.equal(r.report().summary.scenarios.pass, 2);
    t.equal(r.report().summary.adapter, `http(${url})`, '--server made the default adapter http');
    t.match(r.err, new RegExp(`^server: ${url}/ answered 404 \\d+ ms after the command was started\\n$`));
    t.notOk(await answers(url), 'the port no longer answers');
    t.notOk(running(pidIn(`${dir}/leader`)), 'the server process is gone');
    t.notOk(running(pidIn(`${dir}/sleeper`)), 'so is the other process it started');
    t.notOk(groupAlive(pidIn(`${dir}/leader`)), 'nothing of its process group runs');
  },
);

t.test(
  'a command that exits before the URL answers: exit 3, every scenario error, its output said; no stale report',
  async (t) => {
    const port = await freePort();
    const out = temp();
    writeFileSync(join(out, 'report.json'), '{"stale": true}');
    const command = `API_TOKEN=tok-8f3a1c; echo starting; echo "cannot bind: port in use" >&2; exit 1`;
    const r = await cli([
      'run',
      'scenarios/chat',
      '--grep',
      'both-ways-after',
      '--server',
      command,
      '--url',
      `http://127.0.0.1:${port}`,
      '--out',
      out,
    ]);
    t.equal(r.code, 3);
    const reason = `the system under test did not start: the server command exited with code 1 before http://127.0.0.1:${port}/ answered`;
    t.equal(r.err, `interop-conformance: ${reason}; its last output:\nstarting\ncannot bind: port in use\n\n`);
    const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as RunResult;
    t.same(
      report.scenarios.map((s) => [s.verdict, s.reason]),
      [
        ['error', reason],
        ['error', reason],
      ],
      'the fresh set replaced the stale report',
    );
    t.equal(report.summary.gate.exitCode, 1);
    t.ok(
      report.summary.gate.reasons.includes(
        "note: the server command's last output: starting\ncannot bind: port in use\n",
      ),
    );
    t.notMatch(
      readFileSync(join(out, 'report.json'), 'utf8') + r.err,
      'tok-8f3a1c',
      'the command line is never printed',
    );
  },
);

t.test('a URL that never answers: the timeout says so, exit 3, and the command is stopped', async (t) => {
  const port = await freePort();
  const dir = temp();
  const r = await cli([
    'run',
    'scenarios/chat',
    '--grep',
    'both-ways-after',
    '--server',
    `echo $$ > ${dir}/leader; exec sleep 30`,
    '--url',
    `http://127.0.0.1:${port}/health`,
    '--server-timeout',
    '400',
    '--reporter',
    'json',
  ]);
  t.equal(r.code, 3);
  t.match(
    r.err,
    `http://127.0.0.1:${port}/health did not answer within 400 ms (--server-timeout) of starting the server command; the last try got ECONNREFUSED; its last output:\n(none)\n`,
  );
  t.equal(r.report().summary.scenarios.error, 2);
  t.notOk(running(pidIn(`${dir}/leader`)), 'the command was stopped');
});

t.test(
  'a URL that already answers is refused (exit 2, nothing run); --reuse-server tests it and leaves it running',
  async (t) => {
    const service = await startService();
    t.teardown(() => service.close());
    const dir = temp();
    const args = [...TWO_CHATS, '--server', `touch ${dir}/started`, '--url', service.url];
    const refused = await cli(args);
    t.equal(refused.code, 2);
    t.match(
      refused.err,
      `interop-conformance: ${service.url}/ already answers (404) before the server command was started: another server holds that address, and the run would test it instead; stop it, or pass --reuse-server to test it`,
    );
    t.notOk(existsSync(join(refused.outDir, 'report.json')), 'no report is written');
    const reused = await cli([...args, '--reuse-server']);
    t.equal(reused.code, 0, reused.err);
    t.equal(reused.report().summary.scenarios.pass, 2);
    t.match(reused.err, `server: reusing what answers at ${service.url}/ (404); the command was not started`);
    t.notOk(existsSync(join(dir, 'started')), 'the command was never started');
    t.ok(await answers(service.url), 'what the run did not start, it does not stop');
  },
);

t.test(
  'SIGTERM to the harness mid-run: exit 143, the report marked interrupted, the server group stopped',
  async (t) => {
    const port = await freePort();
    const dir = temp();
    const url = `http://127.0.0.1:${port}`;
    const command = `echo $$ > ${dir}/leader; ${SERVE} ${port}`;
    const env = { ...process.env, CI: '1', _TAPJS_PROCESSINFO_COVERAGE_: '0' };
    const args = [
      'bin/interop-conformance.js',
      'run',
      'scenarios/chat',
      '--settle',
      '0',
      '--server',
      command,
      '--url',
      url,
      '--out',
      dir,
      '--reporter',
      'json',
    ];
    const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d: Buffer) => {
      err += d;
      if (err.includes('answered')) child.kill('SIGTERM');
    });
    const code = await new Promise((r) => child.on('exit', r));
    t.equal(code, 143, err);
    t.equal(JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')).summary.interrupted, true);
    t.notOk(await answers(url), 'the port no longer answers');
    t.notOk(groupAlive(pidIn(`${dir}/leader`)), 'nothing of the server process group runs');
  },
);

t.test('5xx is not ready; a server that ignores SIGTERM is killed after the grace, and a note says so', async (t) => {
  const port = await freePort();
  // Answers 503 three times, then 200; ignores SIGTERM.
  const js = `let n=0;process.on('SIGTERM',()=>{});require('http').createServer((q,s)=>{s.statusCode=++n>3?200:503;s.end()}).listen(${port},'127.0.0.1')`;
  const system = new ServerCommand({
    command: `${NO_COVERAGE} exec node -e "${js}"`,
    url: `http://127.0.0.1:${port}`,
    graceMs: 300,
  });
  t.match(await system.start(), { reused: false, status: 200 });
  t.same(await system.stop(), ['the server command did not stop within 300 ms of SIGTERM: it was killed (SIGKILL)']);
  t.notOk(groupAlive(system.pgid!), 'killed');
  t.same(
    await system.stop(),
    ['the server command did not stop within 300 ms of SIGTERM: it was killed (SIGKILL)'],
    'stop twice is one stop',
  );
});

t.test(
  'a signal while the server is given its grace kills it at once; a command that died mid-run is noted',
  async (t) => {
    const port = await freePort();
    const ctx = (server: string) =>
      new CommandContext({ server, url: `http://127.0.0.1:${port}`, quiet: true } as Options, [], {
        stdout: process.stdout,
        stderr: { write: () => true } as never,
        env: {},
      });
    const stubborn = new ServerForRun(
      ctx('x'),
      new ServerCommand({
        command: `trap "" TERM; while :; do sleep 0.05; done`,
        url: `http://127.0.0.1:${port}`,
        timeoutMs: 200,
      }),
    );
    t.match(await stubborn.start(), /did not answer within 200 ms/);
    const t0 = performance.now();
    const notes = await stubborn.stop(Promise.resolve());
    t.match(notes, [
      /^the server command's last output: \(none\)/,
      'stopping the server command was cut short by a signal: it was killed (SIGKILL)',
    ]);
    t.ok(performance.now() - t0 < 1000, 'without the 5 s grace');
    t.equal(await waitUntil(() => !groupAlive(stubborn.system.pgid!)), true, 'and it is gone');

    const js = `require('http').createServer((q,s)=>{s.end();process.exit(7)}).listen(${port},'127.0.0.1')`;
    const dies = new ServerCommand({
      command: `${NO_COVERAGE} exec node -e "${js}"`,
      url: `http://127.0.0.1:${port}`,
    });
    await dies.start();
    await waitUntil(() => !groupAlive(dies.pgid!));
    t.same(await dies.stop(), ['the server command exited with code 7 during the run']);
  },
);

t.test('--server usage errors: exit 2 before anything starts', async (t) => {
  const cases: [string[], string][] = [
    [['--server', 'true'], '--server needs --url URL'],
    [['--server', ' ', '--url', 'http://127.0.0.1:1'], '--server needs the command'],
    [['--server', 'true', '--url', 'ftp://127.0.0.1:1'], '--url takes an http:// or https:// URL'],
    [['--server', 'true', '--url', 'not a url'], '--url takes an http:// or https:// URL'],
    [
      ['--server', 'true', '--url', 'http://127.0.0.1:1', '--server-timeout', 'soon'],
      '--server-timeout takes a whole number above 0; got "soon"',
    ],
    [['--reuse-server'], '--reuse-server goes with --server CMD'],
  ];
  for (const [args, message] of cases) {
    const r = await cli(['run', 'scenarios/chat', ...args]);
    t.equal(r.code, 2, args.join(' '));
    t.match(r.err, message);
  }
});

async function waitUntil(ok: () => boolean, ms = 3000): Promise<boolean> {
  const until = performance.now() + ms;
  while (!ok()) {
    if (performance.now() > until) return false;
    await new Promise((r) => setTimeout(r, 20));
  }
  return true;
}

/**
 * `run --server "CMD" --url URL`: the harness starts the system under test, waits until it answers, and stops it
 * after the run, as Playwright's `webServer` and Complement's deployments do.
 *
 * - CMD runs through the shell in a process group of its own, so that stopping it stops everything it started
 *   (SIGTERM to the group, SIGKILL after a grace). Its stdout and stderr are kept apart from the harness's output;
 *   only their last 4 KB are kept, for the error that explains why it did not come up.
 * - Ready means: a GET of URL gets an HTTP answer below 500. Any such status counts (404 too): the API document has
 *   no health route and a base URL need not be a route at all; a 5xx is a proxy or a server still warming up.
 * - A URL that answers before CMD is started is another server: the run would test it instead of CMD. That is
 *   refused unless `reuse` (`--reuse-server`, Playwright's `reuseExistingServer`): then CMD is not started, and
 *   nothing is stopped afterwards.
 * - The command line may hold tokens: no message here quotes it, nor the URL's user and password.
 */
import type { ChildProcess, spawn as Spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

export const SERVER_TIMEOUT_MS = 30_000;
export const STOP_GRACE_MS = 5_000;
const POLL_MS = 100;
const PROBE_TIMEOUT_MS = 1_000;
const TAIL_BYTES = 4_096;

/** The system did not come up: CMD exited, or URL did not answer in time. `output` is CMD's last output. */
export class ServerStartError extends Error {
  constructor(
    message: string,
    readonly output: string,
  ) {
    super(message);
  }
}

/** URL answered before CMD was started, and reusing it was not asked for. */
export class AddressTakenError extends Error {}

export interface ServerOptions {
  command: string;
  url: string;
  timeoutMs?: number;
  reuse?: boolean;
  /** How long the group gets between SIGTERM and SIGKILL. */
  graceMs?: number;
}

type Probe = { status: number } | { error: string };

/** The URL as messages show it: without a user and password. */
export function shownUrl(url: string): string {
  const u = new URL(url);
  u.username = '';
  u.password = '';
  return u.href;
}

/**
 * node:child_process, node:http and node:https, imported when a server command is first used: a run without one
 * (in process, or against a service already up) loads none of them, nor what they pull in (net, tls, dgram), ~5.6 ms
 * of a cold run.
 */
let io: Promise<{ spawn: typeof Spawn; http: typeof import('node:http'); https: typeof import('node:https') }>;
const processIo = () =>
  (io ??= Promise.all([import('node:child_process'), import('node:http'), import('node:https')]).then(
    ([child, http, https]) => ({ spawn: child.spawn, http, https }),
  ));

/**
 * One GET, on a connection of its own (no keep-alive socket holds the server open). TLS is not verified: this asks
 * only whether something answers; the adapter judges the connection itself.
 */
async function probe(url: string, timeoutMs: number): Promise<Probe> {
  const { http, https } = await processIo();
  return new Promise((resolve) => {
    const request = url.startsWith('https:') ? https.request : http.request;
    const req = request(url, { method: 'GET', agent: false, timeout: timeoutMs, rejectUnauthorized: false }, (res) => {
      res.resume();
      resolve({ status: res.statusCode ?? 0 });
    });
    req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on('error', (e: NodeJS.ErrnoException) => resolve({ error: e.code ?? e.message }));
    req.end();
  });
}

/**
 * Whether any process of group `pgid` still runs. A zombie does not count: where PID 1 reaps nothing (a container),
 * a killed grandchild stays a zombie forever, and `kill(-pgid, 0)` would call the group alive. Without /proc,
 * `kill(-pgid, 0)` is what there is.
 */
export function groupAlive(pgid: number): boolean {
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((p) => /^\d+$/.test(p));
  } catch {
    return signalGroup(pgid, 0);
  }
  return pids.some((pid) => {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      // `pid (comm) state ppid pgrp …`; comm may hold spaces and parentheses, so read after the last ')'.
      const [state, , pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      return Number(pgrp) === pgid && state !== 'Z';
    } catch {
      return false; // gone between the listing and the read
    }
  });
}

/** Signal every process of the group; false when there is none left. */
function signalGroup(pgid: number, signal: NodeJS.Signals | 0): boolean {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch {
    return false;
  }
}

/** The system under test, from being started to being stopped. `stop()` may be called at any point, even twice. */
export class ServerCommand {
  private child?: ChildProcess;
  private exited?: string;
  private closed?: Promise<unknown>;
  private exit?: Promise<unknown>;
  private tail = Buffer.alloc(0);
  private stopping?: Promise<string[]>;
  private ready = false;
  private reused = false;
  private readonly killOnExit = () => this.child?.pid && signalGroup(this.child.pid, 'SIGKILL');

  constructor(readonly options: ServerOptions) {}

  /** The process group's id (the shell's pid), once started. */
  get pgid(): number | undefined {
    return this.child?.pid;
  }

  /** The last 4 KB of CMD's stdout and stderr, interleaved as they came. */
  get output(): string {
    return this.tail.toString('utf8');
  }

  /**
   * Start CMD (or reuse what answers with `reuse`) and resolve, with how it went, once URL answers below 500.
   * Rejects with AddressTakenError or ServerStartError.
   */
  async start(): Promise<{ reused: boolean; status: number; ms: number }> {
    const { url, reuse } = this.options;
    const t0 = performance.now();
    const before = await probe(url, PROBE_TIMEOUT_MS);
    if ('status' in before) {
      if (!reuse)
        throw new AddressTakenError(
          `${shownUrl(url)} already answers (${before.status}) before the server command was started: another ` +
            'server holds that address, and the run would test it instead; stop it, or pass --reuse-server to test it',
        );
      this.reused = true;
    } else {
      const { spawn } = await processIo();
      if (!this.stopping) this.launch(spawn);
    }
    const status = await this.waitUntilAnswering(t0);
    this.ready = true;
    return { reused: this.reused, status, ms: Math.round(performance.now() - t0) };
  }

  private launch(spawn: typeof Spawn): void {
    const child = spawn(this.options.command, { shell: true, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    const keep = (chunk: Buffer) => {
      const all = Buffer.concat([this.tail, chunk]);
      this.tail = all.subarray(Math.max(0, all.length - TAIL_BYTES));
    };
    child.stdout!.on('data', keep);
    child.stderr!.on('data', keep);
    child.on('error', (e) => (this.exited ??= `could not be started (${e.message})`));
    child.on(
      'exit',
      (code, signal) => (this.exited = code !== null ? `exited with code ${code}` : `was killed by ${signal}`),
    );
    this.closed = new Promise((r) => child.on('close', r));
    this.exit = new Promise((r) => child.on('exit', r));
    process.on('exit', this.killOnExit);
  }

  private async waitUntilAnswering(t0: number): Promise<number> {
    const { url, timeoutMs = SERVER_TIMEOUT_MS } = this.options;
    const at = shownUrl(url);
    let last = 'nothing yet';
    for (;;) {
      if (this.stopping) throw new ServerStartError(`the run was stopped before ${at} answered`, this.output);
      const left = timeoutMs - (performance.now() - t0);
      if (this.exited) {
        // Its last words may still be in the pipes ('close'), unless something it left running holds them open.
        await Promise.race([this.closed, sleep(200)]);
        throw new ServerStartError(`the server command ${this.exited} before ${at} answered`, this.output);
      }
      if (left <= 0)
        throw new ServerStartError(
          `${at} did not answer within ${timeoutMs} ms (--server-timeout) of starting the server command; the last ` +
            `try got ${last}`,
          this.output,
        );
      const p = await probe(url, Math.min(PROBE_TIMEOUT_MS, Math.max(1, Math.ceil(left))));
      if ('status' in p && p.status < 500) return p.status;
      last = 'status' in p ? `status ${p.status}` : p.error;
      await sleep(Math.min(POLL_MS, Math.max(0, left)));
    }
  }

  /**
   * Stop what `start` started: SIGTERM to the process group, SIGKILL after the grace. Resolves with notes for the
   * reports (the command died during the run, or had to be killed). A reused server is left running.
   */
  stop(): Promise<string[]> {
    return (this.stopping ??= this.terminate());
  }

  /** SIGKILL to the group at once: a signal cut the grace short. */
  kill(): void {
    if (this.child?.pid) signalGroup(this.child.pid, 'SIGKILL');
  }

  private async terminate(): Promise<string[]> {
    const pgid = this.child?.pid;
    if (pgid === undefined) return [];
    // A group that is gone may not have been reaped yet: its exit is then a moment away.
    if (!this.exited && !groupAlive(pgid)) await Promise.race([this.exit, sleep(200)]);
    const notes = this.ready && this.exited ? [`the server command ${this.exited} during the run`] : [];
    const grace = this.options.graceMs ?? STOP_GRACE_MS;
    signalGroup(pgid, 'SIGTERM');
    if (!(await this.gone(pgid, grace))) {
      signalGroup(pgid, 'SIGKILL');
      notes.push(`the server command did not stop within ${grace} ms of SIGTERM: it was killed (SIGKILL)`);
      if (!(await this.gone(pgid, 2_000))) notes.push(`the server command's process group ${pgid} is still running`);
    }
    process.off('exit', this.killOnExit);
    return notes;
  }

  /** Whether the whole group is gone within `ms`. */
  private async gone(pgid: number, ms: number): Promise<boolean> {
    const until = performance.now() + ms;
    while (groupAlive(pgid)) {
      if (performance.now() >= until) return false;
      await sleep(25);
    }
    return true;
  }
}

/**
 * One adapter process of the stdio adapter: started through the shell in a process group of its own, asked
 * requests as JSON lines on stdin, answered on stdout (in any order, several outstanding), its stderr kept as a
 * tail for the errors. Whatever it does wrong ends in a rejected request whose message says what and carries the
 * stderr tail; it never throws past a request, and no process of its group outlives `stop()` or the harness.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { MAX_LINE_BYTES, readAnswer, readLine, StderrTail, type Op } from './protocol.js';

/** A request the child failed, in words that say which child and carry its stderr tail. */
export class StdioFault extends Error {
  override name = 'StdioFault';
}

/** How long a child gets to exit after `shutdown`, and after SIGTERM before SIGKILL. */
export const SHUTDOWN_GRACE_MS = 1000;
export const TERM_GRACE_MS = 2000;
/** How long the pipes may still hold the last words of a child that has exited. */
const LAST_WORDS_MS = 200;

export interface ChildOptions {
  command: string;
  /** Per request: no answer within it fails the request. */
  timeoutMs: number;
  /** Which child of the run this is (1 for the first), and how many were started after one had died. */
  number: number;
  restarts: number;
}

interface Waiting {
  op: Op;
  resolve(result: unknown): void;
  reject(e: StdioFault): void;
  timer: NodeJS.Timeout;
}

/** Signal every process of the group; false when there is none left. */
function signalGroup(pgid: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch {
    return false;
  }
}

export class Child {
  private readonly proc: ChildProcess;
  private readonly waiting = new Map<number, Waiting>();
  /** Requests that timed out: an answer that comes for one later is dropped, not taken for a stray line. */
  private readonly givenUp = new Set<number>();
  private readonly tail = new StderrTail();
  private partial: Buffer[] = [];
  private partialBytes = 0;
  private nextId = 1;
  /** Why the child can take no more requests (it exited, was stopped, wrote a malformed line), once it cannot. */
  private gone?: string;
  /** How it ended, from the moment it did: `gone` follows once its last words are read. */
  private died?: string;
  private stopping = false;
  private readonly exit: Promise<void>;
  private readonly closed: Promise<void>;
  private readonly killOnExit = () => this.pgid && signalGroup(this.pgid, 'SIGKILL');

  constructor(readonly options: ChildOptions) {
    // Its own process group (detached): stopping it stops whatever the command started, and a Ctrl-C meant for
    // the harness does not reach it before the harness has decided what to do.
    this.proc = spawn(options.command, { shell: true, detached: true, stdio: ['pipe', 'pipe', 'pipe'] });
    process.on('exit', this.killOnExit);
    this.proc.stdin!.on('error', () => undefined); // EPIPE from a child that is gone: its exit says why
    this.proc.stdout!.on('data', (chunk: Buffer) => this.read(chunk));
    this.proc.stderr!.on('data', (chunk: Buffer) => this.tail.add(chunk));
    this.closed = new Promise<void>((r) => this.proc.on('close', () => r()));
    this.exit = new Promise<void>((resolve) => {
      const ended = async (why: string) => {
        this.died ??= why;
        await this.lastWords();
        this.end(this.stopping ? 'was stopped at the end of the run' : why);
        // What the command left running in its group is a stray now: the next child starts a group of its own.
        this.killGroup();
        resolve();
      };
      this.proc.on(
        'exit',
        (code, signal) => void ended(code !== null ? `exited with code ${code}` : `was killed by ${signal}`),
      );
      this.proc.on('error', (e) => void ended(`could not be started (${e.message})`));
    });
  }

  /** The process group's id (the shell's pid). */
  get pgid(): number | undefined {
    return this.proc.pid;
  }

  /** Why it takes no more requests, or undefined while it does. */
  get ended(): string | undefined {
    return this.gone ?? this.died;
  }

  /** Which child this is, for every message about it. */
  private get who(): string {
    const { number, restarts } = this.options;
    return `adapter process ${number} of this run${restarts ? `, after ${restarts} restart${restarts === 1 ? '' : 's'},` : ''}`;
  }

  private fault(what: string): StdioFault {
    return new StdioFault(`the ${this.who} ${what}${this.tail.describe()}`);
  }

  /** Send `op` with `fields`; resolves with the answer's result (checked against its schema). */
  request(op: Op, fields: Record<string, unknown> = {}): Promise<unknown> {
    // Gone, or dying: the refusal waits for its exit, so that it carries the child's last words.
    if (this.ended) return this.exit.then(() => Promise.reject(this.fault(`${this.gone}; it could not take ${op}`)));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const ms = this.options.timeoutMs;
      const timer = setTimeout(() => {
        this.waiting.delete(id);
        this.givenUp.add(id);
        reject(this.fault(`did not answer ${op} (request ${id}) within ${ms} ms`));
      }, ms);
      this.waiting.set(id, { op, resolve, reject, timer });
      this.proc.stdin!.write(`${JSON.stringify({ id, op, ...fields })}\n`);
    });
  }

  /** stdout, cut into lines; a line over MAX_LINE_BYTES is malformed before it ends. */
  private read(chunk: Buffer): void {
    let from = 0;
    for (let nl = chunk.indexOf(10); nl !== -1 && !this.gone; nl = chunk.indexOf(10, from)) {
      this.partial.push(chunk.subarray(from, nl));
      const line = Buffer.concat(this.partial);
      this.partial = [];
      this.partialBytes = 0;
      from = nl + 1;
      if (line.length > MAX_LINE_BYTES) this.broke(`wrote a line longer than ${MAX_LINE_BYTES} bytes`);
      else this.take(readLine(line));
    }
    if (this.gone || from >= chunk.length) return;
    this.partial.push(chunk.subarray(from));
    this.partialBytes += chunk.length - from;
    if (this.partialBytes > MAX_LINE_BYTES) this.broke(`wrote a line longer than ${MAX_LINE_BYTES} bytes`);
  }

  private take(line: ReturnType<typeof readLine>): void {
    if ('blank' in line) return;
    if ('malformed' in line) return this.broke(line.malformed);
    const waiting = this.waiting.get(line.id);
    if (!waiting) {
      if (this.givenUp.delete(line.id)) return; // a late answer to a request the harness gave up on
      return this.broke(`answered request ${line.id}, which no request is waiting for`);
    }
    this.waiting.delete(line.id);
    clearTimeout(waiting.timer);
    const answer = readAnswer(waiting.op, line.message);
    if ('result' in answer) waiting.resolve(answer.result);
    else if ('failed' in answer) waiting.reject(this.fault(`failed ${waiting.op}: ${answer.failed}`));
    else waiting.reject(this.fault(`answered ${waiting.op} (request ${line.id}) wrongly: ${answer.wrong}`));
  }

  /**
   * Its last words may still be in the pipes (stderr is read apart from stdout), unless something it left running
   * holds them open.
   */
  private lastWords(): Promise<unknown> {
    return Promise.race([this.closed, sleep(LAST_WORDS_MS)]);
  }

  /** The stream is out of step: nothing it writes can be trusted to answer anything. Fail all, stop it. */
  private broke(why: string): void {
    this.gone ??= `${why}; it was stopped`;
    void this.terminate();
    void this.lastWords().then(() => this.end(why));
  }

  /** No more requests: every waiting one fails with `why`. */
  private end(why: string): void {
    this.gone ??= why;
    for (const [id, w] of this.waiting) {
      clearTimeout(w.timer);
      w.reject(this.fault(`${this.gone} while ${w.op} (request ${id}) waited for its answer`));
    }
    this.waiting.clear();
  }

  private killGroup(): void {
    if (this.pgid) signalGroup(this.pgid, 'SIGKILL');
    process.off('exit', this.killOnExit);
  }

  /** SIGTERM to the group, SIGKILL after TERM_GRACE_MS (and to any stray of the group at once after the exit). */
  private async terminate(): Promise<void> {
    if (this.pgid && this.proc.exitCode === null && this.proc.signalCode === null) {
      signalGroup(this.pgid, 'SIGTERM');
      await Promise.race([this.exit, sleep(TERM_GRACE_MS)]);
    }
    this.killGroup();
    await Promise.race([this.exit, sleep(TERM_GRACE_MS)]);
  }

  /** The end of the run: `shutdown`, stdin closed, then SIGTERM and SIGKILL to the group if it lingers. */
  async stop(): Promise<void> {
    this.stopping = true;
    if (!this.gone) {
      this.request('shutdown').catch(() => undefined); // answered or not: the exit is what counts
      this.proc.stdin!.end();
      await Promise.race([this.exit, sleep(SHUTDOWN_GRACE_MS)]);
    }
    await this.terminate();
  }
}

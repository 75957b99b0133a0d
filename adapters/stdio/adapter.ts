/**
 * `--adapter stdio --command "CMD"`: a system under test in any language, as a child process speaking JSON lines
 * (specs/adapter-protocol.md). One child per run holds every world (sessions multiplex them); a child that dies or
 * breaks the protocol fails the requests it held — each an `error` verdict with its stderr tail — and the next
 * scenario starts a fresh one.
 *
 * Options: `command` (required; `--command` sets it), `timeout` (ms per request; the CLI passes --timeout).
 */
import type { Adapter, Capability, Session } from '../adapter.js';
import type { Action, ActorOutcome, Delivery, World } from '../../specs/protocol.js';
import { Child, StdioFault } from './child.js';
import { PROTOCOL_VERSION, type Hello } from './protocol.js';

/** The harness's default step timeout (harness/run.ts DEFAULT_STEP_TIMEOUT_MS), for a factory called without one. */
export const DEFAULT_TIMEOUT_MS = 10_000;
/** Starts in a row that may fail before no more are tried: a child that cannot start would cost a timeout each. */
export const MAX_FAILED_STARTS = 3;

/**
 * How long a request may wait: a little under the step timeout (95 %, at most 250 ms less), so that the adapter's
 * own error, which carries the child's stderr tail, is reported rather than the harness's bare timeout.
 */
export const requestTimeoutMs = (stepMs: number): number =>
  Math.max(1, stepMs - Math.min(250, Math.ceil(stepMs * 0.05)));

function timeoutOf(options: Record<string, string>): number {
  const given = options.timeout;
  if (given === undefined) return DEFAULT_TIMEOUT_MS;
  const n = Number(given);
  if (!/^\d+$/.test(given) || !Number.isSafeInteger(n) || n < 1)
    throw new Error(`timeout takes a whole number of ms above 0; got "${given}"`);
  return n;
}

/** The child at hand, started again after one that died; counts its starts. */
class Processes {
  private child?: Child;
  private starting?: Promise<Child>;
  private number = 0;
  private failedInARow = 0;

  constructor(
    private readonly command: string,
    private readonly stepMs: number,
  ) {}

  /** How many children were started after the first. */
  get restarts(): number {
    return Math.max(0, this.number - 1);
  }

  /** The first child, and what it said it is. */
  async first(): Promise<Hello> {
    const { hello } = await this.start();
    return hello;
  }

  /** A child that takes requests: the current one, or a fresh one if it has gone. */
  live(): Promise<Child> {
    if (this.child && !this.child.ended) return Promise.resolve(this.child);
    if (this.failedInARow >= MAX_FAILED_STARTS)
      return Promise.reject(
        new StdioFault(
          `no adapter process: the last ${MAX_FAILED_STARTS} started (of ${this.number}) did not answer hello, so no more are started`,
        ),
      );
    return (this.starting ??= this.start()
      .then((s) => s.child)
      .finally(() => (this.starting = undefined)));
  }

  private async start(): Promise<{ child: Child; hello: Hello }> {
    this.number++;
    const child = new Child({
      command: this.command,
      timeoutMs: requestTimeoutMs(this.stepMs),
      number: this.number,
      restarts: this.restarts,
    });
    this.child = child;
    try {
      const hello = (await child.request('hello', { protocol: PROTOCOL_VERSION })) as Hello;
      this.failedInARow = 0;
      return { child, hello };
    } catch (e) {
      this.failedInARow++;
      // Stopped meanwhile, not awaited: the step timeout is nearly spent, and the error with its stderr must be
      // what is reported, not the harness's bare timeout.
      void child.stop();
      throw e;
    }
  }

  async stop(): Promise<void> {
    await this.starting?.catch(() => undefined);
    await this.child?.stop();
  }
}

/** One world, held by the child that opened it: once that child is gone, so is the world. */
function sessionOf(child: Child, session: string): Session {
  return {
    perform: (actor: string, action: Action) =>
      child.request('perform', { session, actor, action }) as Promise<ActorOutcome>,
    drain: async (user: string) =>
      ((await child.request('drain', { session, user })) as { deliveries: Delivery[] }).deliveries,
    // A world whose child is gone holds nothing any more: closing it is done.
    close: async () => {
      if (!child.ended) await child.request('close', { session });
    },
  };
}

export async function createStdioAdapter(options: Record<string, string>): Promise<Adapter> {
  const command = options.command;
  if (!command?.trim())
    throw new Error(
      'the stdio adapter needs the command that starts it: --command "CMD" (--adapter-option command=CMD)',
    );
  const processes = new Processes(command, timeoutOf(options));
  let hello: Hello;
  try {
    hello = await processes.first();
  } catch (e) {
    // Said on one line by the CLI: the stderr tail's lines are joined.
    throw new Error(`it did not start: ${(e as Error).message.replaceAll('\n  | ', ' | ')}`);
  }
  return {
    name: `stdio(${hello.name})`,
    capabilities: hello.capabilities as readonly Capability[],
    ...(hello.settleMs !== undefined ? { settleMs: hello.settleMs } : {}),
    async open(world: World) {
      const child = await processes.live();
      const { session } = (await child.request('open', { world })) as { session: string };
      return sessionOf(child, session);
    },
    dispose: () => processes.stop(),
  };
}

/**
 * The crash guard: while a run is under way, adapter code must not be able to end the process or take it down
 * with a stray exception, for then no report is written (or, worse, the previous run's stays in place and the
 * exit code is whatever the adapter chose).
 *
 * - `process.exit(…)` is replaced: it records the call and throws `AdapterExit` instead of exiting. Called inside
 *   an adapter call, that rejects the call, and the runner makes the step `error`.
 * - `unhandledRejection` and `uncaughtException` are recorded instead of ending the process.
 *
 * `take()` hands over what was recorded since the last `take()` (the runner calls it after each adapter call and
 * makes that step `error`); `all` keeps everything, so the CLI can close the gate and exit 3 on any crash even if
 * no step took it. `uninstall()` restores `process.exit` and removes the listeners.
 */
export class AdapterExit extends Error {
  constructor(readonly code: string | number | null | undefined) {
    super(`the adapter called process.exit(${code ?? ''})`);
    this.name = 'AdapterExit';
  }
}

export interface Crashes {
  /** What crashed since the last call, in words, or undefined. */
  take(): string | undefined;
}

export interface CrashGuard extends Crashes {
  /** Every crash recorded while installed, in order. */
  readonly all: readonly string[];
  uninstall(): void;
}

const describe = (e: unknown): string => {
  if (e instanceof Error) return `${e.name && e.name !== 'Error' ? `${e.name}: ` : ''}${e.message.split('\n')[0]}`;
  try {
    return String(e);
  } catch {
    return 'an unprintable value';
  }
};

export function installCrashGuard(): CrashGuard {
  const all: string[] = [];
  let pending: string[] = [];
  const record = (what: string) => {
    all.push(what);
    pending.push(what);
  };
  const previousExit = process.exit;
  process.exit = ((code?: string | number | null) => {
    const e = new AdapterExit(code);
    record(e.message);
    throw e;
  }) as typeof process.exit;
  // An AdapterExit that escapes (thrown in a timer, or an unawaited promise) is already recorded.
  const onRejection = (reason: unknown) => {
    if (!(reason instanceof AdapterExit)) record(`unhandled promise rejection: ${describe(reason)}`);
  };
  const onException = (error: unknown) => {
    if (!(error instanceof AdapterExit)) record(`uncaught exception: ${describe(error)}`);
  };
  process.on('unhandledRejection', onRejection);
  process.on('uncaughtException', onException);
  return {
    all,
    take() {
      if (!pending.length) return undefined;
      const taken = pending.join('; ');
      pending = [];
      return taken;
    },
    uninstall() {
      process.exit = previousExit;
      process.off('unhandledRejection', onRejection);
      process.off('uncaughtException', onException);
    },
  };
}

export class TimeoutError extends Error {}

/** `work()`, or a `TimeoutError` after `ms`: a hung adapter call must not hold the run. The timer never outlives it. */
export async function withTimeout<T>(ms: number, what: string, work: () => Promise<T> | T): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new TimeoutError(`${what} took longer than ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([Promise.resolve().then(work), late]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * `run --server "CMD" --url URL [--server-timeout MS] [--reuse-server]`: the run's side of
 * harness/server-command.ts — reading the options, saying what happened, and what the reports say.
 *
 * - With --server, `--adapter` defaults to `http` (the in-process reference would ignore the started system); a
 *   module of yours, or a differential run (`reference,http`), gets `url` as usual.
 * - A URL that already answers is refused (exit 2, nothing run, no report written), unless --reuse-server.
 * - A command that exits before URL answers, or a URL that does not answer within --server-timeout: the run goes
 *   on to write its report set, every scenario `error` with the reason, the command's last output (4 KB) as a note
 *   of the gate, on stderr too; exit 3.
 * - Printed: the URL (without user and password), the exit code or signal, the command's own output. Never the
 *   command line, which may hold tokens.
 */
import { escapeControls } from '../diagnostics.js';
import { AddressTakenError, SERVER_TIMEOUT_MS, ServerStartError, shownUrl, ServerCommand } from '../server-command.js';
import { UsageError, type CommandContext } from './context.js';

/** The system the run starts, from the options; undefined without --server. */
export function serverOf(ctx: CommandContext): ServerForRun | undefined {
  const o = ctx.options;
  // --server-timeout and --reuse-server without --server are refused before this: the CLI's table (options.ts).
  if (o.server === undefined) return undefined;
  if (!o.server.trim()) throw new UsageError('--server needs the command that starts the system under test');
  if (!o.url) throw new UsageError('--server needs --url URL: the address at which the started system answers');
  let protocol: string;
  try {
    protocol = new URL(o.url).protocol;
  } catch {
    throw new UsageError('--url takes an http:// or https:// URL');
  }
  if (protocol !== 'http:' && protocol !== 'https:') throw new UsageError('--url takes an http:// or https:// URL');
  const timeoutMs = ctx.positiveInt('server-timeout', SERVER_TIMEOUT_MS);
  return new ServerForRun(
    ctx,
    new ServerCommand({ command: o.server, url: o.url, timeoutMs, reuse: o['reuse-server'] }),
  );
}

/** `--adapter` as the run reads it: the default (reference) means http when the run starts the system. */
export const adapterSpec = (spec: string, server: ServerForRun | undefined): string =>
  server && spec === 'reference' ? 'http' : spec;

export class ServerForRun {
  private readonly notes: string[] = [];
  constructor(
    private readonly ctx: CommandContext,
    readonly system: ServerCommand,
  ) {}

  private tell(line: string): void {
    this.ctx.io.stderr.write(`${escapeControls(line)}\n`);
  }

  /** Start it and wait; resolves with why the run cannot go on, or undefined once URL answers. */
  async start(): Promise<string | undefined> {
    try {
      const r = await this.system.start();
      if (!this.ctx.options.quiet)
        this.tell(
          r.reused
            ? `server: reusing what answers at ${this.url} (${r.status}); the command was not started`
            : `server: ${this.url} answered ${r.status} ${r.ms} ms after the command was started`,
        );
      return undefined;
    } catch (e) {
      if (e instanceof AddressTakenError) throw new UsageError(e.message);
      if (!(e instanceof ServerStartError)) throw e;
      const output = e.output.trim() ? e.output : '(none)';
      this.notes.push(`the server command's last output: ${output}`);
      this.tell(`interop-conformance: the system under test did not start: ${e.message}; its last output:`);
      this.ctx.io.stderr.write(`${escapeControls(output).replace(/\\x0A/g, '\n')}\n`);
      return `the system under test did not start: ${e.message}`;
    }
  }

  private get url(): string {
    return shownUrl(this.system.options.url);
  }

  /**
   * Stop it (after the run, whatever its end); a signal meanwhile cuts the grace short with SIGKILL. Resolves with
   * the notes for the reports.
   */
  async stop(signal: Promise<unknown>): Promise<string[]> {
    const cut = signal.then(() => {
      this.system.kill();
      return ['stopping the server command was cut short by a signal: it was killed (SIGKILL)'];
    });
    return [...this.notes, ...(await Promise.race([this.system.stop(), cut]))];
  }
}

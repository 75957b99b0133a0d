/**
 * `serve`: the reference interop service over HTTP (specs/openapi.yaml), for the `http` adapter or any client.
 * Listens on 127.0.0.1 unless `--host` says otherwise (another address is served only when asked for
 * explicitly, with a warning); `--port 0` (the default) picks a free port. Prints `listening on URL` and runs
 * until SIGINT or SIGTERM, then closes every world and connection. `--adapter-option faults=a,b` serves a faulty
 * variant (the HTTP faults of adapters/reference/http/faults.ts, or any reference fault; they combine);
 * `--adapter-option late-delivery-ms=N` sets how late `late-delivery` is, `async-delivery-ms=N` how long
 * `async-delivery` queues every delivery (default 300).
 */
import { isIP } from 'node:net';
import { parseFaults } from '../../adapters/reference/http/faults.js';
import { ASYNC_DELIVERY_MS, LATE_DELIVERY_MS } from '../../adapters/reference/http/limits.js';
import { startService, type RunningService } from '../../adapters/reference/http/server.js';
import { EXIT, UsageError, type Command, type CommandContext } from './context.js';

const OPTIONS = ['faults', 'late-delivery-ms', 'async-delivery-ms'];

export const isLoopback = (host: string): boolean => host === 'localhost' || host === '::1' || (isIP(host) === 4 && host.startsWith('127.'));

/** Start the service as the options say; the caller closes it. */
export async function startFromOptions(ctx: CommandContext): Promise<RunningService> {
  const port = ctx.positiveInt('port', 0, true);
  if (port > 65_535) throw new UsageError(`--port takes 0 to 65535; got ${port}`);
  const host = ctx.options.host ?? '127.0.0.1';
  const o = ctx.adapterOptions();
  const unknown = Object.keys(o).filter((k) => !OPTIONS.includes(k));
  if (unknown.length) throw new UsageError(`serve takes --adapter-option ${OPTIONS.map((k) => `${k}=…`).join(', ')}; not ${unknown.join(', ')}`);
  const ms = (key: string, fallback: number) => {
    const n = o[key] === undefined ? fallback : Number(o[key]);
    if (!Number.isInteger(n) || n < 1) throw new UsageError(`${key} takes a whole number above 0; got "${o[key]}"`);
    return n;
  };
  const late = ms('late-delivery-ms', LATE_DELIVERY_MS);
  const queued = ms('async-delivery-ms', ASYNC_DELIVERY_MS);
  try {
    parseFaults(o.faults);
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  if (!isLoopback(host)) ctx.io.stderr.write(`warning: serving on ${host}, not a loopback address: anyone who can reach it can create worlds\n`);
  try {
    return await startService({ host, port, lateDeliveryMs: late, asyncDeliveryMs: queued, ...(o.faults ? { faults: o.faults } : {}), log: (line) => ctx.io.stderr.write(`${line}\n`) });
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    if (err.code === 'EADDRINUSE' || err.code === 'EADDRNOTAVAIL' || err.code === 'EACCES' || err.code === 'ENOTFOUND') {
      throw new UsageError(`cannot listen on ${host}:${port}: ${err.code}`);
    }
    throw e;
  }
}

export const serveCommand: Command = {
  name: 'serve',
  summary: 'serve the reference interop service over HTTP (specs/openapi.yaml) until SIGINT/SIGTERM',
  async run(ctx) {
    const service = await startFromOptions(ctx);
    ctx.say(`listening on ${service.url}`);
    const signal = await new Promise<NodeJS.Signals>((resolve) => {
      const stop = (s: NodeJS.Signals) => {
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
        resolve(s);
      };
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
    });
    await service.close();
    ctx.say(`${signal}: closed`);
    return EXIT.conformant;
  },
};

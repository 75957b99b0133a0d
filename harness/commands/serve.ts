/**
 * `serve`: the reference interop service over HTTP (specs/openapi.yaml), for the `http` adapter or any client.
 * Listens on 127.0.0.1 unless `--host` says otherwise (another address is served only when asked for
 * explicitly, with a warning); `--port 0` (the default) picks a free port. Prints `listening on URL` and runs
 * until SIGINT or SIGTERM, then closes every world and connection. `--adapter-option faults=a,b` serves a faulty
 * variant (the HTTP faults of adapters/reference/http/faults.ts, or any reference fault; they combine);
 * `--adapter-option late-delivery-ms=N` sets how late `late-delivery` is, `async-delivery-ms=N` how long
 * `async-delivery` queues every delivery (default 300). `--implementation independent` serves issue 14's
 * independent implementation instead (adapters/independent/; `faults=a,b` from its own catalogue);
 * `--implementation reference` is the default. `--tls` serves https with a throwaway self-signed certificate
 * made at start (adapters/reference/http/tls.ts) and writes its public part to `--tls-cert-out FILE` or a temporary
 * file, printing the path before `listening on https://…`; `--tls-cert FILE --tls-key FILE` serve a real one.
 */
import { isIP } from 'node:net';
import { parseFaults } from '../../adapters/reference/http/faults.js';
import { ASYNC_DELIVERY_MS, LATE_DELIVERY_MS } from '../../adapters/reference/http/limits.js';
import { startService, type RunningService } from '../../adapters/reference/http/server.js';
import {
  fingerprint,
  LOOPBACK_NAMES,
  readCertificate,
  throwawayCertificate,
  writePublicCertificate,
  type TlsMaterial,
} from '../../adapters/reference/http/tls.js';
import {
  ImplementationUnavailable,
  loadImplementation,
  selectFaults,
  type RunningImplementation,
} from '../implementations.js';
import { EXIT, UsageError, type Command, type CommandContext, type Options } from './context.js';
import { COMMAND_HELP } from './help.js';

const OPTIONS = ['faults', 'late-delivery-ms', 'async-delivery-ms'];

export const isLoopback = (host: string): boolean =>
  host === 'localhost' || host === '::1' || (isIP(host) === 4 && host.startsWith('127.'));

/** Where to listen, from --host and --port; a non-loopback host is warned about. */
function where(ctx: CommandContext): { host: string; port: number } {
  const port = ctx.positiveInt('port', 0, true);
  if (port > 65_535) throw new UsageError(`--port takes 0 to 65535; got ${port}`);
  const host = ctx.options.host ?? '127.0.0.1';
  if (!isLoopback(host))
    ctx.io.stderr.write(
      `warning: serving on ${host}, not a loopback address: anyone who can reach it can create worlds\n`,
    );
  return { host, port };
}

/** A listen failure the user can fix (address taken, not ours, unknown) is a usage error; anything else is not. */
function listenFailure(e: unknown, host: string, port: number): never {
  const err = e as NodeJS.ErrnoException;
  if (err.code === 'EADDRINUSE' || err.code === 'EADDRNOTAVAIL' || err.code === 'EACCES' || err.code === 'ENOTFOUND') {
    throw new UsageError(`cannot listen on ${host}:${port}: ${err.code}`);
  }
  throw e;
}

/** serve's TLS flags (registered in harness/cli.ts). */
interface TlsFlags {
  tls?: boolean;
  'tls-cert-out'?: string;
  'tls-cert'?: string;
  'tls-key'?: string;
}
const tlsFlags = (ctx: CommandContext): TlsFlags => ctx.options as Options & TlsFlags;
const wantsTls = (f: TlsFlags): boolean => Boolean(f.tls || f['tls-cert'] || f['tls-key']);

/**
 * The certificate to serve with: the throwaway one for `--tls` (naming the loopback names and `host`), or the
 * pair `--tls-cert`/`--tls-key` name. Which flags go together is checked before anything is made.
 */
async function tlsMaterial(ctx: CommandContext, host: string): Promise<{ material: TlsMaterial; throwaway: boolean }> {
  const f = tlsFlags(ctx);
  const cert = f['tls-cert'];
  const key = f['tls-key'];
  if ((cert === undefined) !== (key === undefined)) throw new UsageError('--tls-cert and --tls-key go together');
  if (cert !== undefined && key !== undefined) {
    if (f['tls-cert-out'] !== undefined)
      throw new UsageError('--tls-cert-out writes the throwaway certificate; with --tls-cert you have yours already');
    try {
      return { material: readCertificate(cert, key), throwaway: false };
    } catch (e) {
      throw new UsageError((e as Error).message); // a file the user named: theirs to fix
    }
  }
  return { material: await throwawayCertificate([...LOOPBACK_NAMES, host]), throwaway: true };
}

/**
 * Writes the throwaway certificate's public part where clients can read it and says where (and its fingerprint),
 * before `listening on` is printed: whoever waits for that line finds the file. A temporary file goes with close.
 */
function publish(ctx: CommandContext, service: RunningService, cert: string): RunningService {
  const out = tlsFlags(ctx)['tls-cert-out'];
  let written: ReturnType<typeof writePublicCertificate>;
  try {
    written = writePublicCertificate(cert, out);
  } catch (e) {
    void service.close();
    throw new UsageError(`cannot write --tls-cert-out ${out}: ${(e as NodeJS.ErrnoException).code ?? 'unwritable'}`);
  }
  ctx.say(`certificate (public part, self-signed, sha256 ${fingerprint(cert)}): ${written.path}`);
  return { url: service.url, worlds: service.worlds, close: () => service.close().finally(written.remove) };
}

/** `--implementation NAME` other than the reference: its own catalogue's `faults=a,b`, nothing else. */
async function startImplementation(ctx: CommandContext, name: string): Promise<RunningImplementation> {
  const o = ctx.adapterOptions();
  const unknown = Object.keys(o).filter((k) => k !== 'faults');
  if (unknown.length)
    throw new UsageError(`serve --implementation ${name} takes --adapter-option faults=…; not ${unknown.join(', ')}`);
  const ids = (o.faults ?? '')
    .split(',')
    .map((id) => id.trim())
    .filter(Boolean);
  let started: Promise<RunningImplementation>;
  let at: { host: string; port: number };
  try {
    const impl = await loadImplementation(name);
    selectFaults(impl, ids);
    at = where(ctx);
    started = impl.start(new Set(ids), at);
  } catch (e) {
    if (e instanceof ImplementationUnavailable) throw new UsageError(e.message);
    throw e;
  }
  return started.catch((e: unknown) => listenFailure(e, at.host, at.port));
}

/** Start the service as the options say; the caller closes it. */
export async function startFromOptions(ctx: CommandContext): Promise<RunningService | RunningImplementation> {
  const name = ctx.options.implementation ?? 'reference';
  // Before the implementation is chosen: with --implementation independent and no --tls it was ignored.
  if (tlsFlags(ctx)['tls-cert-out'] !== undefined && !wantsTls(tlsFlags(ctx)))
    throw new UsageError('--tls-cert-out goes with --tls');
  if (name !== 'reference' && wantsTls(tlsFlags(ctx)))
    throw new UsageError(`--tls serves the reference only; not --implementation ${name}`);
  if (name !== 'reference') return startImplementation(ctx, name);
  const o = ctx.adapterOptions();
  const unknown = Object.keys(o).filter((k) => !OPTIONS.includes(k));
  if (unknown.length)
    throw new UsageError(
      `serve takes --adapter-option ${OPTIONS.map((k) => `${k}=…`).join(', ')}; not ${unknown.join(', ')}`,
    );
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
  const { host, port } = where(ctx);
  const tls = wantsTls(tlsFlags(ctx)) ? await tlsMaterial(ctx, host) : undefined;
  let service: RunningService;
  try {
    service = await startService({
      host,
      port,
      lateDeliveryMs: late,
      asyncDeliveryMs: queued,
      ...(o.faults ? { faults: o.faults } : {}),
      ...(tls ? { tls: tls.material } : {}),
      log: (line) => ctx.io.stderr.write(`${line}\n`),
    });
  } catch (e) {
    return listenFailure(e, host, port);
  }
  return tls?.throwaway ? publish(ctx, service, tls.material.cert) : service;
}

export const serveCommand: Command = {
  ...COMMAND_HELP.serve,
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

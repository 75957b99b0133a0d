/**
 * `npm run soak` (issue 10, item 4; not part of npm test): the served reference under a flood. One user sends a
 * peer 10,000 messages of 60 KB while 500 connections hold the peer's event stream open and never read a byte.
 * The service runs in a child process (its own heap and event loop, as under `serve`); it reports its peak RSS
 * and its event-loop delay (perf_hooks.monitorEventLoopDelay). Exits 1 when either passes its bound.
 *   SOAK_MESSAGES, SOAK_SUBSCRIBERS, SOAK_BYTES override the load; SOAK_MAX_RSS_MIB, SOAK_MAX_P99_MS the bounds;
 *   SOAK_WORLD_MIB raises the world's quota (8 MiB counted) so that more of the flood gets through to the streams.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { connect, type Socket } from 'node:net';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { Pool } from 'undici';
import { skype, teams, worldOf } from '../test/fixtures/reference-world.js';

const MESSAGES = Number(process.env.SOAK_MESSAGES ?? 10_000);
const SUBSCRIBERS = Number(process.env.SOAK_SUBSCRIBERS ?? 500);
const MESSAGE_BYTES = Number(process.env.SOAK_BYTES ?? 60_000);
const MAX_RSS_MIB = Number(process.env.SOAK_MAX_RSS_MIB ?? 300);
const MAX_P99_MS = Number(process.env.SOAK_MAX_P99_MS ?? 100);
const SENDERS = 8;
const MIB = 1024 * 1024;

interface Report {
  startRss: number;
  peakRss: number;
  p99: number;
  max: number;
  dropped: number;
  worldBytes: number;
}

/** The child: the service, measuring itself. */
async function serveAndMeasure(): Promise<void> {
  const { startService } = await import('../adapters/reference/http/server.js');
  const worldMib = process.env.SOAK_WORLD_MIB;
  const service = await startService({
    log: (line) => process.stderr.write(`service: ${line}\n`),
    ...(worldMib ? { limits: { worldBytes: Number(worldMib) * MIB } } : {}),
  });
  const delay = monitorEventLoopDelay({ resolution: 10 });
  const startRss = process.memoryUsage.rss();
  let peakRss = startRss;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage.rss())), 20);
  process.on('message', (m: { measure?: boolean; world?: string; stop?: boolean }) => {
    if (m.measure) {
      delay.reset();
      delay.enable();
    } else if (m.world !== undefined) {
      const world = service.worlds.get(m.world);
      const report: Report = {
        startRss,
        peakRss,
        p99: delay.percentile(99) / 1e6,
        max: delay.max / 1e6,
        dropped: world?.events.dropped ?? 0,
        worldBytes: world?.bytes ?? 0,
      };
      process.send!(report);
    } else if (m.stop) {
      clearInterval(sampler);
      void service.close().then(() => process.exit(0));
    }
  });
  process.send!({ url: service.url });
}

const WORLD = worldOf(teams('tara'), skype('sam', { client: 'web' }));

const next = <T>(child: ChildProcess): Promise<T> =>
  new Promise((resolve) => child.once('message', (m) => resolve(m as T)));

async function soak(): Promise<number> {
  const child = fork(fileURLToPath(import.meta.url), ['--serve'], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const { url } = await next<{ url: string }>(child);
  const origin = new URL(url);
  const pool = new Pool(url, { connections: SENDERS });
  const post = async (path: string, body: string, token?: string) => {
    const res = await pool.request({
      method: 'POST',
      path,
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body,
    });
    const text = await res.body.text();
    return { status: res.statusCode, text };
  };
  const made = JSON.parse((await post('/worlds', JSON.stringify(WORLD))).text) as {
    id: string;
    tokens: Record<string, string>;
  };

  // The subscribers: sam's event stream, asked for and never read.
  const subscribers: Socket[] = [];
  for (let i = 0; i < SUBSCRIBERS; i++) {
    const socket = connect(Number(origin.port), origin.hostname);
    socket.on('error', () => {});
    socket.write(
      `GET /worlds/${made.id}/me/events HTTP/1.1\r\nHost: ${origin.host}\r\nAuthorization: Bearer ${made.tokens.sam}\r\n\r\n`,
    );
    socket.pause();
    subscribers.push(socket);
  }
  await new Promise((r) => setTimeout(r, 500));
  child.send({ measure: true });

  const body = JSON.stringify({ body: { contentType: 'text', content: 'm'.repeat(MESSAGE_BYTES) } });
  const statuses = new Map<number, number>();
  const started = Date.now();
  let sent = 0;
  await Promise.all(
    Array.from({ length: SENDERS }, async () => {
      while (sent < MESSAGES) {
        sent++;
        const { status } = await post(`/worlds/${made.id}/me/chats/sam/messages`, body, made.tokens.tara);
        statuses.set(status, (statuses.get(status) ?? 0) + 1);
      }
    }),
  );
  const floodMs = Date.now() - started;
  const readStarted = Date.now();
  const read = await pool.request({
    method: 'GET',
    path: `/worlds/${made.id}/me/chats/sam/messages`,
    headers: { authorization: `Bearer ${made.tokens.tara}` },
  });
  const readBytes = (await read.body.text()).length;
  const readMs = Date.now() - readStarted;
  child.send({ world: made.id });
  const report = await next<Report>(child);
  for (const s of subscribers) s.destroy();
  await pool.close();
  child.send({ stop: true });

  const rssMib = report.peakRss / MIB;
  console.log(
    `soak: ${MESSAGES} × ${MESSAGE_BYTES} B from tara to sam in ${(floodMs / 1000).toFixed(1)} s (${[...statuses].map(([k, n]) => `${k}×${n}`).join(', ')}), ${SUBSCRIBERS} subscribers of sam's stream never reading (${report.dropped} cut for falling behind)`,
  );
  console.log(
    `soak: the world holds ${(report.worldBytes / MIB).toFixed(1)} MiB counted; GET of the chat afterwards: ${read.statusCode}, ${(readBytes / MIB).toFixed(1)} MiB in ${readMs} ms`,
  );
  console.log(
    `soak: service RSS ${(report.startRss / MIB).toFixed(0)} MiB at rest, peak ${rssMib.toFixed(0)} MiB (bound ${MAX_RSS_MIB}); event-loop delay p99 ${report.p99.toFixed(1)} ms, max ${report.max.toFixed(1)} ms (bound p99 ${MAX_P99_MS})`,
  );
  const over = [
    ...(rssMib > MAX_RSS_MIB ? [`peak RSS ${rssMib.toFixed(0)} MiB > ${MAX_RSS_MIB}`] : []),
    ...(report.p99 > MAX_P99_MS ? [`p99 delay ${report.p99.toFixed(1)} ms > ${MAX_P99_MS}`] : []),
  ];
  if (over.length) console.log(`soak: OVER THE BOUND: ${over.join('; ')}`);
  return over.length ? 1 : 0;
}

if (process.argv.includes('--serve')) await serveAndMeasure();
else process.exitCode = await soak();

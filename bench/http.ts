/**
 * Over HTTP, in one process: the harness running the suite with the http adapter against the served reference
 * (A), then a bare undici loop replaying the very requests that run made, with the same waits (B: bench/http-replay.ts).
 * Each pair replays its own run's requests. The settle window is 0 on the harness's side: the bare loop has none.
 */
import { Pool } from 'undici';
import { createHttpAdapter, type EventsMode } from '../adapters/http/adapter.js';
import { startService } from '../adapters/reference/http/server.js';
import { conformanceRun } from '../harness/conformance-run.js';
import { findScenarioFiles, loadScenarios } from '../harness/load.js';
import { loadCatalogue } from '../harness/specs-files.js';
import { recording, replay, type Recorded } from './http-replay.js';
import { emptyPaired, pair, timed, type Paired } from './stats.js';

/** What a request is for, in the split of requests per step. */
export const REQUEST_KINDS = ['actions', 'createChat', 'worlds', 'streams', 'sync'] as const;
export type RequestKind = (typeof REQUEST_KINDS)[number];

/** A recorded request's kind: a world made or deleted, an event stream opened, a chat asked for, a sync; else an action's. */
export function kindOf(r: Pick<Recorded, 'method' | 'path' | 'stream'>): RequestKind {
  if (r.stream) return 'streams';
  if (/^\/worlds(\/[^/]+)?$/.test(r.path)) return 'worlds';
  if (r.method === 'POST' && /^\/worlds\/[^/]+\/sync$/.test(r.path)) return 'sync';
  if (r.method === 'POST' && /^\/worlds\/[^/]+\/v1\.0\/chats$/.test(r.path)) return 'createChat';
  return 'actions';
}

export interface OverHttp {
  scenarios: number;
  steps: number;
  /** Requests of each pair's harness run (event-stream opens included). */
  requests: number[];
  /** New TCP connections the service accepted during each pair's harness run. */
  connections: number[];
  /** The last pair's requests by kind (they are the same every run). */
  split: Record<RequestKind, number>;
  /** Cursor waits the bare loop waited out in vain (0 when it made the harness's waits). */
  missedCursors: number;
  /** Replayed requests the service answered with another status than the harness's (0: the same work). */
  otherAnswers: number;
  /** Harness run (A) against the bare replay (B). */
  paired: Paired;
}

/**
 * `events`: which streams the http adapter reads (`person`, its default: each person's own; `world`: one stream per
 * world, document 0.4.0), so that the request split of both modes can be set side by side.
 */
export async function overHttp(suite: string, pairs: number, events: EventsMode = 'person'): Promise<OverHttp> {
  const catalogue = loadCatalogue().requirements;
  const { scenarios } = loadScenarios(findScenarioFiles([suite]), catalogue);
  const service = await startService();
  const origin = new URL(service.url).origin;
  const pool = new Pool(origin, { connections: 256, pipelining: 1 });
  const out: OverHttp = {
    scenarios: scenarios.length,
    steps: scenarios.reduce((n, s) => n + s.steps.length, 0),
    requests: [],
    connections: [],
    split: { actions: 0, createChat: 0, worlds: 0, streams: 0, sync: 0 },
    missedCursors: 0,
    otherAnswers: 0,
    paired: emptyPaired(),
  };
  try {
    const recorded: Recorded[] = [];
    const connections: number[] = [];
    const http = createHttpAdapter({ url: service.url, events }, { dispatcher: recording(pool, recorded) });
    const harness = async () => {
      recorded.length = 0;
      const before = service.connections?.() ?? 0;
      const run = await conformanceRun(scenarios, { adapter: http, catalogue, settleMs: 0 });
      connections.push((service.connections?.() ?? 0) - before);
      if (run.summary.scenarios.error > 0)
        throw new Error(`over HTTP, ${run.summary.scenarios.error} scenarios errored`);
    };
    await harness(); // warm-up, as the in-process comparison has
    await replay(origin, recorded);
    for (let i = 0; i < pairs; i++) {
      await pair(
        out.paired,
        () => timed(harness),
        async () => {
          const mine = recorded.filter((r) => r.closes === undefined);
          out.requests.push(mine.length);
          out.connections.push(connections.at(-1)!);
          for (const k of REQUEST_KINDS) out.split[k] = mine.filter((r) => kindOf(r) === k).length;
          const t0 = performance.now();
          const { missedCursors, otherAnswers } = await replay(origin, [...recorded]);
          const ms = performance.now() - t0;
          out.missedCursors += missedCursors;
          out.otherAnswers += otherAnswers;
          return ms;
        },
      );
    }
  } finally {
    await pool.close();
    await service.close();
  }
  return out;
}

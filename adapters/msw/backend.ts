/**
 * The reference service answering one request without a socket (adapters/reference/http/answer.ts, the same
 * `respond` the node server answers through): what the mock's handlers hand each request to, so that a client sees
 * exactly what `serve` would answer — the same routes, checks, statuses, bodies and headers.
 */
import { answer, type WireAnswer } from '../reference/http/answer.js';
import { parseFaults } from '../reference/http/faults.js';
import { LIMITS } from '../reference/http/limits.js';
import { WorldRegistry } from '../reference/http/worlds.js';

export interface BackendRequest {
  method: string;
  /** Path and query, from the server's root: `/worlds/{id}/…`. */
  url: string;
  headers: Record<string, string>;
  body: Buffer;
}
export type BackendAnswer = Pick<WireAnswer, 'status' | 'headers' | 'body'>;

export interface Backend {
  answer(req: BackendRequest): Promise<BackendAnswer>;
  close(): void;
}

/** A reference service with worlds of its own, answering in process. */
export function createBackend(): Backend {
  const worlds = new WorldRegistry(parseFaults(undefined), { ...LIMITS });
  return {
    // The service answers only loopback host names; the client's own Host (graph.microsoft.com) is not its business.
    answer: async (req) => {
      const { status, headers, body } = await answer(worlds, {
        ...req,
        headers: { ...req.headers, host: '127.0.0.1' },
      });
      return { status, headers, body };
    },
    close: () => worlds.close(),
  };
}

/** What a route of the served reference is given and what it answers (routes.ts, graph.ts, answer.ts). */
import type { HostedWorld } from './worlds.js';

export interface Ctx {
  world: HostedWorld;
  /** The token's user. */
  me: string;
  params: Record<string, string>;
  query: URLSearchParams;
  body: unknown;
}
export interface Reply {
  status: number;
  body?: unknown;
  /** Hand the response over as this user's event stream. */
  stream?: true;
}

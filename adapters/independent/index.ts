/**
 * The independent implementation of specs/openapi.yaml (issue 14), written from the documents alone.
 *
 * Style: event-sourced. Each world is an append-only log of domain facts (events.ts); the read model
 * (projection.ts) is a fold of that log, and each user's event stream (feeds.ts) is a projection of its
 * `delivered` and `sync-marked` facts. Routes never change state directly: they read the projection, ask the
 * rules (rules.ts, gates.ts) for the facts an action produces, and append them.
 *
 * Node's `node:http` only; it listens on 127.0.0.1 unless told otherwise.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { StartImplementation } from './contract.js';
import { compile, serve } from './http.js';
import { GRAPH_ROUTES } from './routes-graph.js';
import { PEOPLE_ROUTES } from './routes-people.js';
import { WORLD_ROUTES } from './routes-world.js';
import { Defects, Registry } from './world.js';

const TABLE = compile([...WORLD_ROUTES, ...GRAPH_ROUTES, ...PEOPLE_ROUTES]);

export const startIndependent: StartImplementation = async (options = {}) => {
  const registry = new Registry(new Defects(options.defects));
  const hosts = new Set(
    [
      '127.0.0.1',
      'localhost',
      '[::1]',
      ...(options.host ? [options.host.includes(':') ? `[${options.host}]` : options.host] : []),
    ].map((h) => h.toLowerCase()),
  );
  const server: Server = createServer((req, res) => void serve(TABLE, registry, hosts, req, res));
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const { address, port } = server.address() as AddressInfo;
  const host = address.includes(':') ? `[${address}]` : address;
  return {
    url: `http://${host}:${port}`,
    close: async () => {
      // Event streams never end by themselves: end them, then stop taking connections.
      registry.closeAll();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
};

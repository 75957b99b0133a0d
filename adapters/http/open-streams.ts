/**
 * Opening a world's event streams, in either mode of `--adapter-option events` (adapter.ts): every person's own
 * stream with their own token (`person`), or the world's one stream with its control token (`world`), which each
 * person then sees as their own.
 */
import type { WorldApi } from './api.js';
import type { Redactor } from './client.js';
import { UserEvents, type EventView } from './events.js';
import { WorldEvents } from './world-events.js';

/** Every person's own stream, with their own token; one failing closes those opened. */
export async function openPersonStreams(
  api: WorldApi,
  tokens: Readonly<Record<string, string>>,
  people: readonly string[],
  redact: Redactor,
): Promise<EventView[]> {
  const path = api.path(api.doc.operation('streamEvents'));
  const opened = await Promise.allSettled(
    people.map((p) =>
      UserEvents.open(api.client, api.doc, path, p, Object.hasOwn(tokens, p) ? tokens[p]! : '', redact),
    ),
  );
  const failed = opened.find((o): o is PromiseRejectedResult => o.status === 'rejected');
  if (failed) {
    for (const o of opened) if (o.status === 'fulfilled') o.value.close();
    throw failed.reason;
  }
  const streams = opened.map((o) => (o as PromiseFulfilledResult<UserEvents>).value);
  // A position an answer promised and the stream never reached is judged by that cursor (event-connection.ts).
  if (api.cursor) for (const s of streams) s.countedBy(api.cursor);
  return streams;
}

/** The world's one stream, with its control token, seen by each person as their own. */
export async function openWorldStream(
  api: WorldApi,
  controlToken: string,
  users: readonly string[],
  people: readonly string[],
  redact: Redactor,
): Promise<EventView[]> {
  const path = api.path(api.doc.operation('streamWorldEvents'));
  const stream = await WorldEvents.open(api.client, api.doc, path, controlToken, users, redact);
  // What each answer's cursor counted orders two users' events: the stream must show them in that order.
  api.cursor?.listen((entries) => stream.order.counted(entries));
  if (api.cursor) stream.countedBy(api.cursor);
  return people.map((p) => stream.view(p));
}

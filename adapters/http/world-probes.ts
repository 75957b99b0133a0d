/**
 * What the probes add in world mode (`events=world`), beyond opening the world stream where it must be refused
 * (probes.ts): a user's own stream opened without `Last-Event-ID` after the world stream showed that user's events
 * must resend none of them (openapi.yaml 0.4.0: events written to the world stream count as sent to their user);
 * and a world stream's catch-up comes in the order the service emitted the events, across users too, as far as
 * answers' cursors prove that order (world-order.ts).
 */
import { WireFormatViolation } from '../adapter.js';
import type { World } from '../../specs/protocol.js';
import type { WorldApi } from './api.js';
import { WorldEvents } from './world-events.js';
import { readSse } from './sse-reader.js';

/**
 * How long a user's own stream is read for a resend. A service sends its catch-up as soon as it answers 200 (on
 * loopback, in the same write or the next), so a resend shows well within this; a conformant service sends
 * nothing, and the wait is the whole cost (the probe runs only in world mode, in the read-other-chats probes).
 */
export const RESEND_WAIT_MS = 100;

/** A name that is a valid cursor key but no user of `world`: a Last-Event-ID naming it must be refused. */
export function unknownUser(world: World): string {
  let name = 'nobody';
  while (Object.hasOwn(world.users, name)) name += '-else';
  return name;
}

/**
 * Open `actor`'s own stream without Last-Event-ID and read it for RESEND_WAIT_MS: an event whose id is at or below
 * `shown` (the world stream's position for `actor`) was already sent, and is a WIRE-003 violation. The stream is
 * closed afterwards; nothing is read when the world stream showed `actor` nothing.
 */
export async function ownStreamResends(api: WorldApi, actor: string, shown: number): Promise<void> {
  if (shown <= 0 || !Object.hasOwn(api.tokens, actor)) return;
  const path = api.path(api.doc.operation('streamEvents'));
  const what = api.describe(actor, 'GET', path);
  const abort = new AbortController();
  const res = await api.client.stream(path, api.tokens[actor]!, abort.signal, { what, redact: api.redact });
  if (res.statusCode !== 200) {
    const text = await res.body.text().catch(() => '');
    abort.abort();
    throw new Error(
      api.redact.text(`${what} answered ${res.statusCode} instead of ${actor}'s event stream: ${text.slice(0, 120)}`),
    );
  }
  let resent: string | undefined;
  const timer = setTimeout(() => abort.abort(), RESEND_WAIT_MS);
  try {
    await readSse(
      res.body,
      () => true,
      ({ id }) => {
        if (id !== undefined && /^[0-9]+$/.test(id) && Number(id) <= shown) resent ??= id;
      },
      () => resent !== undefined,
    );
  } catch {
    /* aborted once the wait is over: what came by then is what counts */
  } finally {
    clearTimeout(timer);
    abort.abort();
  }
  if (resent !== undefined)
    throw new WireFormatViolation(
      api.redact.text(
        `${what}, opened without Last-Event-ID after the world stream had shown ${actor}'s events up to the id ${shown}, sent the event ${resent} again; specs/openapi.yaml 0.4.0: events written to the world stream count as sent to their user (WIRE-003: an event replayed)`,
      ),
      [],
      'WIRE-003',
    );
}

/**
 * In a world of the probe's own, already holding `actor`'s first message to `partner`: `partner` accepts it and
 * answers, and `actor` writes again, so that deliveries alternate between two users, each request's cursor
 * separating them. Then that world's stream is opened afresh (its catch-up: every log from the start) and read
 * until it reaches the last cursor; the world stream holds it to the order the cursors prove (a service sending
 * user by user shows one user's later delivery before the other's earlier one). What is refused delivers nothing,
 * and the order is checked on what was delivered. 3 requests and one stream opened.
 */
export async function catchUpInOrder(
  api: WorldApi,
  controlToken: string,
  users: readonly string[],
  actor: string,
  partner: string,
  chatId: string,
  texts: Set<string>,
): Promise<void> {
  // The cursor so far (the first message's answer), then each answer's.
  const counted: ReadonlyMap<string, number>[] = [new Map(users.map((u) => [u, api.cursor?.of(u) ?? 0]))];
  api.cursor?.listen((entries) => counted.push(entries));
  await api.invoke('acceptRequest', partner, { params: { requestId: actor } });
  for (const [from, to] of [
    [partner, actor],
    [actor, partner],
  ] as const) {
    const text = `${from} writes to ${to} in a world about to be deleted`;
    texts.add(text);
    await api.invoke('sendChatMessage', from, {
      params: { chatId },
      body: { body: { contentType: 'text', content: text } },
    });
  }
  const path = api.path(api.doc.operation('streamWorldEvents'));
  const stream = await WorldEvents.open(api.client, api.doc, path, controlToken, users, api.redact, counted);
  try {
    for (const u of users) await stream.reached(u, api.cursor?.of(u) ?? 0, api.client.o.timeoutMs);
  } finally {
    stream.close();
  }
}

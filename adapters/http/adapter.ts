/**
 * The http adapter: the harness's Adapter/Session contract over the REST API of specs/openapi.yaml. `open`
 * creates a world (`POST /worlds`) and opens every person's event stream (or, with `events=world`, the world's one
 * stream: open-streams.ts, world-events.ts); `perform` makes one API call (or a
 * few, for a probe) and then waits only for the streams that are behind the answers' event cursor
 * (`Interop-Event-Cursor`, cursor.ts), so that whatever the action delivered is in the buffers before the runner
 * drains them — what the service had emitted by then; a delivery still in a queue comes later, and the runner's
 * settle window is there for it — ; `reconnect` reopens one user's stream with Last-Event-ID and waits until it
 * reaches the last cursor seen for that user (`disconnect` drops it first, so that an action is made while it is
 * down); `close` ends the streams and deletes the world. `dispose()` closes the connection pool,
 * and never waits long for an answer that trickles in: after DISPOSE_GRACE_MS what is still open is cut.
 * `secrets()` lists every token (control tokens too) and world id the service issued, for the reports' redaction.
 * DELETE carries the world's control token when `POST /worlds` gave one. (The deprecated sync marker is not used.)
 */
import type { Dispatcher } from 'undici';
import { readFileSync } from 'node:fs';
import type { Action, ActorOutcome, Delivery, World } from '../../specs/protocol.js';
import type { Adapter, Capability, Session } from '../adapter.js';
import { performAction } from './actions.js';
import { WorldApi } from './api.js';
import { ChatIds, MessageIds } from './chats.js';
import { HttpClient, Redactor } from './client.js';
import { EventCursor } from './cursor.js';
import type { EventView } from './events.js';
import { openPersonStreams, openWorldStream } from './open-streams.js';
import { probe } from './probes.js';
import { ApiDocument } from './schema.js';

export const HTTP_CAPABILITIES: readonly Capability[] = Object.freeze([
  'search',
  'chat',
  'call',
  'relationship',
  'presence',
  'admin',
  'coexistence',
  'deployment',
  'wire',
] as const);
export const DEFAULT_TIMEOUT_MS = 5_000;
/** How long `dispose()` lets requests still in flight finish before it cuts their connections. */
export const DISPOSE_GRACE_MS = 1_000;
/** How long the next action waits after a `disconnect` for the service to notice the dropped stream (a closed socket on loopback: < 1 ms). */
export const DISCONNECT_SETTLE_MS = 10;

export interface HttpAdapter extends Adapter {
  /** Close the connection pool (at most DISPOSE_GRACE_MS, then cut); the adapter cannot open worlds afterwards. */
  dispose(): Promise<void>;
  /** Every bearer token and world id the service handed this adapter so far. */
  secrets(): string[];
}

class HttpSession implements Session {
  readonly #texts = new Set<string>();
  /** The chat ids this world's people were given, per (person, other person), and the message ids per sender. */
  readonly #chats: ChatIds;
  readonly #messages: MessageIds;
  /** When the last stream was dropped (`disconnect`), if no action has been made since. */
  #droppedAt: number | undefined;

  constructor(
    private readonly api: WorldApi,
    private readonly world: World,
    private readonly events: ReadonlyMap<string, EventView>,
    private readonly openWorld: () => Promise<{ id: string; tokens: Record<string, string>; controlToken?: string }>,
    private readonly deleteWorld: (id: string) => Promise<void>,
    /** World mode only: the probes open the world stream too (probes.ts). */
    private readonly controlToken?: string,
  ) {
    this.#chats = new ChatIds(api);
    this.#messages = new MessageIds(api.redact);
  }

  async perform(actor: string, action: Action): Promise<ActorOutcome> {
    await this.#dropsSeen();
    if (action.kind === 'probe') {
      const ctx = {
        api: this.api,
        world: this.world,
        texts: this.#texts,
        chats: this.#chats,
        openWorld: this.openWorld,
        deleteWorld: this.deleteWorld,
        ...(this.controlToken !== undefined
          ? {
              worldStream: {
                controlToken: this.controlToken,
                shown: (user: string) => this.events.get(user)?.lastId ?? 0,
              },
            }
          : {}),
      };
      return probe(ctx, actor, action.attack, action.target);
    }
    if (action.kind === 'message' || action.kind === 'group-chat') this.#texts.add(action.text);
    const outcome = await performAction(this.api, { chats: this.#chats, messages: this.#messages }, actor, action);
    await this.#caughtUp(this.events.values());
    return outcome;
  }

  /**
   * Everything the answers so far counted is in the buffers once each open stream has shown its user's cursor
   * entry: only the streams behind it are waited for. A dropped stream is not (nothing comes through it now); it
   * is when reopened.
   */
  async #caughtUp(streams: Iterable<EventView>): Promise<void> {
    const cursor = this.api.cursor!;
    let waits: Promise<void>[] | undefined;
    for (const e of streams) {
      if (e.disconnected) continue;
      const wait = e.reached(cursor.of(e.user), this.api.client.o.timeoutMs);
      if (wait) (waits ??= []).push(wait);
    }
    if (waits) await Promise.all(waits);
  }

  async drain(user: string): Promise<Delivery[]> {
    return this.events.get(user)?.drain() ?? [];
  }

  async reconnect(user: string): Promise<void> {
    const events = this.events.get(user);
    if (!events) return;
    await events.reconnect();
    // What was delivered while the stream was down (or before it was dropped), as far as the answers counted it.
    await this.#caughtUp([events]);
  }

  async disconnect(user: string): Promise<void> {
    const events = this.events.get(user);
    if (!events || events.disconnected) return;
    events.disconnect();
    this.#droppedAt = performance.now();
  }

  /**
   * Let the service see dropped connections go before the next action is made: its deliveries are then made while
   * those users have no stream open, the case WIRE-003 is about. One wait for every stream dropped since the last
   * action (the runner drops every person's before the midway step), not one per stream.
   */
  async #dropsSeen(): Promise<void> {
    if (this.#droppedAt === undefined) return;
    const left = this.#droppedAt + DISCONNECT_SETTLE_MS - performance.now();
    this.#droppedAt = undefined;
    if (left > 0) await new Promise((resolve) => setTimeout(resolve, left));
  }

  async close(): Promise<void> {
    // Deleting the world ends its streams, each read to its end, so that their connections are kept alive for the
    // next world's requests; whatever the service has not ended by then is cut (a turn later: ends already on the
    // wire are read first).
    for (const e of this.events.values()) e.close(true);
    try {
      await this.deleteWorld(this.api.worldId);
    } finally {
      setImmediate(() => {
        for (const e of this.events.values()) e.close();
      });
    }
  }
}

/** Which streams carry the deliveries (`--adapter-option events=…`, document 0.4.0). */
export const EVENTS_MODES = ['person', 'world', 'auto'] as const;
export type EventsMode = (typeof EVENTS_MODES)[number];

/**
 * Options: `url` (required), `timeout` (ms per request, default 5000), `ca` (a PEM file of certificates to trust for
 * https, e.g. what `serve --tls --tls-cert-out FILE` wrote; without it only the system's), `events` (`person`, the
 * default: each person's own stream, as a real client opens it; `world`: one stream per world, refused where the
 * service does not offer it; `auto`: the world stream where offered, else the persons'). Others are ignored: in a
 * differential run (`--adapter reference,http`) every adapter is given every option.
 */
export function createHttpAdapter(
  options: Record<string, string>,
  deps: { dispatcher?: Dispatcher } = {},
): HttpAdapter {
  if (!options.url)
    throw new Error(
      "the http adapter needs the service's address: --adapter-option url=http://127.0.0.1:PORT (start one with `interop-conformance serve`)",
    );
  const eventsMode = (options.events ?? 'person') as EventsMode;
  if (!EVENTS_MODES.includes(eventsMode))
    throw new Error(`events takes ${EVENTS_MODES.join(', ')}; got "${options.events}"`);
  const timeoutMs = options.timeout === undefined ? DEFAULT_TIMEOUT_MS : Number(options.timeout);
  if (!Number.isInteger(timeoutMs) || timeoutMs < 1)
    throw new Error(`timeout takes a whole number of ms above 0; got "${options.timeout}"`);
  let ca: string | undefined;
  if (options.ca !== undefined) {
    try {
      ca = readFileSync(options.ca, 'utf8');
    } catch (e) {
      throw new Error(`ca: cannot read ${options.ca}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
    if (!ca.includes('-----BEGIN CERTIFICATE-----'))
      throw new Error(`ca: ${options.ca} holds no PEM certificate (-----BEGIN CERTIFICATE-----)`);
  }
  let client: HttpClient;
  try {
    client = new HttpClient({
      url: options.url,
      timeoutMs,
      ...(ca !== undefined ? { ca } : {}),
      ...(deps.dispatcher ? { dispatcher: deps.dispatcher } : {}),
    });
  } catch (e) {
    throw new Error(`url: ${(e as Error).message}`);
  }
  const doc = ApiDocument.load();
  const issued = new Set<string>();

  /**
   * Whether this world's deliveries are read from the world stream: `auto` where the service offers it; `world`
   * refuses a service that does not — an adapter error, not WIRE-001: the stream is optional, and the service that
   * leaves it out conforms; it is this run's option that asked for what was not offered.
   */
  const worldMode = async (created: { capabilities?: string[]; controlToken?: string }): Promise<boolean> => {
    const offered = Array.isArray(created.capabilities) && created.capabilities.includes('world-events');
    if (eventsMode === 'person' || (eventsMode === 'auto' && !offered)) return false;
    if (!offered)
      throw new Error(
        `events=world: ${client.origin} offers no world stream (POST /worlds answered no capabilities: ["world-events"]; specs/openapi.yaml 0.4.0 makes it optional): use events=person or events=auto`,
      );
    if (typeof created.controlToken !== 'string')
      throw new Error(`events=world: POST /worlds answered no controlToken, which the world stream takes`);
    return true;
  };

  return {
    name: `http(${client.origin})`,
    capabilities: HTTP_CAPABILITIES,
    async open(world: World): Promise<Session> {
      const redact = new Redactor();
      const control = new WorldApi(client, doc, redact, '', {});
      // World id → its control token: DELETE carries it (wire-contract 1).
      const controlTokens = new Map<string, string>();
      const create = async () => {
        const { data } = await control.invoke('createWorld', 'harness', { body: world });
        if (!data?.tokens) throw new Error(`harness: POST /worlds was refused: ${JSON.stringify(data?.error ?? data)}`);
        const secrets = [
          ...Object.values<string>(data.tokens),
          data.id,
          ...(typeof data.controlToken === 'string' ? [data.controlToken] : []),
        ];
        redact.add(...secrets);
        for (const secret of secrets) issued.add(secret);
        if (typeof data.controlToken === 'string') controlTokens.set(data.id, data.controlToken);
        return data as { id: string; tokens: Record<string, string>; controlToken?: string; capabilities?: string[] };
      };
      const deleteWorld = async (id: string) => {
        const token = controlTokens.get(id);
        await control.invoke('deleteWorld', 'harness', { worldId: id, ...(token ? { token } : {}) });
        controlTokens.delete(id);
      };
      const created = await create();
      const api = new WorldApi(
        client,
        doc,
        redact,
        created.id,
        created.tokens,
        new EventCursor(new Set(Object.keys(world.users))),
      );
      const people = Object.values(world.users)
        .filter((u) => u.kind !== 'admin')
        .map((u) => u.name);
      let views: EventView[];
      let inWorldMode = false;
      try {
        views = (inWorldMode = await worldMode(created))
          ? await openWorldStream(api, created.controlToken!, Object.keys(world.users), people, redact)
          : await openPersonStreams(api, created.tokens, people, redact);
      } catch (e) {
        await deleteWorld(created.id).catch(() => {});
        throw e;
      }
      const events = new Map(views.map((v) => [v.user, v]));
      api.cursor!.watch((user) => events.get(user)?.lastId ?? 0);
      return new HttpSession(api, world, events, create, deleteWorld, inWorldMode ? created.controlToken : undefined);
    },
    dispose: () => client.close(DISPOSE_GRACE_MS),
    secrets: () => [...issued],
  };
}

export default createHttpAdapter;

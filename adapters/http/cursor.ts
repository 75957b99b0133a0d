/**
 * The `Interop-Event-Cursor` of the answers (specs/openapi.yaml, since 0.3.0): each user's last event id when the service
 * sent the answer. The harness reads it instead of a sync marker: after an action it waits only for the streams that
 * are behind their user's entry. Read strictly, as the document gives it — `user=N` members, comma-separated, keys
 * naming users of the world, whole numbers of at most 15 digits, no parameters — and held to one promise more: an
 * event once emitted stays emitted, so an entry never goes down. Anything else is a WIRE-001 violation naming the
 * header, as a missing cursor is.
 */
import { WireFormatViolation } from '../adapter.js';

export const EVENT_CURSOR_HEADER = 'Interop-Event-Cursor';

/**
 * Where the cursor is documented, as messages name it: the document's version now, and the one that brought the
 * cursor (test/http-world-events-checks.test.ts holds the first to specs/openapi.yaml's `info.version`).
 */
export const CURSOR_SOURCE = 'specs/openapi.yaml 0.4.0 (the event cursor since 0.3.0)';

const MEMBER = /^[ \t]*([a-z][a-z0-9_-]*)=([0-9]{1,15})[ \t]*$/;

/** The entries of a cursor's field value, or what is wrong with it (for the violation's message). */
export function parseCursor(value: string, users: ReadonlySet<string>): Map<string, number> | string {
  const entries = new Map<string, number>();
  for (const member of value.split(',')) {
    const m = MEMBER.exec(member);
    if (!m) return `the member ${JSON.stringify(member.trim().slice(0, 40))} is not user=whole-number`;
    if (!users.has(m[1]!)) return `${JSON.stringify(m[1])} is no user of this world`;
    entries.set(m[1]!, Number(m[2]));
  }
  return entries;
}

/** The highest entry each user's cursor has had in this world's answers so far. */
export class EventCursor {
  readonly #at = new Map<string, number>();
  /** Which answer raised each user's entry to where it is (redacted), named when a stream never gets there. */
  readonly #raisedBy = new Map<string, string>();

  /** The highest id each user's stream has shown so far (set by the session once its streams are open). */
  #shown: ((user: string) => number) | undefined;
  /** Told every cursor taken (the world stream holds its order across users to them). */
  #listeners: ((entries: ReadonlyMap<string, number>) => void)[] = [];

  constructor(private readonly users: ReadonlySet<string>) {}

  /** Read the streams: an answer must count at least what they had shown before its request was sent. */
  watch(shown: (user: string) => number): void {
    this.#shown = shown;
  }

  /** Call `listener` with the entries of every cursor taken from now on, once it has passed the checks. */
  listen(listener: (entries: ReadonlyMap<string, number>) => void): void {
    this.#listeners.push(listener);
  }

  /** What the streams have shown now, user by user (taken just before a request is sent). */
  shownNow(): ReadonlyMap<string, number> | undefined {
    const shown = this.#shown;
    if (!shown) return undefined;
    const now = new Map<string, number>();
    for (const user of this.users) {
      const id = shown(user);
      if (id > 0) now.set(user, id);
    }
    return now;
  }

  /** The answer that raised `user`'s entry to where it is now (`tara: POST /v1.0/chats answered 201`), if any did. */
  raisedBy(user: string): string | undefined {
    return this.#raisedBy.get(user);
  }

  /** Every user's entry now (a reopened stream owes each user's events up to it: event-connection.ts). */
  entries(): ReadonlyMap<string, number> {
    return new Map(this.#at);
  }

  /** The last event id the service has said it emitted to `user` (0: none said yet). */
  of(user: string): number {
    return this.#at.get(user) ?? 0;
  }

  /**
   * Take the cursor of an answer that must carry one (`what` names it, e.g. "tara: POST /v1.0/chats answered 201"):
   * missing, malformed or going down is a WireFormatViolation; else each entry is remembered.
   */
  take(
    value: string | undefined,
    what: string,
    redact: (s: string) => string,
    shownBefore?: ReadonlyMap<string, number>,
  ): void {
    const bad = (why: string) =>
      new WireFormatViolation(
        redact(`${what} ${why}; ${CURSOR_SOURCE} gives every answer under a world an ${EVENT_CURSOR_HEADER}`),
        value === undefined ? [] : [redact(`${EVENT_CURSOR_HEADER}: ${value.slice(0, 200)}`)],
      );
    if (value === undefined || value === '') throw bad(`without the ${EVENT_CURSOR_HEADER} header`);
    const entries = parseCursor(value, this.users);
    if (typeof entries === 'string') throw bad(`with a malformed ${EVENT_CURSOR_HEADER} (${entries})`);
    // A user left out means 0 (the document): one whose entry was above 0 went down, as surely as a lower number.
    for (const [user, before] of this.#at)
      if (before > 0 && !entries.has(user))
        throw bad(
          `with an ${EVENT_CURSOR_HEADER} that leaves out ${user}, whose entry was ${before} (left out means 0; an event once emitted stays emitted)`,
        );
    // An event a stream showed before the request was sent was emitted before the answer: the answer counts it.
    for (const [user, shown] of shownBefore ?? [])
      if ((entries.get(user) ?? 0) < shown)
        throw bad(
          `with an ${EVENT_CURSOR_HEADER} that counts ${user}'s events up to ${entries.get(user) ?? 0}, but ${user}'s stream had shown the id ${shown} before the request was sent (every event the cursor counts includes those)`,
        );
    for (const [user, id] of entries) {
      const before = this.of(user);
      if (id < before)
        throw bad(
          `with an ${EVENT_CURSOR_HEADER} whose entry for ${user} went down from ${before} to ${id} (an event once emitted stays emitted)`,
        );
      if (id > before) this.#raisedBy.set(user, redact(what));
      this.#at.set(user, id);
    }
    for (const listener of this.#listeners) listener(entries);
  }
}

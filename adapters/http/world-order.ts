/**
 * The world stream's order across users (specs/openapi.yaml 0.4.0: "across users, the catch-up and the live events
 * appear in the order the service emitted them"), as far as a client can know it: an answer's
 * `Interop-Event-Cursor` counts the events emitted before the answer was sent, so an event it counts came before
 * any event it does not. The stream must show every counted one before an uncounted one — its catch-up on resuming
 * too, where a service sending user by user would put a later event of one user before an earlier one of another.
 * Two events no cursor separates have no order a client could check, and none is asked of them.
 */

/** Answers' cursors held for the check until the stream reaches them: past this, the oldest go unchecked. */
export const MAX_COUNTED = 1_000;

export class CountedOrder {
  /** Answers' cursors not yet reached on the stream, oldest first (each at or above the one before). */
  #counted: ReadonlyMap<string, number>[] = [];

  /** `shown(user)`: the stream's position for that user (the last id shown, or where it resumed them). */
  constructor(private readonly shown: (user: string) => number) {}

  counted(entries: ReadonlyMap<string, number>): void {
    if (this.#reached(entries)) return;
    if (this.#counted.push(entries) > MAX_COUNTED) this.#counted.shift();
  }

  #reached(entries: ReadonlyMap<string, number>): boolean {
    for (const [u, id] of entries) if (this.shown(u) < id) return false;
    return true;
  }

  /**
   * The `event` with the id `id` in `to`'s log is about to be shown. If a cursor did not count it, every event that
   * cursor counted was emitted before it and must have been shown already: what is wrong, if anything.
   */
  outOfOrder(event: string, to: string, id: number): string | undefined {
    while (this.#counted.length && this.#reached(this.#counted[0]!)) this.#counted.shift();
    // Cursors only go up: the last one not counting this event counts the most that came before it.
    let before: ReadonlyMap<string, number> | undefined;
    for (let i = this.#counted.length - 1; i >= 0 && !before; i--)
      if ((this.#counted[i]!.get(to) ?? 0) < id) before = this.#counted[i];
    if (!before) return undefined;
    for (const [u, counted] of before) {
      const at = this.shown(u);
      if (u !== to && at < counted)
        return `a ${event} event for ${to} with the id ${id} came before ${u}'s event ${counted} (the stream had shown ${u} only up to ${at || 'none'}), though an answer's Interop-Event-Cursor counted ${u}'s ${counted} and not ${to}'s ${id}: ${u}'s was emitted first, and the world stream sends every user's events, its catch-up too, in the order the service emitted them`;
    }
    return undefined;
  }
}

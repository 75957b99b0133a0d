/** What a world has scheduled for later (a delayed delivery), cancelled together when the world closes. */
export class Timers {
  readonly #pending = new Set<ReturnType<typeof setTimeout>>();

  /** Run `task` after `ms` unless disposed first. */
  later(ms: number, task: () => void): void {
    const timer = setTimeout(() => {
      this.#pending.delete(timer);
      task();
    }, ms);
    this.#pending.add(timer);
  }

  dispose(): void {
    for (const timer of this.#pending) clearTimeout(timer);
    this.#pending.clear();
  }
}

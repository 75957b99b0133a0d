/**
 * A run's scenario results on disk instead of in memory (issue 9: peak memory at 20× the suite). The CLI appends
 * each result here as it ends, one JSON line, and the file reports read them back at the end through `view()`: an
 * array whose items are parsed from the file each time one is read, and dropped once the reader moves on. At 20×
 * the suite the results were 21 MiB held to the end of the run for reports that read each one at a time.
 *
 * The file holds results as the runner made them, before redaction (the reports redact as they render, with the
 * secrets known then), so it lives in a folder of its own under the system's temporary folder, readable by this
 * user alone, never in the report folder (a CI job uploads that), and goes when the run is done (`dispose`).
 * Each result is written as `JSON.stringify` writes it, or `safeStringify` when it cannot be (a BigInt, a cycle in an
 * adapter's observation): what the reports get back is what their own `jsonSafe` copies would hold.
 */
import { closeSync, mkdtempSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { safeStringify } from './json-safe.js';
import type { ScenarioResult } from './results.js';

/**
 * How much a run holds in memory before it spills (the CLI's `run`), each a few MiB at most: what it holds below
 * them stays to the end of the run, so they add to a large run's peak (measured at 20× the suite: budgets of 4,000
 * steps raised it by ~25 MiB), while spilling a small run costs it CPU (parsing every result back from a file about
 * 12 times was a fifth of a cold run of the suite). A run of the suite (1,033 steps in 163 scenarios, 0.7 MB of
 * scenario text) stays in memory; a larger one goes to disk, whole, the moment it crosses. 0: spill from the start.
 */
export const SPILL_AFTER = {
  /** Results of scenarios holding this many steps in all (each result counted as its steps + 1): ~3 MiB. */
  resultSteps: 1500,
  /** Scenarios kept whole (not compact: no JSON text at all) while they hold this many steps in all: ~3 MiB. */
  wholeSteps: 1500,
  /** Compact scenarios' JSON text, in characters. */
  scenarioChars: 1024 * 1024,
};

/**
 * Texts appended to a private temporary file and read back by a positional read of their own bytes: the store behind
 * the results here and the compact scenarios (harness/compact-scenarios.ts). The file is in a folder of its own under
 * the system's temporary folder (`mkdtemp`: 0700, this user's alone), itself 0600, and goes with `dispose`.
 */
export class TextSpill {
  private readonly dir: string;
  private readonly fd: number;
  /** Where each text starts in the file, and where the file ends (the next one's start). */
  private starts = new Float64Array(1024);
  private n = 0;
  private end = 0;
  private disposed = false;

  constructor(parent = tmpdir(), prefix = 'interop-conformance-results-', file = 'results.jsonl') {
    this.dir = mkdtempSync(join(parent, prefix));
    this.fd = openSync(join(this.dir, file), 'w+', 0o600);
  }

  /** How many texts were added. */
  get length(): number {
    return this.n;
  }

  /** Appends `text` (one line in the file); returns its number, 0-based. */
  add(text: string): number {
    const bytes = Buffer.from(`${text}\n`, 'utf8');
    for (let at = 0; at < bytes.length;) at += writeSync(this.fd, bytes, at, bytes.length - at, this.end + at);
    if (this.n + 1 >= this.starts.length) {
      const grown = new Float64Array(this.starts.length * 2);
      grown.set(this.starts);
      this.starts = grown;
    }
    this.starts[this.n] = this.end;
    this.end += bytes.length;
    return this.n++;
  }

  /** Text `i` as added, read back from the file. `what` names the texts in errors ("results"). */
  text(i: number, what = 'texts'): string {
    if (this.disposed) throw new Error(`the run's spilled ${what} were read after the run was done`);
    const start = this.starts[i]!;
    const size = (i + 1 < this.n ? this.starts[i + 1]! : this.end) - start;
    const bytes = Buffer.allocUnsafe(size);
    for (let at = 0; at < size;) {
      const read = readSync(this.fd, bytes, at, size - at, start + at);
      if (!read) throw new Error(`the run's spilled ${what} end early, at ${i + 1} of ${this.n}`);
      at += read;
    }
    return bytes.toString('utf8', 0, size - 1); // without the line's end
  }

  /** Close and remove the file; reading after this throws. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    closeSync(this.fd);
    rmSync(this.dir, { recursive: true, force: true });
  }
}

export class ResultSpill implements ItemSpill<ScenarioResult> {
  private readonly texts: TextSpill;

  constructor(parent = tmpdir()) {
    this.texts = new TextSpill(parent);
  }

  /** How many results were added. */
  get length(): number {
    return this.texts.length;
  }

  add(result: ScenarioResult): void {
    let text: string;
    try {
      text = JSON.stringify(result);
    } catch {
      text = safeStringify(result);
    }
    this.texts.add(text);
  }

  /** Result `i` (0-based, in the order added), read back from the file: a new object at every call. */
  at(i: number): ScenarioResult {
    return JSON.parse(this.texts.text(i, 'results')) as ScenarioResult;
  }

  /**
   * The results added so far as a read-only array that holds none of them: reading an item parses it from the file
   * (see `lazyArray`).
   */
  view(): ScenarioResult[] {
    return lazyArray(this.length, (i) => this.at(i));
  }

  /** Close and remove the file; reading the view after this throws. */
  dispose(): void {
    this.texts.dispose();
  }
}

/** What `HeldThenSpilled` spills to: items appended, read back by number, removed by `dispose`. */
export interface ItemSpill<T> {
  readonly length: number;
  add(item: T): unknown;
  at(i: number): T;
  dispose(): void;
}

/**
 * Items held in memory while their weight stays within `budget` (SPILL_AFTER), then every one moved to a spill made
 * then, and the rest appended there: the results of a run and its scenarios' texts. Where no spill can be made or
 * written (no writable temporary folder, a full disk), what was spilled comes back and everything stays in memory for
 * good: the run is the same, only its memory is not. `onSpill(true)` when a spill holds them, `(false)` when it goes.
 */
export class HeldThenSpilled<T> {
  #spill: ItemSpill<T> | undefined;
  #kept: T[] | undefined = [];
  #held = 0;
  #failed = false;

  constructor(
    private readonly makeSpill: () => ItemSpill<T>,
    private readonly weight: (item: T) => number,
    /** 0: spill from the start. */
    private readonly budget = 0,
    private readonly onSpill: (spilling: boolean) => void = () => undefined,
  ) {
    if (budget === 0) this.#start();
  }

  /** Whether the items are on disk (false: in memory, under the budget or since a spill failed). */
  get spilled(): boolean {
    return this.#spill !== undefined;
  }

  /** Keeps `item`; returns its number, 0-based. */
  add(item: T): number {
    if (this.#spill) {
      try {
        this.#spill.add(item);
        return this.#spill.length - 1;
      } catch {
        // What was spilled comes back into memory (a failed write adds nothing), and the rest stays there.
        const spill = this.#spill;
        this.#kept = Array.from({ length: spill.length }, (_, i) => spill.at(i));
        spill.dispose();
        this.#spill = undefined;
        this.onSpill(false);
        this.#failed = true;
      }
    }
    const i = this.#kept!.push(item) - 1;
    this.#held += this.weight(item);
    if (!this.#failed && this.#held > this.budget) this.#start();
    return i;
  }

  at(i: number): T {
    return this.#spill ? this.#spill.at(i) : this.#kept![i]!;
  }

  /** Every item: those in memory as they are, spilled ones as a view that reads each back when read (`lazyArray`). */
  all(): T[] {
    const spill = this.#spill;
    return spill ? lazyArray(spill.length, (i) => spill.at(i)) : this.#kept!;
  }

  /** Removes the spill, if any: reading from it after this throws (items kept in memory stay readable). */
  dispose(): void {
    this.#spill?.dispose();
    if (this.#spill) this.onSpill(false);
  }

  /** Moves what is held to a new spill; on any failure keeps it in memory for good (nothing is lost). */
  #start(): void {
    let spill: ItemSpill<T> | undefined;
    try {
      spill = this.makeSpill();
      for (const item of this.#kept!) spill.add(item);
    } catch {
      spill?.dispose();
      this.#failed = true;
      return;
    }
    this.#spill = spill;
    this.#kept = undefined;
    this.onSpill(true);
  }
}

/**
 * A read-only array of `length` items that holds none of them: reading item `i` calls `at(i)`, a new object at every
 * read, dropped once the reader moves on. Every array method a report or the runner uses (indexing, `length`,
 * `for…of`, `map`, `filter`, `entries`, `slice`…) reads through it; whoever keeps an item keeps that one alone.
 */
export function lazyArray<T>(length: number, at: (i: number) => T): T[] {
  const index = (key: string | symbol): number | undefined => {
    if (typeof key !== 'string' || !/^(0|[1-9]\d*)$/.test(key)) return undefined;
    const i = Number(key);
    return i < length ? i : undefined;
  };
  const refuse = () => {
    throw new TypeError('this array is read-only: its items are read back, one at a time, from where they are kept');
  };
  // The target is an empty array of the right length: Array.isArray holds, and the array methods read through.
  return new Proxy(new Array<T>(length), {
    get: (target, key, receiver) => {
      const i = index(key);
      return i === undefined ? Reflect.get(target, key, receiver) : at(i);
    },
    has: (target, key) => index(key) !== undefined || Reflect.has(target, key),
    set: refuse,
    defineProperty: refuse,
    deleteProperty: refuse,
  });
}

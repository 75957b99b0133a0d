/**
 * `report.json`: the run's `RunResult`, as is, for machines. Its shape is `specs/schemas/report.schema.json`.
 * Strings pass through `redact()`; nothing else changes.
 *
 * The text is exactly `JSON.stringify(redactDeep(run), null, 2)` and a newline, rendered in pieces: the run and its
 * parts down to `STREAMED_DEPTH` are laid out here, and each value below that (a scenario's result, a requirement's)
 * is redacted and stringified on its own when the writer pulls it. Neither the redacted copy of the whole run nor
 * its text (30 MB at 20× the suite) is ever whole in memory.
 */
import { redactDeep, stringRedactor } from './redact.js';
import { FileReporter } from './file-reporter.js';
import type { RunResult } from './results.js';
import type { ReporterContext } from './reporter.js';

/** Levels laid out piece by piece: the run (0), its parts (1: `scenarios`, `differential`), theirs (2). */
const STREAMED_DEPTH = 2;

type Plain = Record<string, unknown>;

/** An object or array that `jsonSafe` would copy key by key (no `toJSON` of its own to ask first). */
function isPlain(v: unknown): v is Plain | unknown[] {
  return typeof v === 'object' && v !== null && typeof (v as { toJSON?: unknown }).toJSON !== 'function';
}

/** `value` as `redactDeep` copies it when it sits under `key` (array items sit under their array's key). */
function leaf(value: unknown, key: string | undefined): unknown {
  if (key === undefined) return redactDeep(value);
  return (redactDeep({ [key]: [value] }) as Record<string, unknown[]>)[key]![0];
}

/** What `redactedJson` meets and leaves to `redactDeep`'s copy: an object of a class of its own. */
const UNUSUAL = new Error('not plain data');

/**
 * `JSON.stringify(redactDeep(value), null, space)` without the copy: stringified natively, each string redacted as it
 * is written, under the key `redactDeep` would give it (an array's items their array's; `key` for `value` itself).
 * Undefined where the two could differ, for the caller to copy: an object of another prototype than Object's, Array's
 * or none (a boxed string, which JSON unboxes and the copy does not), a cycle, a `toJSON` or a getter that throws.
 * Copying every result of the suite, then stringifying the copy, cost a cold run ~10 ms of report.json's render.
 */
export function redactedJson(value: unknown, key?: string, space?: number): string | undefined {
  const redact = stringRedactor();
  const arrayKeys = new WeakMap<object, string | undefined>();
  let root = true;
  try {
    return JSON.stringify(
      value,
      function (this: unknown, k: string, v: unknown) {
        const under = root ? ((root = false), key) : Array.isArray(this) ? arrayKeys.get(this) : k;
        if (typeof v === 'string') return redact(v, under);
        if (typeof v === 'bigint') return `${v}n`;
        if (typeof v !== 'object' || v === null) return v;
        if (Array.isArray(v)) arrayKeys.set(v, under);
        else if (Object.getPrototypeOf(v) !== Object.prototype && Object.getPrototypeOf(v) !== null) throw UNUSUAL;
        return v;
      },
      space,
    );
  } catch {
    return undefined;
  }
}

/**
 * `JSON.stringify(redactDeep(value), null, 2)` for `value` found under `key`, as it reads `levels` levels deep (each
 * line after the first indented by two spaces a level): stringified inside `levels` arrays and cut out of them, so that
 * V8 lays out the indentation natively, and, for plain data (`redactedJson`), redacted as it is written, not copied
 * first. Indenting the text afterwards (a replacement at every line break) and copying every result were most of
 * report.json's render in a cold run of the suite (`bench/cold-trees.ts`).
 */
function textAt(value: unknown, key: string | undefined, levels: number, redacted = false): string {
  let head = 0;
  let tail = 0;
  const wrap = (v: unknown) => {
    for (let i = 0; i < levels; i++) v = [v];
    return v;
  };
  for (let i = 1; i <= levels; i++) ((head += 2 + 2 * i), (tail += 2 + 2 * (i - 1)));
  // `redacted`: a copy `redactDeep` made already. undefined alone is no JSON text: null, as in an array.
  const text =
    (redacted ? undefined : redactedJson(wrap(value), key, 2)) ??
    JSON.stringify(wrap(redacted ? value : leaf(value, key)), null, 2) ??
    'null';
  return text.slice(head, text.length - tail);
}

/**
 * The chunks of `JSON.stringify(redactDeep(value), null, 2)` for `value` at `depth`, indented by `pad`, found under
 * `key`. A cycle through the levels laid out here is not looked for: results are trees down to their observations,
 * whose cycles (an adapter's) lie deeper and are `redactDeep`'s.
 */
function* chunks(value: unknown, key: string | undefined, depth: number, pad: string): Generator<string> {
  if (depth >= STREAMED_DEPTH || !isPlain(value)) {
    yield textAt(value, key, depth);
    return;
  }
  const inner = `${pad}  `;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      yield `${i ? ',' : '['}\n${inner}`;
      yield* chunks(value[i], key, depth + 1, inner);
    }
    yield value.length ? `\n${pad}]` : '[]';
    return;
  }
  let first = true;
  for (const k of Object.keys(value)) {
    let v: unknown;
    try {
      v = value[k];
    } catch {
      v = '[unserialisable]'; // a throwing getter, as jsonSafe reads it
    }
    const head = `${first ? '{' : ','}\n${inner}${JSON.stringify(k)}: `;
    if (isPlain(v)) {
      yield head;
      yield* chunks(v, k, depth + 1, inner);
    } else {
      const copy = redactDeep({ [k]: v }) as Plain; // JSON leaves out a key whose value it cannot write
      if (!Object.hasOwn(copy, k)) continue;
      yield head + textAt(copy[k], k, depth + 1, true);
    }
    first = false;
  }
  yield first ? '{}' : `\n${pad}}`;
}

/**
 * report.json's text of a run, kept when it is rendered whole and small, until report.html (which embeds that very
 * text) takes it: a run writes the text twice and renders it once. Past `KEEP_TEXT_CHARS` (the suite's is 1.5 MB)
 * it is not kept, and report.html renders it again, a chunk at a time: kept up to 8 MiB, a 20× run's peak RSS was
 * 126–134 MiB, kept up to 2 MiB 104–112 (3 runs each, `node dist/harness/cli.js run <20× the suite> --no-cache`), as
 * what a long run keeps before it gives up is garbage that lives long enough to be promoted.
 */
export const KEEP_TEXT_CHARS = 2 * 2 ** 20;
const kept = new WeakMap<RunResult, string[]>();

function* jsonText(run: RunResult): Generator<string> {
  yield* chunks(run, undefined, 0, '');
  yield '\n';
}

/**
 * Kept text is joined in blocks of this many characters: a few dozen strings to copy at a scavenge, where thousands of
 * small chunks were each visited and copied until promoted (the report phase of a cold run of the suite spent ~35 ms
 * in scavenges, mostly these; ~10 ms once joined). Small beside the text: no report is handed its whole text at once.
 */
const KEEP_BLOCK_CHARS = 64 * 1024;

/** report.json's text, in chunks. */
export function* renderJsonChunks(run: RunResult): Generator<string> {
  let keep: string[] | undefined = [];
  let block: string[] = [];
  let blockSize = 0;
  let size = 0;
  for (const chunk of jsonText(run)) {
    size += chunk.length;
    if (keep && size <= KEEP_TEXT_CHARS) {
      block.push(chunk);
      blockSize += chunk.length;
      if (blockSize >= KEEP_BLOCK_CHARS) {
        keep.push(block.join(''));
        ((block = []), (blockSize = 0));
      }
    } else ((keep = undefined), (block = []));
    yield chunk;
  }
  if (keep) kept.set(run, blockSize ? [...keep, block.join('')] : keep);
}

/** report.json's text of `run`: what its render kept (taken: a second ask renders again), else a new render. */
export function reportJsonText(run: RunResult): Iterable<string> {
  const text = kept.get(run);
  kept.delete(run);
  return text ?? jsonText(run);
}

export class JsonReporter extends FileReporter {
  constructor(ctx: Pick<ReporterContext, 'outDir' | 'set'>) {
    super(ctx, 'json', renderJsonChunks);
  }
}

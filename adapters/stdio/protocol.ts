/**
 * What the stdio adapter knows of its protocol (specs/adapter-protocol.md): the schemas every line the child writes
 * is checked against, how a line becomes an answer or the reason it is none, and the child's stderr tail that an
 * error carries. No process handling here (./child.ts).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ValidateFunction } from 'ajv';
import type { Capability } from '../adapter.js';
import { createAjv } from '../../specs/schemas/ajv.js';
import { specsFile } from '../../specs/schemas/files.js';

export const PROTOCOL_VERSION = 1;
export const OPS = ['hello', 'open', 'perform', 'drain', 'close', 'shutdown'] as const;
export type Op = (typeof OPS)[number];

/** The longest line the child may write (a world's deliveries fit many times over); longer is malformed. */
export const MAX_LINE_BYTES = 1024 * 1024;
/** How much of the child's stderr an error carries: its last lines, within a byte budget. */
export const TAIL_LINES = 20;
export const TAIL_BYTES = 4096;

/** From the package root: compiled into dist/, this module has no data files beside it. */
const SCHEMAS = specsFile('schemas/adapter-protocol');
const schemaId = (name: string) => `https://interop-conformance.example/schemas/adapter-protocol/${name}.schema.json`;

let validators: Map<string, ValidateFunction> | undefined;
/** Every schema of the folder, compiled once, by file name without `.schema.json` (`hello-answer`, …). */
export function protocolValidators(): Map<string, ValidateFunction> {
  if (validators) return validators;
  const ajv = createAjv({ allErrors: true, strict: true });
  const names = readdirSync(SCHEMAS)
    .filter((f) => f.endsWith('.schema.json'))
    .map((f) => f.slice(0, -'.schema.json'.length));
  for (const n of names) ajv.addSchema(JSON.parse(readFileSync(join(SCHEMAS, `${n}.schema.json`), 'utf8')));
  validators = new Map(names.map((n) => [n, ajv.getSchema(schemaId(n))!]));
  return validators;
}

/** The hello answer's result, as the schema guarantees it. */
export interface Hello {
  name: string;
  capabilities: Capability[];
  settleMs?: number;
}

/** A line the child wrote, read: an answer to request `id`, or why the stream is out of step. */
export type Line = { blank: true } | { id: number; message: Record<string, unknown> } | { malformed: string };

const preview = (text: string) => JSON.stringify(text.length > 200 ? `${text.slice(0, 200)}…` : text);
const utf8 = new TextDecoder('utf-8', { fatal: true });

/** One line of stdout (without its `\n`): blank, an answer with a whole-number id, or malformed (and why). */
export function readLine(bytes: Buffer): Line {
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    return { malformed: 'wrote a line that is not UTF-8' };
  }
  if (!text.trim()) return { blank: true };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { malformed: `wrote a line that is not JSON: ${preview(text)}` };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return { malformed: `wrote a line that is not a JSON object: ${preview(text)}` };
  const id = (value as { id?: unknown }).id;
  if (typeof id !== 'number' || !Number.isSafeInteger(id))
    return { malformed: `wrote a line without a whole-number id: ${preview(text)}` };
  return { id, message: value as Record<string, unknown> };
}

/**
 * An answer to a waiting `op` request: its result, or why it is no answer (`failed`: the child said so with
 * `ok: false`; `wrong`: the shape breaks the schema).
 */
export function readAnswer(
  op: Op,
  message: Record<string, unknown>,
): { result: unknown } | { failed: string } | { wrong: string } {
  const v = protocolValidators();
  if (message.ok === false) {
    const check = v.get('error-answer')!;
    if (!check(message)) return { wrong: errorsOf(check) };
    return { failed: String((message.error as { message: string }).message) };
  }
  const check = v.get(`${op}-answer`)!;
  if (!check(message)) return { wrong: errorsOf(check) };
  return { result: message.result };
}

function errorsOf(check: ValidateFunction): string {
  // An `if`'s own error only repeats its `then`'s.
  const said = (check.errors ?? [])
    .filter((e) => e.keyword !== 'if')
    .map((e) => `${e.instancePath || '(the answer)'} ${e.message}`);
  const errors = [...new Set(said)];
  const shown = errors.slice(0, 3);
  return `${shown.join('; ')}${errors.length > 3 ? `; and ${errors.length - 3} more` : ''}`;
}

/** The last bytes the child wrote on stderr: enough for TAIL_LINES lines of TAIL_BYTES together. */
export class StderrTail {
  private kept: Buffer = Buffer.alloc(0);

  add(chunk: Buffer): void {
    const all = this.kept.length ? Buffer.concat([this.kept, chunk]) : chunk;
    this.kept = all.subarray(Math.max(0, all.length - 2 * TAIL_BYTES));
  }

  /** Its last lines (at most TAIL_LINES, TAIL_BYTES together; a longer last line keeps its end). */
  lines(): string[] {
    const lines = this.kept
      .toString('utf8')
      .split(/\r?\n/)
      .filter((l) => l.trim());
    const out: string[] = [];
    let bytes = 0;
    for (const line of lines.slice(-TAIL_LINES).reverse()) {
      const size = Buffer.byteLength(line) + 1;
      if (bytes + size <= TAIL_BYTES) {
        out.unshift(line);
        bytes += size;
        continue;
      }
      // Only a line that alone is over the budget is cut (to its end, which is where a message ends).
      if (!out.length)
        out.unshift(
          `…${Buffer.from(line)
            .subarray(-(TAIL_BYTES - 4))
            .toString('utf8')}`,
        );
      break;
    }
    return out;
  }

  /** The tail as an error's last part: `; its last stderr lines (N):` and the lines, joined by `separator`. */
  describe(separator = '\n  | '): string {
    const lines = this.lines();
    if (!lines.length) return '; it wrote nothing on stderr';
    return `; its last stderr line${lines.length === 1 ? '' : 's'} (${lines.length}):${separator}${lines.join(separator)}`;
  }
}

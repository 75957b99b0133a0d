/**
 * The expected-failures baseline: a YAML list of scenario ids, each with an optional reason and link.
 *
 *   - chat/teams-to-skype-after-accept            # plain id
 *   - scenario: call/forwarding-goes-to-voicemail # or with a reason, and a link to the ticket
 *     reason: our gateway has no voicemail yet
 *     link: https://tracker.example/TICKET-123
 *
 * `--update-baseline FILE` rewrites it from a run, after wpt's `update-metadata`: the run's results are the truth,
 * the file keeps what people wrote. An entry whose scenario now passes (on every adapter of the run) is removed;
 * an entry that still fails, errors, was skipped or did not run is kept as it is, comments, reason and link
 * included. A failure the file does not list is added only with `--update-baseline-add`, as
 * `{scenario, reason: TODO}`: adding one hides a failure from the gate, so it takes a second, explicit flag;
 * without it the new failures are listed and not written.
 */
import { existsSync } from 'node:fs';
import { isMap, isSeq, parseDocument, type Scalar, type YAMLSeq } from 'yaml';
import type { ScenarioResult } from '../reports/results.js';
import { writeFileAtomic } from '../reports/write-file.js';
import { InputError } from './diagnostics.js';
import { compileSchema, schemaDiagnostics } from './schema-errors.js';
import { readText, YamlSource } from './yaml-source.js';

/** As strict as a scenario file (size, UTF-8, nesting, aliases: yaml-source.ts), and at most this many entries. */
export const BASELINE_MAX_ENTRIES = 10_000;

/** The reason a new entry gets: a person has to say why the failure is accepted. */
export const TODO_REASON = 'TODO';

const SCHEMA = {
  type: 'array',
  items: {
    oneOf: [
      { type: 'string', minLength: 1 },
      {
        type: 'object',
        required: ['scenario'],
        additionalProperties: false,
        properties: {
          scenario: { type: 'string', minLength: 1 },
          reason: { type: 'string' },
          link: { type: 'string', minLength: 1 },
        },
      },
    ],
    description: 'a scenario id, or {scenario, reason, link}',
  },
};
/** For the build, which compiles it ahead with the other schemas (scripts/build-validators.mjs). */
export { SCHEMA as BASELINE_SCHEMA };

export function loadBaseline(file: string): Set<string> {
  const read = readText(file, 'baseline');
  if ('problem' in read) throw new InputError([read.problem]);
  const src = new YamlSource(file, read.text);
  if (src.syntaxErrors.length) throw new InputError(src.syntaxErrors);
  const raw = src.value() ?? [];
  if (Array.isArray(raw) && raw.length > BASELINE_MAX_ENTRIES)
    throw new InputError([
      src.locate([], `${raw.length} entries; a baseline may have at most ${BASELINE_MAX_ENTRIES}`),
    ]);
  const problems = schemaDiagnostics(compileSchema(SCHEMA), raw, src);
  if (problems.length) throw new InputError(problems);
  return new Set((raw as (string | { scenario: string })[]).map((e) => (typeof e === 'string' ? e : e.scenario)));
}

export interface BaselineUpdate {
  /** Entries taken off: their scenario passed. */
  removed: string[];
  /** Failures added as `reason: TODO` (with `--update-baseline-add`). */
  added: string[];
  /** Failures the file does not list, left out (without `--update-baseline-add`). */
  notAdded: string[];
  /** Entries kept. */
  kept: number;
}

/** What the run says of each scenario id: passed on every adapter it ran on, or failed on one. */
function verdicts(results: readonly ScenarioResult[]): { passed: Set<string>; failed: Set<string> } {
  const byId = new Map<string, string[]>();
  for (const r of results) byId.set(r.id, [...(byId.get(r.id) ?? []), r.verdict]);
  const passed = new Set([...byId].filter(([, v]) => v.every((x) => x === 'pass')).map(([id]) => id));
  const failed = new Set([...byId].filter(([, v]) => v.includes('fail')).map(([id]) => id));
  return { passed, failed };
}

/** An entry's scenario id: loadBaseline has checked each is a string or a map with `scenario`. */
const entryId = (item: unknown): string =>
  isMap(item) ? String(item.get('scenario')) : String((item as Scalar).value);

/**
 * Write `file` from a run's results (see the top of this file). A missing file is created. The file is checked as
 * `--expect-failures` would check it before anything is changed, and replaced atomically.
 */
export async function updateBaseline(
  file: string,
  results: readonly ScenarioResult[],
  add: boolean,
): Promise<BaselineUpdate> {
  const exists = existsSync(file);
  if (exists) loadBaseline(file);
  const read = exists ? readText(file, 'baseline') : { text: '' };
  const parsed = parseDocument('text' in read ? read.text : '');
  // An empty file is an empty list; anything else loadBaseline has checked is a list.
  const doc = isSeq(parsed.contents) ? parsed : parseDocument('[]');
  const seq = doc.contents as YAMLSeq;
  seq.flow = false;
  const { passed, failed } = verdicts(results);
  const listed = new Set<string>();
  const removed: string[] = [];
  // A comment above a removed entry (often the file's heading) moves to the next entry kept, or the file's end.
  let orphan: string | undefined;
  seq.items = seq.items.filter((item) => {
    const id = entryId(item);
    const node = item as { commentBefore?: string | null };
    if (orphan !== undefined) node.commentBefore = [orphan, node.commentBefore].filter(Boolean).join('\n');
    orphan = undefined;
    listed.add(id);
    if (!passed.has(id)) return true;
    removed.push(id);
    orphan = node.commentBefore ?? undefined;
    return false;
  });
  if (orphan) doc.comment = [doc.comment, orphan].filter(Boolean).join('\n');
  const fresh = [...failed].filter((id) => !listed.has(id));
  if (add) for (const id of fresh) seq.add(doc.createNode({ scenario: id, reason: TODO_REASON }));
  const kept = seq.items.length - (add ? fresh.length : 0);
  await writeFileAtomic(file, seq.items.length ? doc.toString({ lineWidth: 0 }) : '[]\n');
  return { removed, added: add ? fresh : [], notAdded: add ? [] : fresh, kept };
}

/** What the CLI says after an update: one line, then the ids the user must look at. */
export function describeUpdate(file: string, u: BaselineUpdate): string[] {
  const lines = [`baseline ${file}: ${u.removed.length} removed (now pass), ${u.kept} kept, ${u.added.length} added`];
  if (u.removed.length) lines.push(`  removed: ${u.removed.join(', ')}`);
  if (u.added.length)
    lines.push(`  added with reason "${TODO_REASON}" (say why each failure is accepted): ${u.added.join(', ')}`);
  if (u.notAdded.length)
    lines.push(
      `  ${u.notAdded.length} new failure${u.notAdded.length === 1 ? '' : 's'} not written (add them with --update-baseline-add): ${u.notAdded.join(', ')}`,
    );
  return lines;
}

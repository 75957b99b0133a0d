/**
 * `mutants --implementation NAME`: the mutation score against an implementation served over HTTP
 * (harness/implementations.ts). The conformant implementation runs first, under the same conditions; if it fails,
 * scoring is refused (exit 1: the implementation is not conformant, which is what 1 means for every command; 3 is
 * kept for the harness itself failing). Then every fault of its catalogue (or those `--adapter-option faults=a,b`
 * names, or `subset=per-class`), each in a fresh server on 127.0.0.1, `--workers N` at a time (default 2), reported as the in-process
 * score is, in catalogue order. Every survivor is printed with its triage (specs/fault-triage.yaml, or
 * `--adapter-option triage=FILE`), or said to have none.
 */
import { readFileSync } from 'node:fs';
import { createHttpAdapter } from '../../adapters/http/adapter.js';
import type { Requirement } from '../../specs/requirement.js';
import { specsFile } from '../../specs/schemas/files.js';
import {
  ImplementationUnavailable,
  loadImplementation,
  parseTriage,
  perClassSubset,
  selectFaults,
  TRIAGE_FILE,
  type Implementation,
  type ImplementationFault,
  type Triage,
} from '../implementations.js';
import type { MutantResult, RequirementKills } from '../mutation-score.js';
import { DEFAULT_STEP_TIMEOUT_MS } from '../run.js';
import {
  conformantRun,
  RUNS_PER_VARIANT,
  servedMutationScore,
  WIRE_DEADLINE_MS,
  type ServedMutationOptions,
} from '../served-mutants.js';
import { EXIT, UsageError, type CommandContext } from './context.js';
import { lineWidths, mutantLine, plural, reportScore, writeMutants } from './mutants-report.js';

const OPTIONS = ['faults', 'subset', 'triage'];
export const DEFAULT_WORKERS = 2;

/** Turn what the implementations module refuses into a usage error (exit 2, no stack). */
function usage<T>(f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof ImplementationUnavailable) throw new UsageError(e.message);
    throw e;
  }
}

function selected(ctx: CommandContext, impl: Implementation): readonly ImplementationFault[] {
  const o = ctx.adapterOptions();
  if (o.subset !== undefined) {
    if (o.subset !== 'per-class')
      throw new UsageError(`subset takes per-class (the first fault of each class of defect); got "${o.subset}"`);
    if (o.faults !== undefined) throw new UsageError('give faults= or subset=, not both');
    const subset = perClassSubset(impl.faults);
    if (!subset.length)
      throw new UsageError(
        `the ${impl.name} implementation's faults name no class of defect: subset=per-class selects none`,
      );
    return subset;
  }
  if (o.faults === undefined) {
    if (!impl.faults.length)
      throw new UsageError(`the ${impl.name} implementation's catalogue has no fault that breaks a requirement`);
    return impl.faults;
  }
  const ids = [
    ...new Set(
      o.faults
        .split(',')
        .map((id) => id.trim())
        .filter(Boolean),
    ),
  ];
  if (ids.length === 0) throw new UsageError('--adapter-option faults= names no fault');
  return usage(() => selectFaults(impl, ids));
}

function triageOf(ctx: CommandContext, implementation: string): { file: string; entries: Map<string, Triage> } {
  const given = ctx.adapterOptions().triage;
  const file = given ?? TRIAGE_FILE;
  let text: string;
  try {
    // The package's own triage is found from its root, so an installed package run from a user's folder reads it.
    text = readFileSync(given ?? specsFile('fault-triage.yaml'), 'utf8');
  } catch (e) {
    throw new UsageError(
      `the triage file ${file} cannot be read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
    );
  }
  return { file, entries: usage(() => parseTriage(text, file, implementation)) };
}

/** The MUSTs no fault of this catalogue breaks: "n/n" must never read as every requirement. */
export function untouched(
  catalogue: ReadonlyMap<string, Requirement>,
  kills: readonly RequirementKills[],
  name: string,
): string[] {
  const bare = [...catalogue.values()]
    .filter((q) => q.level === 'MUST' && !kills.some((k) => k.id === q.id))
    .map((q) => q.id);
  return bare.length
    ? [`${bare.length} MUST requirement${plural(bare.length)} no fault of ${name} breaks: ${bare.join(', ')}`]
    : [];
}

export async function servedMutants(ctx: CommandContext, name: string): Promise<number> {
  const o = ctx.options;
  const unknown = Object.keys(ctx.adapterOptions()).filter((k) => !OPTIONS.includes(k));
  if (unknown.length)
    throw new UsageError(
      `mutants --implementation takes --adapter-option ${OPTIONS.map((k) => `${k}=…`).join(', ')}; not ${unknown.join(', ')}`,
    );
  const impl = await loadImplementation(name).catch((e: unknown) =>
    usage(() => {
      throw e;
    }),
  );
  const triage = triageOf(ctx, impl.name);
  // A fault triaged `not-a-defect` is not a defect of this implementation under the documents (e.g. a reference
  // fault that changes only in-process answers, served over HTTP): it is left out of the score, and said so.
  const all = selected(ctx, impl);
  const notDefects = all.filter((f) => triage.entries.get(f.id)?.verdict === 'not-a-defect');
  const faults = all.filter((f) => !notDefects.includes(f));
  if (!faults.length)
    throw new UsageError(
      `every selected fault of ${impl.name} is triaged not-a-defect in ${triage.file}: nothing to score`,
    );
  const deadlineOverrideMs = ctx.positiveInt('deadline', undefined);
  const settleMs = ctx.positiveInt('settle', undefined, true);
  const workers = ctx.positiveInt('workers', DEFAULT_WORKERS);
  const stepTimeoutMs = ctx.positiveInt('timeout', DEFAULT_STEP_TIMEOUT_MS);
  const scenarios = ctx.scenarios();
  const catalogue = ctx.catalogue().requirements;
  const startedAt = new Date().toISOString();
  const widths = lineWidths(faults);
  const options: ServedMutationOptions = {
    catalogue,
    faults,
    workers,
    stepTimeoutMs,
    ...(deadlineOverrideMs ? { deadlineOverrideMs } : {}),
    ...(settleMs !== undefined ? { settleMs } : {}),
    serve: async (fault) => {
      const running = await impl.start(new Set(fault ? [fault.id] : []));
      const read = fault?.adapterOptions ?? {}; // the world stream's variants are seen through it (events=world)
      return { adapter: () => createHttpAdapter({ ...read, url: running.url }), close: () => running.close() };
    },
    onMutant: (m) => {
      if (!o.quiet) ctx.say(mutantLine(m, widths, deadlineOverrideMs === undefined ? WIRE_DEADLINE_MS : undefined));
    },
  };

  const conformant = await conformantRun(scenarios, options);
  const conditions = `deadline ${conformant.deadlineMs} ms, settle ${settleMs ?? "the adapter's"}${settleMs === undefined ? '' : ' ms'}, ${workers} server${plural(workers)} at once`;
  if (!conformant.passed) {
    ctx.say(
      `refusing to score: the conformant ${impl.name} implementation (no fault on) fails ${conformant.failures.length} of ${scenarios.length} scenario${plural(scenarios.length)} over HTTP (${conditions}); a faulty variant "caught" by a suite that fails anyway proves nothing`,
    );
    for (const f of conformant.failures)
      ctx.say(`  ${f.id} (${f.verdict}${f.failed.length ? `, ${f.failed.join(' ')}` : ''}): ${f.why}`);
    if (!conformant.failures.length) ctx.say('  every scenario was skipped or checked nothing: its gate stays closed');
    const written = await writeMutants(ctx, {
      implementation: impl.name,
      startedAt,
      refused: true,
      conformant,
      scenarios: scenarios.length,
    });
    return written ? EXIT.notConformant : EXIT.internal;
  }
  if (!o.quiet) {
    ctx.say(
      `the conformant ${impl.name} implementation passes ${scenarios.length} scenario${plural(scenarios.length)} over HTTP in ${(conformant.durationMs / 1000).toFixed(1)} s (${conditions})`,
    );
    ctx.say(
      `${faults.length} faulty variant${plural(faults.length)} of ${impl.name}, each in its own server, ${workers} at a time, ${RUNS_PER_VARIANT} runs each`,
    );
  }
  for (const f of notDefects)
    ctx.say(`not scored: ${f.id}, triaged not-a-defect: ${triage.entries.get(f.id)?.note ?? ''}`);
  const score = await servedMutationScore(scenarios, options);
  const survivorLine = (m: MutantResult) => {
    const t = triage.entries.get(m.id);
    return `  ${m.id} breaks ${m.breaks.join(', ')}: ${m.description}\n    ${t ? `triage: ${t.verdict}: ${t.note}` : `UNTRIAGED: add ${impl.name}.${m.id} to ${triage.file}`}`;
  };
  const survivors = reportScore(ctx, score, survivorLine);
  // A triage outlives its reason when the gap is closed or the fault is gone: said, so the data stays true.
  const stale = [...triage.entries.keys()].filter(
    (id) => score.mutants.some((m) => m.id === id && m.caught) || !impl.faults.some((f) => f.id === id),
  );
  if (stale.length)
    ctx.say(
      `${stale.length} triaged fault${plural(stale.length)} now caught or gone from the catalogue: remove ${stale.map((id) => `${impl.name}.${id}`).join(', ')} from ${triage.file}`,
    );
  if (!ctx.adapterOptions().faults && !ctx.adapterOptions().subset)
    for (const line of untouched(catalogue, score.requirements, impl.name)) ctx.say(line);
  const left = score.mutants.filter((m) => !m.caught);
  const written = await writeMutants(ctx, {
    implementation: impl.name,
    startedAt,
    durationMs: score.durationMs,
    conformant,
    scenarios: scenarios.length,
    caught: score.caught,
    total: score.total,
    mutants: score.mutants,
    requirements: score.requirements,
    triage: Object.fromEntries(left.map((m) => [m.id, triage.entries.get(m.id) ?? null])),
    notScored: Object.fromEntries(notDefects.map((f) => [f.id, triage.entries.get(f.id)?.note ?? ''])),
  });
  if (!written) return EXIT.internal;
  return survivors ? EXIT.notConformant : EXIT.conformant;
}

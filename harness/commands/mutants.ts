/**
 * `mutants`: the mutation score of the selected scenarios. Every faulty variant of the reference (one fault of
 * adapters/reference/faults/ each, or those `--adapter-option faults=a,b` names) is run against them; a line per
 * variant, the score, and every survivor with the requirement it breaks. Exit 1 when a variant survives.
 * Writes `<out>/mutants.json`. `--implementation NAME` scores an implementation served over HTTP instead
 * (served.ts).
 */
import { join } from 'node:path';
import { FAULTS, faultsById, type Fault } from '../../adapters/reference/faults.js';
import { HTTP_FAULTS } from '../../adapters/reference/http/faults.js';
import type { Requirement } from '../../specs/requirement.js';
import { writeFileAtomic } from '../../reports/write-file.js';
import { VERSION } from '../conformance-run.js';
import {
  FAST_DEADLINE_MS,
  MIN_KILLING_SCENARIOS,
  mutationScore,
  type MutantResult,
  type MutationScore,
  type RequirementKills,
} from '../mutation-score.js';
import { DEFAULT_STEP_TIMEOUT_MS } from '../run.js';
import { EXIT, UsageError, type Command, type CommandContext } from './context.js';
import { servedMutants } from './mutants-served.js';

export const mutantsCommand: Command = {
  name: 'mutants',
  summary:
    'the mutation score: scenarios against each faulty variant of the reference (--adapter-option faults=a,b: some; --implementation NAME: over HTTP)',
  usage: 'mutants [PATH...] [options]',
  options: [
    'grep',
    'tag',
    'adapter-option',
    'implementation',
    'workers',
    'out',
    'deadline',
    'timeout',
    'settle',
    'quiet',
  ],
  async run(ctx) {
    const o = ctx.options;
    if (o.implementation !== undefined) return servedMutants(ctx, o.implementation);
    if (o.workers !== undefined)
      throw new UsageError('--workers goes with --implementation NAME (faulty servers at a time)');
    if (o.adapter !== 'reference')
      throw new UsageError('mutants runs faulty variants of the reference; it takes no --adapter');
    if (o['expect-failures'])
      throw new UsageError('mutants takes no --expect-failures: a baseline would let variants through');
    const faults = selectedFaults(ctx);
    const deadlineOverrideMs = ctx.positiveInt('deadline', undefined);
    const stepTimeoutMs = ctx.positiveInt('timeout', DEFAULT_STEP_TIMEOUT_MS);
    const scenarios = ctx.scenarios();
    if (scenarios.length === 0) throw new UsageError('no scenarios selected: nothing could catch a faulty variant');

    const startedAt = new Date().toISOString();
    const widths = lineWidths(faults);
    if (!o.quiet)
      ctx.say(
        `${faults.length} faulty variant${plural(faults.length)} of the reference against ${scenarios.length} scenario${plural(scenarios.length)}`,
      );
    const score = await mutationScore(scenarios, {
      catalogue: ctx.catalogue().requirements,
      faults,
      stepTimeoutMs,
      ...(deadlineOverrideMs ? { deadlineOverrideMs } : {}),
      onMutant: (m) => {
        if (!o.quiet) ctx.say(mutantLine(m, widths, deadlineOverrideMs === undefined ? FAST_DEADLINE_MS : undefined));
      },
    });
    const survivors = reportScore(ctx, score, (m) => `  ${m.id} breaks ${m.breaks.join(', ')}: ${m.description}`);
    // A MUST no in-process variant breaks is said, with where its variants are, so that "n/n" never reads as all.
    if (!ctx.adapterOptions().faults)
      for (const line of withoutVariants(ctx.catalogue().requirements, score.requirements)) ctx.say(line);
    const written = await writeMutants(ctx, {
      startedAt,
      durationMs: score.durationMs,
      scenarios: scenarios.length,
      caught: score.caught,
      total: score.total,
      mutants: score.mutants,
      requirements: score.requirements,
    });
    if (!written) return EXIT.internal;
    return survivors ? EXIT.notConformant : EXIT.conformant;
  },
};

export const lineWidths = (faults: readonly Pick<Fault, 'id' | 'breaks'>[]) => ({
  id: Math.max(...faults.map((f) => f.id.length)),
  breaks: Math.max(...faults.map((f) => f.breaks.join(',').length)),
});

/**
 * The score, every survivor (as `survivor` says it), every variant caught through other requirements than those it
 * breaks, and the kills per requirement. Returns how many survived.
 */
export function reportScore(ctx: CommandContext, score: MutationScore, survivor: (m: MutantResult) => string): number {
  const quiet = ctx.options.quiet;
  const survivors = score.mutants.filter((m) => !m.caught);
  const blamed = score.mutants.filter((m) => m.caught && !m.namesWhatItBreaks);
  ctx.say(
    `${quiet ? '' : '\n'}mutation score: ${score.caught}/${score.total} (${percent(score.caught, score.total)}) in ${(score.durationMs / 1000).toFixed(1)} s`,
  );
  if (survivors.length) {
    ctx.say(
      `${survivors.length} survived: the scenarios let ${survivors.length === 1 ? 'this faulty variant' : 'these faulty variants'} through`,
    );
    for (const m of survivors) ctx.say(survivor(m));
  }
  if (blamed.length) {
    ctx.say(
      `${blamed.length} caught, but blamed on other requirements than ${blamed.length === 1 ? 'the one it breaks' : 'those they break'} (the attribution is off)`,
    );
    for (const m of blamed)
      ctx.say(
        `  ${m.id} breaks ${m.breaks.join(', ')}; the run failed ${m.failed.join(', ') || 'no requirement'}: ${m.description}`,
      );
  }
  for (const line of killLines(score.requirements, !quiet)) ctx.say(line);
  return survivors.length;
}

/** `<out>/mutants.json`; false (said on stderr) when it cannot be written. */
export async function writeMutants(ctx: CommandContext, content: Record<string, unknown>): Promise<boolean> {
  const file = join(ctx.options.out, 'mutants.json');
  try {
    await writeFileAtomic(
      file,
      `${JSON.stringify({ tool: 'interop-conformance', version: VERSION, ...content }, null, 2)}\n`,
    );
    return true;
  } catch (e) {
    ctx.io.stderr.write(`${file} could not be written: ${(e as Error).message}\n`);
    return false;
  }
}

/** All faults, or those `--adapter-option faults=a,b` names, each run alone. */
function selectedFaults(ctx: CommandContext): readonly Fault[] {
  const options = ctx.adapterOptions();
  const other = Object.keys(options).filter((k) => k !== 'faults');
  if (other.length) throw new UsageError(`mutants takes --adapter-option faults=a,b only; got ${other.join(', ')}`);
  if (options.faults === undefined) return FAULTS;
  const ids = [
    ...new Set(
      options.faults
        .split(',')
        .map((id) => id.trim())
        .filter(Boolean),
    ),
  ];
  if (ids.length === 0) throw new UsageError('--adapter-option faults= names no fault');
  try {
    return faultsById(ids);
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}

/** A variant's line; its deadline is shown when it is not `usualMs` (never, when that is undefined: all share one). */
export function mutantLine(
  m: MutantResult,
  widths: { id: number; breaks: number },
  usualMs: number | undefined,
): string {
  const head = `${(m.caught ? 'caught' : 'SURVIVED').padEnd(9)} ${m.id.padEnd(widths.id)}  breaks ${m.breaks.join(',').padEnd(widths.breaks)} `;
  const deadline = usualMs !== undefined && m.deadlineMs !== usualMs ? ` (deadline ${m.deadlineMs} ms)` : '';
  if (!m.caught) return `${head}${deadline}`.trimEnd();
  const blame = m.namesWhatItBreaks ? '' : ' — none of what it breaks';
  return `${head} by ${m.caughtBy.length} scenario${plural(m.caughtBy.length)}, failing ${m.failed.join(' ') || 'no requirement'}${blame}${deadline}`;
}

/**
 * Per requirement, how many scenarios catch its variants (all of them unless `quiet`), then the MUSTs' tally and
 * every single kill: with the catalogue's reason, or as a blind spot to close with a second scenario.
 */
export function killLines(kills: readonly RequirementKills[], table: boolean): string[] {
  const out: string[] = [];
  if (table) {
    out.push('', `kills per requirement: scenarios catching its variants (the weakest variant: by how many)`);
    const w = Math.max(...kills.map((k) => k.id.length));
    for (const k of kills) {
      const flag = k.singleKill
        ? k.singleKills.every((x) => x.reason)
          ? '  single kill (reason given)'
          : '  SINGLE KILL'
        : '';
      const variants = `${k.faults.length} variant${plural(k.faults.length)}`.padStart(11);
      const scenarios = `${k.scenarios.length} scenario${plural(k.scenarios.length)}`.padStart(13);
      out.push(
        `  ${k.id.padEnd(w)}  ${k.level.padEnd(6)} ${variants} ${scenarios}  weakest ${k.weakest.fault} (${k.weakest.caughtBy.length})${flag}`,
      );
    }
  }
  const must = kills.filter((k) => k.level === 'MUST');
  const guarded = must.filter((k) => k.weakest.caughtBy.length >= MIN_KILLING_SCENARIOS).length;
  if (table) out.push('');
  out.push(
    `MUST requirements with variants: ${guarded}/${must.length} killed by ≥ ${MIN_KILLING_SCENARIOS} scenarios each`,
  );
  const single = kills.flatMap((k) => k.singleKills.map((x) => ({ ...x, id: k.id, level: k.level })));
  if (single.length) {
    out.push(`${single.length} single kill${plural(single.length)}: a variant only one scenario catches`);
    for (const x of single)
      out.push(
        `  ${x.id} (${x.level}) ${x.fault} caught by ${x.scenario} only: ${x.reason ?? 'no reason given — add a second scenario'}`,
      );
  }
  return out;
}

export const plural = (n: number) => (n === 1 ? '' : 's');

/** Rounded down, so that a score with a survivor never shows as 100 %. */
export function percent(part: number, whole: number): string {
  const tenths = Math.floor((part / whole) * 1000);
  return `${tenths % 10 ? (tenths / 10).toFixed(1) : tenths / 10} %`;
}

/**
 * The MUST requirements no variant of this catalogue breaks, each with the HTTP service's variants that do (run
 * over a wire by test/http-*.test.ts), or said to have none at all.
 */
export function withoutVariants(
  catalogue: ReadonlyMap<string, Requirement>,
  kills: readonly RequirementKills[],
): string[] {
  const bare = [...catalogue.values()].filter((q) => q.level === 'MUST' && !kills.some((k) => k.id === q.id));
  if (!bare.length) return [];
  const wire = Object.entries(HTTP_FAULTS) as [string, { breaks: readonly string[] }][];
  // Checked against systems that are not the reference at all.
  const elsewhere: Record<string, string> = {
    'WIRE-001': 'mock services answering in the wrong shape or status (test/http-transport.test.ts)',
  };
  return [
    `${bare.length} MUST requirement${plural(bare.length)} no in-process variant breaks (they need a wire; their variants are the HTTP service's, adapters/reference/http/faults.ts, caught over HTTP by test/http-*.test.ts):`,
    ...bare.map((q) => {
      const by = wire.filter(([, f]) => f.breaks.includes(q.id)).map(([id]) => id);
      return `  ${q.id}: ${by.length ? by.join(', ') : (elsewhere[q.id] ?? 'NO VARIANT ANYWHERE')}`;
    }),
  ];
}

/**
 * What `mutants` prints and writes, for the reference's variants in process (mutants.ts) and an implementation's
 * served over HTTP (mutants-served.ts) alike: a line per variant, the score, survivors, misattributed kills, the kills
 * per requirement, and `<out>/mutants.json`. Apart from both commands so that neither imports the other.
 */
import { join } from 'node:path';
import { writeFileAtomic } from '../../reports/write-file.js';
import { VERSION } from '../conformance-run.js';
import {
  MIN_KILLING_SCENARIOS,
  type MutantResult,
  type MutationScore,
  type RequirementKills,
  type ScoredFault,
} from '../mutation-score.js';
import type { CommandContext } from './context.js';

export const lineWidths = (faults: readonly Pick<ScoredFault, 'id' | 'breaks'>[]) => ({
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

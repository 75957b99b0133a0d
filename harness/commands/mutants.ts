/**
 * `mutants`: the mutation score of the selected scenarios. Every faulty variant of the reference (one fault of
 * adapters/reference/faults/ each, or those `--adapter-option faults=a,b` names) is run against them; a line per
 * variant, the score, and every survivor with the requirement it breaks. Exit 1 when a variant survives.
 * Writes `<out>/mutants.json`. `--implementation NAME` scores an implementation served over HTTP instead
 * (mutants-served.ts).
 */
import { createReferenceAdapter } from '../../adapters/reference/adapter.js';
import { FAULTS, faultsById, type Fault } from '../../adapters/reference/faults.js';
import { HTTP_FAULTS } from '../../adapters/reference/http/faults.js';
import type { Requirement } from '../../specs/requirement.js';
import { FAST_DEADLINE_MS, mutationScore, type RequirementKills } from '../mutation-score.js';
import { DEFAULT_STEP_TIMEOUT_MS } from '../run.js';
import { EXIT, UsageError, type Command, type CommandContext } from './context.js';
import { lineWidths, mutantLine, plural, reportScore, writeMutants } from './mutants-report.js';
import { servedMutants } from './mutants-served.js';
import { COMMAND_HELP } from './help.js';

export { killLines } from './mutants-report.js';

export const mutantsCommand: Command = {
  ...COMMAND_HELP.mutants,
  async run(ctx) {
    const o = ctx.options;
    // --adapter, --expect-failures (a baseline would let variants through), and --workers or --settle without
    // --implementation are refused before this runs: the CLI's table of options (options.ts).
    if (o.implementation !== undefined) return servedMutants(ctx, o.implementation);
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
      // Each run of a variant gets a fresh reference with that one fault on.
      variant: (fault) => createReferenceAdapter({ faults: [fault.id] }),
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
    // A client's clauses: broken by clients, not services.
    ...Object.fromEntries(
      ['CLIENT-001', 'CLIENT-002', 'CLIENT-003'].map((id) => [
        id,
        'faulty clients driven through interop-conformance/msw (test/msw-client.test.ts)',
      ]),
    ),
  };
  return [
    `${bare.length} MUST requirement${plural(bare.length)} no in-process variant breaks (they need a wire; their variants are the HTTP service's, adapters/reference/http/faults.ts, caught over HTTP by test/http-*.test.ts):`,
    ...bare.map((q) => {
      const by = wire.filter(([, f]) => f.breaks.includes(q.id)).map(([id]) => id);
      return `  ${q.id}: ${by.length ? by.join(', ') : (elsewhere[q.id] ?? 'NO VARIANT ANYWHERE')}`;
    }),
  ];
}

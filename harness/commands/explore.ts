/**
 * `explore`: random multi-actor action sequences (fast-check) against one adapter, every step checked against the
 * models exactly as `run` checks it. A divergence is shrunk to a minimal sequence and written as a scenario file
 * that reproduces it, to `<out>/explored/<area>/explore-<seed>.yaml`, with the seed and the command line in its
 * header. Exit 0: no divergence in N runs; 1: a divergence (the file's path is printed), or a flaky one (seen failing,
 * not reproduced after shrinking: nothing written); 2: bad input.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ExploreOutcome } from '../explore/find-divergence.js';
import { areaOf, divergenceToYaml, failingStep, type Provenance } from '../explore/to-yaml.js';
import { exploreWorld } from '../explore/world.js';
import { movesOf } from '../explore/moves.js';
import { CAPABILITY_OF_ACTION } from '../../adapters/adapter.js';
import { loadScenario } from '../load.js';
import { DEFAULT_DEADLINE_MS, DEFAULT_STEP_TIMEOUT_MS, runScenario } from '../run.js';
import { redact } from '../../reports/redact.js';
import { installCrashGuard } from '../crash-guard.js';
import { EXIT, UsageError, type Command, type CommandContext } from './context.js';
import { COMMAND_HELP } from './help.js';

/** 200 runs (about 0.6 s against the reference) find 97 % of the faulty variants the world can show; 100 find 93 %. */
export const DEFAULT_RUNS = 200;
/**
 * The delivery deadline against the in-process reference, which delivers before `perform` returns: short, since
 * a step whose delivery is missing listens for twice the deadline, and shrinking runs many such steps. Any other
 * adapter gets `run`'s default. `--deadline` overrides both.
 */
export const REFERENCE_DEADLINE_MS = 25;
/** fast-check takes a 32-bit seed. */
const MAX_SEED = 0x7fffffff;

const quote = (s: string) => (/^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`);

/** The options that pick and reach the adapter, as they were given: for both the `explore` and the `run` lines. */
function adapterArgs(ctx: CommandContext): string[] {
  const o = ctx.options;
  return [
    ...(o.adapter !== 'reference' ? ['--adapter', o.adapter] : []),
    ...(o['adapter-option'] ?? []).flatMap((kv) => ['--adapter-option', kv]),
    ...(o.command !== undefined ? ['--command', o.command] : []),
    ...(o.url ? ['--url', o.url] : []),
    ...(o.timeout ? ['--timeout', o.timeout] : []),
  ];
}

/**
 * The search needs fast-check, a devDependency: imported only when explore runs, so that an install without dev
 * dependencies keeps every other command.
 */
const searchModule = () => import('../explore/find-divergence.js');

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

function tallyLine(r: ExploreOutcome): string {
  const flaky = r.flaky ? `; ${r.flaky} failed once and passed when run again (timing?)` : '';
  return `${r.sequences} sequences, ${r.steps} steps, ${r.dropped} moves the models did not allow, ${seconds(r.ms)} (${Math.round(r.sequences / (r.ms / 1000))} sequences/s)${flaky}`;
}

export const exploreCommand: Command = {
  ...COMMAND_HELP.explore,
  async run(ctx) {
    const guard = installCrashGuard();
    try {
      const code = await explore(ctx);
      for (const c of guard.all)
        ctx.io.stderr.write(`interop-conformance: the adapter crashed during the search: ${redact(c)}\n`);
      return guard.all.length ? EXIT.internal : code;
    } finally {
      guard.uninstall();
    }
  },
};

async function explore(ctx: CommandContext): Promise<number> {
  const o = ctx.options;
  if (ctx.paths.length)
    throw new UsageError(`explore takes no PATH (it makes its own sequences); got ${ctx.paths.join(' ')}`);
  if (o.adapter.includes(','))
    throw new UsageError('explore drives one adapter at a time; --adapter takes one name or module here');
  const runs = ctx.positiveInt('runs', DEFAULT_RUNS);
  const givenSeed = ctx.positiveInt('seed', undefined, true);
  if (givenSeed !== undefined && givenSeed > MAX_SEED)
    throw new UsageError(`--seed takes a whole number from 0 to ${MAX_SEED}; got "${o.seed}"`);
  const seed = givenSeed ?? Math.floor(Math.random() * MAX_SEED);
  const stepTimeoutMs = ctx.positiveInt('timeout', DEFAULT_STEP_TIMEOUT_MS);
  const deadlineMs = ctx.positiveInt(
    'deadline',
    o.adapter === 'reference' ? REFERENCE_DEADLINE_MS : DEFAULT_DEADLINE_MS,
  );
  const adapter = await ctx.adapter();
  const world = exploreWorld(adapter.capabilities);
  // Moves are only those the adapter declares it can take: with none, a search would check nothing (fast-check
  // refused it as an internal error), and nothing checked is no proof — as a run whose scenarios all skip.
  if (!movesOf(world.world, adapter.capabilities).length) {
    const needed = [...new Set(Object.values(CAPABILITY_OF_ACTION))].sort().join(', ');
    ctx.say(
      `nothing was checked: adapter ${adapter.name} declares none of the capabilities explore's moves take (${needed})`,
    );
    return EXIT.notConformant;
  }
  const catalogue = ctx.catalogue().requirements;

  ctx.say(
    `explore: ${runs} runs against ${adapter.name}, seed ${seed}${givenSeed === undefined ? ' (chosen at random: --seed repeats it)' : ''}, delivery deadline ${deadlineMs} ms`,
  );
  const r = await (await searchModule()).findDivergence({ adapter, world, runs, seed, deadlineMs, stepTimeoutMs });
  const d = r.divergence;
  if (!d && r.unreproduced) {
    // Seen failing, then not reproduced: flaky, which is a finding (exit 1), never "no divergence".
    const u = r.unreproduced;
    const how = u.result?.steps.find((s) => s.verdict === 'fail' || s.verdict === 'error');
    ctx.say(
      `flaky: a sequence failed on run ${u.foundOnRun} of ${runs} (${u.stepsBeforeShrinking} step${u.stepsBeforeShrinking === 1 ? '' : 's'} to the failure, after ${seconds(u.foundAfterMs)}; failed twice in a row), but after ${u.shrinks} shrinks the counterexample passed when run again: the system's behaviour depends on timing or on state outside the sequence`,
    );
    if (how)
      ctx.say(
        `  first seen: step ${how.index} ${how.actor} ${how.action.kind} — ${how.verdict === 'error' ? `the adapter failed: ${how.error}` : how.mismatches.map((m) => `${m.message} [${m.requirements.join(', ')}]`).join('; ')}`,
      );
    ctx.say(`nothing written (no reproducible scenario); the same command with --seed ${seed} repeats the search`);
    ctx.say(`search: ${tallyLine(r)}`);
    return EXIT.notConformant;
  }
  if (!d) {
    ctx.say(`no divergence in ${runs} runs: ${tallyLine(r)}`);
    return EXIT.conformant;
  }

  const failing = failingStep(d);
  const area = areaOf(d, catalogue);
  const command = [
    'interop-conformance',
    'explore',
    ...adapterArgs(ctx),
    '--runs',
    String(runs),
    '--seed',
    String(seed),
    ...(o.deadline ? ['--deadline', o.deadline] : []),
  ]
    .map(quote)
    .join(' ');
  const provenance: Provenance = {
    seed,
    runs,
    adapter: o.adapter,
    adapterOptions: o['adapter-option'] ?? [],
    deadlineMs,
    command,
    runOptions: adapterArgs(ctx).map(quote).join(' '),
  };
  const text = divergenceToYaml(d, world, provenance, catalogue, area);
  const file = join(o.out, 'explored', area, `explore-${seed}.yaml`);
  try {
    mkdirSync(join(o.out, 'explored', area), { recursive: true });
    writeFileSync(file, text);
  } catch (e) {
    ctx.io.stderr.write(`interop-conformance: could not write ${file}: ${(e as Error).message}\n`);
    return EXIT.internal;
  }

  // The file is the finding: it must load with the real loader and fail again when run from it.
  const loaded = loadScenario(file, text, catalogue);
  if (!loaded.scenario)
    throw new Error(
      `the explored scenario ${file} does not load: ${loaded.problems.map((p) => `${p.line}:${p.col} ${p.message}`).join('; ')}`,
    );
  const rerun = await runScenario(loaded.scenario, { adapter, deadlineMs, stepTimeoutMs });

  ctx.say(
    `divergence on run ${d.foundOnRun} of ${runs} (${d.stepsBeforeShrinking} steps to the failure, after ${seconds(d.foundAfterMs)}); shrunk in ${d.shrinks} fast-check shrinks and a last pass to ${d.scenario.steps.length} step${d.scenario.steps.length === 1 ? '' : 's'}:`,
  );
  for (const s of d.result.steps.slice(0, failing.index)) {
    const params = Object.entries(s.action)
      .filter(([k]) => k !== 'kind')
      .map(([k, v]) => `${k}: ${Array.isArray(v) ? `[${v.join(', ')}]` : String(v)}`);
    ctx.say(
      `  ${s.index}. ${s.actor} ${s.action.kind}${params.length ? ` {${params.join(', ')}}` : ''}${s.index === failing.index ? `   <- ${failing.verdict.toUpperCase()} (rule ${failing.rule})` : ''}`,
    );
  }
  for (const m of failing.mismatches) ctx.say(`     - ${m.message} [${m.requirements.join(', ')}]`);
  if (failing.verdict === 'error') ctx.say(`     - the adapter failed: ${failing.error}`);
  ctx.say(`wrote ${file}`);
  if (rerun.verdict === 'pass')
    ctx.say(`warning: run from the file, the scenario passed this time: the divergence may depend on timing`);
  ctx.say(`run it: interop-conformance run ${quote(file)}${provenance.runOptions ? ` ${provenance.runOptions}` : ''}`);
  ctx.say(`search: ${tallyLine(r)}`);
  return EXIT.notConformant;
}

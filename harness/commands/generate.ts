/**
 * `generate`: write YAML scenarios into `--out DIR` that together take every transition of every model (one per
 * transition: `DIR/<area>/<model>-<rule>.yaml`). The suite is checked with the loader and model coverage before
 * anything is written; a suite that would not validate or not cover everything is a generator bug (exit 3).
 * Regenerating replaces the earlier generated files and removes those no longer generated; a file without the
 * generated header is never overwritten (exit 2).
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { findScenarioFiles } from '../load.js';
import { neededCapabilities } from '../run.js';
import { specsPath } from '../specs-files.js';
import { checkSuite, generateSuite } from '../generate/suite.js';
import { GENERATED_HEADER } from '../generate/to-scenario.js';
import { EXIT, UsageError, type Command } from './context.js';
import { COMMAND_HELP } from './help.js';

const isGenerated = (file: string) => readFileSync(file, 'utf8').startsWith(`# ${GENERATED_HEADER}`);

export const generateCommand: Command = {
  ...COMMAND_HELP.generate,
  async run(ctx) {
    if (ctx.paths.length)
      throw new UsageError(`generate takes no PATH; it writes into the folder --out names (now ${ctx.options.out})`);
    const dir = ctx.options.out;
    const started = performance.now();
    // Every file sits in DIR/<area>/, so one relative path to the schema serves them all.
    const schemaRef = relative(resolve(dir, 'area'), specsPath('schemas/scenario.schema.json')).split(sep).join('/');
    const suite = generateSuite(schemaRef);
    const check = checkSuite(suite.files, dir, ctx.catalogue().requirements);
    const problems = [...suite.unreachable.map((u) => `${u.rule}: ${u.why}`), ...check.problems];
    if (problems.length) {
      ctx.io.stderr.write(
        `interop-conformance: generate: the generated suite is wrong, a bug in the generator; nothing was written:\n${problems.map((p) => `  - ${p}\n`).join('')}`,
      );
      return EXIT.internal;
    }

    const targets = new Set(suite.files.map((f) => resolve(dir, f.path)));
    const existing = existsSync(dir) ? findScenarioFiles([dir]) : [];
    const handWritten = existing.filter((f) => targets.has(resolve(f)) && !isGenerated(f));
    if (handWritten.length)
      throw new UsageError(
        `${handWritten.join(', ')} exist${handWritten.length === 1 ? 's' : ''} and ${handWritten.length === 1 ? 'was' : 'were'} not generated; not overwriting (choose another --out)`,
      );
    const stale = existing.filter((f) => !targets.has(resolve(f)) && isGenerated(f));
    stale.forEach((f) => rmSync(f));
    for (const f of suite.files) {
      const file = join(dir, f.path);
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, f.text);
    }

    const steps = suite.files.reduce((n, f) => n + f.steps, 0);
    ctx.say(
      `${suite.files.length} scenarios (${steps} steps) written to ${dir}/ in ${Math.round(performance.now() - started)} ms; each validated with the loader`,
    );
    if (stale.length)
      ctx.say(
        `${stale.length} generated file${stale.length === 1 ? '' : 's'} no longer generated removed: ${stale.map((f) => relative(dir, f)).join(', ')}`,
      );
    for (const m of check.coverage.models)
      ctx.say(
        `model ${m.name.padEnd(14)} transitions ${m.transitions.covered}/${m.transitions.total}, states ${m.states.covered}/${m.states.total}`,
      );
    const wire = check.scenarios.filter((s) => neededCapabilities(s).includes('wire')).length;
    if (wire)
      ctx.say(
        `${wire} of them need an adapter with capability wire (probes over a network); an adapter without it skips them`,
      );
    return EXIT.conformant;
  },
};

/** `list`: the scenarios, which requirements each covers, and how much of each model they take. */
import { modelCoverage } from '../model-coverage.js';
import { EXIT, type Command } from './context.js';
import { COMMAND_HELP } from './help.js';

export const listCommand: Command = {
  ...COMMAND_HELP.list,
  async run(ctx) {
    const scenarios = ctx.scenarios();
    for (const s of scenarios)
      ctx.say(`${s.id}  (${s.steps.length} steps)  ${s.title}\n    ${s.requirements.join(' ')}`);
    ctx.say('');
    for (const r of ctx.catalogue().requirements.values()) {
      const by = scenarios.filter((s) => s.requirements.includes(r.id));
      const tested = by.length
        ? `${by.length} scenario${by.length === 1 ? '' : 's'}`
        : r.checkedBy
          ? `checked by ${r.checkedBy}`
          : 'UNTESTED';
      ctx.say(`${r.id.padEnd(10)} ${r.level.padEnd(6)} ${tested}`);
    }
    ctx.say('');
    for (const m of modelCoverage(scenarios).models)
      ctx.say(
        `model ${m.name.padEnd(14)} transitions ${m.transitions.covered}/${m.transitions.total}, states ${m.states.covered}/${m.states.total}${m.missed.length ? `; missed: ${m.missed.join(', ')}` : ''}`,
      );
    return EXIT.conformant;
  },
};

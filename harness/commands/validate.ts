/** `validate`: schema and models check of every scenario; nothing runs. */
import { EXIT, type Command } from './context.js';
import { COMMAND_HELP } from './help.js';

export const validateCommand: Command = {
  ...COMMAND_HELP.validate,
  async run(ctx) {
    const all = ctx.allScenarios();
    const catalogue = ctx.catalogue().requirements;
    const covered = new Set(all.flatMap((s) => s.requirements));
    const must = [...catalogue.values()].filter((r) => r.level === 'MUST');
    ctx.say(
      `${all.length} scenarios valid; they cover ${covered.size}/${catalogue.size} requirements (MUST: ${must.filter((r) => covered.has(r.id)).length}/${must.length})`,
    );
    return EXIT.conformant;
  },
};

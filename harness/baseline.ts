/**
 * The expected-failures baseline: a YAML list of scenario ids, each with an optional reason.
 *
 *   - chat/teams-to-skype-after-accept            # plain id
 *   - scenario: call/forwarding-goes-to-voicemail # or with a reason
 *     reason: our gateway has no voicemail yet (ticket 123)
 */
import { readFileSync } from 'node:fs';
import { InputError } from './diagnostics.js';
import { compileSchema, schemaDiagnostics } from './schema-errors.js';
import { YamlSource } from './yaml-source.js';

const SCHEMA = {
  type: 'array',
  items: {
    oneOf: [
      { type: 'string', minLength: 1 },
      { type: 'object', required: ['scenario'], additionalProperties: false, properties: { scenario: { type: 'string', minLength: 1 }, reason: { type: 'string' } } },
    ],
    description: 'a scenario id, or {scenario, reason}',
  },
};

export function loadBaseline(file: string): Set<string> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new InputError([{ file, line: 1, col: 1, message: `cannot read the baseline: ${(e as Error).message}` }]);
  }
  const src = new YamlSource(file, text);
  if (src.syntaxErrors.length) throw new InputError(src.syntaxErrors);
  const raw = src.value() ?? [];
  const problems = schemaDiagnostics(compileSchema(SCHEMA), raw, src);
  if (problems.length) throw new InputError(problems);
  return new Set((raw as (string | { scenario: string })[]).map((e) => (typeof e === 'string' ? e : e.scenario)));
}

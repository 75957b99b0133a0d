/**
 * The expected-failures baseline: a YAML list of scenario ids, each with an optional reason.
 *
 *   - chat/teams-to-skype-after-accept            # plain id
 *   - scenario: call/forwarding-goes-to-voicemail # or with a reason
 *     reason: our gateway has no voicemail yet (ticket 123)
 */
import { InputError } from './diagnostics.js';
import { compileSchema, schemaDiagnostics } from './schema-errors.js';
import { readText, YamlSource } from './yaml-source.js';

/** As strict as a scenario file (size, UTF-8, nesting, aliases: yaml-source.ts), and at most this many entries. */
export const BASELINE_MAX_ENTRIES = 10_000;

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
  const read = readText(file, 'baseline');
  if ('problem' in read) throw new InputError([read.problem]);
  const src = new YamlSource(file, read.text);
  if (src.syntaxErrors.length) throw new InputError(src.syntaxErrors);
  const raw = src.value() ?? [];
  if (Array.isArray(raw) && raw.length > BASELINE_MAX_ENTRIES)
    throw new InputError([src.locate([], `${raw.length} entries; a baseline may have at most ${BASELINE_MAX_ENTRIES}`)]);
  const problems = schemaDiagnostics(compileSchema(SCHEMA), raw, src);
  if (problems.length) throw new InputError(problems);
  return new Set((raw as (string | { scenario: string })[]).map((e) => (typeof e === 'string' ? e : e.scenario)));
}

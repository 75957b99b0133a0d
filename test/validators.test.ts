/**
 * Validators compiled ahead (Ajv standalone, `npm run build`; harness/schema-errors.ts) give exactly the errors of
 * the validators compiled at run time — and of specs/schemas/ajv.ts's `createAjv`, "the one Ajv setup" — on the
 * real scenarios, the catalogue and a baseline, fuzzed (seeded: VALIDATORS_SEED, VALIDATORS_RUNS), and on hostile
 * values: the same raw errors (keyword, path, params, and the `parentSchema` and `data` the rewording reads), and the
 * same located diagnostics, file:line:col and message. A validator is used only for the schema it was compiled from.
 */
import t from 'tap';
import fc from 'fast-check';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { PACKAGE_ROOT } from '../specs/schemas/files.js';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import type { ValidateFunction } from 'ajv/dist/2020.js';
import { parse, stringify } from 'yaml';
import { createAjv } from '../specs/schemas/ajv.js';
import { BASELINE_SCHEMA } from '../harness/baseline.js';
import { findScenarioFiles } from '../harness/load.js';
import {
  compileSchema,
  SCHEMA_OPTIONS,
  schemaDiagnostics,
  standaloneValidator,
  validatorName,
} from '../harness/schema-errors.js';
import { readSchema, specsPath } from '../harness/specs-files.js';
import { YamlSource } from '../harness/yaml-source.js';

const SEED = Number(process.env.VALIDATORS_SEED ?? 20_261_130);
const RUNS = Number(process.env.VALIDATORS_RUNS ?? 300);
/** Cases per schema: the catalogue is one large file (its every case is written and parsed as YAML again). */
const RUNS_OF = { scenario: RUNS, requirements: Math.ceil(RUNS / 5), baseline: RUNS };

// Inside the package, as dist/validators is: the code Ajv writes requires its runtime (`ajv/dist/runtime/…`), which
// resolves from the file's folder up — from the system's temporary folder it resolves only by accident.
const scratch = join(PACKAGE_ROOT, 'node_modules', '.cache');
mkdirSync(scratch, { recursive: true });
const ahead = mkdtempSync(join(scratch, 'ic-validators-'));
const none = mkdtempSync(join(scratch, 'ic-validators-none-'));
t.teardown(() => [ahead, none].forEach((d) => rmSync(d, { recursive: true, force: true })));

const SCHEMAS = {
  scenario: readSchema('scenario'),
  requirements: readSchema('requirements'),
  baseline: BASELINE_SCHEMA as object,
};
type Name = keyof typeof SCHEMAS;

/** The valid values each schema is fuzzed from. */
const SEEDS: Record<Name, unknown[]> = {
  scenario: findScenarioFiles(['scenarios']).map((f) => parse(readFileSync(f, 'utf8')) as unknown),
  requirements: [parse(readFileSync(specsPath('requirements.yaml'), 'utf8'))],
  baseline: [['chat/a', { scenario: 'call/b', reason: 'no voicemail yet', link: 'https://tickets.example/1' }]],
};

/** Hostile values: prototype keys, deep nesting, odd numbers, long text, wrong types at the top. */
const HOSTILE: unknown[] = [
  JSON.parse('{"__proto__": {"polluted": true}, "id": "x"}'),
  { constructor: 'x', toString: 1, steps: [{ actor: '__proto__', message: { to: 'constructor', text: '' } }] },
  { world: { users: JSON.parse('{"__proto__": {"platform": "teams"}}') }, steps: [] },
  Array.from({ length: 60 }).reduce<unknown>((v) => [v], 'deep'),
  { id: -0, title: 1e308, tags: [Number.MAX_SAFE_INTEGER + 2], deadlineMs: -1 },
  { title: 'x'.repeat(100_000), steps: [{ actor: 'a', message: {}, call: {} }] },
  null,
  'text',
  [],
  42,
];

/** The three validators of a schema: compiled ahead (loaded as compileSchema loads it), at run time, by createAjv. */
function validators(schema: object): Record<'ahead' | 'runtime' | 'createAjv', ValidateFunction> {
  writeFileSync(join(ahead, `${validatorName(schema)}.cjs`), standaloneValidator(schema));
  return {
    ahead: compileSchema(schema, ahead),
    runtime: compileSchema(schema, none),
    createAjv: createAjv(SCHEMA_OPTIONS).compile(schema),
  };
}

/** A value changed at one place: a key dropped or added, a value of another type, a step given a second action. */
const mutated = (value: unknown) =>
  fc
    .tuple(
      fc.array(fc.nat(), { minLength: 1, maxLength: 6 }),
      fc.constantFrom('drop', 'add', 'replace', 'second action'),
      fc.jsonValue({ maxDepth: 2 }),
      fc.constantFrom('x', 'message', 'platform', 'call', 'MUST', '__proto__', 'constructor'),
    )
    .map(([walk, op, replacement, key]) => {
      const copy = structuredClone(value) as unknown;
      let parent: Record<string, unknown> | unknown[] | undefined;
      let at: string | number | undefined;
      let node: unknown = copy;
      for (const n of walk) {
        if (!node || typeof node !== 'object') break;
        const keys = Object.keys(node);
        if (!keys.length) break;
        const k = keys[n % keys.length]!;
        [parent, at, node] = [node as Record<string, unknown>, Array.isArray(node) ? Number(k) : k, (node as any)[k]];
      }
      if (op === 'replace' && parent && at !== undefined) (parent as any)[at] = replacement;
      else if (op === 'drop' && parent && at !== undefined)
        Array.isArray(parent) ? parent.splice(at as number, 1) : delete parent[at as string];
      else if (node && typeof node === 'object' && !Array.isArray(node))
        Object.defineProperty(node, op === 'second action' ? 'call' : key, {
          value: op === 'second action' ? { to: 'x' } : replacement,
          enumerable: true,
          configurable: true,
          writable: true,
        });
      return copy;
    });

/** What each validator says of a value: valid, and its errors as Ajv gives them (verbose: parentSchema and data). */
const verdict = (v: ValidateFunction, value: unknown) => ({ valid: v(value), errors: v.errors ?? null });

/** The located diagnostics of a value written as YAML, as a user reads them. */
const located = (v: ValidateFunction, value: unknown) => {
  const text = stringify(value);
  const src = new YamlSource('case.yaml', text);
  return src.syntaxErrors.length ? [] : schemaDiagnostics(v, src.value(), src);
};

for (const name of Object.keys(SCHEMAS) as Name[]) {
  t.test(`${name} schema: compiled ahead, at run time and by createAjv, the same errors on every value`, async (t) => {
    const v = validators(SCHEMAS[name]);
    t.notOk('schemaEnv' in v.ahead, 'compileSchema took the validator compiled ahead (no Ajv schema environment)');
    t.ok('schemaEnv' in v.runtime, 'and, with none there, compiled one at run time');
    const differing: string[] = [];
    let cases = 0;
    let invalid = 0;
    const check = (value: unknown) => {
      cases++;
      const [a, r, c] = [verdict(v.ahead, value), verdict(v.runtime, value), verdict(v.createAjv, value)];
      if (!a.valid) invalid++;
      if (!isDeepStrictEqual(a, r) || !isDeepStrictEqual(r, c)) differing.push(JSON.stringify(value).slice(0, 300));
      else if (!a.valid && !isDeepStrictEqual(located(v.ahead, value), located(v.runtime, value)))
        differing.push(`located: ${JSON.stringify(value).slice(0, 300)}`);
    };
    [...SEEDS[name], ...HOSTILE].forEach(check);
    fc.assert(
      fc.property(fc.constantFrom(...SEEDS[name]).chain(mutated), (value) => void check(value)),
      { seed: SEED, numRuns: RUNS_OF[name] },
    );
    t.equal(cases, SEEDS[name].length + HOSTILE.length + RUNS_OF[name], 'every value was checked');
    t.ok(invalid > 0, 'the corpus holds invalid values (there are errors to compare)');
    t.same(differing, [], 'no value on which they differ');
  });
}

t.test('the comparison catches a validator whose errors differ: one compiled without `verbose`', async (t) => {
  const schema = SCHEMAS.scenario;
  const terse = createAjv({ ...SCHEMA_OPTIONS, verbose: false }).compile(schema);
  const v = validators(schema);
  const bad = HOSTILE[5];
  t.notOk(isDeepStrictEqual(verdict(terse, bad), verdict(v.ahead, bad)), 'no parentSchema, no data: caught');
  const reworded = (() => {
    try {
      return located(terse, bad);
    } catch (e) {
      return (e as Error).message; // the rewording reads parentSchema, which it lacks
    }
  })();
  t.notOk(isDeepStrictEqual(reworded, located(v.ahead, bad)), 'and its reworded diagnostics differ');
});

t.test('a validator compiled ahead is used only for the schema it was compiled from', async (t) => {
  const schema = SCHEMAS.baseline;
  validators(schema);
  const changed = { ...schema, description: 'edited since the build' };
  t.not(validatorName(changed), validatorName(schema), 'any change to the schema changes the name');
  t.ok('schemaEnv' in compileSchema(changed, ahead), 'so the edited schema is compiled at run time');
  t.notOk('schemaEnv' in compileSchema(schema, ahead), 'and the unchanged one still comes from the build');
});

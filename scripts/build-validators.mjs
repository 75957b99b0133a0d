/**
 * `npm run build`, after tsc: the JSON Schema validators the harness compiles at run time (scenario files, the
 * requirement catalogue, baselines), compiled now with Ajv's standalone code generation into
 * dist/validators/<name>.cjs. The name is the schema's hash with the options and Ajv's version
 * (harness/schema-errors.ts `validatorName`), so `compileSchema` uses a file only for exactly the schema it was made
 * from, and compiles at run time otherwise (a clone running its sources, a schema edited since). Compiling a schema
 * costs a cold process about 0.2 s (Ajv compiles the 2020-12 meta-schema first); requiring its validator, a few ms.
 * CommonJS: ajv-formats names its formats for generated code with `require`, and `compileSchema` is synchronous.
 */
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const { standaloneValidator, validatorName, VALIDATORS_DIR } = await import('../dist/harness/schema-errors.js');
const { readSchema } = await import('../dist/harness/specs-files.js');
const { BASELINE_SCHEMA } = await import('../dist/harness/baseline.js');

const schemas = {
  scenario: readSchema('scenario'),
  requirements: readSchema('requirements'),
  baseline: BASELINE_SCHEMA,
};

// Written beside, then swapped in whole: a run starting meanwhile finds the old set or the new, not half of one.
const next = `${VALIDATORS_DIR}.next`;
rmSync(next, { recursive: true, force: true });
mkdirSync(next, { recursive: true });
for (const [what, schema] of Object.entries(schemas)) {
  const file = `${validatorName(schema)}.cjs`;
  writeFileSync(
    join(next, file),
    `// ${what} schema, compiled by scripts/build-validators.mjs\n${standaloneValidator(schema)}`,
  );
  console.log(`validator of the ${what} schema: dist/validators/${file}`);
}
rmSync(VALIDATORS_DIR, { recursive: true, force: true });
renameSync(next, VALIDATORS_DIR);

/**
 * JSON Schema validation with errors a person can act on: ajv's errors, pruned of the noise `oneOf` branches make,
 * reworded, and located in the YAML source.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { Ajv2020, ErrorObject, Options, ValidateFunction } from 'ajv/dist/2020.js';
import { PACKAGE_ROOT } from '../specs/schemas/files.js';
import type { Diagnostic } from './diagnostics.js';
import type { Path, YamlSource } from './yaml-source.js';

/** All errors, with the failing data (`verbose`) that the messages below quote; the build compiles with these too. */
export const SCHEMA_OPTIONS: Options = { allErrors: true, verbose: true, strict: false };

/** Where `npm run build` writes the validators it compiles ahead (scripts/build-validators.mjs): one file a schema. */
export const VALIDATORS_DIR = join(PACKAGE_ROOT, 'dist', 'validators');

const require = createRequire(import.meta.url);

/**
 * An Ajv as specs/schemas/ajv.ts's `createAjv` makes one — JSON Schema 2020-12 with ajv-formats — but required (both
 * are CommonJS) when first needed instead of imported: a run that compiles nothing loads no Ajv at all.
 * test/validators.test.ts holds its errors to createAjv's.
 */
export function schemaAjv(options: Options = SCHEMA_OPTIONS): Ajv2020 {
  const { Ajv2020: Ajv } = require('ajv/dist/2020.js') as typeof import('ajv/dist/2020.js');
  const formats = require('ajv-formats') as { default: (a: Ajv2020) => void };
  const ajv = new Ajv(options);
  formats.default(ajv);
  return ajv;
}

/**
 * The name of a schema's validator compiled ahead: a hash of the schema, the options and the versions of Ajv and
 * ajv-formats, so a validator is used only for exactly what it was compiled from.
 */
export function validatorName(schema: object): string {
  const version = (name: string) => (require(`${name}/package.json`) as { version: string }).version;
  return createHash('sha256')
    .update(JSON.stringify([schema, SCHEMA_OPTIONS, version('ajv'), version('ajv-formats')]))
    .digest('hex')
    .slice(0, 32);
}

/** The CommonJS module of `schema`'s validator compiled ahead, as the build writes it (Ajv standalone). */
export function standaloneValidator(schema: object): string {
  const standalone = require('ajv/dist/standalone/index.js') as typeof import('ajv/dist/standalone/index.js');
  const ajv = schemaAjv({ ...SCHEMA_OPTIONS, code: { source: true } });
  return standalone.default(ajv, ajv.compile(schema));
}

/**
 * A validator for `schema`: the one `npm run build` compiled ahead when its name (the schema's hash) is there — no
 * compile, no Ajv — else compiled now (a clone running its sources, or a schema changed since the build).
 */
export function compileSchema(schema: object, dir = VALIDATORS_DIR): ValidateFunction {
  const ahead = join(dir, `${validatorName(schema)}.cjs`);
  if (existsSync(ahead)) return require(ahead) as ValidateFunction;
  return schemaAjv().compile(schema);
}

const pathOf = (e: ErrorObject): (string | number)[] =>
  e.instancePath
    .split('/')
    .slice(1)
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));

const branchOf = (e: ErrorObject, oneOf: ErrorObject): number | null => {
  const prefix = `${oneOf.schemaPath}/`;
  if (!e.schemaPath.startsWith(prefix)) return null;
  return Number(e.schemaPath.slice(prefix.length).split('/')[0]);
};

/** Replace each failed `oneOf` by the errors of the branch that got furthest, or by one plain sentence. */
function prune(errors: ErrorObject[]): ErrorObject[] {
  let out = errors.filter((e) => e.keyword !== 'if');
  for (const oneOf of errors.filter((e) => e.keyword === 'oneOf')) {
    const inside = out.filter((e) => branchOf(e, oneOf) !== null);
    const depth = (e: ErrorObject) => pathOf(e).length;
    const best = inside.reduce<ErrorObject | null>((a, e) => (a === null || depth(e) > depth(a) ? e : a), null);
    const keep =
      best && depth(best) > pathOf(oneOf).length
        ? inside.filter((e) => branchOf(e, oneOf) === branchOf(best, oneOf))
        : [];
    out = out.filter((e) => !inside.includes(e) || keep.includes(e));
    if (keep.length) out = out.filter((e) => e !== oneOf);
  }
  return out;
}

function describe(e: ErrorObject): { message: string; path: (string | number)[]; key: boolean } {
  const path = pathOf(e);
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'additionalProperties': {
      const known = Object.keys((e.parentSchema as { properties?: object })?.properties ?? {});
      return {
        path: [...path, String(p.additionalProperty)],
        key: true,
        message: `unknown property "${p.additionalProperty}"${known.length ? `; expected one of: ${known.join(', ')}` : ''}`,
      };
    }
    case 'required':
      return { path, key: false, message: `missing required property "${p.missingProperty}"` };
    case 'enum':
      return {
        path,
        key: false,
        message: `expected one of ${(p.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}; got ${JSON.stringify(e.data)}`,
      };
    case 'const':
      return { path, key: false, message: `expected ${JSON.stringify(p.allowedValue)}; got ${JSON.stringify(e.data)}` };
    case 'type':
      return {
        path,
        key: false,
        message: `expected ${p.type}; got ${e.data === null ? 'null' : Array.isArray(e.data) ? 'a list' : typeof e.data}`,
      };
    case 'propertyNames':
      return {
        path: [...path, String(p.propertyName)],
        key: true,
        message: `"${p.propertyName}" is not a valid name (lower-case letters, digits, - and _; starting with a letter)`,
      };
    case 'pattern':
      return { path, key: false, message: `${JSON.stringify(e.data)} does not match the expected form ${p.pattern}` };
    case 'format':
      return { path, key: false, message: `${JSON.stringify(e.data)} is not a valid ${p.format}` };
    case 'oneOf':
      return { path, key: false, message: oneOfMessage(e) };
    default:
      return { path, key: false, message: e.message ?? e.keyword };
  }
}

function oneOfMessage(e: ErrorObject): string {
  const schema = e.parentSchema as { oneOf?: { required?: string[]; const?: unknown }[] };
  const actions = (schema.oneOf ?? []).flatMap((b) => b.required ?? []);
  if (actions.length && e.data && typeof e.data === 'object') {
    const present = Object.keys(e.data).filter((k) => actions.includes(k));
    return present.length === 0
      ? `a step needs one action: one of ${actions.join(', ')}`
      : `a step has exactly one action; this one has ${present.join(' and ')}`;
  }
  return `${JSON.stringify(e.data)} matches none of the allowed forms${(e.parentSchema as { description?: string })?.description ? ` (${(e.parentSchema as { description: string }).description})` : ''}`;
}

export function schemaDiagnostics(
  validate: ValidateFunction,
  value: unknown,
  source: YamlSource,
  prefix: Path = [],
): Diagnostic[] {
  if (validate(value)) return [];
  const seen = new Set<string>();
  return prune(validate.errors ?? []).flatMap((e) => {
    const { path, key, message } = describe(e);
    const d = source.locate([...prefix, ...path], message, key);
    const id = `${d.line}:${d.col}:${d.message}`;
    if (seen.has(id)) return [];
    seen.add(id);
    return [d];
  });
}

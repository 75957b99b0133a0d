/**
 * Request bodies are checked against the API document itself (specs/openapi.yaml components), so this service
 * accepts exactly the shapes the document promises and no hand-written copy of them can drift.
 */
import { readFileSync } from 'node:fs';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { parse } from 'yaml';
import { specsFile } from '../../specs/schemas/files.js';

// ajv-formats is CommonJS: under NodeNext its default import may be the module object.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as unknown as (
  ajv: Ajv2020,
) => void;
const doc = parse(readFileSync(specsFile('openapi.yaml'), 'utf8'));
const ajv = new Ajv2020({ strict: false, allErrors: false });
addFormats(ajv);
ajv.addSchema({ $id: 'openapi', components: doc.components });

const compiled = new Map<string, ValidateFunction>();

/** Whether `value` has the shape of components/schemas/`name`; the first error as text when not. */
export function shapeError(name: string, value: unknown): string | undefined {
  let v = compiled.get(name);
  if (!v) compiled.set(name, (v = ajv.compile({ $ref: `openapi#/components/schemas/${name}` })));
  if (v(value)) return undefined;
  const e = v.errors?.[0];
  return e ? `${e.instancePath || 'the body'} ${e.message ?? 'is not valid'}` : 'the body is not valid';
}

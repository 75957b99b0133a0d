/**
 * Request bodies are checked against the API document itself (specs/openapi.yaml): each operation's own
 * `requestBody` schema, found by its operationId, so this service accepts exactly the shapes the document
 * promises, whatever the document names its components, and no hand-written copy of them can drift.
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

/** operationId → the JSON schema of its request body, as the document gives it. */
export const BODY_SCHEMAS: ReadonlyMap<string, unknown> = new Map(
  Object.values(doc.paths as Record<string, Record<string, any>>)
    .flatMap((item) => Object.values(item))
    .filter((op) => op && typeof op === 'object' && typeof op.operationId === 'string')
    .flatMap((op) => {
      const schema = op.requestBody?.content?.['application/json']?.schema;
      return schema === undefined ? [] : [[op.operationId as string, schema] as const];
    }),
);

const compiled = new Map<string, ValidateFunction>();

/** `#/components/…` references, rewritten to the components added under the `openapi` id. */
const anchored = (schema: unknown): unknown =>
  JSON.parse(JSON.stringify(schema).replace(/"\$ref":"#\/components\//g, '"$ref":"openapi#/components/'));

/** Whether `value` is a body operation `operationId` takes; the first error as text when not. */
export function shapeError(operationId: string, value: unknown): string | undefined {
  let v = compiled.get(operationId);
  if (!v) {
    const schema = BODY_SCHEMAS.get(operationId);
    if (schema === undefined) return `the document has no request body for ${operationId}`;
    compiled.set(operationId, (v = ajv.compile(anchored(schema) as object)));
  }
  if (v(value)) return undefined;
  const e = v.errors?.[0];
  return e ? `${e.instancePath || 'the body'} ${e.message ?? 'is not valid'}` : 'the body is not valid';
}

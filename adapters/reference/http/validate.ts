/**
 * Request bodies checked against the API document's schemas (specs/openapi.yaml), so that a body of the wrong
 * shape is refused with 400 before it reaches the service. Only requests: what the service answers is checked
 * by the harness's own copy of the document, not here.
 */
import { readFileSync } from 'node:fs';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { parse } from 'yaml';
import { HttpError } from './limits.js';

const DOCUMENT = new URL('../../../specs/openapi.yaml', import.meta.url);
const ROOT = 'openapi-components';
// ajv-formats is CommonJS: under NodeNext its default import is the module object.
const addFormats = ((addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ??
  addFormatsModule) as unknown as (a: Ajv2020) => void;

let ajv: Ajv2020 | undefined;
const compiled = new Map<string, ValidateFunction>();

function load(): Ajv2020 {
  const doc = parse(readFileSync(DOCUMENT, 'utf8')) as { components: { schemas: Record<string, unknown> } };
  const text = JSON.stringify({ $id: ROOT, $defs: doc.components.schemas }).replaceAll(
    '"#/components/schemas/',
    `"${ROOT}#/$defs/`,
  );
  const a = new Ajv2020({ allErrors: false, strict: true, strictTypes: false });
  addFormats(a);
  a.addSchema(JSON.parse(text));
  return a;
}

/** `body` as the named component schema, or 400 naming the first problem. */
export function check<T>(schema: string, body: unknown): T {
  ajv ??= load();
  let validate = compiled.get(schema);
  if (!validate) {
    validate = ajv.getSchema(`${ROOT}#/$defs/${schema}`);
    if (!validate) throw new Error(`no schema ${schema} in specs/openapi.yaml`);
    compiled.set(schema, validate);
  }
  if (body === undefined) throw new HttpError(400, 'bad-request', 'this request needs a JSON body');
  if (!validate(body)) {
    const e = validate.errors?.[0];
    const extra =
      e?.params && 'additionalProperty' in e.params ? ` (${String(e.params.additionalProperty).slice(0, 40)})` : '';
    throw new HttpError(
      400,
      'bad-request',
      `the body is not a ${schema}: ${e?.instancePath || '/'} ${e?.message ?? 'is wrong'}${extra}`,
    );
  }
  return body as T;
}

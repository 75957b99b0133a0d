/**
 * Request bodies checked against the API document's schemas (specs/openapi.yaml), so that a body of the wrong
 * shape is refused with 400 before it reaches the service. Only requests: what the service answers is checked
 * by the harness's own copy of the document, not here.
 */
import type { Ajv2020, ValidateFunction } from 'ajv/dist/2020.js';
import { apiSchemaRef, createApiAjv, readApiDocument } from '../../../specs/schemas/ajv.js';
import { HttpError } from './limits.js';

let ajv: Ajv2020 | undefined;
const compiled = new Map<string, ValidateFunction>();

// The first problem is all a 400 names, so ajv stops there.
const load = (): Ajv2020 => createApiAjv(readApiDocument(), { allErrors: false, strict: true, strictTypes: false });

/** `body` as the named component schema, or 400 naming the first problem. */
export function check<T>(schema: string, body: unknown): T {
  ajv ??= load();
  let validate = compiled.get(schema);
  if (!validate) {
    validate = ajv.getSchema(apiSchemaRef(schema));
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

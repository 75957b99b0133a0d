/**
 * The one Ajv setup for the documents in this folder and the API document: JSON Schema 2020-12 with the standard
 * formats, and the API document's component schemas as one schema Ajv can resolve. The harness (scenario,
 * requirements and baseline files), the `http` adapter (answers) and the served reference (requests) all validate
 * through it; each keeps its own options and its own wording of errors.
 *
 * It lives here, next to the schemas, because this is the one place every one of them may import: specs/ imports
 * nothing else, and the reference may take from specs/ only the vocabulary and these documents. It is the code that
 * reads them, not a specification. (adapters/independent/ keeps its own setup: that implementation was written
 * blind, from the documents alone.)
 */
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { Ajv2020, type Options } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { parse } from 'yaml';
import { specsFile } from './files.js';

// ajv-formats is CommonJS: under NodeNext its default import is the module object.
const addFormats = ((addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ??
  addFormatsModule) as unknown as (a: Ajv2020) => void;

/** An Ajv for JSON Schema 2020-12 that knows the standard formats (`email`, `date-time`, `uri`, …). */
export function createAjv(options: Options): Ajv2020 {
  const ajv = new Ajv2020(options);
  addFormats(ajv);
  return ajv;
}

/** specs/openapi.yaml: the REST API a networked system under test serves. */
export const API_DOCUMENT = pathToFileURL(specsFile('openapi.yaml'));

/** The `$id` under which the API document's component schemas are added: `${API_SCHEMAS_ID}#/$defs/<Name>`. */
export const API_SCHEMAS_ID = 'openapi-components';

export interface ApiDocumentText {
  components: { schemas: Record<string, unknown> };
}

/** specs/openapi.yaml, parsed. */
export function readApiDocument(): ApiDocumentText & Record<string, any> {
  return parse(readFileSync(API_DOCUMENT, 'utf8'));
}

/**
 * An Ajv (with `options`) holding the API document's `components.schemas` as the `$defs` of one schema, their
 * `#/components/schemas/` references rewritten to it; get a validator with `ajv.getSchema(apiSchemaRef(name))`.
 */
export function createApiAjv(doc: ApiDocumentText, options: Options): Ajv2020 {
  const text = JSON.stringify({ $id: API_SCHEMAS_ID, $defs: doc.components.schemas }).replaceAll(
    '"#/components/schemas/',
    `"${API_SCHEMAS_ID}#/$defs/`,
  );
  const ajv = createAjv(options);
  // The document's own annotations (where Graph defines a schema, what is this API's extension): no assertion.
  for (const keyword of ['x-graph-source', 'x-interop-extension']) ajv.addKeyword(keyword);
  ajv.addSchema(JSON.parse(text));
  return ajv;
}

/** The reference of a component schema of the API document, for `getSchema`. */
export const apiSchemaRef = (name: string): string => `${API_SCHEMAS_ID}#/$defs/${name}`;

/**
 * The API document (specs/openapi.yaml) as the http adapter uses it: each operation's method, path and
 * documented answers, and ajv validators compiled from `components.schemas`. Every answer is checked here: an
 * undocumented status or a body of the wrong shape is a `WireFormatViolation` (WIRE-001), with ajv's errors as
 * the evidence.
 */
import type { Ajv2020, ErrorObject, ValidateFunction } from 'ajv/dist/2020.js';
import { apiSchemaRef, createApiAjv, readApiDocument, type ApiDocumentText } from '../../specs/schemas/ajv.js';
import { WireFormatViolation } from '../adapter.js';

export { API_DOCUMENT } from '../../specs/schemas/ajv.js';

export interface Operation {
  readonly id: string;
  readonly method: string;
  /** The path template, e.g. `/worlds/{worldId}/me/chats/{chatId}/messages`. */
  readonly path: string;
  /** Documented status → the schema of its JSON body (`null`: no body; `'stream'`: an event stream). */
  readonly responses: ReadonlyMap<number, string | null>;
  /** The schema of its JSON request body, if it takes one. */
  readonly request?: string;
}

type Json = Record<string, any>;
const refName = (ref: string): string => ref.slice(ref.lastIndexOf('/') + 1);

/** One ajv error as a line of evidence: where, what, and the detail ajv knows. */
export function describeError(e: ErrorObject): string {
  const p = e.params as Record<string, unknown>;
  const detail = p.additionalProperty ?? p.allowedValue ?? p.allowedValues;
  return `${e.instancePath || '(root)'} ${e.message ?? 'is invalid'}${detail !== undefined ? ` (${JSON.stringify(detail)})` : ''}`;
}

export class ApiDocument {
  readonly operations = new Map<string, Operation>();
  readonly #ajv: Ajv2020;
  readonly #validators = new Map<string, ValidateFunction>();

  constructor(doc: Json) {
    // Every error of an answer is evidence; strict, so that a mistake in the document itself is found.
    this.#ajv = createApiAjv(doc as ApiDocumentText, { allErrors: true, strict: true, strictTypes: false });
    for (const [path, item] of Object.entries<Json>(doc.paths)) {
      for (const [method, op] of Object.entries<Json>(item)) {
        if (!op?.operationId) continue;
        const responses = new Map<number, string | null>();
        for (const [status, r] of Object.entries<Json>(op.responses)) {
          const response: Json = r.$ref ? doc.components.responses[refName(r.$ref)] : r;
          const content: Json | undefined = response.content;
          const schema = content?.['application/json']?.schema?.$ref;
          responses.set(Number(status), content?.['text/event-stream'] ? 'stream' : schema ? refName(schema) : null);
        }
        const request = op.requestBody?.content?.['application/json']?.schema?.$ref;
        this.operations.set(op.operationId, {
          id: op.operationId,
          method: method.toUpperCase(),
          path,
          responses,
          ...(request ? { request: refName(request) } : {}),
        });
      }
    }
  }

  static #loaded: ApiDocument | undefined;
  /** specs/openapi.yaml, parsed and compiled once. */
  static load(): ApiDocument {
    return (ApiDocument.#loaded ??= new ApiDocument(readApiDocument()));
  }

  operation(id: string): Operation {
    const op = this.operations.get(id);
    if (!op) throw new Error(`specs/openapi.yaml has no operation ${id}`);
    return op;
  }

  /** Every problem of `data` as the named component schema; empty when it conforms. */
  problems(schema: string, data: unknown): string[] {
    let validate = this.#validators.get(schema);
    if (!validate) {
      validate = this.#ajv.getSchema(apiSchemaRef(schema));
      if (!validate) throw new Error(`specs/openapi.yaml has no schema ${schema}`);
      this.#validators.set(schema, validate);
    }
    return validate(data) ? [] : (validate.errors ?? []).map(describeError);
  }

  /** Throw a WireFormatViolation unless `data` is a `schema`. `what` names the answer (e.g. "POST /me/calls answered 201"). */
  expect(schema: string, data: unknown, what: string): void {
    const problems = this.problems(schema, data);
    if (problems.length)
      throw new WireFormatViolation(`${what} with a body that is not a ${schema} (specs/openapi.yaml)`, problems);
  }

  /**
   * Check an answer to `op`: the status must be documented, and the body (already parsed JSON, or undefined)
   * must have that status's shape. Returns the status's schema name.
   */
  check(op: Operation, status: number, data: unknown, what: string): string | null {
    if (!op.responses.has(status)) {
      throw new WireFormatViolation(
        `${what}: status ${status} is not documented for ${op.id}; specs/openapi.yaml allows ${[...op.responses.keys()].join(', ')}`,
      );
    }
    const schema = op.responses.get(status)!;
    if (schema === null) {
      if (data !== undefined)
        throw new WireFormatViolation(`${what} with a body; specs/openapi.yaml documents none for ${op.id} ${status}`);
    } else if (schema !== 'stream') this.expect(schema, data, what);
    return schema;
  }
}

/** The error schema of each documented error status, for answers to requests no operation describes. */
export const ERROR_SCHEMA_OF: Readonly<Record<number, string>> = {
  400: 'BadRequestError',
  401: 'UnauthorizedError',
  403: 'ForbiddenError',
  404: 'NotFoundError',
  405: 'ErrorBody',
  409: 'ConflictError',
  413: 'PayloadTooLargeError',
  421: 'ErrorBody',
  422: 'UnprocessableError',
  429: 'TooManyRequestsError',
};

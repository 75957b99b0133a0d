/**
 * A client's request held to the API document (specs/openapi.yaml), as the document describes requests: the path
 * and method name one operation (CLIENT-001), its parameters and body have that operation's schemas (CLIENT-002),
 * and it carries the credentials the operation's `security` names and, with a body, `Content-Type:
 * application/json` (CLIENT-003). Read from the document, operation by operation, so that whatever the document
 * says (paths moved, bodies changed) is what a client is held to, with nothing restated here.
 */
import type { Ajv2020, ValidateFunction } from 'ajv/dist/2020.js';
import { API_SCHEMAS_ID, createApiAjv, readApiDocument, type ApiDocumentText } from '../../specs/schemas/ajv.js';

/** The clauses of specs/requirements.yaml a client's request can break (harness/checks.ts: msw.client-requests). */
export const CLIENT_REQUIREMENTS = ['CLIENT-001', 'CLIENT-002', 'CLIENT-003'] as const;
export type ClientClause = (typeof CLIENT_REQUIREMENTS)[number];
export const [UNDOCUMENTED_OPERATION, SCHEMA_MISMATCH, MISSING_HEADER] = CLIENT_REQUIREMENTS;

type Json = Record<string, any>;

export interface Parameter {
  readonly name: string;
  readonly in: 'path' | 'query' | 'header' | 'cookie';
  readonly required: boolean;
  readonly validate: ValidateFunction;
}

export interface DocumentedOperation {
  readonly id: string;
  readonly method: string;
  /** The path template, e.g. `/worlds/{worldId}/v1.0/chats/{chatId}/messages`. */
  readonly path: string;
  readonly parameters: readonly Parameter[];
  /** The JSON body's validator and whether a body is required; undefined when the operation takes none. */
  readonly body?: { readonly required: boolean; readonly validate: ValidateFunction; readonly schema: string };
  /** The names of the bearer schemes any one of which admits the request; empty: no credentials needed. */
  readonly schemes: readonly string[];
  /** It answers an event stream (text/event-stream), not JSON. */
  readonly stream: boolean;
}

/** The request as the client sent it: its path relative to the server's root, its query, its headers (lower-case names). */
export interface ClientRequest {
  readonly method: string;
  readonly path: string;
  /** The path as the client wrote it, for messages (default: `path`). */
  readonly shown?: string;
  readonly query: URLSearchParams;
  readonly headers: Readonly<Record<string, string>>;
  /** The body as sent; empty when there was none. */
  readonly body: string;
}

export interface Finding {
  readonly clause: ClientClause;
  readonly message: string;
  /** The schema's errors, one line each (`/body/content must be string`). */
  readonly errors: readonly string[];
}

export interface Checked {
  /** The operation the request names, when it names one. */
  readonly operation?: DocumentedOperation;
  /** The path parameters, decoded. */
  readonly params: Readonly<Record<string, string>>;
  /** The bearer token the request carries, if any. */
  readonly token?: string;
  readonly findings: readonly Finding[];
}

/** Which token a request's scheme admits: a function the caller gives (the world's tokens). */
export type TokenCheck = (scheme: string, token: string) => boolean;

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options', 'trace'];
const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** One ajv error as a line: where, what, and the detail ajv knows. */
function describe(e: { instancePath: string; message?: string; params: Record<string, unknown> }, root: string) {
  const p = e.params;
  const detail = p.additionalProperty ?? p.allowedValue ?? p.allowedValues;
  return `${e.instancePath || root} ${e.message ?? 'is invalid'}${detail !== undefined ? ` (${JSON.stringify(detail)})` : ''}`;
}

interface Template {
  readonly operation: DocumentedOperation;
  readonly pattern: RegExp;
  readonly names: readonly string[];
  /** Segments without a parameter: the more, the more specific (OpenAPI: concrete paths match first). */
  readonly literals: number;
}

export class RequestChecker {
  readonly operations: readonly DocumentedOperation[];
  readonly #templates: Template[] = [];
  readonly #ajv: Ajv2020;
  readonly #compiled = new Map<string, ValidateFunction>();
  readonly #doc: Json;

  constructor(doc: Json = readApiDocument()) {
    this.#doc = doc;
    // Every error of a request is evidence; strict, so that a mistake in the document itself is found.
    this.#ajv = createApiAjv(doc as ApiDocumentText, { allErrors: true, strict: true, strictTypes: false });
    const operations: DocumentedOperation[] = [];
    for (const [path, item] of Object.entries<Json>(doc.paths ?? {})) {
      const shared = (item.parameters ?? []) as Json[];
      for (const method of METHODS) {
        const op = item[method] as Json | undefined;
        if (!op?.operationId) continue;
        const operation = this.#operation(path, method.toUpperCase(), op, shared);
        operations.push(operation);
        const names: string[] = [];
        const segments = path.split('/').filter(Boolean);
        const pattern = segments
          .map((s) =>
            s
              .split(/(\{[^}]+\})/)
              .map((part) => {
                const name = /^\{([^}]+)\}$/.exec(part)?.[1];
                if (name === undefined) return escapeRegExp(part);
                names.push(name);
                return '([^/]+)';
              })
              .join(''),
          )
          .join('/');
        const literals = segments.filter((s) => !s.includes('{')).length;
        this.#templates.push({ operation, pattern: new RegExp(`^/${pattern}/?$`), names, literals });
      }
    }
    this.#templates.sort((a, b) => b.literals - a.literals);
    this.operations = operations;
  }

  #resolve(node: Json): Json {
    let n: Json | undefined = node;
    for (let hops = 0; typeof n?.$ref === 'string' && n.$ref.startsWith('#/') && hops < 8; hops++)
      n = n.$ref
        .slice(2)
        .split('/')
        .reduce((o: Json | undefined, k: string) => o?.[k.replaceAll('~1', '/').replaceAll('~0', '~')], this.#doc);
    if (n === undefined) throw new Error(`specs/openapi.yaml: ${String(node.$ref)} names nothing in the document`);
    return n;
  }

  /** A validator for a schema of the document (inline or a `$ref` to a component), compiled once. */
  #validator(schema: Json): ValidateFunction {
    const text = JSON.stringify(schema ?? {}).replaceAll('"#/components/schemas/', `"${API_SCHEMAS_ID}#/$defs/`);
    let v = this.#compiled.get(text);
    if (!v) this.#compiled.set(text, (v = this.#ajv.compile(JSON.parse(text))));
    return v;
  }

  #operation(path: string, method: string, op: Json, shared: Json[]): DocumentedOperation {
    const byKey = new Map<string, Json>();
    for (const p of [...shared, ...((op.parameters ?? []) as Json[])].map((p) => this.#resolve(p)))
      byKey.set(`${p.in}:${p.name}`, p);
    const parameters = [...byKey.values()].map((p) => ({
      name: String(p.name),
      in: p.in,
      required: p.in === 'path' || p.required === true,
      validate: this.#validator(p.schema),
    }));
    const requestBody = op.requestBody ? this.#resolve(op.requestBody) : undefined;
    const schema = requestBody?.content?.['application/json']?.schema as Json | undefined;
    const security = (op.security ?? this.#doc.security ?? []) as Json[];
    const open = security.length === 0 || security.some((s) => Object.keys(s).length === 0);
    const responses = Object.values<Json>(op.responses ?? {}).map((r) => this.#resolve(r));
    return {
      id: op.operationId,
      method,
      path,
      parameters,
      ...(schema
        ? {
            body: {
              required: requestBody?.required === true,
              validate: this.#validator(schema),
              schema: typeof schema.$ref === 'string' ? schema.$ref.slice(schema.$ref.lastIndexOf('/') + 1) : 'body',
            },
          }
        : {}),
      schemes: open ? [] : [...new Set(security.flatMap((s) => Object.keys(s)))],
      stream: responses.some((r) => r?.content?.['text/event-stream']),
    };
  }

  /** The operation a method and path name, with the path parameters; or the methods the path takes, if any. */
  match(
    method: string,
    path: string,
  ): { operation?: DocumentedOperation; params: Record<string, string>; allow: string[] } {
    const allow: string[] = [];
    for (const t of this.#templates) {
      const m = t.pattern.exec(path);
      if (!m) continue;
      if (t.operation.method !== method) {
        if (!allow.includes(t.operation.method)) allow.push(t.operation.method);
        continue;
      }
      const params: Record<string, string> = Object.create(null);
      try {
        t.names.forEach((name, i) => (params[name] = decodeURIComponent(m[i + 1]!)));
      } catch {
        continue; // not valid percent-encoding: no operation's parameter
      }
      return { operation: t.operation, params, allow };
    }
    return { params: {}, allow };
  }

  /** Every clause `req` breaks, and the operation it names. `tokenOk` says whether a scheme admits a token. */
  check(req: ClientRequest, tokenOk: TokenCheck): Checked {
    const method = req.method.toUpperCase();
    const { operation, params, allow } = this.match(method, req.path);
    const token = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '')?.[1];
    const base = { params, ...(token !== undefined ? { token } : {}) };
    if (!operation) {
      const shown = req.shown ?? req.path;
      const message = allow.length
        ? `${method} ${shown}: the path is documented for ${allow.join(', ')} only, not ${method}`
        : `${method} ${shown} names no path of specs/openapi.yaml`;
      return { ...base, findings: [{ clause: UNDOCUMENTED_OPERATION, message, errors: [] }] };
    }
    const findings = [
      ...this.#parameters(operation, req, params),
      ...this.#body(operation, req),
      ...this.#credentials(operation, token, tokenOk),
    ];
    return { ...base, operation, findings };
  }

  #parameters(op: DocumentedOperation, req: ClientRequest, params: Record<string, string>): Finding[] {
    const errors: string[] = [];
    const documented = new Set(op.parameters.filter((p) => p.in === 'query').map((p) => p.name));
    // OData's system query options ($select, $top…) the document does not list are ignored by the service, as
    // the document says: a Graph client may send them (CLIENT-002's decided-here).
    for (const name of new Set(req.query.keys()))
      if (!documented.has(name) && !name.startsWith('$'))
        errors.push(`query parameter ${name} is not documented for ${op.id}`);
    for (const p of op.parameters) {
      const values =
        p.in === 'path'
          ? [params[p.name]].filter((v): v is string => v !== undefined)
          : p.in === 'query'
            ? req.query.getAll(p.name)
            : p.in === 'header' && req.headers[p.name.toLowerCase()] !== undefined
              ? [req.headers[p.name.toLowerCase()]!]
              : [];
      if (!values.length) {
        if (p.required) errors.push(`${p.in} parameter ${p.name} is required`);
        continue;
      }
      if (values.length > 1) errors.push(`${p.in} parameter ${p.name} is given ${values.length} times`);
      if (!p.validate(values[0]))
        errors.push(...(p.validate.errors ?? []).map((e) => describe(e, `${p.in} parameter ${p.name}`)));
    }
    return errors.length
      ? [{ clause: SCHEMA_MISMATCH, message: `the parameters of ${op.id} are not as documented`, errors }]
      : [];
  }

  #body(op: DocumentedOperation, req: ClientRequest): Finding[] {
    const type = req.headers['content-type'];
    const header: Finding[] =
      req.body.length && !/^application\/json\s*(;|$)/i.test(type ?? '')
        ? [
            {
              clause: MISSING_HEADER,
              message: `a body ${type === undefined ? 'without Content-Type: application/json' : `sent as ${JSON.stringify(type.slice(0, 80))}, not application/json`}`,
              errors: [],
            },
          ]
        : [];
    const wrong = (message: string, errors: string[] = []): Finding[] => [
      ...header,
      { clause: SCHEMA_MISMATCH, message, errors },
    ];
    if (!op.body) return req.body.length ? wrong(`a body, but ${op.id} takes none`) : header;
    if (!req.body.length) return op.body.required ? wrong(`${op.id} needs a JSON body (${op.body.schema})`) : [];
    let data: unknown;
    try {
      data = JSON.parse(req.body);
    } catch (e) {
      return wrong(`the body is not JSON: ${(e as Error).message.slice(0, 200)}`);
    }
    if (op.body.validate(data)) return header;
    const errors = (op.body.validate.errors ?? []).map((e) => describe(e, 'body'));
    return wrong(`the body is not a ${op.body.schema}`, errors);
  }

  #credentials(op: DocumentedOperation, token: string | undefined, tokenOk: TokenCheck): Finding[] {
    if (!op.schemes.length) return [];
    const message =
      token === undefined
        ? `${op.id} needs Authorization: Bearer and a token of ${op.schemes.join(' or ')}, and none was sent`
        : op.schemes.some((s) => tokenOk(s, token))
          ? undefined
          : `${op.id} needs a ${op.schemes.join(' or ')} token of this world; the bearer token sent is not one`;
    return message ? [{ clause: MISSING_HEADER, message, errors: [] }] : [];
  }
}

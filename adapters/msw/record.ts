/**
 * What a client sent, request by request, and the clauses each broke: kept in order, rendered as data and as a
 * short text. Nothing recorded holds a token: an Authorization value reads `Bearer [token of tara]`, and any
 * token of the world found anywhere else in a recorded string is replaced the same way.
 */
import type { ClientClause, Finding } from './request-check.js';

export interface RecordedRequest {
  /** 1, 2, 3… in the order the client sent them. */
  readonly seq: number;
  readonly method: string;
  /** The path and query as the client sent them, relative to the mock's base URL. */
  readonly path: string;
  /** The operation of specs/openapi.yaml it names, if any. */
  readonly operationId?: string;
  /** The world user whose token it carries, if any. */
  readonly user?: string;
  /** The headers as sent, redacted (lower-case names). */
  readonly headers: Readonly<Record<string, string>>;
  /** What the reference answered. */
  readonly status: number;
  readonly violations: readonly Violation[];
}

export interface Violation {
  readonly seq: number;
  readonly method: string;
  readonly path: string;
  readonly operationId?: string;
  readonly user?: string;
  /** The requirement of specs/requirements.yaml it breaks. */
  readonly clause: ClientClause;
  readonly message: string;
  readonly errors: readonly string[];
  readonly headers: Readonly<Record<string, string>>;
}

export interface ClientReport {
  /** Every request, in order. */
  readonly requests: readonly RecordedRequest[];
  /** Every broken clause, in the order of the requests. */
  readonly violations: readonly Violation[];
  /** How many requests broke at least one clause. */
  readonly violating: number;
  /** The same, as a few lines of text. */
  readonly text: string;
}

/** Headers whose values are credentials whatever they hold. */
const SECRET_HEADERS = new Set(['authorization', 'proxy-authorization', 'cookie', 'set-cookie']);

export class Recorder {
  readonly #requests: RecordedRequest[] = [];
  #seq = 0;

  /** `tokens`: each token the world issued → whose it is (`tara`, `the world's control`). */
  constructor(readonly tokens: ReadonlyMap<string, string>) {}

  /** `text` with every token of the world replaced by `[token of …]`. */
  redact(text: string): string {
    let out = text;
    for (const [token, who] of this.tokens) out = out.replaceAll(token, `[token of ${who}]`);
    return out;
  }

  headers(raw: Readonly<Record<string, string>>): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [name, value] of Object.entries(raw)) {
      if (!SECRET_HEADERS.has(name)) out[name] = this.redact(value);
      else {
        const token = /^(Bearer)\s+(\S+)\s*$/i.exec(value);
        const who = token ? this.tokens.get(token[2]!) : undefined;
        out[name] = token
          ? `${token[1]} [${who ? `token of ${who}` : 'a token this world did not issue'}]`
          : '[redacted]';
      }
    }
    return out;
  }

  add(r: {
    method: string;
    path: string;
    operationId?: string;
    user?: string;
    headers: Readonly<Record<string, string>>;
    status: number;
    findings: readonly Finding[];
  }): RecordedRequest {
    const seq = ++this.#seq;
    const common = {
      seq,
      method: r.method,
      path: this.redact(r.path),
      ...(r.operationId !== undefined ? { operationId: r.operationId } : {}),
      ...(r.user !== undefined ? { user: r.user } : {}),
    };
    const headers = this.headers(r.headers);
    const recorded: RecordedRequest = {
      ...common,
      headers,
      status: r.status,
      violations: r.findings.map((f) => ({
        ...common,
        clause: f.clause,
        message: this.redact(f.message),
        errors: f.errors.map((e) => this.redact(e)),
        headers,
      })),
    };
    this.#requests.push(recorded);
    return recorded;
  }

  clear(): void {
    this.#requests.length = 0;
  }

  report(): ClientReport {
    const requests = [...this.#requests];
    const violations = requests.flatMap((r) => r.violations);
    const violating = requests.filter((r) => r.violations.length).length;
    return { requests, violations, violating, text: render(requests, violating) };
  }
}

/** `3 requests, 1 broke specs/openapi.yaml:` and, per breaking request, its line and one line per clause broken. */
function render(requests: readonly RecordedRequest[], violating: number): string {
  const n = requests.length;
  const head = `${n} request${n === 1 ? '' : 's'}, ${violating === 0 ? 'none' : violating} broke specs/openapi.yaml`;
  if (!violating) return head;
  const lines = [`${head}:`];
  for (const r of requests) {
    if (!r.violations.length) continue;
    // Whose request it was: a user, none, or the (redacted) credentials it carried instead.
    const who = r.user
      ? `as ${r.user}`
      : r.headers.authorization === undefined
        ? 'no token'
        : `Authorization: ${r.headers.authorization}`;
    const about = [r.operationId, who].filter(Boolean).join(', ');
    lines.push(`  #${r.seq} ${r.method} ${r.path} (${about}) → ${r.status}`);
    for (const v of r.violations) {
      lines.push(`    ${v.clause} ${v.message}`);
      for (const e of v.errors.slice(0, 5)) lines.push(`      - ${e}`);
      if (v.errors.length > 5) lines.push(`      - … ${v.errors.length - 5} more`);
    }
  }
  return lines.join('\n');
}

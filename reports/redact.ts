/**
 * Keep secrets out of reports. Adapters put whatever their system said into `error`, `reason` and mismatch text, and
 * a system under test may echo a credential. Every format passes its free text through `redact()` before writing.
 *
 * Deliberately simple; four rules, each replaced by `[redacted]`:
 * 1. an HTTP bearer credential: `Bearer <token68>` keeps the word `Bearer`;
 * 2. a JSON Web Token: `eyJ….….…`;
 * 3. a secret-named key's value: `password=…`, `token: …`, `api_key="…"`, `client-secret=…`, … keeps the key;
 * 4. a long opaque token: 32+ hex digits, or 32+ base64/base64url characters mixing upper case, lower case and
 *    digits with a `/`-free stretch of 20+ (so file paths like `/Users/Ann2/work/…` survive).
 *
 * Known limits: a short token in prose without `Bearer` or a key in front survives; a 40-digit git hash is
 * redacted. Scenario and requirement ids never match (lower-case, or upper-case without long digit runs).
 *
 * `sanitize()` is `redact()` plus what must not reach a terminal, a log or an XML file from a system under test:
 * ANSI escape sequences are dropped and other control characters (but tab and newline) become U+FFFD. The text
 * formats (plain, line, markdown, junit) use it; `report.json` keeps control characters, JSON escapes them.
 */
export const REDACTED = '[redacted]';

const BEARER = /\b(Bearer)\s+[A-Za-z0-9\-._~+/]+=*/gi;
const JWT = /\beyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*/g;
const SECRET_KEY =
  /\b(password|passwd|secret|client[_-]?secret|token|access[_-]?token|refresh[_-]?token|api[_-]?key)(["']?\s*[:=]\s*["']?)[^\s"'`&|<>,;)}\]]+/gi;
const HEX = /\b[0-9a-fA-F]{32,}\b/g;
const OPAQUE = /[A-Za-z0-9+/_=-]{32,}/g;

function looksOpaque(run: string): boolean {
  return (
    /[A-Z]/.test(run) &&
    /[a-z]/.test(run) &&
    /[0-9]/.test(run) &&
    run.split('/').some((piece) => piece.length >= 20)
  );
}

/** `text` with everything that looks like a credential replaced by `[redacted]`. */
export function redact(text: string): string {
  return text
    .replace(BEARER, `$1 ${REDACTED}`)
    .replace(JWT, REDACTED)
    .replace(SECRET_KEY, (_m, key: string, sep: string) => `${key}${sep}${REDACTED}`)
    .replace(HEX, REDACTED)
    .replace(OPAQUE, (run) => (looksOpaque(run) ? REDACTED : run));
}

/** A deep copy of `value` with `redact()` applied to every string in it (keys are left alone). */
export function redactDeep<T>(value: T): T {
  return JSON.parse(JSON.stringify(value, (_key, v: unknown) => (typeof v === 'string' ? redact(v) : v))) as T;
}

const ANSI = /\u001B\[[0-9;?]*[ -/]*[@-~]/g;
const CONTROL = /\r(?!\n)|[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/g;

/** `redact(text)` without ANSI sequences, CRLF as LF, other control characters but tab and LF as U+FFFD. */
export function sanitize(text: string): string {
  return redact(text).replace(ANSI, '').replace(/\r\n/g, '\n').replace(CONTROL, '\uFFFD');
}

/**
 * Keep secrets out of reports without destroying what a reader needs to find things. Adapters put whatever their
 * system said into `error`, `reason` and mismatch text, and a system under test may echo a credential.
 *
 * What is replaced by `[redacted]`:
 * 1. what the run knows is secret: every string a secret source gives (`registerSecrets`; the CLI registers each
 *    adapter's `secrets()`, e.g. the tokens a service issued), 8 characters or longer;
 * 2. `Authorization:` / `Proxy-Authorization:` values (the scheme word is kept), `Bearer …`, `Basic <base64>`;
 * 3. `Cookie:` and `Set-Cookie:` values, to the end of the line;
 * 4. well-known shapes: JSON Web Tokens (`eyJ….….…`), AWS access key ids (`AKIA…`/`ASIA…`), `sk-…`/`sk_live_…`
 *    keys, GitHub tokens (`ghp_…`, `github_pat_…`), Slack tokens (`xoxb-…`), 32+ hex digits;
 * 5. a secret-named key's value: `password=…`, `token: …`, `"api_key":"…"`, `client-secret=…`, `session=…`.
 *
 * What is never replaced: ids. Scenario ids, file paths, step locations, rule and requirement ids of the results
 * being reported are registered (`keepIds`) and masked before the patterns run, so `chat/H30Refusal9x.yaml` stays
 * whole even where a pattern would match part of it; `report.json` does not redact id fields at all.
 * An unlabelled random string the run was not told about survives (there is no telling it from an id).
 *
 * `sanitize()` is `redact()` plus what must not reach a terminal, a log or an XML file from a system under test:
 * ANSI escape sequences are dropped and other control characters (but tab and newline) become U+FFFD. The text
 * formats (plain, line, markdown, junit) use it; `report.json` keeps control characters, JSON escapes them.
 */
import type { RunResult, ScenarioResult } from './results.js';
import { jsonSafe } from './json-safe.js';

export const REDACTED = '[redacted]';

const AUTH =
  /\b((?:Proxy-)?Authorization)(["']?\s*[:=]\s*["']?)(?:(Bearer|Basic|Digest|Negotiate|NTLM|Token)\s+)?[^\s"'`,;]+/gi;
const BEARER = /\b(Bearer)\s+[A-Za-z0-9\-._~+/]+=*/gi;
const BASIC = /\b(Basic)\s+([A-Za-z0-9+/]{8,}={0,2})(?![A-Za-z0-9+/=])/g;
const COOKIE = /\b(Set-Cookie|Cookie)(["']?\s*[:=]\s*["']?)[^\r\n"'`]+/gi;
const JWT = /\beyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*/g;
const AWS_KEY_ID = /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/g;
const SK = /\b(?:sk|rk)[-_](?=[A-Za-z0-9_-]*\d)[A-Za-z0-9_-]{20,}/g;
const GITHUB = /\b(?:(?:ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{22,})/g;
const SLACK = /\bxox[abposr]-[A-Za-z0-9-]{10,}/g;
const HEX = /\b[0-9a-fA-F]{32,}\b/g;
const SECRET_KEY =
  /\b(password|passwd|secret|client[_-]?secret|aws[_-]?secret[_-]?access[_-]?key|private[_-]?key|token|access[_-]?token|refresh[_-]?token|id[_-]?token|api[_-]?key|x-api-key|session(?:[_-]?id)?)(["']?\s*[:=]\s*["']?)[^\s"'`&|<>,;)}\]]+/gi;

/** A Basic credential is base64: a prose word after "Basic" (all one case, no digits) is left alone. */
const looksBase64 = (v: string) => /[0-9+/=]/.test(v) || (/[a-z]/.test(v) && /[A-Z]/.test(v));

// ── what the run knows is secret ────────────────────────────────────────────────────────────────────────────
const sources = new Set<() => Iterable<string>>();

/** Tell redaction about secrets (asked again at every call: tokens are issued during a run). Returns an undo. */
export function registerSecrets(source: () => Iterable<string>): () => void {
  sources.add(source);
  return () => void sources.delete(source);
}

/**
 * How the known secrets are found in a text. Read afresh at every `redact()` (tokens are issued during a run), but
 * built again only when the list changed: rebuilding and sorting it for every string made a report over HTTP
 * quadratic (every string × every token the run was issued). Secrets made only of the characters tokens and ids
 * use are looked up in a Set by the runs of such characters in the text, so a text costs its length times the few
 * distinct secret lengths, not the number of secrets; any other secret is replaced as written, longest first.
 */
interface SecretMatcher {
  list: readonly string[];
  word: ReadonlySet<string>;
  /** The distinct lengths of `word`, longest first. */
  lengths: readonly number[];
  other: readonly string[];
}
const WORDISH = /^[A-Za-z0-9_-]+$/;
const RUNS = /[A-Za-z0-9_-]{8,}/g;
let matcherCache: SecretMatcher | undefined;

function secretMatcher(): SecretMatcher {
  const list: string[] = [];
  for (const source of sources) {
    try {
      for (const s of source()) if (typeof s === 'string' && s.length >= 8) list.push(s);
    } catch {
      // A secret source that fails must not stop a report; its secrets are still covered by the patterns.
    }
  }
  const cached = matcherCache;
  if (cached && cached.list.length === list.length && cached.list.every((s, i) => s === list[i])) return cached;
  const unique = [...new Set(list)].sort((a, b) => b.length - a.length);
  const word = new Set(unique.filter((s) => WORDISH.test(s)));
  const lengths = [...new Set([...word].map((s) => s.length))].sort((a, b) => b - a);
  return (matcherCache = { list, word, lengths, other: unique.filter((s) => !word.has(s)) });
}

/** `text` with every secret of `m` replaced: the longest first, none overlapping one already replaced. */
function replaceSecrets(m: SecretMatcher, text: string): string {
  let out = text;
  for (const secret of m.other) out = out.replaceAll(secret, REDACTED);
  if (m.word.size === 0) return out;
  const cuts: [number, number][] = [];
  for (const run of out.matchAll(RUNS)) {
    const at = run.index;
    const taken: boolean[] = [];
    for (const k of m.lengths) {
      for (let i = 0; i + k <= run[0].length; i++) {
        if (taken[i] || taken[i + k - 1] || !m.word.has(run[0].slice(i, i + k))) continue;
        if (taken.slice(i, i + k).some(Boolean)) continue;
        for (let j = i; j < i + k; j++) taken[j] = true;
        cuts.push([at + i, at + i + k]);
        i += k - 1;
      }
    }
  }
  if (!cuts.length) return out;
  cuts.sort((a, b) => a[0] - b[0]);
  let result = '';
  let from = 0;
  for (const [start, end] of cuts) ((result += out.slice(from, start) + REDACTED), (from = end));
  return result + out.slice(from);
}

/**
 * What redaction made of each short text, while the secrets and the kept ids stay what they were: a report says the
 * same few hundred words thousands of times (`pass`, a rule id, `ok, delivers nothing`: 18,667 texts of report.html
 * for the suite, 1,926 distinct), and each took a pass over the secrets and eleven patterns. Bounded, so that a long
 * run's distinct texts are never all held; long texts (a step's expected JSON) are seldom repeated and not kept.
 */
const memo = new Map<string, string>();
let memoOf: SecretMatcher | undefined;
const MEMO_TEXT_CHARS = 256;
const MEMO_ENTRIES = 2048;

// ── what must never be redacted ─────────────────────────────────────────────────────────────────────────────
const kept = new Set<string>();
let keptSorted: string[] | undefined;
/** The results whose ids are kept already: every text report asks for the whole run's, one after another. */
const keptResults = new WeakSet<ScenarioResult>();

/** Keeps one id; true if it was new. */
function keep(id: string | undefined): boolean {
  if (!id || id.length < 4 || kept.has(id)) return false;
  kept.add(id);
  keptSorted = undefined;
  memo.clear();
  return true;
}

/** Ids that redaction must leave whole wherever they appear in free text. */
export function keepIds(ids: Iterable<string | undefined>): void {
  for (const id of ids) keep(id);
}

/** The ids of one scenario result: its id, file, step locations, rules and requirements. */
export function keepIdsOf(s: ScenarioResult): void {
  // A result's ids are fixed when its scenario ends (the baseline marks only its flags afterwards).
  if (keptResults.has(s)) return;
  keptResults.add(s);
  // Loops, not one spread list: every report keeps a run's ids (a few thousand) before it renders.
  keep(s.id);
  keep(s.file);
  for (const r of s.requirements ?? []) keep(r);
  for (const st of s.steps ?? []) {
    keep(st.location);
    keep(st.rule);
    for (const r of st.trace ?? []) keep(r);
    for (const r of st.requirements ?? []) keep(r);
  }
}

/**
 * The runs whose ids are kept already: the multiplexer and then every text report ask for the same run's, and a CLI
 * run's results are read back from its spill (a new object at every read, which `keptResults` never recognises), so
 * each ask was a pass parsing every result again — five at 20× the suite, for ids kept once.
 */
const keptRuns = new WeakSet<RunResult>();

/** The ids of a whole run. */
export function keepIdsOfRun(run: RunResult): void {
  if (keptRuns.has(run)) return;
  for (const s of run.scenarios ?? []) keepIdsOf(s);
  keepIds((run.requirements ?? []).map((r) => r.id));
  keptRuns.add(run);
}

const PATTERNS = [AUTH, BEARER, BASIC, COOKIE, JWT, AWS_KEY_ID, SK, GITHUB, SLACK, HEX, SECRET_KEY];

function applyPatterns(text: string): string {
  return text
    .replace(
      AUTH,
      (_m, header: string, sep: string, scheme?: string) => `${header}${sep}${scheme ? `${scheme} ` : ''}${REDACTED}`,
    )
    .replace(BEARER, `$1 ${REDACTED}`)
    .replace(BASIC, (m, word: string, value: string) => (looksBase64(value) ? `${word} ${REDACTED}` : m))
    .replace(COOKIE, (_m, header: string, sep: string) => `${header}${sep}${REDACTED}`)
    .replace(JWT, REDACTED)
    .replace(AWS_KEY_ID, REDACTED)
    .replace(SK, REDACTED)
    .replace(GITHUB, REDACTED)
    .replace(SLACK, REDACTED)
    .replace(HEX, REDACTED)
    .replace(SECRET_KEY, (_m, key: string, sep: string) => `${key}${sep}${REDACTED}`);
}

/** `text` with every known secret and everything shaped like a credential replaced by `[redacted]`; ids kept. */
export function redact(text: string): string {
  return redactWith(secretMatcher(), text);
}

function redactWith(secrets: SecretMatcher, text: string): string {
  if (secrets !== memoOf) (memo.clear(), (memoOf = secrets));
  if (text.length > MEMO_TEXT_CHARS) return redactNow(secrets, text);
  let out = memo.get(text);
  if (out !== undefined) return out;
  out = redactNow(secrets, text);
  if (memo.size >= MEMO_ENTRIES) memo.clear();
  memo.set(text, out);
  return out;
}

function redactNow(secrets: SecretMatcher, text: string): string {
  let out = replaceSecrets(secrets, text);
  if (!PATTERNS.some((p) => ((p.lastIndex = 0), p.test(out)))) return out;
  // Mask the ids (longest first, so a file beats the id inside it), redact, then put them back.
  keptSorted ??= [...kept].sort((a, b) => b.length - a.length);
  const masked: string[] = [];
  for (const id of keptSorted) {
    if (!out.includes(id)) continue;
    out = out.replaceAll(id, `\uE000${masked.length}\uE001`);
    masked.push(id);
  }
  out = applyPatterns(out);
  return masked.length ? out.replace(/\uE000(\d+)\uE001/g, (_m, i: string) => masked[Number(i)]!) : out;
}

/** Fields that hold ids, paths and locations: never redacted in `report.json`. */
const ID_FIELDS = new Set([
  'id',
  'file',
  'location',
  'rule',
  'trace',
  'requirements',
  'requirement',
  'scenario',
  'scenarios',
  'failedBy',
  'area',
  'tags',
  'sources',
  'runId',
  'missed',
  'name',
  'level',
]);

/**
 * A JSON-safe deep copy of `value` (see `jsonSafe`: circular references and BigInt never throw) with `redact()`
 * applied to every string outside the id fields. Keys are left alone.
 */
export function redactDeep<T>(value: T): T {
  return jsonSafe(value, stringRedactor()) as T;
}

/**
 * What `redactDeep` makes of each string it meets under `key` (an array's items sit under their array's key): left
 * alone in an id field, else redacted. Its secrets are read once, when it is made: one value (a whole report) is one
 * moment.
 */
export function stringRedactor(): (s: string, key: string | undefined) => string {
  const secrets = secretMatcher();
  return (s, key) => (key !== undefined && ID_FIELDS.has(key) ? s : redactWith(secrets, s));
}

const ANSI = /\u001B\[[0-9;?]*[ -/]*[@-~]/g;
const CONTROL = /\r(?!\n)|[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/g;
/** Every character the three replacements below look for (ESC, CR and the rest): a text without one needs none. */
const UNSAFE = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/;

/** `redact(text)` without ANSI sequences, CRLF as LF, other control characters but tab and LF as U+FFFD. */
export function sanitize(text: string): string {
  const out = redact(text);
  return UNSAFE.test(out) ? out.replace(ANSI, '').replace(/\r\n/g, '\n').replace(CONTROL, '\uFFFD') : out;
}

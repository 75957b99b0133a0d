/**
 * The one way text gets into report.html: through `sanitize()` (redaction of secrets, no control characters) and
 * then HTML escaping. Scenario titles, observed message bodies and adapter errors come from people and from the
 * system under test; any of them may hold `<script>` or a quote that would end an attribute.
 */
import { sanitize } from '../redact.js';

const ENTITIES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' };

const CONTENT = /[&<>]/;
const CONTENT_ALL = /[&<>]/g;
const ATTRIBUTE = /[&<>"]/;
const ATTRIBUTE_ALL = /[&<>"]/g;
const entity = (c: string) => ENTITIES[c]!;

/** Text for element content (quotes stay as they are: JSON bodies would double in size). */
export function esc(text: string | number | undefined | null): string {
  const clean = sanitize(String(text ?? ''));
  // Most texts of a report hold nothing to escape: a test is cheaper than a replace that finds nothing.
  return CONTENT.test(clean) ? clean.replace(CONTENT_ALL, entity) : clean;
}

/** Text for a double-quoted attribute value (every attribute of the page is double-quoted). */
export function attr(text: string | number | undefined | null): string {
  const clean = sanitize(String(text ?? ''));
  return ATTRIBUTE.test(clean) ? clean.replace(ATTRIBUTE_ALL, entity) : clean;
}

/** Parts made only of these characters are their own anchor: requirement ids, adapter names. */
const SAFE = /^[A-Za-z0-9_-]*$/;

/** An id usable in `id=` and `href="#…"`: scenario ids hold slashes; two different texts never share one. */
export function anchor(prefix: string, ...parts: string[]): string {
  return `${prefix}-${parts.map((p) => (SAFE.test(p) ? p : [...p].map((c) => (/[A-Za-z0-9_-]/.test(c) ? c : `.${c.codePointAt(0)!.toString(16)}.`)).join(''))).join('--')}`;
}

/** A verdict badge; the class gives its colour, the text says it without colour. */
export function badge(verdict: string): string {
  return `<span class="v v-${attr(verdict)}">${esc(verdict)}</span>`;
}

export const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

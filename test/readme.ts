/**
 * The README's figures, read from the sentences that state them. Whitespace is folded to one space first, so that a
 * sentence may be re-wrapped anywhere without its figure being lost; a pattern must match exactly one sentence, so
 * that a figure stated twice (one of them stale) or reworded away is an error, not a silent pass. Used by
 * test/readme-figures.test.ts for what is cheap to compute, and by the tests that already compute a detection score
 * (mutants, mutants-implementations, html-report) for theirs.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const README_FILE = fileURLToPath(new URL('../README.md', import.meta.url));

export const readme = (): string => readFileSync(README_FILE, 'utf8');

/** Every run of whitespace (line breaks and indentation included) as one space. */
export const fold = (text: string): string => text.replace(/\s+/g, ' ');

/** The matches of `pattern` in the folded text, each with the offsets of its groups (for altering them). */
export function sentences(pattern: RegExp, text: string): RegExpExecArray[] {
  return [...fold(text).matchAll(new RegExp(pattern.source, 'gd'))];
}

/** The figures `pattern`'s groups capture in the one README sentence it matches; throws when it matches 0 or 2+. */
export function readmeFigures(pattern: RegExp, text: string = readme()): string[] {
  const found = sentences(pattern, text);
  if (found.length !== 1)
    throw new Error(`README.md: ${found.length} sentences match ${String(pattern)}; exactly one was expected`);
  return found[0]!.slice(1).map((g) => g ?? '');
}

/** A README number as a number: `10,000` → 10000, `5.6` → 5.6. */
export const num = (figure: string): number => Number(figure.replace(/,/g, ''));

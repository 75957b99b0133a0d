/** Located problems in a user's input: what is wrong, and exactly where (`file:line:col`). */

export interface Diagnostic {
  file: string;
  line: number;
  col: number;
  message: string;
}

export const formatDiagnostic = (d: Diagnostic): string => `${d.file}:${d.line}:${d.col}: ${d.message}`;

/** Thrown for bad input; the CLI prints the diagnostics and exits 2. */
export class InputError extends Error {
  constructor(readonly diagnostics: Diagnostic[]) {
    super(diagnostics.map(formatDiagnostic).join('\n'));
  }
}

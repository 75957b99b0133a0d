/** Located problems in a user's input: what is wrong, and exactly where (`file:line:col`). */

export interface Diagnostic {
  file: string;
  line: number;
  col: number;
  message: string;
}

// C0 and C1 controls (a diagnostic is one line, so newlines too), DEL, the Unicode line separators, and the
// bidirectional overrides and isolates that can make a line read differently from what it says ("Trojan source").
const CONTROLS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/** `text` safe for a terminal: every control character written as a visible escape (`\x1B`, `\u202E`). */
export const escapeControls = (text: string): string =>
  text.replace(CONTROLS, (c) => {
    const code = c.charCodeAt(0);
    return code < 0x100
      ? `\\x${code.toString(16).toUpperCase().padStart(2, '0')}`
      : `\\u${code.toString(16).toUpperCase()}`;
  });

/** Messages quote the input; a 900 KB value quoted whole would bury every other line. */
export const MAX_MESSAGE_CHARS = 2000;
const shorten = (m: string): string =>
  m.length <= MAX_MESSAGE_CHARS
    ? m
    : `${m.slice(0, MAX_MESSAGE_CHARS)}… (${m.length - MAX_MESSAGE_CHARS} more characters)`;

/** One line per diagnostic, whatever the file name or the message quotes from the input. */
export const formatDiagnostic = (d: Diagnostic): string =>
  escapeControls(`${d.file}:${d.line}:${d.col}: ${shorten(d.message)}`);

/** Thrown for bad input; the CLI prints the diagnostics and exits 2. */
export class InputError extends Error {
  constructor(readonly diagnostics: Diagnostic[]) {
    super(diagnostics.map(formatDiagnostic).join('\n'));
  }
}

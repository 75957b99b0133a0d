/**
 * No source file in harness/, specs/, adapters/, reports/ is over 300 lines unless its header comment says why
 * (`why-long:`), as issue 8's "How we will know" asks: a long file is either split by what it computes or explained.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';

/** Folders whose files issue 8 wants small or explained. */
const SOURCE_DIRS = ['harness', 'specs', 'adapters', 'reports'];
const MAX_LINES = 300;

const sourceFiles = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sourceFiles(join(dir, e.name)) : /\.(ts|js|mjs|cjs)$/.test(e.name) ? [join(dir, e.name)] : [],
  );

/** The header comment: the comment lines the file opens with (a `#!` line allowed before them). */
function header(text: string): string {
  const m = /^(?:#![^\n]*\n)?\s*(\/\*[\s\S]*?\*\/|(?:\/\/[^\n]*\n\s*)+)/.exec(text);
  return m?.[1] ?? '';
}

/** A file over the limit whose header comment does not say why (`why-long:`), with its length. */
function unexplained(file: string, text: string): string | undefined {
  const lines = text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
  return lines > MAX_LINES && !/why-long:/i.test(header(text))
    ? `${file}: ${lines} lines, no why-long: in its header`
    : undefined;
}

t.test(
  `no file in ${SOURCE_DIRS.join(', ')} is over ${MAX_LINES} lines without a why-long: in its header comment`,
  async (t) => {
    const files = SOURCE_DIRS.flatMap(sourceFiles);
    t.ok(files.includes(join('harness', 'run.ts')), 'the walk finds the sources');
    t.same(files.map((f) => unexplained(f, readFileSync(f, 'utf8'))).filter(Boolean), []);

    const long = 'const x = 1;\n'.repeat(MAX_LINES);
    t.equal(unexplained('a.ts', `// short\n${'x\n'.repeat(MAX_LINES - 1)}`), undefined, `${MAX_LINES} lines pass`);
    t.equal(unexplained('a.ts', `/** one job */\n${long}`), `a.ts: ${MAX_LINES + 1} lines, no why-long: in its header`);
    t.equal(
      unexplained('a.ts', `/**\n * One job.\n * why-long: one table, read top to bottom.\n */\n${long}`),
      undefined,
    );
    t.equal(unexplained('a.ts', `// why-long: a table\n${long}`), undefined, 'a line comment header counts');
    t.ok(
      unexplained('a.ts', `/** one job */\n${long}/* why-long: too late */\n`),
      'a why-long: below the header does not',
    );
  },
);

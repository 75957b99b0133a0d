/**
 * The report formats by name (`--reporter LIST`), one line each. Apart from reporter.ts so that no reporter
 * imports the file that imports it.
 */
import { BlobReporter } from './blob.js';
import { GithubReporter } from './github.js';
import { HtmlReporter } from './html.js';
import { JsonReporter } from './json.js';
import { JunitReporter } from './junit.js';
import { LineReporter } from './line.js';
import { MarkdownReporter } from './markdown.js';
import { PlainReporter } from './plain.js';
import type { NamedReporter, Reporter, ReporterContext } from './reporter.js';

const FACTORIES = {
  json: (ctx: ReporterContext) => new JsonReporter(ctx),
  junit: (ctx: ReporterContext) => new JunitReporter(ctx),
  markdown: (ctx: ReporterContext) => new MarkdownReporter(ctx),
  html: (ctx: ReporterContext) => new HtmlReporter(ctx),
  line: (ctx: ReporterContext) => new LineReporter(ctx),
  plain: (ctx: ReporterContext) => new PlainReporter(ctx),
  github: (ctx: ReporterContext) => new GithubReporter(ctx),
  blob: (ctx: ReporterContext) => new BlobReporter(ctx),
} satisfies Record<string, (ctx: ReporterContext) => Reporter>;

export type ReporterName = keyof typeof FACTORIES;
export const REPORTER_NAMES = Object.keys(FACTORIES) as ReporterName[];

export function isReporterName(name: string): name is ReporterName {
  return Object.hasOwn(FACTORIES, name);
}

/**
 * Build reporters by name, in the order given, each name once. An unknown name throws before anything runs (a
 * usage error for the CLI), naming the known ones. `line` and `plain` both write to `ctx.stream`: pick one
 * (`line` when `ctx.isTTY`, `plain` otherwise is the sensible default); `github` goes with either.
 */
export function createReporters(
  names: readonly string[],
  ctx: ReporterContext,
): (NamedReporter & { name: ReporterName })[] {
  const unknown = names.filter((n) => !isReporterName(n));
  if (unknown.length) {
    throw new Error(
      `unknown report ${unknown.map((n) => `"${n}"`).join(', ')}: known are ${REPORTER_NAMES.join(', ')}`,
    );
  }
  return [...new Set(names as ReporterName[])].map((name) => ({ name, reporter: FACTORIES[name](ctx) }));
}

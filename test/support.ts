/** Shared test helpers: run the CLI in-process with captured output, and write scenario files to a temp folder. */
import { mkdtempSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { main } from '../harness/cli.js';
import type { RunResult } from '../reports/results.js';

export interface CliRun {
  code: number;
  out: string;
  err: string;
  outDir: string;
  report(): RunResult;
}

const sink = (buf: string[], isTTY = false) =>
  Object.assign({ write: (s: string) => (buf.push(String(s)), true) }, { isTTY }) as never;

export async function cli(args: string[], env: Record<string, string> = {}): Promise<CliRun> {
  const outDir = mkdtempSync(join(tmpdir(), 'ic-report-'));
  const out: string[] = [];
  const err: string[] = [];
  const withOut = args[0] === 'run' && !args.includes('--out') ? [...args, '--out', outDir] : args;
  const code = await main(withOut, { stdout: sink(out), stderr: sink(err), env: { CI: '1', ...env } });
  return {
    code,
    out: out.join(''),
    err: err.join(''),
    outDir,
    report: () => JSON.parse(readFileSync(join(outDir, 'report.json'), 'utf8')) as RunResult,
  };
}

/** Write files (path → text) into a fresh temp folder laid out like `scenarios/`; returns its path. */
export function scenarioDir(files: Record<string, string>): string {
  const root = join(mkdtempSync(join(tmpdir(), 'ic-scn-')), 'scenarios');
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

/** A small valid scenario: Tara (Teams) writes to Sam (Skype), who accepts; Tara writes again. */
export const CHAT_SCENARIO = `title: Tara and Sam chat
world:
  users:
    tara: { platform: teams }
    sam: { platform: skype }
steps:
  - actor: tara
    message: { to: sam, text: hello }
  - actor: sam
    accept: { from: tara }
  - actor: tara
    message: { to: sam, text: again }
`;

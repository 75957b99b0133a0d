/**
 * Where a `run`'s memory goes, phase by phase (issue 9: peak RSS at 20× must stay ≤ 1.3× the 1× figure). For each
 * size and each set of file reports, a cold child process runs the CLI's `main` on k distinct copies of the suite
 * (the growth section's copies) and samples, with a full GC first (`--expose-gc`), the heap in use, the RSS and the
 * peak RSS so far (getrusage's maxrss, a high-water mark) at four moments:
 * - `start`: before the CLI is imported;
 * - `loaded`: the first scenario has ended (all scenarios loaded and predicted, the adapter ready);
 * - `ran`: the run is complete, as its reports start (the reporters' `onEnd`): what the run holds to its end (not
 *   `io.onRun`: whoever takes the run from there is handed every result, read back);
 * - `reported`: `main` returned: the reports are written.
 * What raised the peak is the difference of `peakMiB` between two moments; what is held is `heapMiB`.
 *
 *   node --import tsx bench/rss-phases.ts [--sizes 1,20] [--reporters ,json,junit,markdown,html,all] [--dist]
 *
 * `--reporters` lists report sets, comma-separated (an empty item is `--reporter ''`: no file report; `all` is the
 * default four); `--dist`: the CLI from dist/ (`npm run build`), as the growth section runs it. Figures are of one
 * process each, for a breakdown, not a timing: the bench's growth section gives the peak-RSS ratios.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { ROOT, userEnv } from './child.js';
import { copies } from './growth.js';

interface Sample {
  phase: 'start' | 'loaded' | 'ran' | 'reported';
  heapMiB: number;
  externalMiB: number;
  rssMiB: number;
  peakMiB: number;
}

const MiB = 1024 * 1024;

function sample(phase: Sample['phase']): Sample {
  (globalThis as { gc?: () => void }).gc?.();
  const m = process.memoryUsage();
  const r = (x: number) => Math.round((x / MiB) * 10) / 10;
  return {
    phase,
    heapMiB: r(m.heapUsed),
    externalMiB: r(m.external + m.arrayBuffers),
    rssMiB: r(m.rss),
    peakMiB: r(process.resourceUsage().maxRSS * 1024),
  };
}

/** The child: one run of the CLI's `main`, sampled; prints its samples as one JSON line. */
async function child(dir: string, out: string, reporters: string): Promise<void> {
  const samples: Sample[] = [sample('start')];
  // From dist/ as the bench's growth section runs it (`--dist`), else from the sources.
  const dist = Boolean(process.env.RSS_PHASES_DIST);
  const { main } = (await import(
    dist ? '../dist/harness/cli.js' : '../harness/cli.js'
  )) as typeof import('../harness/cli.js');
  const { Multiplexer } = (await import(
    dist ? '../dist/reports/multiplexer.js' : '../reports/multiplexer.js'
  )) as typeof import('../reports/multiplexer.js');
  const { onEnd } = Multiplexer.prototype;
  Multiplexer.prototype.onEnd = function (this: InstanceType<typeof Multiplexer>, run) {
    samples.push(sample('ran'));
    return onEnd.call(this, run);
  };
  const progress = new Writable({
    write(_chunk, _enc, done) {
      if (samples.length === 1) samples.push(sample('loaded'));
      done();
    },
  });
  const extra = process.env.RSS_PHASES_ARGS?.split(' ').filter(Boolean) ?? [];
  await main(['run', dir, '--out', out, `--reporter=${reporters}`, ...extra], {
    stdout: progress,
    stderr: process.stderr,
    env: { ...process.env, CI: '1' },
  });
  samples.push(sample('reported'));
  process.stdout.write(`${JSON.stringify(samples)}\n`);
}

async function parent(): Promise<void> {
  const { values } = parseArgs({
    options: {
      sizes: { type: 'string', default: '1,20' },
      reporters: { type: 'string', default: ',all' },
      dist: { type: 'boolean', default: false },
    },
  });
  const sizes = values.sizes.split(',').map(Number);
  const sets = values.reporters.split(',').map((r) => (r === 'all' ? 'json,junit,markdown,html' : r));
  const tmp = mkdtempSync(join(tmpdir(), 'ic-bench-rss-phases-'));
  try {
    for (const k of sizes) {
      const dir = copies(join(ROOT, 'scenarios'), k, tmp);
      for (const set of sets) {
        const out = join(tmp, `out-${k}`);
        const r = spawnSync(
          process.execPath,
          ['--expose-gc', '--import', 'tsx', fileURLToPath(import.meta.url), '--child', dir, out, set],
          {
            cwd: ROOT,
            env: { ...userEnv(), ...(values.dist ? { RSS_PHASES_DIST: '1' } : {}) },
            encoding: 'utf8',
            maxBuffer: 16 * MiB,
          },
        );
        const line = r.stdout.trim().split('\n').at(-1) ?? '';
        if (!line.startsWith('[')) throw new Error(`child ${k}× [${set}] failed: ${r.stderr.slice(-1000)}`);
        const samples = JSON.parse(line) as Sample[];
        console.log(`${k}× reports [${set || 'none'}]`);
        for (const s of samples)
          console.log(
            `  ${s.phase.padEnd(8)} heap ${s.heapMiB} MiB, external ${s.externalMiB} MiB, rss ${s.rssMiB} MiB, peak ${s.peakMiB} MiB`,
          );
        rmSync(out, { recursive: true, force: true });
      }
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

const at = process.argv.indexOf('--child');
if (at >= 0) await child(process.argv[at + 1]!, process.argv[at + 2]!, process.argv[at + 3] ?? '');
else await parent();

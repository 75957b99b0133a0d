/**
 * No false green, no lost report: adapter code that ends the process, crashes it from a timer or an unawaited
 * promise, hangs while loading or disposing, or a signal mid-run — each run still ends with its own report set
 * (never a previous run's report.json left in place) and an exit code that is never 0. Through a real child
 * process (`node bin/interop-conformance.js`), since process.exit, signals and open handles are what is tested.
 */
import t from 'tap';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RunResult } from '../reports/results.js';
import { CHAT_SCENARIO, scenarioDir } from './support.js';

const dir = scenarioDir({
  'chat/a.yaml': CHAT_SCENARIO,
  'chat/b.yaml': CHAT_SCENARIO.replace('Tara and Sam chat', 'Tara and Sam chat again'),
});
const three = scenarioDir({ 'chat/a.yaml': CHAT_SCENARIO, 'chat/b.yaml': CHAT_SCENARIO, 'chat/c.yaml': CHAT_SCENARIO });
const STALE = { summary: { stale: 'from an earlier run', gate: { conformant: true } } };

interface Ran {
  code: number | null;
  out: string;
  err: string;
  ms: number;
  outDir: string;
  report(): RunResult;
}

/** Run the CLI as a program, in a folder that holds a stale report; `onOutput` may signal the child. */
function program(args: string[], onOutput?: (text: string, child: ReturnType<typeof spawn>) => void): Promise<Ran> {
  const outDir = join(dir, '..', `out-${Math.random().toString(36).slice(2)}`);
  mkdirSync(outDir, { recursive: true });
  writeFileSync(join(outDir, 'report.json'), JSON.stringify(STALE));
  const started = Date.now();
  // The program runs through tsx, not tap's loader: its coverage maps onto differently transpiled sources and, merged
  // with the in-process tests', halves the figures of files it ran (all files fell to 85 % lines). It takes none;
  // the same paths are covered in-process by cli.test.ts.
  const child = spawn(process.execPath, ['bin/interop-conformance.js', ...args, '--out', outDir], {
    env: { ...process.env, CI: '1', _TAPJS_PROCESSINFO_COVERAGE_: '0' },
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (d) => {
    out += String(d);
    onOutput?.(out, child);
  });
  child.stderr.on('data', (d) => {
    err += String(d);
    onOutput?.(err, child);
  });
  const killer = setTimeout(() => child.kill('SIGKILL'), 30_000);
  return new Promise((resolve) =>
    child.on('close', (code) => {
      clearTimeout(killer);
      resolve({
        code,
        out,
        err,
        ms: Date.now() - started,
        outDir,
        report: () => JSON.parse(readFileSync(join(outDir, 'report.json'), 'utf8')) as RunResult,
      });
    }),
  );
}

const crashing = (crash: string, more: string[] = [], onOutput?: Parameters<typeof program>[1]) =>
  program(
    [
      'run',
      dir,
      '--adapter',
      'test/fixtures/crash-adapter.ts',
      '--adapter-option',
      `crash=${crash}`,
      '--timeout',
      '1500',
      ...more,
    ],
    onOutput,
  );

function freshReport(
  t: {
    notOk: (v: unknown, m: string) => void;
    match: (a: unknown, b: unknown, m: string) => void;
    equal: (a: unknown, b: unknown, m: string) => void;
  },
  r: Ran,
): RunResult {
  const report = r.report();
  t.notOk((report.summary as unknown as { stale?: string }).stale, 'the stale report.json was replaced');
  t.match(report.summary.runId, /^\d{8}T\d{6}Z-[0-9a-f]{8}$/, "with this run's id");
  t.equal(report.summary.gate.conformant, false, 'not conformant');
  return report;
}

t.test(
  'an adapter calling process.exit(0) in perform: the step is an error, reports are written, exit 3',
  async (t) => {
    const r = await crashing('exit-in-perform');
    t.equal(r.code, 3, r.err);
    const report = freshReport(t, r);
    t.match(report.scenarios[0], {
      verdict: 'error',
      steps: [{ verdict: 'error', error: /the adapter called process\.exit\(0\)/ }],
    });
    t.match(report.summary.crashes, [/process\.exit\(0\)/]);
    t.match(report.summary.gate.reasons, [/^the adapter crashed: the adapter called process\.exit\(0\)/]);
    t.match(r.out, /NOT conformant/);
    t.notMatch(r.err, /at .*\.ts:\d+/, 'no stack trace');
  },
);

t.test(
  'an adapter calling process.exit(0) at import: every scenario is an error, reports are written, exit 3',
  async (t) => {
    const r = await program(['run', dir, '--adapter', 'test/fixtures/exit-at-import-adapter.ts']);
    t.equal(r.code, 3, r.err);
    const report = freshReport(t, r);
    t.same(
      report.scenarios.map((s) => s.verdict),
      ['error', 'error'],
    );
    t.match(report.scenarios[0]?.reason, /the adapter could not be loaded: .*process\.exit\(0\)/);
  },
);

t.test('an exception thrown later from an adapter timer is recorded and named: exit 3, reports written', async (t) => {
  const r = await crashing('timer-throw');
  t.equal(r.code, 3, r.err);
  const report = freshReport(t, r);
  t.match(report.summary.crashes, [/uncaught exception: boom from a timer/]);
  t.match(
    readFileSync(join(r.outDir, 'summary.md'), 'utf8'),
    /the adapter crashed: uncaught exception: boom from a timer/,
  );
});

t.test('an unhandled rejection in adapter code is recorded and named: exit 3, reports written', async (t) => {
  const r = await crashing('unhandled-rejection');
  t.equal(r.code, 3, r.err);
  const report = freshReport(t, r);
  t.match(report.summary.crashes, [/unhandled promise rejection: nobody awaited me/]);
});

t.test(
  'a factory that never resolves, or a module import that hangs, is timed out: reports written, exit 3',
  async (t) => {
    for (const [args, reason] of [
      [
        ['--adapter', 'test/fixtures/crash-adapter.ts', '--adapter-option', 'crash=hang-factory'],
        /making adapter .* took longer than 500 ms$/,
      ],
      // An import gets at least IMPORT_TIMEOUT_FLOOR_MS (5 s): loading code is not a call into the system.
      [
        ['--adapter', 'test/fixtures/hang-at-import-adapter.ts'],
        /importing adapter module .* took longer than 5000 ms$/,
      ],
    ] as const) {
      const r = await program(['run', dir, ...args, '--timeout', '500']);
      t.equal(r.code, 3, `${args.join(' ')}: ${r.err}`);
      const report = freshReport(t, r);
      t.same(
        report.scenarios.map((s) => s.verdict),
        ['error', 'error'],
      );
      t.match(report.scenarios[0]?.reason, reason);
    }
  },
);

t.test(
  'a dispose that hangs and leaves a timer running cannot keep the program from ending with its exit code',
  async (t) => {
    const r = await crashing('hang-dispose');
    t.equal(r.code, 0, 'the verdicts stand: the run itself was conformant');
    const report = r.report();
    t.equal(report.summary.scenarios.pass, 2);
    t.match(report.summary.gate.reasons, [
      /^note: adapter crashing\(hang-dispose\) could not be disposed of: disposing of adapter .* took longer than 1500 ms/,
    ]);
    const left = await crashing('leave-handle');
    t.equal(left.code, 0, 'an interval left running does not hold the process');
    t.ok(left.ms < 15_000, `ended in ${left.ms} ms`);
  },
);

/** Signal the child as the third world opens: some scenarios have ended, one is under way. */
const signalAtThirdWorld = (signal: NodeJS.Signals) => {
  let sent = false;
  return (text: string, child: ReturnType<typeof spawn>) => {
    if (!sent && (text.match(/world opened/g) ?? []).length >= 3) ((sent = true), child.kill(signal));
  };
};
const slow = ['run', three, '--adapter', 'test/fixtures/crash-adapter.ts', '--adapter-option', 'crash=slow'];

t.test('SIGINT mid-run writes what the run has, marked interrupted, not conformant, exit 130', async (t) => {
  const r = await program(slow, signalAtThirdWorld('SIGINT'));
  t.equal(r.code, 130, r.err);
  const report = freshReport(t, r);
  t.equal(report.summary.interrupted, true);
  t.ok(report.scenarios.length < 3, `${report.scenarios.length} of 3 scenarios reported: the one cut short is not`);
  t.ok(
    report.scenarios.every((s) => s.verdict === 'pass'),
    'what ended is reported as it ended',
  );
  t.match(report.summary.gate.reasons, [
    new RegExp(
      `^the run was interrupted by SIGINT after ${report.scenarios.length} of 3 scenario results: not every scenario ran$`,
    ),
  ]);
  const junit = readFileSync(join(r.outDir, 'junit.xml'), 'utf8');
  t.match(junit, `<property name="run-id" value="${report.summary.runId}"/>`, 'junit.xml carries the same run id');
  t.match(readFileSync(join(r.outDir, 'summary.md'), 'utf8'), `run \`${report.summary.runId}\` · **interrupted**`);
  t.same(
    readdirSync(r.outDir).filter((f) => f.startsWith('.')),
    [],
    'no temporary file or journal left',
  );
  t.match(r.out, /NOT conformant/);
});

t.test('SIGTERM mid-run: exit 143, reports written', async (t) => {
  const r = await program(slow, signalAtThirdWorld('SIGTERM'));
  t.equal(r.code, 143, r.err);
  t.equal(freshReport(t, r).summary.interrupted, true);
  t.ok(existsSync(join(r.outDir, 'summary.md')));
});

/**
 * merge-reports: the blobs of `run --shard i/n` give back the reports one whole run writes; blobs that cannot make
 * one run are refused (exit 2, naming the files); what closed a shard's gate closes the merged one. Over the 11 chat
 * scenarios `--grep refused` selects (by id or title), against the in-process reference.
 * why-long: one refusal a row (20), each shown on blobs edited from the same three shard runs, which a second file
 * would have to run again.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import t from 'tap';
import type { RunResult } from '../reports/results.js';
import type { Blob } from '../reports/blob.js';
import { isolationLost } from '../harness/commands/merge-reports.js';
import { CHAT_SCENARIO, cli, scenarioDir } from './support.js';

// No report.html: it is rendered from the same RunResult, and it is this file's slowest part.
const SUBSET = ['scenarios/chat', '--grep', 'refused', '--reporter', 'json,junit,markdown'];
const root = mkdtempSync(join(tmpdir(), 'ic-merge-'));
const dir = (name: string) => join(root, name);
const report = (d: string) => JSON.parse(readFileSync(join(d, 'report.json'), 'utf8')) as RunResult;
const blob = (i: number, n = 3) => join(dir(`s${i}`), 'blob', `shard-${i}-of-${n}.jsonl`);

const shards = [1, 2, 3];
let whole: RunResult;
t.before(async () => {
  const all = await cli(['run', ...SUBSET, '--out', dir('all'), '--quiet']);
  if (all.code !== 0) throw new Error(all.err);
  whole = report(dir('all'));
  for (const i of shards) {
    const r = await cli(['run', ...SUBSET, '--shard', `${i}/3`, '--out', dir(`s${i}`), '--quiet']);
    if (r.code !== 0) throw new Error(r.err);
  }
});

/** A report without what differs between two runs of the same scenarios: times, durations, latencies, run ids. */
const TIMING = /^(durationMs|startedAt|runId|deliveredAt|latencyMs|latency|latenciesMs|systemLatenciesMs)$/;
const untimed = (v: unknown): unknown =>
  Array.isArray(v)
    ? v.map(untimed)
    : v && typeof v === 'object'
      ? Object.fromEntries(
          Object.entries(v)
            .filter(([k]) => !TIMING.test(k))
            .map(([k, x]) => [k, untimed(x)]),
        )
      : v;

/** Without WIRE-002 (isolation), which a world exercises when the next world of its run opened while it was open. */
const withoutIsolation = (r: RunResult): unknown =>
  JSON.parse(JSON.stringify(r), (k, v: unknown) =>
    Array.isArray(v) ? v.filter((x) => x !== 'WIRE-002' && (x as { id?: string })?.id !== 'WIRE-002') : v,
  );
const isolated = (r: RunResult) => r.requirements.find((q) => q.id === 'WIRE-002')!.scenarios;
/** The merged report's own note of where its isolation evidence differs from one run's (pinned in the first test). */
const ISOLATION_NOTE = /^note: merged from \d+ shards: .* exercises? no isolation \(WIRE-002\)/;
const noted = (reasons: string[]) => reasons.filter((r) => !ISOLATION_NOTE.test(r));
/** A merged report with that note taken out, to compare with one run's. */
const unnoted = (r: RunResult): RunResult => ({
  ...r,
  summary: { ...r.summary, gate: { ...r.summary.gate, reasons: noted(r.summary.gate.reasons) } },
});

t.test('3 shards merged give the report.json of one unsharded run, and its junit.xml and summary.md', async (t) => {
  const m = await cli([
    'merge-reports',
    dir('s1'),
    dir('s2'),
    dir('s3'),
    '--out',
    dir('merged'),
    '--reporter',
    'json,junit,markdown',
  ]);
  t.equal(m.code, 0, m.err);
  t.match(m.out, /^merging 3 shards \(11 scenario results\)/);
  t.match(m.out, /pass chat\/group-chat-refused \(/, 'the scenarios are replayed through the progress reporter');
  const merged = report(dir('merged'));
  t.equal(merged.scenarios.length, 11);
  t.not(merged.summary.runId, whole.summary.runId, 'the merged run has its own run id');
  t.same(untimed(withoutIsolation(unnoted(merged))), untimed(withoutIsolation(whole)));
  // The one difference: a shard's last world has no next world to overlap, so 2 (n - 1) fewer scenarios exercise
  // isolation: the last of shards 1 and 3 (the whole run's last scenario is shard 2's last, round-robin).
  const lastOf = shards.map((i) => readFileSync(blob(i), 'utf8').trim().split('\n').at(-2)!);
  const lastIds = lastOf.map((l) => (JSON.parse(l) as { result: { id: string } }).result.id);
  t.same(isolated(whole), whole.scenarios.map((s) => s.id).slice(0, -1), 'unsharded: all but the last');
  t.same(
    isolated(merged),
    isolated(whole).filter((id) => !lastIds.includes(id)),
    "merged: all but each shard's last",
  );
  t.equal(isolated(whole).length - isolated(merged).length, 2);
  // ... and the merged report says so, naming them: the one place where it differs from one run's, said in it.
  t.same(
    merged.summary.gate.reasons.filter((r) => ISOLATION_NOTE.test(r)),
    [
      `note: merged from 3 shards: 2 scenarios exercise no isolation (WIRE-002) here that one run would exercise, each the last played in its shard, whose world no later world of the shard overlapped: ${lastIds[0]} (shard 1/3), ${lastIds[2]} (shard 3/3)`,
    ],
  );
  t.same(whole.summary.gate.reasons, [], 'one run has no such note');

  const strip = (text: string) =>
    text
      .replace(/\d{8}T\d{6}Z-[0-9a-f]{8}/g, 'RUN')
      .replace(/(time|timestamp)="[^"]*"/g, '$1=""')
      .replace(/\d+(\.\d+)? ?(ms|s)\b/g, 'T')
      .replace(/started \S+/g, 'started')
      .replace(/ ?WIRE-002/g, '')
      .replace(/^.*Delivery latency.*$/m, '');
  const files = (d: string, f: string) => strip(readFileSync(join(d, f), 'utf8'));
  t.equal(files(dir('merged'), 'junit.xml'), files(dir('all'), 'junit.xml'));
  const summaryLines = (d: string) =>
    strip(
      readFileSync(join(d, 'summary.md'), 'utf8')
        // The merged run's note (its only reason: the gate is open), pinned above in report.json.
        .replace(/\n\n## Notes on the gate\n\n- merged from [^\n]*\n/, '\n')
        .split('\n')
        .filter((l) => !l.startsWith('| WIRE-002 |'))
        .join('\n'),
    );
  t.same(summaryLines(dir('merged')), summaryLines(dir('all')));
});

t.test(
  "the note names each shard's last played scenario that one run would have overlapped: not a skipped tail, not one whose next is skipped or last",
  async (t) => {
    // Six scenarios dealt round-robin into 2 shards; `skipped` ones play no step (no world opened).
    const run = (skipped: string[], wire002: string[]) => {
      const ids = ['a', 'b', 'c', 'd', 'e', 'f'];
      const result = (id: string) => ({
        id,
        requirements: wire002.includes(id) ? ['WIRE-002'] : [],
        steps: [{ verdict: skipped.includes(id) ? 'skip' : 'pass' }],
      });
      return [1, 2].map(
        (i) =>
          ({
            file: `shard-${i}-of-2.jsonl`,
            begin: { shard: { index: i, total: 2 }, selected: ids },
            results: ids.filter((_, k) => k % 2 === i - 1).map(result),
          }) as unknown as Blob,
      );
    };
    const note = (ids: string) =>
      `note: merged from 2 shards: ${ids.split(', ').length} scenario${ids.includes(',') ? 's' : ''} exercise no isolation (WIRE-002) here that one run would exercise, each the last played in its shard, whose world no later world of the shard overlapped: ${ids}`;
    // Shard 1 plays a, c, e; shard 2 b, d, f. e is followed by f in one run; f is the selection's last.
    t.equal(isolationLost(run([], ['a', 'b', 'c', 'd'])), note('e (shard 1/2)'));
    // Shard 1's e and shard 2's f skipped: its last played are c (next: d, played) and d (next: e, skipped).
    t.equal(isolationLost(run(['e', 'f'], ['a', 'b'])), note('c (shard 1/2)'));
    t.equal(isolationLost(run([], ['a', 'b', 'c', 'd', 'e'])), undefined, 'e exercised it after all: no note');
  },
);

t.test(
  "a failing shard closes the merged gate as it closes the unsharded run's: exit 1, the same reasons",
  async (t) => {
    const FAULT = ['--quiet', '--adapter-option', 'faults=skype-to-teams-messages-dropped'];
    const all = await cli(['run', ...SUBSET, ...FAULT, '--out', dir('f-all')]);
    t.equal(all.code, 1);
    const codes = [];
    for (const i of shards)
      codes.push((await cli(['run', ...SUBSET, '--shard', `${i}/3`, ...FAULT, '--out', dir(`f${i}`)])).code);
    t.same(codes, [0, 1, 1], 'shard 1 holds no scenario the fault fails: it passes');
    const m = await cli([
      'merge-reports',
      dir('f1'),
      dir('f2'),
      dir('f3'),
      '--out',
      dir('merged-failing'),
      '--quiet',
      '--reporter',
      'json',
    ]);
    t.equal(m.code, 1);
    const gate = unnoted(report(dir('merged-failing'))).summary.gate;
    t.equal(gate.conformant, false);
    t.same(gate.reasons, [
      'chat/plain-text-mention-refused breaks CHAT-002, CHAT-009, REQ-004',
      'chat/skype-rich-content-refused breaks CHAT-002, CHAT-009, CHAT-010, REQ-004',
    ]);
    t.same(gate, report(dir('f-all')).summary.gate);
  },
);

t.test(
  'a baseline judges the merged run as it judges the unsharded one: expected failures, stale entries',
  async (t) => {
    const baseline = join(root, 'known.yaml');
    writeFileSync(baseline, '- chat/plain-text-mention-refused\n- chat/skype-rich-content-refused\n- chat/gone\n');
    const FAULT = ['--quiet', '--reporter', 'json', '--expect-failures', baseline];
    const faulty = [...FAULT, '--adapter-option', 'faults=skype-to-teams-messages-dropped'];
    t.equal((await cli(['run', ...SUBSET, ...faulty, '--out', dir('b-all')])).code, 0);
    for (const i of shards) await cli(['run', ...SUBSET, '--shard', `${i}/3`, ...faulty, '--out', dir(`b${i}`)]);
    const m = await cli([
      'merge-reports',
      dir('b1'),
      dir('b2'),
      dir('b3'),
      '--out',
      dir('merged-b'),
      ...FAULT.slice(0, 3),
    ]);
    t.equal(m.code, 0);
    const gate = unnoted(report(dir('merged-b'))).summary.gate;
    t.same(gate.expectedFailures, ['chat/plain-text-mention-refused', 'chat/skype-rich-content-refused']);
    t.same(gate.reasons, ['note: the baseline lists chat/gone, which this run did not include']);
    t.same(
      gate,
      report(dir('b-all')).summary.gate,
      "each shard's notes on the entries of other shards are not the merged run's",
    );
  },
);

/** The shards' blobs copied into a folder of their own, blob `edit[i]` rewritten record by record (a string: as is). */
function edited(name: string, edit: Record<number, (record: Record<string, any>, line: number) => unknown>): string {
  const out = dir(name);
  mkdirSync(out, { recursive: true });
  for (const i of shards) {
    const target = join(out, basename(blob(i)));
    const change = edit[i];
    if (!change) copyFileSync(blob(i), target);
    else {
      const lines = readFileSync(blob(i), 'utf8').trim().split('\n');
      const records = lines.map((l, n) => change(JSON.parse(l) as Record<string, any>, n));
      writeFileSync(
        target,
        records
          .filter((r) => r !== undefined)
          .map((r) => `${typeof r === 'string' ? r : JSON.stringify(r)}\n`)
          .join(''),
      );
    }
  }
  return out;
}

const merge = (from: string[]) => cli(['merge-reports', ...from, '--out', dir('refused'), '--quiet']);
const end = (f: (r: Record<string, any>) => void) => (r: Record<string, any>) => (r.type === 'end' && f(r), r);
const begin = (f: (r: Record<string, any>) => void) => (r: Record<string, any>) => (r.type === 'begin' && f(r), r);

t.test('blobs that are not the shards of one run are refused with exit 2, naming the files', async (t) => {
  const firstOf1 = (JSON.parse(readFileSync(blob(1), 'utf8').split('\n')[0]!) as { assigned: string[] }).assigned[0]!;
  const unreadable = dir('unreadable');
  mkdirSync(join(unreadable, 'shard-1-of-1.jsonl'), { recursive: true }); // a folder by a blob's name
  const cases: [string, string[], RegExp][] = [
    [
      'mixed catalogue versions',
      [edited('cat', { 2: end((r) => (r.summary.catalogueVersion = '9.9.9')) })],
      /different catalogue versions: 1\.2\.0 in .*shard-1-of-3\.jsonl, .*shard-3-of-3\.jsonl; 9\.9\.9 in .*shard-2-of-3\.jsonl/,
    ],
    [
      'a catalogue this harness does not have',
      [
        edited(
          'cat-all',
          Object.fromEntries(shards.map((i) => [i, end((r) => (r.summary.catalogueVersion = '0.0.1'))])),
        ),
      ],
      /judged against requirement catalogue 0\.0\.1, this harness has 1\.2\.0/,
    ],
    [
      'different n',
      [edited('n', { 3: begin((r) => (r.shard.total = 4)) })],
      /different shard counts \(n of --shard i\/n\): 3 in .*shard-1-of-3\.jsonl, .*shard-2-of-3\.jsonl; 4 in .*shard-3-of-3\.jsonl/,
    ],
    ['a missing shard', [dir('s1'), dir('s3')], /shard 2\/3 missing: only 1\/3 \(.*shard-1-of-3\.jsonl\), 3\/3 \(/],
    [
      'a shard given twice',
      [dir('s1'), dir('s2'), dir('s3'), edited('twice', {})],
      /shard 1\/3 is given twice: .*s1\/blob\/shard-1-of-3\.jsonl, .*twice\/shard-1-of-3\.jsonl/,
    ],
    [
      'a scenario in two shards',
      [edited('two', { 2: begin((r) => r.assigned.push(firstOf1)) })],
      new RegExp(`scenario ${firstOf1} is in two shards: .*shard-1-of-3\\.jsonl and .*shard-2-of-3\\.jsonl`),
    ],
    [
      "a result outside its shard's part",
      [edited('none', { 1: begin((r) => r.assigned.splice(r.assigned.indexOf(firstOf1), 1)) })],
      new RegExp(`scenario ${firstOf1} has a result in .*shard-1-of-3\\.jsonl, not its shard`),
    ],
    [
      'a selected scenario no shard was given',
      [
        edited(
          'unassigned',
          Object.fromEntries(shards.map((i) => [i, begin((r) => r.selected.push('chat/elsewhere'))])),
        ),
      ],
      /scenario chat\/elsewhere is in no shard's part/,
    ],
    [
      'different harness versions',
      [edited('versions', { 2: end((r) => (r.summary.version = '0.0.9')) })],
      /different harness versions: 0\.1\.0 in .*shard-1-of-3\.jsonl, .*shard-3-of-3\.jsonl; 0\.0\.9 in .*shard-2-of-3\.jsonl/,
    ],
    [
      'different adapters',
      [edited('adapters', { 1: end((r) => (r.summary.adapter = 'mine')) })],
      /different adapters: mine in .*shard-1-of-3\.jsonl; reference in .*\(an http adapter is named by its --url: give every shard the same\)$/m,
    ],
    [
      'different strictness',
      [edited('strict', { 3: end((r) => (r.summary.gate.strict = true)) })],
      /different strictness \(--strict\): false in .*; true in .*shard-3-of-3/,
    ],
    [
      'different baselines',
      [edited('baseline', { 2: begin((r) => r.baseline.push('chat/x')) })],
      /different baselines \(--expect-failures\): \(none\) in .*; chat\/x in .*shard-2-of-3/,
    ],
    [
      'different selections',
      [edited('selection', { 2: begin((r) => r.selected.reverse()) })],
      /different selections \(PATH, --grep, --tag\)/,
    ],
    [
      'a line that is not JSON',
      [edited('json', { 2: (r, n) => (n === 1 ? 'not json {' : r) })],
      /shard-2-of-3\.jsonl:2: not a JSON record of a blob report/,
    ],
    [
      'a first line that is not a begin',
      [edited('first', { 1: (r, n) => (n === 0 ? { type: 'start' } : r) })],
      /shard-1-of-3\.jsonl:1: not a blob report of this harness/,
    ],
    [
      'no end record',
      [edited('noend', { 3: (r) => (r.type === 'end' ? undefined : r) })],
      /shard-3-of-3\.jsonl:\d+: the blob has no end record/,
    ],
    [
      'a middle line that is no result',
      [edited('middle', { 3: (r, n) => (n === 1 ? { type: 'result' } : r) })],
      /shard-3-of-3\.jsonl:2: a blob's middle lines must be scenario results/,
    ],
    [
      'a line that is JSON but no record',
      [edited('number', { 1: (r, n) => (n === 2 ? 5 : r) })],
      /shard-1-of-3\.jsonl:3: not a JSON record of a blob report/,
    ],
    ['a blob that cannot be read', [unreadable], /shard-1-of-1\.jsonl: cannot be read \(EISDIR/],
    [
      'a folder without blobs',
      [dir('all')],
      /no blob report \(shard-I-of-N\.jsonl\) in .*all or a blob\/ folder of them/,
    ],
  ];
  t.equal(cases.length, 20);
  for (const [what, from, message] of cases) {
    const r = await merge(from);
    t.equal(r.code, 2, what);
    t.match(r.err, message, what);
    t.notMatch(r.err, /\n\s+at /, `${what}: no stack trace`);
  }
  const bare = await cli(['merge-reports', '--out', dir('refused')]);
  t.equal(bare.code, 2);
  t.match(bare.err, /merge-reports needs the folders of the shards' blob reports: DIR\.\.\./);
  const asBlob = await cli([
    'merge-reports',
    dir('s1'),
    dir('s2'),
    dir('s3'),
    '--reporter',
    'blob',
    '--out',
    dir('refused'),
  ]);
  t.equal(asBlob.code, 2);
  t.match(asBlob.err, /the blob report is written by run/);
});

t.test("what closed a shard's gate beside its results closes the merged gate, prefixed with its shard", async (t) => {
  const interrupted = 'the run was interrupted by SIGINT after 3 of 4 scenario results: not every scenario ran';
  const cut = edited('interrupted', {
    1: (r, n) => {
      if (n === 4) return undefined; // the fourth result never came
      if (r.type === 'end') {
        Object.assign(r.summary, { interrupted: true });
        r.summary.gate.reasons.unshift(interrupted);
        r.summary.gate.reasons.push('note: adapter reference could not be disposed of: slow');
      }
      return r;
    },
    3: end((r) => {
      r.summary.crashes = ['process.exit(7) called by the adapter'];
      r.summary.gate.reasons.unshift('the adapter crashed: process.exit(7) called by the adapter');
    }),
  });
  const m = await cli(['merge-reports', cut, '--out', dir('merged-cut'), '--quiet', '--reporter', 'json']);
  t.equal(m.code, 1);
  const s = report(dir('merged-cut')).summary;
  t.equal(s.interrupted, true);
  t.same(s.crashes, ['process.exit(7) called by the adapter']);
  t.same(noted(s.gate.reasons), [
    `shard 1/3: ${interrupted}`,
    'shard 3/3: the adapter crashed: process.exit(7) called by the adapter',
    'note: shard 1/3: adapter reference could not be disposed of: slow',
  ]);
  t.equal(s.scenarios.total, 10);

  const short = edited('short', { 2: (r, n) => (n === 1 ? undefined : r) });
  const q = await cli(['merge-reports', short, '--out', dir('merged-short'), '--quiet', '--reporter', 'json']);
  t.equal(q.code, 1, 'a shard whose blob lacks a result, with nothing said, closes the gate too');
  t.same(noted(report(dir('merged-short')).summary.gate.reasons), ['shard 2/3: only 3 of its 4 scenario results']);
});

t.test('shards whose adapter crashed (exit 3) merge into a closed gate naming each crash by its shard', async (t) => {
  const three = scenarioDir({
    'chat/a.yaml': CHAT_SCENARIO,
    'chat/b.yaml': CHAT_SCENARIO,
    'chat/c.yaml': CHAT_SCENARIO,
  });
  const crash = ['--adapter', 'test/fixtures/crash-adapter.ts', '--adapter-option', 'crash=exit-in-perform'];
  for (const i of [1, 2]) {
    const r = await cli([
      'run',
      three,
      '--shard',
      `${i}/2`,
      ...crash,
      '--quiet',
      '--reporter',
      'json',
      '--out',
      dir(`c${i}`),
    ]);
    t.equal(r.code, 3, `shard ${i}: the adapter crashed`);
  }
  const m = await cli([
    'merge-reports',
    dir('c1'),
    dir('c2'),
    '--out',
    dir('merged-crash'),
    '--quiet',
    '--reporter',
    'json',
  ]);
  t.equal(m.code, 1, 'the merged gate: closed (the shards already exited 3)');
  const s = report(dir('merged-crash')).summary;
  const crashes = [1, 2].flatMap((i) => report(dir(`c${i}`)).summary.crashes ?? []);
  t.equal(crashes.length, 3, 'one crash a scenario: a and c in shard 1, b in shard 2');
  t.same(s.crashes, crashes);
  t.same(
    s.gate.reasons.filter((r) => r.startsWith('shard ')),
    [
      ...crashes.slice(0, 2).map((c) => `shard 1/2: the adapter crashed: ${c}`),
      `shard 2/2: the adapter crashed: ${crashes[2]}`,
    ],
  );
});

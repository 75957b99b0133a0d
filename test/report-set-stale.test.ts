/**
 * The report set's temporaries when a run is killed (reports/report-set.ts): the previous set stays whole, and the
 * temporaries the killed run left are removed by a later commit into the folder once nothing has written to them
 * for STALE_TEMPORARY_MS (a younger one may be a run writing into the same folder right now).
 */
import t from 'tap';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { removeStaleTemporaries, ReportSet, STALE_TEMPORARY_MS } from '../reports/report-set.js';

const REPORT_SET = fileURLToPath(new URL('../reports/report-set.ts', import.meta.url));
const OLD_RUN = '20261130T010203Z-0badc0de';

/** Set a file's times `ms` into the past. */
function age(file: string, ms: number): void {
  const then = new Date(Date.now() - ms);
  utimesSync(file, then, then);
}

t.test('a commit removes the temporaries of other runs untouched for 10 minutes, and nothing else', async (t) => {
  const dir = t.testdir({ blob: {} });
  const stale = [
    `.report.json.${OLD_RUN}.tmp`,
    `.report.html.${OLD_RUN}.tmp`,
    '.summary.md.4242.0123456789ab.tmp', // writeFileAtomic's, a run without a set
    `blob/.shard-1-of-2.jsonl.${OLD_RUN}.tmp`,
  ];
  const kept = [
    '.junit.xml.20261130T120000Z-12345678.tmp', // young: a run may be writing it now
    `.notes.txt.${OLD_RUN}.tmp`, // not a report's temporary
    'report.json.tmp', // not a temporary's name
  ];
  for (const f of [...stale, ...kept]) writeFileSync(join(dir, f), 'half a report');
  for (const f of [...stale, ...kept.slice(1)]) age(join(dir, f), STALE_TEMPORARY_MS + 60_000);
  const set = new ReportSet(dir, '20261130T130000Z-abcdef01');
  set.stage(join(dir, 'report.json'), '{}\n');
  t.same(await set.commit(), []);
  t.same(readdirSync(dir).sort(), [
    '.junit.xml.20261130T120000Z-12345678.tmp',
    `.notes.txt.${OLD_RUN}.tmp`,
    'blob',
    'report.json',
    'report.json.tmp',
  ]);
  t.same(readdirSync(join(dir, 'blob')), [], "the blob folder's too");
  t.equal(readFileSync(join(dir, 'report.json'), 'utf8'), '{}\n');
});

t.test(
  "a run's own temporaries are never stale to it, and a folder that is not there is nothing to clean",
  async (t) => {
    const dir = t.testdir();
    const own = join(dir, `.report.json.${OLD_RUN}.tmp`);
    writeFileSync(own, 'mine');
    age(own, STALE_TEMPORARY_MS * 3);
    t.same(await removeStaleTemporaries([dir, join(dir, 'missing')], OLD_RUN), []);
    t.ok(existsSync(own));
    t.same(await removeStaleTemporaries([dir], 'another-run'), [own]);
  },
);

t.test(
  'a run killed while writing its reports leaves the previous set whole; the next run clears its litter',
  async (t) => {
    const dir = t.testdir({ 'report.json': 'the previous run\n', 'junit.xml': '<previous/>\n' });
    // The child writes report.json's temporary, says so, and waits to be killed before it commits.
    const script = `
    const { ReportSet } = await import(${JSON.stringify(REPORT_SET)});
    const set = new ReportSet(${JSON.stringify(dir)}, ${JSON.stringify(OLD_RUN)});
    await set.write(${JSON.stringify(join(dir, 'report.json'))}, ['{"half":', '"a report"}']);
    process.stdout.write('written\\n');
    setInterval(() => {}, 1000);`;
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      env: { ...process.env, _TAPJS_PROCESSINFO_COVERAGE_: '0' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (d: Buffer) => d.toString().includes('written') && resolve());
      child.on('exit', (code) => reject(new Error(`the child ended before writing (code ${code})`)));
    });
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    const litter = join(dir, `.report.json.${OLD_RUN}.tmp`);
    t.equal(readFileSync(join(dir, 'report.json'), 'utf8'), 'the previous run\n', 'the previous report.json, whole');
    t.equal(readFileSync(join(dir, 'junit.xml'), 'utf8'), '<previous/>\n', 'the previous junit.xml, whole');
    t.equal(readFileSync(litter, 'utf8'), '{"half":"a report"}', "the killed run's temporary is left");
    age(litter, STALE_TEMPORARY_MS + 1000);
    mkdirSync(join(dir, 'blob'), { recursive: true });
    const next = new ReportSet(dir, '20261130T140000Z-00000001');
    next.stage(join(dir, 'report.json'), 'the next run\n');
    t.same(await next.commit(), []);
    t.notOk(existsSync(litter), 'the next run removed it');
    t.equal(readFileSync(join(dir, 'report.json'), 'utf8'), 'the next run\n');
  },
);

/**
 * The load cache's file stamps (harness/file-stamps.ts): a file whose stamp is recorded is not read again and keeps
 * its recorded hash; any edit is read — one that changes the size or mtime, and one that sets size and mtime back
 * (only the ctime tells it: the faulty case of a stamp without it); a touched but identical file is read and hashes
 * the same, so the cache's entries still hit; a file changed too recently to trust is read every time; the records
 * are whole or ignored. Then through the cache: the code and the scenario files are stamped, and an edit misses.
 */
import t from 'tap';
import {
  cpSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { prepareLoader, type CachedLoader } from '../harness/cached-loader.js';
import { contentDigest, FileStamps, SETTLED_MS } from '../harness/file-stamps.js';
import { LoadCache } from '../harness/load-cache.js';
import { findScenarioFiles } from '../harness/load.js';
import { PACKAGE_ROOT } from '../specs/schemas/files.js';

const root = mkdtempSync(join(tmpdir(), 'ic-stamps-'));
t.teardown(() => rmSync(root, { recursive: true, force: true }));

/** `stamps.digest` of `file`, and how many times it read the file to give it. */
function digestOf(stamps: FileStamps, file: string): { digest: string | undefined; reads: number } {
  let reads = 0;
  const digest = stamps.digest('text', file, () => (reads++, readFileSync(file, 'utf8')));
  return { digest, reads };
}

/** A run's stamps: read from `records`, settled at once (the test's files are seconds old), saved at its end. */
function runOnce(records: string, file: string) {
  const stamps = new FileStamps(records, 0);
  const r = digestOf(stamps, file);
  stamps.save();
  return r;
}

t.test('a stamped file is not read again; an edit, a touch and an edit with size and mtime set back are', async (t) => {
  const records = join(root, 'one', 'stamps.json');
  const file = join(root, 'a.yaml');
  writeFileSync(file, 'title: one\n');
  const first = runOnce(records, file);
  t.same(first, { digest: contentDigest('title: one\n'), reads: 1 }, 'first: read and hashed');
  t.same(runOnce(records, file), { digest: first.digest, reads: 0 }, 'then its recorded hash, not read');

  writeFileSync(file, 'title: one, edited\n');
  t.same(runOnce(records, file), { digest: contentDigest('title: one, edited\n'), reads: 1 }, 'an edit is read');

  const before = statSync(file);
  utimesSync(file, before.atime, new Date(before.mtimeMs + 5000));
  t.same(runOnce(records, file), { digest: contentDigest('title: one, edited\n'), reads: 1 }, 'a touch: read, same');

  const stat = statSync(file);
  writeFileSync(file, 'title: one, EDITED\n'); // the same size
  utimesSync(file, stat.atime, stat.mtime);
  t.equal(statSync(file).size, stat.size, 'the size is as before');
  t.equal(statSync(file).mtimeMs, stat.mtimeMs, 'and the mtime: only the ctime moved');
  t.same(runOnce(records, file), { digest: contentDigest('title: one, EDITED\n'), reads: 1 }, 'still read: seen');
});

t.test('a file changed within SETTLED_MS is read every time, and never recorded', async (t) => {
  t.equal(SETTLED_MS, 3000);
  const records = join(root, 'recent', 'stamps.json');
  const file = join(root, 'recent.yaml');
  writeFileSync(file, 'title: recent\n');
  for (const run of [1, 2]) {
    const stamps = new FileStamps(records);
    t.equal(digestOf(stamps, file).reads, 1, `run ${run}: read`);
    stamps.save();
  }
  t.throws(() => readFileSync(records), { code: 'ENOENT' }, 'nothing recorded, nothing written');
});

t.test('records torn, of another format or unreadable are ignored: the file is read', async (t) => {
  const records = join(root, 'bad', 'stamps.json');
  const file = join(root, 'b.yaml');
  writeFileSync(file, 'title: b\n');
  runOnce(records, file);
  const whole = readFileSync(records, 'utf8');
  t.equal(runOnce(records, file).reads, 0, 'the control: whole, they are used');
  for (const [what, text] of [
    ['torn', whole.slice(0, whole.length - 3)],
    ['another format', whole.replace('file-stamps/1', 'file-stamps/0')],
    ['a body that is not its hash', whole.replace(/"text:[^"]*"/, '"text:/elsewhere"')],
    ['not JSON', 'garbage'],
  ]) {
    writeFileSync(records, text!);
    t.equal(runOnce(records, file).reads, 1, `${what}: read`);
  }
  const nowhere = new FileStamps(join(file, 'stamps.json'), 0); // a file stands where its folder would be
  t.equal(
    nowhere.digest('text', join(root, 'missing.yaml'), () => undefined),
    undefined,
    'no file: no digest',
  );
  t.equal(digestOf(nowhere, file).reads, 1);
  t.doesNotThrow(() => nowhere.save(), 'records that cannot be written are no records, not an error');
});

t.test('through the cache: code and scenario files stamped, an edit after them loaded again', async (t) => {
  const dir = join(root, 'suite', 'chat');
  mkdirSync(dir, { recursive: true });
  for (const f of ['teams-to-skype-after-accept', 'skype-to-teams-after-accept'])
    cpSync(join(PACKAGE_ROOT, 'scenarios', 'chat', `${f}.yaml`), join(dir, `${f}.yaml`));
  const cache = join(root, 'cache');
  const load = async () => {
    const loader = (await prepareLoader({ dir: cache, paths: [dir] })) as CachedLoader;
    loader.scenarios(findScenarioFiles([dir]), loader.catalogue().requirements);
    return { ...loader.counts };
  };
  t.same(await load(), { hits: 0, loaded: 2, written: 4 }, 'the first run fills the cache');
  const recorded = () => Object.keys(JSON.parse(readFileSync(join(cache, 'stamps.json'), 'utf8').split('\n')[1]!));
  t.ok(
    recorded().some((k) => k.startsWith('code:') && k.endsWith('load-cache.ts')),
    'the code is stamped (it is older than SETTLED_MS)',
  );
  t.notOk(
    recorded().some((k) => k.startsWith('text:')),
    'the scenario files, just copied, are not: they are read and hashed',
  );
  await new Promise((r) => setTimeout(r, SETTLED_MS + 100));
  t.same(await load(), { hits: 2, loaded: 0, written: 0 }, 'settled: served');
  t.equal(recorded().filter((k) => k.startsWith('text:')).length, 2, 'and stamped now');
  t.same(await load(), { hits: 2, loaded: 0, written: 0 }, 'served by their stamps');
  const file = join(dir, 'teams-to-skype-after-accept.yaml');
  writeFileSync(file, readFileSync(file, 'utf8').replace('Thanks for accepting.', 'Thanks for accepting, Tom.'));
  t.same(await load(), { hits: 1, loaded: 1, written: 2 }, 'an edit: loaded again, and the suite entry');
  const other = join(dir, 'skype-to-teams-after-accept.yaml');
  utimesSync(other, new Date(), new Date());
  t.same(await load(), { hits: 2, loaded: 0, written: 0 }, 'a touch: read again, the same text, its entry hits');
  // Without the catalogue's entry the files are keyed once the catalogue is loaded, by their texts: the same keys.
  const spec = readdirSync(cache).find((d) => d.startsWith('spec-'))!;
  const catalogueEntry = new LoadCache(cache).catalogueKey(join(PACKAGE_ROOT, 'specs', 'requirements.yaml'));
  rmSync(join(cache, spec, `${catalogueEntry}.json`));
  t.same(
    await load(),
    { hits: 2, loaded: 0, written: 2 },
    'no catalogue entry: the scenarios hit; it and the suite written',
  );
});

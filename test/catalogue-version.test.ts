/**
 * The requirement catalogue carries a semver version, its CHANGELOG records it, and every report states it next
 * to the harness's version (junit.xml, summary.md and the GitHub summary are checked in their own tests).
 */
import t from 'tap';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadCatalogue, specsPath } from '../harness/specs-files.js';
import { VERSION } from '../harness/conformance-run.js';
import { cli } from './support.js';

const text = readFileSync(specsPath('requirements.yaml'), 'utf8');

function loadWith(version: string | undefined): string {
  const dir = mkdtempSync(join(tmpdir(), 'ic-cat-'));
  const file = join(dir, 'requirements.yaml');
  writeFileSync(file, text.replace(/^version: .*\n/m, version === undefined ? '' : `version: ${version}\n`));
  try {
    return `loaded ${loadCatalogue(file).version}`;
  } catch (e) {
    return (e as Error).message.replaceAll(file, 'requirements.yaml');
  }
}

t.test(
  'the catalogue is version 1.2.0, and its CHANGELOG has an entry for that version with the counts it states',
  async (t) => {
    const c = loadCatalogue();
    t.equal(c.version, '1.2.0');
    const log = readFileSync(specsPath('CHANGELOG.md'), 'utf8');
    t.match(log, new RegExp(`^## ${c.version.replace(/\./g, '\\.')} `, 'm'), 'the current version is in the CHANGELOG');
    const all = [...c.requirements.values()];
    t.match(
      log,
      `${all.length} requirements: ${all.filter((r) => r.level === 'MUST').length} MUST, ${all.filter((r) => r.level === 'SHOULD').length} SHOULD`,
    );
  },
);

t.test('the loader refuses a catalogue without a version or with one that is not semver, located', async (t) => {
  t.equal(loadWith('1.2.3'), 'loaded 1.2.3');
  t.match(loadWith(undefined), /^requirements\.yaml:\d+:\d+: .*version/);
  t.match(loadWith('"1.0"'), /^requirements\.yaml:\d+:\d+: /);
  t.match(loadWith('01.0.0'), /^requirements\.yaml:\d+:\d+: /, 'no leading zero');
});

t.test('report.json states the catalogue version and the harness version', async (t) => {
  const r = await cli(['run', 'scenarios/chat/first-messages-within-deadline.yaml', '--reporter', 'json', '--quiet']);
  t.match(r.report().summary, { catalogueVersion: '1.2.0', version: VERSION });
});

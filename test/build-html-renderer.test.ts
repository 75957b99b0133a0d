/**
 * report.html's script is a committed constant (reports/html/renderer.ts), bundled from reports/html/browser.ts and
 * what it imports by `npm run build:html-renderer`: a clone runs the sources without a build. It must be the bundle
 * of the sources as they are, or the page would render with code the tests never read.
 */
import t from 'tap';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
// @ts-expect-error: a build script in plain JavaScript, without types
import { rendererModule, writeRenderer } from '../scripts/build-html-renderer.mjs';

const build = rendererModule as (from?: string) => Promise<string>;
const write = writeRenderer as (from?: string) => Promise<boolean>;
const committed = readFileSync('reports/html/renderer.ts', 'utf8');

/** A copy of reports/ (all the bundle reads: specs/ only lends it types) with page.ts edited. */
function withPage(edit: (text: string) => string): string {
  const root = mkdtempSync(join(tmpdir(), 'ic-renderer-'));
  t.teardown(() => rmSync(root, { recursive: true, force: true }));
  cpSync('reports', join(root, 'reports'), { recursive: true });
  const page = join(root, 'reports', 'html', 'page.ts');
  writeFileSync(page, edit(readFileSync(page, 'utf8')));
  return root;
}

t.test('the committed renderer is the bundle of its sources as they are', async (t) => {
  t.equal(await build(), committed, 'stale: run npm run build:html-renderer');
});

t.test('the check sees a source changed since the renderer was bundled', async (t) => {
  const root = withPage((text) => text.replace('Why the gate is closed', 'Why the gate is shut'));
  const text = await build(root);
  t.equal(
    text,
    committed.replace('Why the gate is closed', 'Why the gate is shut'),
    'a changed heading makes another renderer, that heading and nothing else changed',
  );
  t.ok(text.includes('Why the gate is shut'), 'with the changed text in it');
  t.equal(await write(root), true, 'npm run build:html-renderer writes it');
  t.equal(readFileSync(join(root, 'reports/html/renderer.ts'), 'utf8'), text, 'as bundled');
  t.equal(await write(root), false, 'and leaves an up-to-date one alone');
});

t.test('a renderer holding text that would end or comment out its script element (<!--) is refused', async (t) => {
  const root = withPage((text) => text.replace("'</nav>\\n'", "'</nav><!-- x\\n'"));
  await t.rejects(build(root), /holds "<\/script" or "<!--"/);
});

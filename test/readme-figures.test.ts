/**
 * The README's figures are facts about the tree, so a change to the tree that changes one fails here until the README
 * says the new figure (issue 8: "README figures pinned by tests or generated"). Each figure is read from the sentence
 * that states it (test/readme.ts) and compared with what the code computes, cheaply, in process (the figures and
 * how each is computed: test/readme-figures.ts).
 *
 * Pinned elsewhere, by the tests that already compute them: the in-process mutation score and the score without the
 * block area (test/mutants.test.ts), the per-class score of the independent catalogue
 * (test/mutants-implementations.test.ts), the report.html sizes and the failing count of its fault run
 * (test/html-report.test.ts). Not pinned: what only `npm run bench`, `npm run soak`, the whole independent or served
 * catalogue, or `explore` measure; the README says which command measured each, and when.
 */
import t from 'tap';
import { fold, num, readme, readmeFigures, sentences } from './readme.js';
import { catalogue, FIGURES, idRanges, type Figure } from './readme-figures.js';

/**
 * Each figure computed once, when first asked: the tree does not change while the README is checked and then
 * altered once per figure below, and computing them all (every scenario file read and parsed among them) for each
 * alteration was most of this file's time.
 */
const once = (f: Figure): Figure => {
  let is: string[] | undefined;
  return { ...f, computed: () => (is ??= f.computed()) };
};
const COMPUTED = FIGURES.map(once);

/** What the README states that the code does not compute: one line per stale or missing figure. */
function staleFigures(text: string, figures: readonly Figure[]): string[] {
  return figures.flatMap(({ what, pattern, computed }) => {
    const found = sentences(pattern, text);
    if (found.length !== 1) return [`${what}: ${found.length} sentences state it; exactly one should`];
    const said = found[0]!.slice(1);
    const is = computed();
    return said.join(' | ') === is.join(' | ')
      ? []
      : [`${what}: the README says ${said.join(', ')}; it is ${is.join(', ')}`];
  });
}

/** The README with the `group`th figure of the sentence altered: its last digit changed, or a letter added. */
function alter(text: string, f: Figure, group: number): string {
  const folded = fold(text);
  const [start, end] = sentences(f.pattern, folded)[0]!.indices![group]!;
  const figure = folded.slice(start, end);
  const digit = figure.search(/\d(?!.*\d)/);
  const changed =
    digit < 0 ? `${figure}x` : `${figure.slice(0, digit)}${(Number(figure[digit]) + 1) % 10}${figure.slice(digit + 1)}`;
  return `${folded.slice(0, start)}${changed}${folded.slice(end)}`;
}

t.test('every figure the README states that the code computes is the computed one', async (t) => {
  t.equal(FIGURES.length, 29, 'the figures checked here');
  t.same(staleFigures(readme(), COMPUTED), []);
});

t.test('a stale figure fails: each figure altered in a copy of the README is reported, and only it', async (t) => {
  const text = readme();
  for (const f of FIGURES) {
    const groups = sentences(f.pattern, text)[0]!.length - 1;
    for (let g = 1; g <= groups; g++) {
      const problems = staleFigures(alter(text, f, g), COMPUTED);
      t.equal(problems.length, 1, `${f.what}, figure ${g} altered: ${problems.join('; ')}`);
      t.ok(problems[0]?.startsWith(`${f.what}: `), 'named');
    }
  }
  const twice = `${text}\n${text}`;
  t.match(
    staleFigures(twice, COMPUTED.slice(0, 1)),
    [/: 2 sentences state it; exactly one should$/],
    'a figure stated twice',
  );
  t.match(staleFigures('', COMPUTED.slice(0, 1)), [/: 0 sentences state it/], 'a sentence reworded away');
  t.equal(idRanges(['SEC-001', 'SEC-002', 'SEC-003', 'SEC-005', 'WIRE-001']), 'SEC-001…003, SEC-005, WIRE-001');
});

t.test('the tests that compute a detection score read its README figure from exactly one sentence', async (t) => {
  t.same(readmeFigures(/catalogue carries a semver `version:` \((\d+)\.(\d+)\.(\d+)(-\w+)?;/), [
    ...catalogue.version.split('.'),
    '',
  ]);
  t.throws(() => readmeFigures(/(\d+) MUST/, 'has 60 MUST and 59 MUST'), /README\.md: 2 sentences match/);
  t.throws(() => readmeFigures(/(\d+) MUST/, 'has none'), /README\.md: 0 sentences match/);
  t.same(readmeFigures(/by at most (\d+)\s+nodes/, 'by at most 10\n   nodes'), ['10'], 'a sentence wrapped anywhere');
  t.same([num('10,000'), num('5.6')], [10_000, 5.6]);
});

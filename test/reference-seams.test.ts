/**
 * The reference has no way in for faults (issue 8, item 8): no `any`, no method of an object replaced by
 * assignment, no public mutable field in the service's own code; faults are layers of typed wrappers, built per
 * world. Each structural check is shown failing on a source that has what it forbids.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import t from 'tap';
import ts from 'typescript';
import { forwardingTo, type InteropApi } from '../adapters/reference/api.js';
import { assemble } from '../adapters/reference/assemble.js';
import { createReferenceAdapter } from '../adapters/reference/adapter.js';
import { faultsById } from '../adapters/reference/faults.js';
import { world } from './fixtures/reference-world.js';

type Finding = 'any' | 'method-replaced' | 'public-mutable-field';

/** What the source does that would make a seam: each finding as `kind line`. */
function seams(source: string): string[] {
  const file = ts.createSourceFile('x.ts', source, ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  const note = (kind: Finding, node: ts.Node) =>
    found.push(`${kind} ${file.getLineAndCharacterOfPosition(node.getStart()).line + 1}`);
  const visit = (node: ts.Node): void => {
    if (node.kind === ts.SyntaxKind.AnyKeyword) note('any', node);
    if (
      ts.isBinaryExpression(node) &&
      node.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
      (ts.isPropertyAccessExpression(node.left) || ts.isElementAccessExpression(node.left)) &&
      (ts.isArrowFunction(node.right) || ts.isFunctionExpression(node.right) || ts.isCallExpression(node.right))
    ) {
      // A function, or what a call returns (a wrapper), put where a method was: a patched method.
      const right = node.right;
      const isWrapper = ts.isCallExpression(right) ? /bind|wrap/.test(right.expression.getText()) : true;
      if (isWrapper) note('method-replaced', node);
    }
    if (ts.isPropertyDeclaration(node) && ts.isClassLike(node.parent)) {
      const flags = ts.getCombinedModifierFlags(node);
      const hidden =
        ts.isPrivateIdentifier(node.name) || (flags & (ts.ModifierFlags.Private | ts.ModifierFlags.Protected)) !== 0;
      if (!hidden && (flags & ts.ModifierFlags.Readonly) === 0) note('public-mutable-field', node);
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return found;
}

const ROOT = join(import.meta.dirname, '..');
const REFERENCE = join(ROOT, 'adapters/reference');

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((entry) => (entry.isDirectory() ? sources(join(dir, entry.name)) : [join(dir, entry.name)]))
    .filter((file) => file.endsWith('.ts'))
    .sort();
}

/** Every finding in the reference, as `path kind line`. */
const findings = (filter: (path: string) => boolean) =>
  sources(REFERENCE)
    .map((file) => relative(ROOT, file))
    .filter(filter)
    .flatMap((path) => seams(readFileSync(join(ROOT, path), 'utf8')).map((finding) => `${path} ${finding}`));

t.test('the scan finds each kind of seam in a source that has it', async (t) => {
  const seamed = [
    'class Service {',
    '  gates: Gate[] = [];', // 2: a public mutable field
    '  readonly fixed = 1;',
    '  #own = 2;',
    '  protected kept = 3;',
    '}',
    'const service = new Service() as any;', // 7: any
    'service.seal = (text: string) => ({ cipher: "none", text });', // 8: a method replaced
    'inboxes.put = put.bind(inboxes);', // 9: a method replaced by a bound wrapper
    'service.count = total(3);', // 10: a field set to a computed value: not a seam
  ].join('\n');
  t.same(seams(seamed), ['public-mutable-field 2', 'any 7', 'method-replaced 8', 'method-replaced 9']);
  t.same(seams('const ok = { seal: (text: string) => text };\nclass A { readonly b = 1 }'), []);
});

t.test('no `any` and no method replaced by assignment anywhere in the reference', async (t) => {
  t.same(
    findings(() => true).filter((f) => !f.includes('public-mutable-field')),
    [],
  );
});

t.test("the service's own code has no public mutable field: collaborators are read-only, passed in", async (t) => {
  const own = (path: string) => !path.startsWith('adapters/reference/http/');
  t.same(
    findings(own).filter((f) => f.includes('public-mutable-field')),
    // The relationship's own state, which the service (and a fault wrapping it) changes as the users act.
    [
      'adapters/reference/conversation.ts public-mutable-field 18',
      'adapters/reference/conversation.ts public-mutable-field 20',
    ],
  );
});

t.test('forwardingTo hands every method to the same method of the service it wraps', async (t) => {
  const called: string[] = [];
  // A stand-in service that records which of its methods is called.
  const recorder = new Proxy<InteropApi>(forwardingTo(assemble(world()).service), {
    get: (target, name: keyof InteropApi) => {
      called.push(name);
      return target[name];
    },
  });
  const forwarded = forwardingTo(recorder);
  const names = Object.keys(forwarded).sort();
  t.equal(names.length, 23, 'every action of the interface, collect and dispose');
  called.length = 0;
  for (const name of names) {
    try {
      Reflect.apply(Reflect.get(forwarded, name), forwarded, ['tara', 'sam']);
    } catch {
      // Out-of-scope arguments throw inside the service: the call reached it, which is what is checked.
    }
  }
  t.same(called, names, 'each reaches its namesake, once');
  // A forwarder that sends one method to another is what this check exists for.
  const crossed: InteropApi = { ...forwarded, unblock: forwarded.block };
  called.length = 0;
  try {
    crossed.unblock('tara', 'sam');
  } catch {
    // tara has not decided about sam: the service throws, after the call is recorded.
  }
  t.same(called, ['block'], 'a crossed forwarder shows in the calls recorded');
});

t.test('a fault is built once per world: what it remembers in one world never reaches another', async (t) => {
  // The inbox cap counts deliveries per world: five messages in two worlds, each below the cap, all arrive.
  const adapter = createReferenceAdapter({ faults: ['inbox-full-after-four-deliveries'] });
  const sendAll = async (n: number) => {
    const session = await adapter.open(world());
    await session.perform('sam', { kind: 'message', to: 'tara', text: 'hi' });
    await session.perform('tara', { kind: 'accept', from: 'sam' });
    for (let i = 1; i < n; i++) await session.perform('sam', { kind: 'message', to: 'tara', text: `m${i}` });
    const arrived = (await session.drain('tara')).length;
    await session.close();
    return arrived;
  };
  t.equal(await sendAll(3), 3, 'first world: 3 deliveries, under the cap of 4');
  t.equal(await sendAll(3), 3, 'second world: its own count starts from nothing');
  t.equal(await sendAll(6), 4, 'and the cap does bite within one world');
  // What the check catches: one layer shared by two worlds carries the first world's count into the second.
  const [cap] = faultsById(['inbox-full-after-four-deliveries']);
  const shared = cap!.layer();
  const arrivedIn = (n: number) => {
    const { service } = assemble(world(), { layers: [shared] });
    service.sendMessage('sam', { kind: 'message', to: 'tara', text: 'hi' });
    service.accept('tara', 'sam');
    for (let i = 1; i < n; i++) service.sendMessage('sam', { kind: 'message', to: 'tara', text: `m${i}` });
    return service.collect('tara').length;
  };
  t.equal(arrivedIn(3), 3);
  t.equal(arrivedIn(3), 1, 'a layer built once for two worlds leaks its count: 3 + 1 deliveries fill the cap');
});

t.test('the reference without layers is built from the plain collaborators', async (t) => {
  const { service, parts } = assemble(world());
  t.equal(parts.gates.length, 7, 'every tenant gate');
  t.equal(parts.presence.of(parts.directory.person('tara'), parts.directory.person('sam')), 'hidden');
  service.sendMessage('tara', { kind: 'message', to: 'sam', text: 'hello' });
  t.same(
    service.collect('sam').map((d) => [d.kind, d.surface, d.encrypted]),
    [['request', 'skype', true]],
  );
  const layered = assemble(world(), { layers: [{ presence: () => ({ of: () => 'shown' }) }] });
  t.same(
    layered.service.presence('tara', 'sam'),
    { status: 'ok', presence: 'shown' },
    'a layer changes the decision it wraps, and only in its world',
  );
  t.same(service.presence('tara', 'sam'), { status: 'ok', presence: 'hidden' });
});

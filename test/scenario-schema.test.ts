/**
 * specs/schemas/scenario.schema.json as editors and strict validators read it: it compiles in ajv's strict mode,
 * every property says what it is for, its snippets (VS Code / yaml-language-server `defaultSnippets`) are valid
 * scenarios once filled in, and the requirement ids it offers for completion are exactly the catalogue's.
 */
import t from 'tap';
import { readFileSync } from 'node:fs';
import type { Ajv2020 } from 'ajv/dist/2020.js';
import { createAjv } from '../specs/schemas/ajv.js';
import { stringify } from 'yaml';
import { loadScenario } from '../harness/load.js';
import { loadCatalogue, specsPath } from '../harness/specs-files.js';

type Json = Record<string, any>;
interface Snippet {
  label: string;
  description: string;
  body: unknown;
}

const SCHEMA: Json = JSON.parse(readFileSync(specsPath('schemas/scenario.schema.json'), 'utf8'));
const copy = (): Json => structuredClone(SCHEMA);

/** ajv with every strict option on; the editors' `defaultSnippets` is declared as the one keyword beyond the draft. */
function strictAjv(warnings: string[] = []): Ajv2020 {
  const ajv = createAjv({
    strict: true,
    strictSchema: true,
    strictTypes: true,
    strictTuples: true,
    strictRequired: true,
    allErrors: true,
    logger: {
      log() {},
      warn: (m: unknown) => warnings.push(String(m)),
      error: (m: unknown) => warnings.push(String(m)),
    },
  });
  ajv.addVocabulary(['defaultSnippets']);
  return ajv;
}

/** The compile error, or null. */
function strictCompileProblem(schema: Json): string | null {
  try {
    strictAjv().compile(schema);
    return null;
  } catch (e) {
    return (e as Error).message;
  }
}

const resolve = (schema: Json, ref: string): Json =>
  ref
    .slice(2)
    .split('/')
    .reduce<Json>((o, k) => o[k.replace(/~1/g, '/').replace(/~0/g, '~')], schema);

/**
 * Every property declared in `properties` (at any depth), and whether it is described — by its own `description`
 * or by that of the schema its `$ref` names, which is what an editor shows. `if` subschemas are conditions, not
 * declarations, and a bare `true` only re-declares a property described beside it (the step's oneOf branches).
 */
function properties(schema: Json): { pointer: string; described: boolean }[] {
  const out: { pointer: string; described: boolean }[] = [];
  const walk = (node: unknown, pointer: string): void => {
    if (Array.isArray(node)) return node.forEach((v, i) => walk(v, `${pointer}/${i}`));
    if (!node || typeof node !== 'object') return;
    for (const [key, value] of Object.entries(node as Json)) {
      if (key === 'if' || key === 'defaultSnippets' || key === 'examples') continue;
      if (key === 'properties')
        for (const [name, p] of Object.entries<unknown>(value as Json)) {
          if (typeof p !== 'object' || p === null) continue;
          const own = p as Json;
          const target = typeof own.$ref === 'string' ? resolve(schema, own.$ref) : undefined;
          out.push({
            pointer: `${pointer}/properties/${name}`,
            described: Boolean(own.description?.trim() || target?.description?.trim()),
          });
        }
      walk(value, `${pointer}/${key}`);
    }
  };
  walk(schema, '#');
  return out;
}

/** A snippet body as an editor fills it when every placeholder is accepted: `${1:tom}` → tom, `${2|a,b|}` → a. */
function fill(body: unknown): unknown {
  if (typeof body === 'string')
    return body.replace(/\$\{\d+:([^}]*)\}/g, '$1').replace(/\$\{\d+\|([^,|]*)[^}]*\}/g, '$1');
  if (Array.isArray(body)) return body.map(fill);
  if (body && typeof body === 'object') return Object.fromEntries(Object.entries(body).map(([k, v]) => [k, fill(v)]));
  return body;
}

/** Each snippet of `schema` at `pointer` that is not valid there once filled, with ajv's first complaint. */
function invalidSnippets(schema: Json, pointer: string): string[] {
  const ajv = strictAjv();
  ajv.addSchema(schema);
  const validate = ajv.getSchema(`${schema.$id}${pointer}`)!;
  const snippets: Snippet[] = (pointer === '#' ? schema : resolve(schema, pointer)).defaultSnippets ?? [];
  return snippets.flatMap((s) => {
    if (validate(fill(s.body))) return [];
    const e = validate.errors![0]!;
    const extra = (e.params as { additionalProperty?: string }).additionalProperty;
    return [`${s.label}: ${e.instancePath || '(root)'} ${e.message}${extra ? `: ${extra}` : ''}`];
  });
}

/** What the offered requirement ids lack, and what they offer that the catalogue does not have. */
function idDrift(schema: Json, catalogue: string[]): { missing: string[]; unknown: string[] } {
  const offered: string[] = schema.properties.requirements.items.examples ?? [];
  return {
    missing: catalogue.filter((id) => !offered.includes(id)),
    unknown: offered.filter((id) => !catalogue.includes(id)),
  };
}

t.test(
  'the scenario schema compiles in ajv strict mode (strictRequired and strictTypes included), without a warning',
  async (t) => {
    const warnings: string[] = [];
    t.doesNotThrow(() => strictAjv(warnings).compile(SCHEMA));
    t.same(warnings, []);

    const faulty = copy();
    delete faulty.$defs.step.oneOf[0].properties; // the fault the issue reported: `required` names a property ajv sees undeclared
    t.match(
      strictCompileProblem(faulty),
      /required property "search" is not defined at ".*#\/oneOf\/0" \(strictRequired\)/,
      'the oneOf branch without its property is caught',
    );
    const typo = copy();
    typo.$defs['action-call'].properties.media.typ = 'string';
    t.match(strictCompileProblem(typo), /unknown keyword: "typ"/, 'a misspelt keyword is caught');
  },
);

t.test('every property is described, by itself or by the schema it refers to; so is every definition', async (t) => {
  const all = properties(SCHEMA);
  t.equal(all.length, 133, 'properties declared');
  t.same(
    all.filter((p) => !p.described).map((p) => p.pointer),
    [],
    'properties without a description',
  );
  t.same(
    Object.entries<Json>(SCHEMA.$defs)
      .filter(([, d]) => !d.description?.trim())
      .map(([name]) => name),
    [],
    'definitions without a description',
  );

  const faulty = copy();
  delete faulty.$defs['action-message'].properties.text.description;
  t.same(
    properties(faulty)
      .filter((p) => !p.described)
      .map((p) => p.pointer),
    ['#/$defs/action-message/properties/text'],
    'a copy with one description removed is caught at that property',
  );
});

t.test(
  'there is a snippet for every action, every platform and a whole scenario, and each is valid once filled in',
  async (t) => {
    const kinds = (SCHEMA.$defs.step.oneOf as Json[]).map((b) => b.required[0] as string);
    t.equal(kinds.length, 28, 'actions');
    t.same(
      (SCHEMA.$defs.step.defaultSnippets as Snippet[]).map((s) => s.label),
      kinds,
      "one step snippet per action, in the schema's order",
    );
    t.same(
      (SCHEMA.$defs.user.defaultSnippets as Snippet[]).map((s) => s.label),
      ['Teams user', 'Skype user', 'admin'],
    );
    t.equal(SCHEMA.defaultSnippets.length, 1, 'one scenario skeleton');
    for (const [where, pointer] of [
      ['steps', '#/$defs/step'],
      ['users', '#/$defs/user'],
      ['scenario', '#'],
    ] as const)
      t.same(invalidSnippets(SCHEMA, pointer), [], `${where}: every snippet, filled in, is valid`);

    const faulty = copy();
    delete faulty.$defs.step.defaultSnippets[1].body.message.text;
    faulty.$defs.user.defaultSnippets[1].body.tenant = 'contoso';
    t.same(
      invalidSnippets(faulty, '#/$defs/step'),
      ["message: /message must have required property 'text'"],
      'a message snippet without its text is caught',
    );
    t.same(
      invalidSnippets(faulty, '#/$defs/user'),
      ['Skype user: (root) must NOT have additional properties: tenant'],
      'a Skype user snippet with a tenant is caught',
    );
  },
);

t.test('the scenario skeleton, filled in, is a scenario the models agree with', async (t) => {
  const { requirements } = loadCatalogue();
  const text = `# yaml-language-server: $schema=../../specs/schemas/scenario.schema.json\n${stringify(fill(SCHEMA.defaultSnippets[0].body))}`;
  const loaded = loadScenario('scenarios/request/skeleton.yaml', text, requirements);
  t.same(loaded.problems, []);
  t.equal(loaded.scenario?.steps.length, 3, 'its three steps are predicted');
});

t.test("the requirement ids offered for completion are exactly the catalogue's, in its order", async (t) => {
  const ids = [...loadCatalogue().requirements.keys()];
  t.equal(ids.length, 64, 'requirements in the catalogue');
  t.same(
    SCHEMA.properties.requirements.items.examples,
    ids,
    `specs/schemas/scenario.schema.json properties.requirements.items.examples must be: ${JSON.stringify(ids)}`,
  );

  const faulty = copy();
  faulty.properties.requirements.items.examples = [...ids.slice(1), 'REQ-999'];
  t.same(
    idDrift(faulty, ids),
    { missing: [ids[0]], unknown: ['REQ-999'] },
    'a list that lost an id and gained one is caught',
  );
});

t.test(
  'an unknown requirement id is still reported by the loader at its place (the ids are offered, not enforced by the schema)',
  async (t) => {
    const { requirements } = loadCatalogue();
    const body = fill(SCHEMA.defaultSnippets[0].body) as Json;
    body.requirements = ['REQ-001', 'REQ-999'];
    const loaded = loadScenario('scenarios/request/unknown-id.yaml', stringify(body), requirements);
    t.same(
      loaded.problems.map((p) => `${p.line}:${p.col}: ${p.message}`),
      ['4:5: unknown requirement "REQ-999"; see specs/requirements.yaml'],
    );
  },
);

t.test(
  'a bad SRV record, in a tenant or in set-sip-federation-srv, is reported by what is wrong with it, located',
  async (t) => {
    const text = [
      'title: Bad SRV records',
      'world:',
      '  tenants:',
      '    contoso: { sipFederationSrv: { target: sipfed.online.lync.com, port: 5061 } }',
      '  users:',
      '    ada: { platform: admin }',
      'steps:',
      '  - actor: ada',
      '    set-sip-federation-srv: { record: { target: x, port: "5061", priority: 100, weight: 1 } }',
    ].join('\n');
    const loaded = loadScenario('scenarios/admin/bad-srv.yaml', text, loadCatalogue().requirements);
    t.same(
      loaded.problems.map((p) => `${p.line}:${p.col}: ${p.message}`),
      [
        '4:34: missing required property "priority"',
        '4:34: missing required property "weight"',
        '9:58: expected integer; got string',
      ],
      'no "matches none of the allowed forms", and not mistaken for a step with two actions',
    );
  },
);

/**
 * specs/openapi.yaml as the tools users already run see it: swagger-parser's validation against the OpenAPI 3.1
 * schema, and Redocly's `recommended` lint rules with every operation described on top. Both run through their JS
 * APIs, offline; a warning fails as an error does, so the document stays clean rather than "mostly clean".
 */
import t from 'tap';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import SwaggerParser from '@apidevtools/swagger-parser';
import { createConfig, lintFromString } from '@redocly/openapi-core';
import { parse, stringify } from 'yaml';

const FILE = fileURLToPath(new URL('../specs/openapi.yaml', import.meta.url));
const TEXT = readFileSync(FILE, 'utf8');

type Doc = Record<string, any>;

/** Redocly's findings on a document's text, one line each: `severity rule at pointer: message`. */
async function lintText(source: string): Promise<string[]> {
  // `recommended` leaves operation descriptions alone; the issue asks for every operation to carry one.
  const config = await createConfig({ extends: ['recommended'], rules: { 'operation-description': 'error' } });
  const problems = await lintFromString({ source, absoluteRef: FILE, config });
  return problems.map((p) => `${p.severity} ${p.ruleId} at ${p.location[0]?.pointer ?? '?'}: ${p.message}`);
}

/** swagger-parser's verdict: null when valid, else its message (which lists each schema violation). */
async function swaggerParserProblem(doc: string | Doc): Promise<string | null> {
  try {
    // It dereferences in place: give it a copy, never the document another check is about to read.
    await SwaggerParser.validate(typeof doc === 'string' ? doc : (structuredClone(doc) as never));
    return null;
  } catch (e) {
    return (e as Error).message;
  }
}

/** A copy of the document with one fault put in by `fault`. */
const faulty = (fault: (doc: Doc) => void): Doc => {
  const doc = parse(TEXT) as Doc;
  fault(doc);
  return doc;
};

t.test('swagger-parser validates specs/openapi.yaml as an OpenAPI 3.1 document', async (t) => {
  t.equal(await swaggerParserProblem(FILE), null);
});

t.test("Redocly's recommended rules, with every operation described, find no error and no warning", async (t) => {
  t.same(await lintText(TEXT), []);
});

t.test('every operation and every tag of the document has a description of its own', async (t) => {
  const doc = parse(TEXT) as Doc;
  const methods = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options', 'trace'];
  const operations = Object.values<Doc>(doc.paths).flatMap((item) =>
    methods.filter((m) => item[m]).map((m) => item[m] as Doc),
  );
  t.equal(operations.length, new Set(operations.map((o) => o.operationId)).size, 'operation ids are unique');
  t.same(
    operations.filter((o) => !(typeof o.description === 'string' && o.description.trim())).map((o) => o.operationId),
    [],
    'operations without a description',
  );
  t.same(
    (doc.tags as Doc[]).filter((tag) => !tag.description?.trim()).map((tag) => tag.name),
    [],
    'tags without a description',
  );
  const used = new Set(operations.flatMap((o) => o.tags ?? []));
  t.same(
    (doc.tags as Doc[]).map((tag) => tag.name).filter((n) => !used.has(n)),
    [],
    'every declared tag is used by an operation',
  );
});

t.test('the checks catch a faulty copy of the document', async (t) => {
  // Only what the fault adds is compared, so that each case says what it proves even while the document is not clean.
  const before = new Set(await lintText(TEXT));
  const added = async (doc: Doc) => (await lintText(stringify(doc))).filter((p) => !before.has(p));
  const noDescription = faulty((doc) => delete doc.paths['/worlds'].post.description);
  t.same(
    await added(noDescription),
    [
      'error operation-description at #/paths/~1worlds/post/description: Operation object should contain `description` field.',
    ],
    'an operation without its description',
  );

  const noTagDescription = faulty((doc) => delete doc.tags[0].description);
  t.same(
    await added(noTagDescription),
    ['warn tag-description at #/tags/0/description: Tag object should contain `description` field.'],
    'a tag without its description (a warning, and a warning fails too)',
  );

  const unused = faulty((doc) => (doc.components.schemas.Orphan = { type: 'string', description: 'Used by nothing.' }));
  t.same(
    await added(unused),
    ['warn no-unused-components at #/components/schemas/Orphan: Component: "Orphan" is never used.'],
    'a component no operation uses',
  );

  const noLicenseId = faulty((doc) => delete doc.info.license.identifier);
  t.match(
    await swaggerParserProblem(noLicenseId),
    /#\/info\/license must have required property 'identifier'/,
    'swagger-parser: a license with neither identifier nor url',
  );
  t.same(
    await added(noLicenseId),
    [
      'warn info-license-strict at #/info/license: License object should contain one of the fields: `url`, `identifier`.',
    ],
    'Redocly: the same license',
  );

  const dangling = faulty(
    (doc) =>
      (doc.paths['/worlds'].post.responses['201'].content['application/json'].schema.$ref =
        '#/components/schemas/Nowhere'),
  );
  t.equal(
    await swaggerParserProblem(dangling),
    'Missing $ref pointer "#/components/schemas/Nowhere". Token "Nowhere" does not exist.',
    'swagger-parser: a $ref to no component',
  );
  t.same(
    await added(dangling),
    [
      "error no-unresolved-refs at #/paths/~1worlds/post/responses/201/content/application~1json/schema: Can't resolve $ref",
      'warn no-unused-components at #/components/schemas/WorldCreated: Component: "WorldCreated" is never used.',
    ],
    'Redocly: the same $ref, and the component it no longer uses',
  );
});

/** The namespace problems of a document: each operation is control plane, Graph's (sourced) or the extension (marked). */
function namespaceProblems(doc: Doc): string[] {
  const control = new Set(['/worlds', '/worlds/{worldId}', '/worlds/{worldId}/sync']);
  const problems: string[] = [];
  for (const [path, item] of Object.entries<Doc>(doc.paths))
    for (const op of Object.values<Doc>(item).filter((o) => o?.operationId)) {
      const where = `${op.operationId} (${path})`;
      if (control.has(path)) {
        if (op['x-graph-source'] || op['x-interop-extension'])
          problems.push(`${where}: control plane, marked otherwise`);
      } else if (path.startsWith('/worlds/{worldId}/v1.0/')) {
        if (typeof op['x-graph-source'] !== 'string') problems.push(`${where}: Graph's, without x-graph-source`);
        if (op['x-interop-extension']) problems.push(`${where}: Graph's, marked an extension`);
      } else if (path.startsWith('/worlds/{worldId}/interop/')) {
        if (op['x-interop-extension'] !== true) problems.push(`${where}: the extension, without x-interop-extension`);
        const tags = (doc.tags as Doc[]).filter((t) => op.tags?.includes(t.name));
        if (!tags.every((t) => /^Interop extension/.test(t.description)))
          problems.push(`${where}: a tag that does not say it is the extension`);
      } else problems.push(`${where}: in no namespace`);
    }
  return problems;
}

t.test(
  'every operation is the control plane, Graph v1.0 (under /v1.0, with x-graph-source) or the interop extension (under /interop, x-interop-extension, its tag saying so)',
  async (t) => {
    const doc = parse(TEXT) as Doc;
    t.same(namespaceProblems(doc), []);
    const count = (prefix: string) => Object.keys(doc.paths).filter((p) => p.startsWith(prefix)).length;
    t.same(
      [count('/worlds/{worldId}/v1.0/'), count('/worlds/{worldId}/interop/')],
      [9, 22],
      'Graph paths, extension paths',
    );
    const faulty = parse(TEXT) as Doc;
    delete faulty.paths['/worlds/{worldId}/v1.0/chats'].post['x-graph-source'];
    delete faulty.paths['/worlds/{worldId}/interop/me/calls'].post['x-interop-extension'];
    faulty.paths['/worlds/{worldId}/me/calls'] = faulty.paths['/worlds/{worldId}/interop/me/calls'];
    delete faulty.paths['/worlds/{worldId}/interop/me/calls'];
    faulty.tags.find((x: Doc) => x.name === 'blocking').description = 'Blocking people.';
    t.same(namespaceProblems(faulty), [
      "createChat (/worlds/{worldId}/v1.0/chats): Graph's, without x-graph-source",
      'listBlockedContacts (/worlds/{worldId}/interop/me/blockedContacts): a tag that does not say it is the extension',
      'blockContact (/worlds/{worldId}/interop/me/blockedContacts/{userId}): a tag that does not say it is the extension',
      'unblockContact (/worlds/{worldId}/interop/me/blockedContacts/{userId}): a tag that does not say it is the extension',
      'blockContactInPrivacySettings (/worlds/{worldId}/interop/me/settings/privacy/blockedContacts/{userId}): a tag that does not say it is the extension',
      'unblockContactInPrivacySettings (/worlds/{worldId}/interop/me/settings/privacy/blockedContacts/{userId}): a tag that does not say it is the extension',
      'blockNumber (/worlds/{worldId}/interop/me/blockedNumbers/{phoneNumber}): a tag that does not say it is the extension',
      'unblockNumber (/worlds/{worldId}/interop/me/blockedNumbers/{phoneNumber}): a tag that does not say it is the extension',
      'createCall (/worlds/{worldId}/me/calls): in no namespace',
    ]);
  },
);

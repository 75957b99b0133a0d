/** Reading the spec's data files: the JSON Schemas and the requirement catalogue. */
import { readFileSync } from 'node:fs';
import type { Requirement } from '../specs/requirement.js';
import { specsFile } from '../specs/schemas/files.js';
import { resolveCheck } from './checks.js';
import { InputError } from './diagnostics.js';
import { compileSchema, schemaDiagnostics } from './schema-errors.js';
import { YamlSource } from './yaml-source.js';

/** A file of specs/, found from the package root whether this code runs from source or from dist/. */
export const specsPath = specsFile;

export function readSchema(name: 'scenario' | 'report' | 'requirements'): object {
  return JSON.parse(readFileSync(specsPath(`schemas/${name}.schema.json`), 'utf8')) as object;
}

export interface Catalogue {
  /** The catalogue's semver (specs/CHANGELOG.md says what each changed); every report states it. */
  version: string;
  requirements: Map<string, Requirement>;
  outOfScope: { fact: string; reason: string }[];
}

export function loadCatalogue(file = specsPath('requirements.yaml')): Catalogue {
  const src = new YamlSource(file, readFileSync(file, 'utf8'));
  if (src.syntaxErrors.length) throw new InputError(src.syntaxErrors);
  const raw = src.value() as {
    version: string;
    requirements: (Omit<Requirement, 'decidedHere' | 'checkedBy'> & {
      'decided-here'?: string;
      'checked-by'?: string;
    })[];
    'out-of-scope'?: { fact: string; reason: string }[];
  };
  const problems = schemaDiagnostics(compileSchema(readSchema('requirements')), raw, src);
  const requirements = new Map<string, Requirement>();
  raw.requirements?.forEach((r, i) => {
    if (requirements.has(r.id))
      problems.push(src.locate(['requirements', i, 'id'], `duplicate requirement id ${r.id}`));
    const { 'decided-here': decidedHere, 'checked-by': checkId, ...rest } = r;
    // `checked-by` names a check of harness/checks.ts by id; reports say what it is.
    const check = checkId ? resolveCheck(checkId) : undefined;
    if (check && 'unknown' in check) problems.push(src.locate(['requirements', i, 'checked-by'], check.unknown));
    const checkedBy = check && 'what' in check ? check.what : undefined;
    requirements.set(r.id, { ...rest, ...(decidedHere ? { decidedHere } : {}), ...(checkedBy ? { checkedBy } : {}) });
  });
  if (problems.length) throw new InputError(problems);
  return { version: raw.version, requirements, outOfScope: raw['out-of-scope'] ?? [] };
}

let defaultVersion: string | undefined;

/** The version of specs/requirements.yaml, read once: for runs given a catalogue as a bare map (bench, tests). */
export function catalogueVersion(): string {
  return (defaultVersion ??= loadCatalogue().version);
}

/**
 * Where the package's data files are at run time. The specification's documents (specs/*.yaml, specs/*.md,
 * specs/schemas/*.json) and the scenarios are read from the package root, while the code runs either from its
 * sources (this file is specs/schemas/files.ts) or compiled (dist/specs/schemas/files.js, one folder deeper, with
 * no data files beside it): the root is the nearest folder above this module holding a package.json.
 *
 * It lives in specs/schemas/ for the reason ajv.ts does: every layer that reads a document may import from here.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

function packageRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) throw new Error(`no package.json above ${from}: the package is incomplete`);
  }
}

/** The folder holding package.json, specs/ and scenarios/, whether this code runs from source or from dist/. */
export const PACKAGE_ROOT = packageRoot(dirname(fileURLToPath(import.meta.url)));

/** A file of specs/ by its name there, e.g. `openapi.yaml` or `schemas/scenario.schema.json`. */
export const specsFile = (name: string): string => join(PACKAGE_ROOT, 'specs', name);

/** The package's own scenarios (`scenarios/<area>/*.yaml`). */
export const SCENARIOS_DIR = join(PACKAGE_ROOT, 'scenarios');

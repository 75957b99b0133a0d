/**
 * Loading scenarios: find the files, parse them keeping source positions, validate against the schema, resolve
 * the world and every name, then step the models through the whole scenario. Anything wrong is a located
 * diagnostic, found before any system under test is touched.
 */
import { basename, dirname, relative, resolve, sep } from 'node:path';
import type { Action } from '../specs/protocol.js';
import { WIRE_REQUIREMENT } from '../specs/observed-fields.js';
import type { Area, Requirement } from '../specs/requirement.js';
import type { Diagnostic } from './diagnostics.js';
import { contradictions, type Expectation } from './expectations.js';
import { initialModelState, predict } from './oracle.js';
import { compileSchema, schemaDiagnostics } from './schema-errors.js';
import { collectScenarios, type LoadedStep, type Scenario, type SuiteLoader } from './scenario-files.js';
import { loadCatalogue, readSchema } from './specs-files.js';
import { resolveWorld, type RawWorld } from './world.js';
import { LIMITS, readText } from './text-file.js';
import { YamlSource } from './yaml-source.js';

export { findScenarioFiles } from './scenario-files.js';
export type { LoadedStep, Scenario } from './scenario-files.js';

const AREAS: readonly Area[] = ['search', 'request', 'chat', 'call', 'block', 'admin', 'security'];
const NAME_FIELDS = ['to', 'from', 'with', 'user', 'of', 'onBehalfOf', 'mentions', 'target'] as const;

/**
 * Per-scenario limits (README, "Limits"), checked on the parsed value before the schema and the models see it: the
 * longest real scenario has 14 steps and the largest world 4 users; the file-level limits are in yaml-source.ts.
 * `deadlineMs` is capped, as `--deadline` is, at Node's timer maximum (2^31 - 1 ms).
 */
export const SCENARIO_LIMITS = { steps: 1000, users: 100, tenants: 100, deadlineMs: 2_147_483_647 } as const;

let validateScenario: ReturnType<typeof compileSchema> | undefined;

/** The scenario id: its path under the nearest `scenarios` folder (or its parent folder), without extension. */
function defaultId(file: string): string {
  const abs = resolve(file);
  const parts = abs.split(sep);
  const root = parts.lastIndexOf('scenarios');
  const base = root >= 0 ? parts.slice(0, root + 1).join(sep) : dirname(dirname(abs));
  return relative(base, abs)
    .replace(/\.ya?ml$/, '')
    .split(sep)
    .join('/');
}

/**
 * The scenarios of `files`, or their problems. `keep` is what is kept of each as it is loaded (`run` keeps it compact,
 * harness/compact-scenarios.ts): the whole suite is then never in memory at once.
 */
export function loadScenarios(
  files: string[],
  catalogue: Map<string, Requirement>,
  keep: (s: Scenario) => Scenario = (s) => s,
): { scenarios: Scenario[]; problems: Diagnostic[] } {
  return collectScenarios(files, (file) => {
    const read = readText(file, 'scenario file');
    if ('problem' in read) return { problems: [read.problem] };
    const loaded = loadScenario(file, read.text, catalogue);
    return loaded.scenario ? { ...loaded, scenario: keep(loaded.scenario) } : loaded;
  });
}

/** The sync loader without a cache, for a context no load cache prepared (the package API, tests). */
export const freshLoader: SuiteLoader = {
  catalogue: () => loadCatalogue(),
  scenarios: loadScenarios,
};

export function loadScenario(
  file: string,
  text: string,
  catalogue: Map<string, Requirement>,
): { scenario?: Scenario; problems: Diagnostic[] } {
  if (Buffer.byteLength(text) > LIMITS.fileBytes)
    return {
      problems: [{ file, line: 1, col: 1, message: `a scenario file may have at most ${LIMITS.fileBytes} bytes` }],
    };
  const src = new YamlSource(file, text);
  if (src.syntaxErrors.length) return { problems: src.syntaxErrors };
  const raw = src.value() as Record<string, unknown>;
  const tooMany = overLimits(raw, src);
  if (tooMany.length) return { problems: tooMany };
  validateScenario ??= compileSchema(readSchema('scenario'));
  const schemaProblems = schemaDiagnostics(validateScenario, raw, src);
  if (schemaProblems.length) return { problems: schemaProblems };

  const { world, problems } = resolveWorld(raw.world as RawWorld, src);
  const worldIsBroken = problems.length > 0;
  const id = (raw.id as string) ?? defaultId(file);
  const folder = id.includes('/') ? id.split('/')[0]! : basename(dirname(resolve(file)));
  const area = (raw.area as Area) ?? (AREAS.includes(folder as Area) ? (folder as Area) : undefined);
  if (!area)
    problems.push(
      src.locate(
        [],
        `cannot tell this scenario's area: put it in a folder named one of ${AREAS.join(', ')}, or set "area"`,
      ),
    );
  const claimed = (raw.requirements as string[] | undefined) ?? [];
  claimed.forEach((r, i) => {
    if (!catalogue.has(r))
      problems.push(src.locate(['requirements', i], `unknown requirement "${r}"; see specs/requirements.yaml`));
  });

  // The models cannot be stepped through a world with an unknown tenant or a bad delegate: stop at the world.
  if (worldIsBroken) return { problems };
  const rawSteps = raw.steps as Record<string, unknown>[];
  const steps: LoadedStep[] = [];
  let state = initialModelState(world);
  for (const [i, s] of rawSteps.entries()) {
    const kind = Object.keys(s).find((k) => k !== 'actor' && k !== 'expect' && k !== 'note' && k !== 'wait')!;
    const action = { kind, ...(s[kind] ?? {}) } as Action;
    if (action.kind === 'call') action.media ??= 'audio';
    const at = (...path: (string | number)[]) => src.locate(['steps', i, ...path], '');
    const problem = (message: string, ...path: (string | number)[]) => problems.push({ ...at(...path), message });
    const actor = s.actor as string;
    if (!Object.hasOwn(world.users, actor)) {
      problem(`unknown actor "${actor}"; the world has: ${Object.keys(world.users).join(', ')}`, 'actor');
      break;
    }
    const unknown = namesIn(action).filter(([, name]) => !Object.hasOwn(world.users, name));
    unknown.forEach(([path, name]) =>
      problem(`unknown user "${name}"; the world has: ${Object.keys(world.users).join(', ')}`, kind, ...path),
    );
    if (unknown.length) break;

    const answer = predict(world, state, actor, action);
    if (!answer.allowed) {
      problem(`the model does not allow this step: ${answer.reason}`, kind);
      break; // later steps would be predicted from a state the scenario never reaches
    }
    state = answer.next;
    const expect = s.expect as Expectation | undefined;
    for (const c of expect ? contradictions(expect, answer.prediction) : []) problem(c.message, 'expect', c.field);
    const loc = at();
    steps.push({
      index: i + 1,
      location: `${loc.file}:${loc.line}:${loc.col}`,
      actor,
      action,
      ...(expect ? { expect } : {}),
      ...(s.wait === false ? { wait: false as const } : {}),
      prediction: answer.prediction,
    });
  }

  const exercised = new Set(steps.flatMap((s) => s.prediction.requirements));
  // A probe is only made over a wire, where every answer is also checked against the API document.
  if (steps.some((s) => s.action.kind === 'probe')) exercised.add(WIRE_REQUIREMENT);
  claimed.forEach((r, i) => {
    if (catalogue.has(r) && !exercised.has(r) && steps.length === rawSteps.length)
      problems.push(
        src.locate(
          ['requirements', i],
          `the scenario claims ${r}, but no step exercises it (exercised: ${[...exercised].sort().join(', ')})`,
        ),
      );
  });
  if (problems.length) return { problems };
  return {
    problems,
    scenario: {
      id,
      title: raw.title as string,
      file,
      area: area!,
      tags: (raw.tags as string[]) ?? [],
      ...(raw.deadlineMs !== undefined ? { deadlineMs: raw.deadlineMs as number } : {}),
      world,
      steps,
      requirements: [...exercised].sort(),
    },
  };
}

/** Steps, users and tenants beyond SCENARIO_LIMITS, located at the list or map that has too many. */
function overLimits(raw: unknown, src: YamlSource): Diagnostic[] {
  if (!raw || typeof raw !== 'object') return [];
  const r = raw as { steps?: unknown; world?: { users?: unknown; tenants?: unknown } };
  const count = (v: unknown) => (Array.isArray(v) ? v.length : v && typeof v === 'object' ? Object.keys(v).length : 0);
  const world = r.world && typeof r.world === 'object' ? r.world : {};
  const deadline = (r as { deadlineMs?: unknown }).deadlineMs;
  const late =
    typeof deadline === 'number' && deadline > SCENARIO_LIMITS.deadlineMs
      ? [
          src.locate(
            ['deadlineMs'],
            `deadlineMs may be at most ${SCENARIO_LIMITS.deadlineMs} (Node's timer maximum); got ${deadline}`,
          ),
        ]
      : [];
  return [
    ...late,
    ...(
      [
        [['steps'], r.steps, SCENARIO_LIMITS.steps, 'steps'],
        [['world', 'users'], world.users, SCENARIO_LIMITS.users, 'users'],
        [['world', 'tenants'], world.tenants, SCENARIO_LIMITS.tenants, 'tenants'],
      ] as const
    ).flatMap(([path, v, max, what]) =>
      count(v) > max ? [src.locate(path, `${count(v)} ${what}; a scenario may have at most ${max}`)] : [],
    ),
  ];
}

function namesIn(action: Action): [(string | number)[], string][] {
  const out: [(string | number)[], string][] = [];
  const a = action as unknown as Record<string, unknown>;
  for (const f of NAME_FIELDS) {
    const v = a[f];
    if (typeof v === 'string') out.push([[f], v]);
    else if (Array.isArray(v)) v.forEach((n, j) => out.push([[f, j], n as string]));
  }
  return out;
}

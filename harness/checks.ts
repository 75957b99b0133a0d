/**
 * The checks the harness makes besides comparing each step with the models: named, so that a requirement's
 * `checked-by` in specs/requirements.yaml names one by id, the loader refuses an id that names none, and
 * test/requirement-mapping.test.ts follows `code` to the constant the check's code lays its failures at.
 *
 * `code` is a `module#export` string, not an import: the loader reads this registry, and importing the runner
 * from here would make the catalogue's loader import the runner (a cycle: run → load → specs-files → run).
 */
export interface HarnessCheck {
  /** What checks it, as reports and `list` say it. */
  what: string;
  /** The requirements it checks. */
  requirements: readonly string[];
  /** `path#export` from the repository's root: the requirement id (or list) the check's code blames. */
  code: string;
}

export const HARNESS_CHECKS: Readonly<Record<string, HarnessCheck>> = {
  'runner.world-isolation': {
    what: 'the runner, in every world that stays open while the next scenario is played (harness/run.ts)',
    requirements: ['WIRE-002'],
    code: 'harness/late-deliveries.ts#ISOLATION_REQUIREMENT',
  },
  'runner.reconnect': {
    what: "the runner, midway through every scenario of two steps or more, when the adapter's session can reconnect (harness/run.ts)",
    requirements: ['WIRE-003'],
    code: 'harness/late-deliveries.ts#RECONNECT_REQUIREMENT',
  },
  'runner.delivery-deadline': {
    what: "the runner, timing every delivery on the harness's own clock against the run's deadline (harness/collect.ts, harness/late-deliveries.ts)",
    requirements: ['CHAT-006'],
    code: 'specs/observed-fields.ts#LATENCY_REQUIREMENTS',
  },
  'http-adapter.api-document': {
    what: 'the HTTP adapter, checking every answer against specs/openapi.yaml (adapters/http/schema.ts), whose violations the runner lays at WIRE-001 (harness/run.ts)',
    requirements: ['WIRE-001'],
    code: 'specs/observed-fields.ts#WIRE_REQUIREMENT',
  },
  'msw.client-requests': {
    what: "interop-conformance/msw, checking every request a client sends through its handlers against specs/openapi.yaml and laying each violation at the clause it breaks (adapters/msw/request-check.ts); the client's own test asserts none",
    requirements: ['CLIENT-001', 'CLIENT-002', 'CLIENT-003'],
    code: 'adapters/msw/request-check.ts#CLIENT_REQUIREMENTS',
  },
};

/** The check a `checked-by` id names, or why none. */
export function resolveCheck(id: string): HarnessCheck | { unknown: string } {
  return Object.hasOwn(HARNESS_CHECKS, id)
    ? HARNESS_CHECKS[id]!
    : { unknown: `checked-by names no check: "${id}"; known: ${Object.keys(HARNESS_CHECKS).join(', ')}` };
}

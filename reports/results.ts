/**
 * What a run produces. The harness writes these, the reports render them, and both import them from here and
 * nowhere else.
 */
import type { Action, ActorOutcome, Delivery, Observation } from '../specs/protocol.js';
import type { Area, Level, Requirement } from '../specs/requirement.js';

/** What the model says a step must produce, and the rule that says so. */
export interface Prediction {
  outcome: ActorOutcome;
  deliveries: Delivery[];
  /** `model.rule`, e.g. `relationship.teams-replies-before-accepting`. */
  rule: string;
  /** Everything the step exercises: the rule's requirements, and those its deliveries' fields answer to. */
  requirements: string[];
  /** The deciding rule's own requirements: what a wrong outcome or a missing delivery breaks. */
  ruleRequirements: string[];
  /** Every rule the models consulted, in order; the last that decided is `rule`. */
  trace: string[];
}

/**
 * - `pass`: observed what the model predicted.
 * - `fail`: observed something else: the system under test does not conform.
 * - `error`: the adapter or the harness broke; nothing is known about conformance.
 * - `skip`: the adapter declared it lacks a capability the scenario needs.
 */
export type Verdict = 'pass' | 'fail' | 'error' | 'skip';

export interface StepResult {
  index: number;
  /** Where the step stands in its file: `file:line:col`. */
  location: string;
  actor: string;
  action: Action;
  verdict: Verdict;
  expected: { outcome: ActorOutcome; deliveries: Delivery[] };
  observed?: Observation;
  rule: string;
  /** Every rule the models consulted for this step. */
  trace?: string[];
  requirements: string[];
  /** One entry per difference between expected and observed. */
  mismatches: Mismatch[];
  /** The fault behind an `error` verdict. */
  error?: string;
  /** Deliveries this step caused that turned up after it had ended (laid here by their identity). */
  late?: LateDelivery[];
  durationMs: number;
}

/** A delivery seen after the step that caused it had ended: while step `duringStep` ran, or after the last step. */
export interface LateDelivery {
  delivery: Delivery;
  /** ms from the causing step's action to the harness seeing it. */
  latencyMs: number;
  duringStep?: number;
}

/** One difference between expected and observed, and the requirements it breaks. */
export interface Mismatch {
  message: string;
  requirements: string[];
}

export interface ScenarioResult {
  id: string;
  title: string;
  file: string;
  area: Area;
  tags: string[];
  adapter: string;
  verdict: Verdict;
  requirements: string[];
  steps: StepResult[];
  durationMs: number;
  /** Why the scenario was skipped or errored before any step ran. */
  reason?: string;
  /** Listed in the expected-failures baseline. */
  expectedToFail?: boolean;
}

export type RequirementVerdict = Verdict | 'untested';

export interface RequirementResult extends Requirement {
  verdict: RequirementVerdict;
  scenarios: string[];
  /** Scenario ids whose failing steps cite this requirement. */
  failedBy: string[];
}

export interface Counts {
  total: number;
  pass: number;
  fail: number;
  error: number;
  skip: number;
}

export interface Gate {
  conformant: boolean;
  exitCode: 0 | 1;
  strict: boolean;
  /** Failing scenarios the baseline allows. */
  expectedFailures: string[];
  /** Baseline entries that passed: they fail the gate until removed from the baseline. */
  unexpectedPasses: string[];
  /** One line per reason the gate is closed, then its notes (each beginning `GATE_NOTE`), which close nothing. */
  reasons: string[];
}

/** How a gate's note begins: said of an open gate too (a baseline entry this run left out, a merge of shards). */
export const GATE_NOTE = 'note: ';

/** How long deliveries took to arrive (ms), over every delivery observed in a run. */
export interface LatencyStats {
  count: number;
  p50Ms: number;
  p95Ms: number;
  maxMs: number;
}

export interface RunSummary {
  tool: string;
  /** The harness's version (package.json). */
  version: string;
  /** The requirement catalogue's version (`version` of specs/requirements.yaml): what the run was judged against. */
  catalogueVersion: string;
  adapter: string;
  startedAt: string;
  durationMs: number;
  scenarios: Counts;
  steps: Counts;
  requirements: Counts & { untested: number };
  gate: Gate;
  /** Delivery latency over the run (absent when nothing was delivered). */
  latency?: LatencyStats;
  /** Identifies the run: report.json, junit.xml and summary.md of one run carry the same id. */
  runId?: string;
  /** The run was stopped by a signal: the report holds what it had, and it is not conformant. */
  interrupted?: boolean;
  /** Adapter code that would have ended the process (process.exit, unhandled rejection, uncaught exception). */
  crashes?: string[];
}

/** How much of one model the scenarios of a run take (their predictions, whatever the system did). */
export interface ModelCoverage {
  name: string;
  states: { total: number; covered: number };
  transitions: { total: number; covered: number };
  /** Rules (`model.rule`) and states (`model#state`) no scenario of the run takes. */
  missed: string[];
  /** The model's shape, for a report to draw it (covered or not is `missed`). */
  graph?: ModelGraph;
}

/** A model's states (dotted paths, compound ones included) and its rules as transitions between them. */
export interface ModelGraph {
  states: string[];
  initial: string[];
  /** `from` is `(root)` for a machine-wide rule; `to` is empty for a rule that stays where it is. */
  transitions: { rule: string; from: string; event: string; to: string[] }[];
}

export interface Coverage {
  models: ModelCoverage[];
}

/** A step at which two or more adapters observed different things (whatever the model said). */
export interface Disagreement {
  scenario: string;
  step: number;
  location: string;
  actor: string;
  action: Action;
  /** What each adapter observed at this step, by adapter name. */
  observed: Record<string, Observation>;
  /** Each adapter's verdict for the step: which of them also disagrees with the model. */
  verdicts: Record<string, Verdict>;
}

/** A run of the same scenarios against several adapters (`--adapter a,b`). */
export interface Differential {
  adapters: string[];
  /** Each requirement's verdict per adapter. */
  matrix: { requirement: string; level: Level; verdicts: Record<string, RequirementVerdict> }[];
  disagreements: Disagreement[];
  latency: Record<string, LatencyStats | null>;
}

export interface RunResult {
  summary: RunSummary;
  /** In a differential run, every adapter's results (each carries its `adapter`). */
  scenarios: ScenarioResult[];
  /** In a differential run, each requirement's worst verdict over the adapters. */
  requirements: RequirementResult[];
  coverage?: Coverage;
  differential?: Differential;
}

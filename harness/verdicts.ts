/**
 * From scenario verdicts to requirement verdicts and counts. A requirement fails when a failing step's mismatch
 * names it; it is covered by every scenario with a step that exercises it.
 *
 * Everything here is gathered one result at a time (`RunTally`), as results arrive: the CLI keeps no result once
 * its reports have it (issue 9: peak memory at 20× the suite), so what the verdicts, the gate and the counts need is
 * taken from each as it passes, in a compact form.
 */
import type { Counts, RequirementResult, RequirementVerdict, ScenarioResult, Verdict } from '../reports/results.js';
import type { Requirement } from '../specs/requirement.js';

export function count(verdicts: Verdict[]): Counts {
  const c: Counts = { total: verdicts.length, pass: 0, fail: 0, error: 0, skip: 0 };
  for (const v of verdicts) c[v]++;
  return c;
}

/** What the scenario results say of one requirement, gathered as they are read. */
interface Evidence {
  /** Ids of the scenarios that claim it, in result order, each once. */
  covering: Set<string>;
  /** Ids of the scenarios with a mismatch naming it, in result order, each once. */
  failedBy: Set<string>;
  /** A step exercising it, in a scenario claiming it, is `error`. */
  stepError: boolean;
  /** ... is `pass`. */
  stepPass: boolean;
  /** A scenario claiming it is `error` with no step run (all `skip`, or none): the adapter was never had. */
  notRun: boolean;
}

/**
 * Every result read once (issue 9: the former per-requirement scans cost O(requirements × results), ≈ 0.6 s at 20×
 * copies of the suite), each requirement's evidence gathered on the way; the verdicts are then read per
 * requirement. Order, evidence and verdicts are those of the per-requirement definition, which
 * test/verdicts-scale.test.ts keeps as the oracle.
 */
export class RequirementEvidence {
  private readonly evidence = new Map<string, Evidence>();

  private of(id: string): Evidence {
    let e = this.evidence.get(id);
    if (!e)
      this.evidence.set(
        id,
        (e = { covering: new Set(), failedBy: new Set(), stepError: false, stepPass: false, notRun: false }),
      );
    return e;
  }

  add(s: ScenarioResult): void {
    // A scenario's steps count for a requirement only when the scenario claims it.
    const claimed = new Set(s.requirements);
    for (const id of claimed) this.of(id).covering.add(s.id);
    let allSkipped = true;
    for (const st of s.steps) {
      if (st.verdict !== 'skip') allSkipped = false;
      // A mismatch may name a requirement its scenario was not written for (WIRE-001 on any step over a wire).
      for (const m of st.mismatches) for (const id of m.requirements) this.of(id).failedBy.add(s.id);
      if (st.verdict !== 'error' && st.verdict !== 'pass') continue;
      for (const id of st.requirements) {
        if (!claimed.has(id)) continue;
        if (st.verdict === 'error') this.of(id).stepError = true;
        else this.of(id).stepPass = true;
      }
    }
    if (s.verdict === 'error' && allSkipped) for (const id of claimed) this.of(id).notRun = true;
  }

  results(catalogue: Iterable<Requirement>): RequirementResult[] {
    return [...catalogue].map((req) => {
      const e = this.evidence.get(req.id);
      const verdict: RequirementVerdict = e?.failedBy.size
        ? 'fail'
        : !e?.covering.size
          ? 'untested'
          : e.stepError || e.notRun
            ? 'error'
            : e.stepPass
              ? 'pass'
              : 'skip';
      return { ...req, verdict, scenarios: e ? [...e.covering] : [], failedBy: e ? [...e.failedBy] : [] };
    });
  }
}

export function requirementResults(catalogue: Iterable<Requirement>, scenarios: ScenarioResult[]): RequirementResult[] {
  const evidence = new RequirementEvidence();
  for (const s of scenarios) evidence.add(s);
  return evidence.results(catalogue);
}

export function requirementCounts(rs: RequirementResult[]): Counts & { untested: number } {
  const tested = rs.filter((r) => r.verdict !== 'untested').map((r) => r.verdict as Verdict);
  return { ...count(tested), total: rs.length, untested: rs.length - tested.length };
}

/**
 * What a run's summary needs of its results, taken from each as it arrives: the scenario and step counts, the
 * requirements' evidence, and each result cut down to what the gate and the latency figures read (its id, verdict,
 * reason, requirements, the first error, the requirements its mismatches break, the latencies seen): about a
 * tenth of a result.
 */
export class RunTally {
  readonly scenarios = count([]);
  readonly steps = count([]);
  readonly evidence = new RequirementEvidence();
  /** Each result as the gate and latencyStats read it (`gated`), in the order they came. */
  readonly gated: ScenarioResult[] = [];

  add(r: ScenarioResult): void {
    this.scenarios.total++;
    this.scenarios[r.verdict]++;
    this.evidence.add(r);
    const error = r.steps.find((x) => x.verdict === 'error');
    const broken = r.steps.flatMap((x) => x.mismatches.flatMap((m) => m.requirements));
    const latencies = r.steps.flatMap((x) => x.observed?.latenciesMs ?? []);
    for (const st of r.steps) (this.steps.total++, this.steps[st.verdict]++);
    this.gated.push(gated(r, error?.error, broken, latencies));
  }
}

/** A result as the gate reads it: no step but its first error, the mismatches' requirements, the latencies. */
function gated(r: ScenarioResult, error: string | undefined, broken: string[], latencies: number[]): ScenarioResult {
  const steps: ScenarioResult['steps'] = [];
  const step = (verdict: Verdict, more: Partial<ScenarioResult['steps'][number]>) =>
    steps.push({ verdict, mismatches: [], requirements: [], ...more } as ScenarioResult['steps'][number]);
  if (error !== undefined) step('error', { error });
  if (broken.length) step('fail', { mismatches: [{ message: '', requirements: [...new Set(broken)] }] });
  if (latencies.length) step('pass', { observed: { latenciesMs: latencies } as never });
  return {
    id: r.id,
    verdict: r.verdict,
    requirements: r.requirements,
    ...(r.reason !== undefined ? { reason: r.reason } : {}),
    steps,
  } as ScenarioResult;
}

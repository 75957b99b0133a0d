/**
 * From scenario verdicts to requirement verdicts and counts. A requirement fails when a failing step's mismatch
 * names it; it is covered by every scenario with a step that exercises it.
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
export function requirementResults(catalogue: Iterable<Requirement>, scenarios: ScenarioResult[]): RequirementResult[] {
  const evidence = new Map<string, Evidence>();
  const of = (id: string): Evidence => {
    let e = evidence.get(id);
    if (!e)
      evidence.set(
        id,
        (e = { covering: new Set(), failedBy: new Set(), stepError: false, stepPass: false, notRun: false }),
      );
    return e;
  };
  for (const s of scenarios) {
    // A scenario's steps count for a requirement only when the scenario claims it.
    const claimed = new Set(s.requirements);
    for (const id of claimed) of(id).covering.add(s.id);
    let allSkipped = true;
    for (const st of s.steps) {
      if (st.verdict !== 'skip') allSkipped = false;
      // A mismatch may name a requirement its scenario was not written for (WIRE-001 on any step over a wire).
      for (const m of st.mismatches) for (const id of m.requirements) of(id).failedBy.add(s.id);
      if (st.verdict !== 'error' && st.verdict !== 'pass') continue;
      for (const id of st.requirements) {
        if (!claimed.has(id)) continue;
        if (st.verdict === 'error') of(id).stepError = true;
        else of(id).stepPass = true;
      }
    }
    if (s.verdict === 'error' && allSkipped) for (const id of claimed) of(id).notRun = true;
  }
  return [...catalogue].map((req) => {
    const e = evidence.get(req.id);
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

export function requirementCounts(rs: RequirementResult[]): Counts & { untested: number } {
  const tested = rs.filter((r) => r.verdict !== 'untested').map((r) => r.verdict as Verdict);
  return { ...count(tested), total: rs.length, untested: rs.length - tested.length };
}

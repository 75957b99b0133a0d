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

export function requirementResults(catalogue: Iterable<Requirement>, scenarios: ScenarioResult[]): RequirementResult[] {
  return [...catalogue].map((req) => {
    const covering = scenarios.filter((s) => s.requirements.includes(req.id));
    // A mismatch may name a requirement its scenario was not written for (WIRE-001 on any step over a wire).
    const failedBy = scenarios
      .filter((s) => s.steps.some((st) => st.mismatches.some((m) => m.requirements.includes(req.id))))
      .map((s) => s.id);
    const steps = covering.flatMap((s) => s.steps.filter((st) => st.requirements.includes(req.id)));
    const verdict: RequirementVerdict = failedBy.length
      ? 'fail'
      : covering.length === 0
        ? 'untested'
        : steps.some((st) => st.verdict === 'error') ||
            covering.some((s) => s.verdict === 'error' && s.steps.every((st) => st.verdict === 'skip'))
          ? 'error'
          : steps.some((st) => st.verdict === 'pass')
            ? 'pass'
            : 'skip';
    return { ...req, verdict, scenarios: [...new Set(covering.map((s) => s.id))], failedBy: [...new Set(failedBy)] };
  });
}

export function requirementCounts(rs: RequirementResult[]): Counts & { untested: number } {
  const tested = rs.filter((r) => r.verdict !== 'untested').map((r) => r.verdict as Verdict);
  return { ...count(tested), total: rs.length, untested: rs.length - tested.length };
}

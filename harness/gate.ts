/**
 * The CI gate: is the system under test conformant? A failing MUST (or, with --strict, SHOULD) requirement
 * closes it, as does any adapter error. A baseline of expected failures keeps known failures from closing it —
 * and a listed scenario that now passes closes it until it is taken off the list, so the baseline only shrinks.
 * A run that checked nothing is not conformant either: every scenario skipped, or every MUST requirement its
 * scenarios claim skipped (an adapter declaring no capability would otherwise be green by doing nothing).
 */
import { GATE_NOTE, type Gate, type ScenarioResult } from '../reports/results.js';
import type { Requirement } from '../specs/requirement.js';

export interface GateOptions {
  strict: boolean;
  /** Scenario ids expected to fail. */
  baseline: ReadonlySet<string>;
}

export function gate(scenarios: ScenarioResult[], catalogue: ReadonlyMap<string, Requirement>, o: GateOptions): Gate {
  const reasons: string[] = [];
  const expectedFailures: string[] = [];
  const unexpectedPasses: string[] = [];
  const gating = (id: string) => {
    const level = catalogue.get(id)?.level;
    return level === 'MUST' || (o.strict && level === 'SHOULD');
  };
  for (const s of scenarios) {
    const listed = o.baseline.has(s.id);
    if (s.verdict === 'pass' && listed) {
      unexpectedPasses.push(s.id);
      reasons.push(`${s.id} passed but is listed as an expected failure: remove it from the baseline`);
    }
    if (s.verdict !== 'fail' && s.verdict !== 'error') continue;
    // A baseline lists failures. An error is none (the adapter hung, crashed, answered nothing): it proves nothing
    // of the failure listed, and closes the gate as any error does — as the reports show it, an error, not an xfail.
    if (listed && s.verdict === 'fail') {
      expectedFailures.push(s.id);
      continue;
    }
    if (s.verdict === 'error') {
      const error = s.reason ?? s.steps.find((x) => x.verdict === 'error')?.error ?? 'unknown';
      // An adapter that says the system under test itself failed (a 5xx) is believed: no "adapter or harness" blame.
      const whose = /^the system under test /.test(error) ? '' : 'adapter or harness error: ';
      const note = listed ? ' (the baseline expects a failure, not an error)' : '';
      reasons.push(`${s.id}: ${whose}${error}${note}`);
      continue;
    }
    const broken = [...new Set(s.steps.flatMap((x) => x.mismatches.flatMap((m) => m.requirements)))].sort();
    const closing = broken.filter(gating);
    if (closing.length) reasons.push(`${s.id} breaks ${closing.join(', ')}`);
  }
  reasons.push(...nothingChecked(scenarios, catalogue));
  const known = new Set(scenarios.map((s) => s.id));
  const stale = [...o.baseline].filter((id) => !known.has(id));
  // A stale entry does not close the gate (the scenario may simply not be selected), but it is said.
  const conformant = reasons.length === 0;
  return {
    conformant,
    exitCode: conformant ? 0 : 1,
    strict: o.strict,
    expectedFailures,
    unexpectedPasses,
    reasons: [...reasons, ...stale.map((id) => `${GATE_NOTE}the baseline lists ${id}, which this run did not include`)],
  };
}

/**
 * Why a run proved nothing, if it did not: no scenario ran, or no MUST requirement in scope (claimed by a selected
 * scenario) was exercised by a scenario that ran. A run that checks some MUSTs and skips others stays judged on
 * what it checked; its skips are in the report.
 */
function nothingChecked(scenarios: ScenarioResult[], catalogue: ReadonlyMap<string, Requirement>): string[] {
  const ran = scenarios.filter((s) => s.verdict !== 'skip');
  const why = [...new Set(scenarios.filter((s) => s.verdict === 'skip' && s.reason).map((s) => s.reason!))].slice(0, 3);
  const because = why.length ? ` (${why.join('; ')})` : '';
  if (!scenarios.length) return ['nothing was checked: no scenario ran'];
  if (!ran.length)
    return [
      `nothing was checked: all ${scenarios.length} scenario${scenarios.length === 1 ? ' was' : 's were'} skipped${because}`,
    ];
  const must = [...new Set(scenarios.flatMap((s) => s.requirements))]
    .filter((id) => catalogue.get(id)?.level === 'MUST')
    .sort();
  const checked = new Set(ran.flatMap((s) => s.requirements));
  if (must.length && must.every((id) => !checked.has(id)))
    return [`no MUST requirement in scope was checked: ${must.join(', ')} only in skipped scenarios${because}`];
  return [];
}

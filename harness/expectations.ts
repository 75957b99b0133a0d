/**
 * An author's explicit `expect` against the model's prediction. Any disagreement is an authoring error: the
 * model is the specification, so the scenario is wrong (or the model is, and that is a spec change).
 */
import type { CallState, Delivery } from '../specs/protocol.js';
import type { Prediction } from '../reports/results.js';
import { OUTCOME_FIELDS } from '../specs/observed-fields.js';
import { agrees, describeDeliveries, pairUp } from './deliveries.js';

export interface Expectation {
  outcome?: 'ok' | 'error';
  error?: string;
  found?: string[];
  blocked?: string[];
  messages?: string[];
  presence?: 'hidden' | 'shown';
  call?: 'voicemail';
  /** Partial: the fields written must be the predicted ones (`{ state: connected, media: video }`). */
  callState?: Partial<CallState>;
  delivers?: 'nothing' | Partial<Delivery>[];
}

const sameSet = (a: string[], b: string[]) => JSON.stringify([...a].sort()) === JSON.stringify([...b].sort());
const sameList = (a: string[], b: string[]) => JSON.stringify(a) === JSON.stringify(b);

/** One sentence per field of `expect` that the prediction contradicts, keyed by the field. */
export function contradictions(expect: Expectation, p: Prediction): { field: keyof Expectation; message: string }[] {
  const out: { field: keyof Expectation; message: string }[] = [];
  const o = p.outcome;
  const said = (field: keyof Expectation, wrote: unknown, predicted: unknown) =>
    out.push({
      field,
      message: `expect.${field} is ${JSON.stringify(wrote)}, but the model predicts ${JSON.stringify(predicted)} (rule ${p.rule}; ${p.requirements.join(', ')})`,
    });

  if (expect.outcome !== undefined && expect.outcome !== o.status)
    said('outcome', expect.outcome, o.status === 'error' ? `error ${o.error}` : 'ok');
  if (expect.error !== undefined && (o.status !== 'error' || o.error !== expect.error))
    said('error', expect.error, o.status === 'error' ? o.error : 'ok');
  const data = o.status === 'ok' ? o : {};
  // Order counts where the field catalogue says so: the blocked list's (sorted by name, BLOCK-004), not found's.
  for (const f of ['found', 'blocked'] as const) {
    const same = OUTCOME_FIELDS[f]!.unordered ? sameSet : sameList;
    if (expect[f] !== undefined && !same(expect[f]!, (data as Record<string, string[]>)[f] ?? []))
      said(f, expect[f], (data as Record<string, unknown>)[f] ?? 'nothing of the kind');
  }
  if (
    expect.messages !== undefined &&
    JSON.stringify(expect.messages) !== JSON.stringify((data as { messages?: string[] }).messages)
  )
    said('messages', expect.messages, (data as { messages?: string[] }).messages ?? 'no messages');
  for (const f of ['presence', 'call'] as const)
    if (expect[f] !== undefined && expect[f] !== (data as Record<string, unknown>)[f])
      said(f, expect[f], (data as Record<string, unknown>)[f] ?? 'nothing of the kind');
  const shown = (data as { callState?: Record<string, unknown> }).callState;
  if (expect.callState !== undefined && (!shown || Object.entries(expect.callState).some(([k, v]) => shown[k] !== v)))
    said('callState', expect.callState, shown ?? 'no call state');
  if (expect.delivers !== undefined) {
    const wanted = expect.delivers === 'nothing' ? [] : expect.delivers;
    const { unmatched, extra } = pairUp(wanted, p.deliveries, agrees);
    if (unmatched.length || extra.length)
      out.push({
        field: 'delivers',
        message: `expect.delivers is ${describeDeliveries(wanted)}, but the model predicts ${describeDeliveries(p.deliveries)} (rule ${p.rule}; ${p.requirements.join(', ')})`,
      });
  }
  return out;
}

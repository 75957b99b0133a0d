/**
 * Observed against predicted, for one step. Each difference becomes a sentence naming the requirement it breaks:
 * the deciding rule's for a wrong outcome or a missing or unexpected delivery, the field's own for a wrong field
 * (specs/delivery-checks.ts), CHAT-006 for a late one, and CHAT-009 besides when a text was lost without a word.
 */
import type { Delivery, Observation } from '../specs/protocol.js';
import type { Mismatch, Prediction } from '../specs/results.js';
import { fieldRequirements, SILENT_LOSS_REQUIREMENT, type DeliveryField } from '../specs/delivery-checks.js';
import { describeDelivery, listenMs, pairUp, sameDelivery } from './deliveries.js';

const FIELDS: (keyof Delivery)[] = ['surface', 'text', 'media', 'external', 'encrypted'];
const describeOutcome = (o: Observation['outcome']) => (o.status === 'ok' ? 'ok' : `error ${o.error}`);
const carriesText = (d: Delivery) => d.kind === 'message' || (d.kind === 'request' && d.text !== undefined);

export function compare(p: Prediction, observed: Observation, deadlineMs: number): Mismatch[] {
  const out: Mismatch[] = [];
  const own = (message: string, extra: string[] = []) => out.push({ message, requirements: [...new Set([...p.ruleRequirements, ...extra])] });
  const exp = p.outcome;
  const obs = observed.outcome;
  const silent = obs.status === 'ok' && observed.deliveries.length === 0;

  if (exp.status !== obs.status || (exp.status === 'error' && obs.status === 'error' && exp.error !== obs.error)) {
    const lostWithoutWord = exp.status === 'error' && silent && p.requirements.includes(SILENT_LOSS_REQUIREMENT);
    own(`the actor was shown ${describeOutcome(obs)}; expected ${describeOutcome(exp)}${lostWithoutWord ? ' — the message was lost without a word' : ''}`, lostWithoutWord ? [SILENT_LOSS_REQUIREMENT] : []);
  } else if (exp.status === 'ok' && obs.status === 'ok') {
    for (const f of ['found', 'blocked', 'messages', 'presence', 'call'] as const) {
      const e = JSON.stringify(f === 'found' || f === 'blocked' ? [...((exp[f] as string[]) ?? [])].sort() : exp[f]);
      const o = JSON.stringify(f === 'found' || f === 'blocked' ? [...((obs[f] as string[]) ?? [])].sort() : obs[f]);
      if (exp[f] !== undefined && e !== o) own(`${f}: observed ${o ?? 'nothing'}; expected ${e}`);
    }
  }

  const { pairs, unmatched, extra } = pairUp(p.deliveries, observed.deliveries.map((d, i) => ({ d, at: observed.latenciesMs?.[i] })), (e, o) => sameDelivery(e, o.d));
  for (const e of unmatched) {
    const lost = carriesText(e) && obs.status === 'ok' && p.requirements.includes(SILENT_LOSS_REQUIREMENT);
    own(`${describeDelivery(e)} never arrived (listened for ${listenMs(deadlineMs)} ms)${lost ? ' and the sender was told it was sent' : ''}`, lost ? [SILENT_LOSS_REQUIREMENT] : []);
  }
  for (const [e, { d, at }] of pairs) {
    if (at !== undefined && at > deadlineMs)
      out.push({ message: `${describeDelivery(e)} arrived after ${Math.round(at)} ms; the deadline is ${deadlineMs} ms`, requirements: fieldRequirements('latency', e) });
    for (const f of FIELDS) {
      // `external: false` and no flag at all say the same thing; any other field is checked only if predicted.
      if (f === 'external' ? (e[f] ?? false) === (d[f] ?? false) : e[f] === undefined || e[f] === d[f]) continue;
      const message = `${describeDelivery(e)}: ${f} is ${JSON.stringify(d[f]) ?? 'missing'}; expected ${JSON.stringify(e[f]) ?? 'none'}`;
      const byField = f === 'text' || f === 'media' ? [] : fieldRequirements(f as DeliveryField, e);
      if (byField.length) out.push({ message, requirements: byField });
      else own(message);
    }
  }
  for (const { d } of extra) own(`unexpected delivery: ${describeDelivery(d)}`);
  return out;
}

/**
 * What reaches whom: the deliveries a step predicts, each on its recipient's surface, with the external flag and
 * encryption where the interop's decisions (specs/interop.ts) put them.
 */
import { carriedText, markedExternal, surfaceOf } from '../../specs/interop.js';
import type { CallNotice } from '../../specs/models/call.js';
import type { Side } from '../../specs/models/relationship.js';
import type { Delivery, Media, Person } from '../../specs/protocol.js';
import type { Pair } from '../world-queries.js';

const otherSide = (side: Side): Side => (side === 'teams' ? 'skype' : 'teams');

/** A contact from the actor's side to the other: a request or a message, with its text or its call's media. */
export function contactDelivery(
  pair: Pair,
  actor: Side,
  kind: 'request' | 'message',
  body: { text: string } | { media: Media },
): Delivery {
  const to = pair.bySide(otherSide(actor));
  return {
    to: to.name,
    from: pair.bySide(actor).name,
    kind,
    surface: surfaceOf(to),
    ...('text' in body ? carriedText(body.text) : body),
    ...(markedExternal(kind, to) ? { external: true } : {}),
  };
}

/** What the call model tells the other party (a ringing call, an answer, a hang-up…), from `from`. */
export function callNotice(to: Person, from: string, notice: CallNotice): Delivery {
  return {
    to: to.name,
    from,
    kind: notice.kind,
    surface: surfaceOf(to),
    ...(notice.media ? { media: notice.media } : {}),
  };
}

export const calleeOf = (pair: Pair, caller: Side): Person => pair.bySide(otherSide(caller));

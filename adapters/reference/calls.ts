/**
 * The call table: at most one call per Teams/Skype pair — ringing, answered, or `dropped`: a call to someone who
 * blocks the caller, which reaches nobody but rings for its caller exactly as an unblocked call would (BLOCK-003).
 */
import type { CallState, Media } from '../../specs/protocol.js';
import type { Pair } from './directory.js';
import { pairKey } from './conversation.js';
import { outOfScope } from './scope.js';

export interface Call {
  readonly caller: string;
  readonly callee: string;
  media: Media;
  state: 'ringing' | 'answered' | 'dropped';
}

export class CallTable {
  readonly #byPair = new Map<string, Call>();

  /** A new call of the pair; it replaces a dropped one (that call only ever existed for its caller). */
  ring(pair: Pair, caller: string, callee: string, media: Media, state: 'ringing' | 'dropped' = 'ringing'): Call {
    const key = pairKey(pair.teams.name, pair.skype.name);
    const current = this.#byPair.get(key);
    if (current && current.state !== 'dropped')
      outOfScope(`${caller} and ${callee} already have a call (one per pair at a time)`);
    const call: Call = { caller, callee, media, state };
    this.#byPair.set(key, call);
    return call;
  }

  /** The call of a pair, if it has one in one of the given states. */
  find(pair: Pair, states: readonly Call['state'][]): Call | undefined {
    const call = this.#byPair.get(pairKey(pair.teams.name, pair.skype.name));
    return call && states.includes(call.state) ? call : undefined;
  }

  end(pair: Pair): void {
    this.#byPair.delete(pairKey(pair.teams.name, pair.skype.name));
  }

  /** What `viewer` sees of the pair's call: a dropped call is seen by its caller only. */
  seenBy(pair: Pair, viewer: string): CallState {
    const call = this.#byPair.get(pairKey(pair.teams.name, pair.skype.name));
    if (!call || (call.state === 'dropped' && call.caller !== viewer)) return { state: 'none' };
    return { state: call.state === 'answered' ? 'connected' : 'ringing', media: call.media };
  }
}

/** The call table: at most one call per Teams/Skype pair, ringing or answered. */
import type { Media } from '../../specs/protocol.js';
import type { Pair } from './directory.js';
import { pairKey } from './conversation.js';
import { outOfScope } from './scope.js';

export interface Call {
  readonly caller: string;
  readonly callee: string;
  media: Media;
  state: 'ringing' | 'answered';
}

export class CallTable {
  readonly #byPair = new Map<string, Call>();

  ring(pair: Pair, caller: string, callee: string, media: Media): Call {
    const key = pairKey(pair.teams.name, pair.skype.name);
    if (this.#byPair.has(key)) outOfScope(`${caller} and ${callee} already have a call (one per pair at a time)`);
    const call: Call = { caller, callee, media, state: 'ringing' };
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
}

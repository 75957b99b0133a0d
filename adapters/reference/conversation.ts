/**
 * The relationship of one Teams user and one Skype user: strangers → a pending request → decided, and once
 * decided, who blocks whom. Texts are kept sealed (see vault.ts).
 */
import type { Pair } from './directory.js';
import type { StoredText } from './vault.js';

export type Standing = 'strangers' | 'pending' | 'decided';

export interface Entry {
  readonly from: string;
  readonly body: StoredText;
  /** Sent while the request was pending: part of what "View messages" shows. */
  readonly partOfRequest: boolean;
}

export class Conversation {
  standing: Standing = 'strangers';
  /** Who made first contact (set once the request starts). */
  initiator: string | undefined;
  /** Names of the parties who block the other one. */
  readonly blockers = new Set<string>();
  readonly log: Entry[] = [];

  constructor(
    readonly teams: string,
    readonly skype: string,
  ) {}

  other(name: string): string {
    return name === this.teams ? this.skype : this.teams;
  }

  isPendingFor(recipient: string): boolean {
    return this.standing === 'pending' && this.initiator !== recipient;
  }

  startRequest(initiator: string): void {
    this.standing = 'pending';
    this.initiator = initiator;
  }

  decide(): void {
    this.standing = 'decided';
  }

  record(from: string, body: StoredText): void {
    this.log.push({ from, body, partOfRequest: this.standing === 'pending' });
  }

  requestTexts(): StoredText[] {
    return this.log.filter((entry) => entry.partOfRequest && entry.from === this.initiator).map((entry) => entry.body);
  }
}

export function pairKey(teams: string, skype: string): string {
  return JSON.stringify([teams, skype]);
}

export class ConversationStore {
  readonly #byPair = new Map<string, Conversation>();

  /** The conversation of a pair, created (as strangers) on first use. */
  of(pair: Pair): Conversation {
    const key = pairKey(pair.teams.name, pair.skype.name);
    let conversation = this.#byPair.get(key);
    if (!conversation) {
      conversation = new Conversation(pair.teams.name, pair.skype.name);
      this.#byPair.set(key, conversation);
    }
    return conversation;
  }

  involving(name: string): Conversation[] {
    return [...this.#byPair.values()].filter((c) => c.teams === name || c.skype === name);
  }
}

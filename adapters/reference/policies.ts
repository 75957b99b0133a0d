/**
 * The decisions the service's actions share, each behind a small interface: what the interop cannot carry, who
 * blocks whom, what search matches and lists, where the relationship routes a contact, who forwards calls to
 * voicemail, what a blocked sender is shown, presence, and the client surface a delivery arrives in. The service
 * is built from them (assemble.ts), so a faulty variant is the same service built from one wrapped decision.
 */
import type { Action, ActionKind, ActorOutcome, ErrorCode, Person, SkypeUser, Surface } from '../../specs/protocol.js';
import type { ConversationStore, Conversation } from './conversation.js';
import type { Directory } from './directory.js';

export type ActionOf<K extends ActionKind> = Extract<Action, { kind: K }>;
type OkOutcome = Extract<ActorOutcome, { status: 'ok' }>;

export const ok = (data: Omit<OkOutcome, 'status'> = {}): ActorOutcome => ({ status: 'ok', ...data });
export const refused = (error: ErrorCode): ActorOutcome => ({ status: 'error', error });

/**
 * Where the relationship sends a message or call. `blocking`: the sender blocks the recipient (refused, they may
 * unblock); `undiscoverable`: a Teams user's first contact with a Skype user hidden from search (refused).
 */
export type Route = 'request' | 'not-accepted' | 'blocked' | 'blocking' | 'undiscoverable' | 'connected';

/** What the interop cannot carry at all, whatever the tenant (CHAT-003/004, CALL-006/007/008). */
export interface Carriage {
  unsupported(action: Action): ErrorCode | undefined;
}

export interface BlockCheck {
  isBlockedBy(blocker: Person, sender: Person): boolean;
}

export interface SearchPolicy {
  matches(candidate: Person, query: ActionOf<'search'>): boolean;
  /** Whether a Skype user appears in Teams users' search results (their own choice, SEARCH-005). */
  listed(user: SkypeUser): boolean;
}

export interface Router {
  route(conversation: Conversation, sender: Person): Route;
}

export interface Forwarding {
  toVoicemail(callee: Person, caller: Person): boolean;
}

/** What a sender is shown whose contact reaches nobody because the recipient blocks them (BLOCK-003). */
export interface BlockedSender {
  shown(sender: Person, recipient: Person, use: 'chat' | 'call'): ActorOutcome;
}

export interface PresencePolicy {
  of(viewer: Person, subject: Person): 'hidden' | 'shown';
}

export interface Surfaces {
  of(recipient: Person): Surface;
}

export const CARRIAGE: Carriage = {
  unsupported(action) {
    switch (action.kind) {
      case 'call':
        return action.onBehalfOf !== undefined ? 'delegation-unsupported' : undefined;
      case 'group-chat':
      case 'meeting':
      case 'add-participant':
        return 'unsupported-group';
      case 'share-screen':
        return 'unsupported-screen-share';
      case 'message': {
        const rich = action.format === 'rich' || (action.mentions?.length ?? 0) > 0;
        return rich || action.emoji !== undefined || action.file !== undefined ? 'unsupported-content' : undefined;
      }
      default:
        return undefined;
    }
  },
};

/** A block is kept on the pair's conversation, by the blocker's name. */
export function conversationBlocks(directory: Directory, conversations: ConversationStore): BlockCheck {
  return {
    isBlockedBy: (blocker, sender) => conversations.of(directory.pair(blocker, sender)).blockers.has(blocker.name),
  };
}

const sameEmail = (a: string, b: string): boolean => a.trim().toLowerCase() === b.trim().toLowerCase();

/** Search is by email only (F1–F3), in any letter case. */
export const EMAIL_SEARCH: SearchPolicy = {
  matches: (candidate, query) => query.email !== undefined && sameEmail(candidate.email, query.email),
  listed: (user) => user.searchable,
};

export function relationshipRouter(directory: Directory, blocks: BlockCheck, search: SearchPolicy): Router {
  return {
    route(conversation, sender) {
      const recipient = directory.person(conversation.other(sender.name));
      switch (conversation.standing) {
        case 'strangers':
          // A Teams user starts from the search results (F5): nobody can pick a Skype user search does not show.
          return recipient.kind === 'skype' && !search.listed(recipient) ? 'undiscoverable' : 'request';
        case 'pending':
          return conversation.initiator === sender.name ? 'request' : 'not-accepted';
        case 'decided': {
          // Blocking stops both ways: the blocker is told (they know they block), before anything else is checked.
          if (blocks.isBlockedBy(sender, recipient)) return 'blocking';
          return blocks.isBlockedBy(recipient, sender) ? 'blocked' : 'connected';
        }
      }
    },
  };
}

/** A Teams user who forwards calls sends a Skype caller to voicemail (CALL-005). */
export const FORWARDING: Forwarding = {
  toVoicemail: (callee, caller) => callee.kind === 'teams' && callee.forwarding !== 'none' && caller.kind === 'skype',
};

/**
 * A blocked sender is told exactly what an unblocked one would be (BLOCK-003): a call to someone who forwards
 * calls would have gone to voicemail, so that is what the blocked caller is shown too.
 */
export function unawareBlockedSender(forwarding: Forwarding): BlockedSender {
  return {
    shown: (sender, recipient, use) =>
      use === 'call' && forwarding.toVoicemail(recipient, sender) ? ok({ call: 'voicemail' }) : ok(),
  };
}

/** Neither side sees the other's presence (CHAT-007). */
export const PRESENCE_HIDDEN: PresencePolicy = { of: () => 'hidden' };

/** A Skype user reads in Skype; a Teams user in Teams, or in Skype for Business in Islands mode (REQ-008/009). */
export const SURFACES: Surfaces = {
  of: (recipient) => {
    if (recipient.kind === 'skype') return 'skype';
    return recipient.mode === 'Islands' ? 'skype-for-business' : 'teams';
  },
};

/**
 * Where the faults of the catalogue keep what they need to remember. A defect often needs state the conformant
 * service does not have (a cache that is never invalidated, a list kept per screen, a table shared by the whole
 * service): it lives here, per world (keyed by the world's read model) or per service (keyed by its defect
 * switches), so that switching a fault off leaves the implementation's own state exactly as it was.
 */
import type { BlockVia, Media, Person, Surface } from '../../../specs/protocol.js';
import type { WorldView } from '../feed-event.js';
import type { CallRecord, WorldState } from '../projection.js';

/** The switches as every fault reads them (world.ts's Defects satisfies it). */
export interface Switches {
  has(id: string): boolean;
}

export const NO_DEFECTS: Switches = { has: () => false };

/** What the world's faults remember between requests. */
export interface WorldMemory {
  /** teams-to-skype-reordered-by-worker: messages each Teams sender has sent to Skype users. */
  sentToSkype: Map<string, number>;
  /** first-message-after-accept-late: pairs whose first chat message went out. */
  chatStarted: Set<string>;
  /** coexistence-mode-cached-per-tenant: the surface first routed to in each tenant. */
  surfaceByTenant: Map<string, Surface>;
  /** enterprise-app-reenable-cached / org-switch-back-on-not-restoring: users refused while it was off. */
  refusedWhileAppOff: Set<string>;
  refusedWhileSwitchOff: Set<string>;
  /** explicit-user-allow-overrides-org-switch: users an admin explicitly allowed. */
  explicitlyAllowed: Set<string>;
  /** searchable-again-not-reindexed: Skype users taken out of the search index. */
  deindexed: Set<string>;
  /** unblock-reopens-request: pairs whose request was decided by blocking it. */
  decidedByBlock: Set<string>;
  /** privacy-settings-block-not-enforced / unblock-from-other-place-ignored: where each block was laid. */
  blockVia: Map<string, BlockVia>;
  /** blocked-list-in-block-order: blocker → people in the order blocked. */
  blockOrder: Map<string, string[]>;
  /** unblocked-contact-stays-listed: blocker → people unblocked (still listed). */
  staleListed: Map<string, Set<string>>;
  /** hang-up-state-stale-for-other-party: "viewer\0other" → the call as it was when the other party ended it. */
  ghosts: Map<string, CallRecord>;
  /** add-video-not-seen-by-other-party: pair → who added video. */
  videoAddedBy: Map<string, string>;
  /** second-call-keeps-first-media: pair → the media of the pair's last call. */
  lastMedia: Map<string, Media>;
  /** held-messages-released-on-unblock: seqs of held messages already released. */
  released: Set<number>;
  /** chat-id-per-side: the ids handed out to the member who did not create a chat → the chat's own id. */
  chatAliases: Map<string, string>;
}

/** What faults shared by the whole service remember (state that leaks between worlds). */
export interface ServiceMemory {
  /** org-switch-keyed-by-tenant-name: tenant name → the switch as last set in any world. */
  orgSwitchByTenantName: Map<string, boolean>;
  /** event-cursor-service-wide: user name → the last cursor entry any world gave a user of that name. */
  cursorByName: Map<string, number>;
  /** token-table-global: every token of every world, to the user's name. */
  tokens: Map<string, string>;
  /** deleted-world-tokens-cached / deleted-world-streams-stay-open: deleted worlds still answering. */
  graveyard: Map<string, unknown>;
  /** search-index-shared-across-worlds: every world's people by address (lower case). */
  directory: Map<string, Person>;
  /** world-stream-same-names-across-worlds: every open world stream of the service, one bus. */
  worldViews: Set<WorldView>;
}

const switchesOf = new WeakMap<WorldState, Switches>();
const memories = new WeakMap<WorldState, WorldMemory>();
const services = new WeakMap<Switches, ServiceMemory>();

/** Called once per world, before its first fact: the rules reach the switches through the read model. */
export function bindDefects(s: WorldState, defects: Switches): void {
  switchesOf.set(s, defects);
}

/** Whether the fault `id` is switched on for the world whose read model is `s`. */
export const on = (s: WorldState, id: string): boolean => switchesOf.get(s)?.has(id) ?? false;

export const defectsOf = (s: WorldState): Switches => switchesOf.get(s) ?? NO_DEFECTS;

export function memoryOf(s: WorldState): WorldMemory {
  let m = memories.get(s);
  if (!m) {
    m = {
      sentToSkype: new Map(),
      chatStarted: new Set(),
      surfaceByTenant: new Map(),
      refusedWhileAppOff: new Set(),
      refusedWhileSwitchOff: new Set(),
      explicitlyAllowed: new Set(),
      deindexed: new Set(),
      decidedByBlock: new Set(),
      blockVia: new Map(),
      blockOrder: new Map(),
      staleListed: new Map(),
      ghosts: new Map(),
      videoAddedBy: new Map(),
      lastMedia: new Map(),
      released: new Set(),
      chatAliases: new Map(),
    };
    memories.set(s, m);
  }
  return m;
}

export function serviceMemoryOf(defects: Switches): ServiceMemory {
  let m = services.get(defects);
  if (!m)
    services.set(
      defects,
      (m = {
        orgSwitchByTenantName: new Map(),
        cursorByName: new Map(),
        tokens: new Map(),
        graveyard: new Map(),
        directory: new Map(),
        worldViews: new Set(),
      }),
    );
  return m;
}

/** An ordered pair's key (viewer first), for what one side sees of a pair. */
export const sideKey = (viewer: string, other: string): string => `${viewer}\u0000${other}`;

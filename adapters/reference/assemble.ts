/**
 * One world of the reference, put together: its state, its collaborators and the service built on them. A layer
 * wraps some of the collaborators, or the finished service, each wrapper typed to what it wraps; the reference
 * without layers is built from the plain collaborators. Faults are layers (faults/kit.ts), and so is what the
 * HTTP service adds to each world (http/worlds.ts).
 */
import type { World } from '../../specs/protocol.js';
import type { InteropApi } from './api.js';
import { OtherBlocks, type OtherBlockList } from './blocked-others.js';
import { CallTable } from './calls.js';
import { ConversationStore } from './conversation.js';
import type { Collaborators } from './core.js';
import { Directory } from './directory.js';
import { GATES, type Gate } from './gates.js';
import { Inboxes, type Envelope, type Postbox } from './inbox.js';
import {
  CARRIAGE,
  conversationBlocks,
  EMAIL_SEARCH,
  FORWARDING,
  PRESENCE_HIDDEN,
  relationshipRouter,
  SURFACES,
  unawareBlockedSender,
  type BlockCheck,
  type BlockedSender,
  type Carriage,
  type Forwarding,
  type PresencePolicy,
  type Router,
  type SearchPolicy,
  type Surfaces,
} from './policies.js';
import { InteropService } from './service.js';
import { Timers } from './timers.js';
import { Vault, type Sealer } from './vault.js';

/** What a wrapper may read of its world: the state, the sealing in force, and a way to run something later. */
export interface WorldParts {
  readonly directory: Directory;
  readonly conversations: ConversationStore;
  readonly calls: CallTable;
  readonly sealer: Sealer;
  /** Run `task` after `ms` unless the world is closed first. */
  later(ms: number, task: () => void): void;
}

/** What a layer can wrap, besides the sealing (wrapped first: the world parts the other wrappers see hold it). */
interface Wrappable {
  gates: readonly Gate[];
  carriage: Carriage;
  blocks: BlockCheck;
  search: SearchPolicy;
  router: Router;
  forwarding: Forwarding;
  blockedSender: BlockedSender;
  presence: PresencePolicy;
  surfaces: Surfaces;
  postbox: Postbox;
  otherBlocks: OtherBlockList;
}

/**
 * Wrappers around a world's collaborators, each optional. `service` wraps the finished service and sees every
 * collaborator in force. Layers apply in order: a later one wraps what the earlier ones made.
 */
export type Layer = Wrappers & {
  readonly sealer?: (inner: Sealer) => Sealer;
  readonly service?: (inner: InteropApi, world: WorldParts & Collaborators) => InteropApi;
};

type Wrappers = { readonly [K in keyof Wrappable]?: (inner: Wrappable[K], world: WorldParts) => Wrappable[K] };

export interface ReferenceWorld {
  readonly service: InteropApi;
  readonly parts: WorldParts & Collaborators;
}

export interface AssembleOptions {
  readonly layers?: readonly Layer[];
  /** Told of each envelope once it is in its recipient's inbox. */
  readonly arrived?: (envelope: Envelope) => void;
}

export function assemble(world: World, options: AssembleOptions = {}): ReferenceWorld {
  const layers = options.layers ?? [];
  const directory = new Directory(world);
  const conversations = new ConversationStore();
  const timers = new Timers();
  const sealer = layers.reduce<Sealer>((inner, layer) => layer.sealer?.(inner) ?? inner, new Vault());
  const state: WorldParts = {
    directory,
    conversations,
    calls: new CallTable(),
    sealer,
    later: (ms, task) => timers.later(ms, task),
  };
  const wrap = <K extends keyof Wrappable>(key: K, plain: Wrappable[K]): Wrappable[K] => {
    let made = plain;
    for (const layer of layers) {
      const wrappers: Wrappers = layer;
      made = wrappers[key]?.(made, state) ?? made;
    }
    return made;
  };
  const inboxes = new Inboxes(options.arrived);
  const blocks = wrap('blocks', conversationBlocks(directory, conversations));
  const search = wrap('search', EMAIL_SEARCH);
  const forwarding = wrap('forwarding', FORWARDING);
  const parts: WorldParts & Collaborators = {
    ...state,
    inboxes,
    postbox: wrap('postbox', inboxes),
    timers,
    gates: wrap('gates', GATES),
    carriage: wrap('carriage', CARRIAGE),
    search,
    router: wrap('router', relationshipRouter(directory, blocks, search)),
    forwarding,
    blockedSender: wrap('blockedSender', unawareBlockedSender(forwarding)),
    presence: wrap('presence', PRESENCE_HIDDEN),
    surfaces: wrap('surfaces', SURFACES),
    otherBlocks: wrap('otherBlocks', new OtherBlocks()),
  };
  const service = layers.reduce<InteropApi>(
    (inner, layer) => layer.service?.(inner, parts) ?? inner,
    new InteropService(parts),
  );
  return { service, parts };
}

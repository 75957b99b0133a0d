/**
 * The interop service's interface: what one world's actors do and collect. The adapter and the HTTP routes use
 * only this; a fault that changes what an action answers is a wrapper around it (faults/kit.ts).
 */
import type { ActorOutcome, BlockVia, Delivery, Tenant } from '../../specs/protocol.js';
import type { ActionOf } from './policies.js';

export type Deployment = Partial<Pick<Tenant, 'publicProvider' | 'sipFederationSrv' | 'cloud'>>;

export interface InteropApi {
  search(actorName: string, query: ActionOf<'search'>): ActorOutcome;
  setSearchable(actorName: string, value: boolean): ActorOutcome;
  sendMessage(actorName: string, message: ActionOf<'message'>): ActorOutcome;
  startCall(actorName: string, call: ActionOf<'call'>): ActorOutcome;
  answer(actorName: string, from: string): ActorOutcome;
  decline(actorName: string, from: string): ActorOutcome;
  hangUp(actorName: string, withName: string): ActorOutcome;
  addVideo(actorName: string, withName: string): ActorOutcome;
  callState(actorName: string, withName: string): ActorOutcome;
  refuseFeature(
    actorName: string,
    action: ActionOf<'group-chat' | 'meeting' | 'add-participant' | 'share-screen'>,
  ): ActorOutcome;
  accept(actorName: string, from: string): ActorOutcome;
  block(actorName: string, user: string, via?: BlockVia): ActorOutcome;
  unblock(actorName: string, user: string, via?: BlockVia): ActorOutcome;
  viewMessages(actorName: string, from: string): ActorOutcome;
  blockedContacts(actorName: string): ActorOutcome;
  blockNumber(actorName: string, phone: string, blocked: boolean): ActorOutcome;
  presence(actorName: string, of: string): ActorOutcome;
  setOrgSwitch(actorName: string, allowPublicUsers: boolean): ActorOutcome;
  setUserPolicy(actorName: string, change: ActionOf<'set-user-policy'>): ActorOutcome;
  setEnterpriseApp(actorName: string, enabled: boolean): ActorOutcome;
  setDeployment(actorName: string, change: Deployment): ActorOutcome;
  /** What has arrived for `user` since the last collection, oldest first, texts decrypted. */
  collect(user: string): Delivery[];
  /** Stop what the world still has scheduled (a delayed delivery); once, when the world closes. */
  dispose(): void;
}

/**
 * A plain object whose every method calls `inner`'s: spread it and replace the methods a wrapper changes, as
 * `{ ...forwardingTo(inner), accept: … }`. Listing each method makes a new one a compile error here, not a
 * method a wrapper silently drops.
 */
export function forwardingTo(inner: InteropApi): InteropApi {
  return {
    search: (actor, query) => inner.search(actor, query),
    setSearchable: (actor, value) => inner.setSearchable(actor, value),
    sendMessage: (actor, message) => inner.sendMessage(actor, message),
    startCall: (actor, call) => inner.startCall(actor, call),
    answer: (actor, from) => inner.answer(actor, from),
    decline: (actor, from) => inner.decline(actor, from),
    hangUp: (actor, withName) => inner.hangUp(actor, withName),
    addVideo: (actor, withName) => inner.addVideo(actor, withName),
    callState: (actor, withName) => inner.callState(actor, withName),
    refuseFeature: (actor, action) => inner.refuseFeature(actor, action),
    accept: (actor, from) => inner.accept(actor, from),
    block: (actor, user, via) => inner.block(actor, user, via),
    unblock: (actor, user, via) => inner.unblock(actor, user, via),
    viewMessages: (actor, from) => inner.viewMessages(actor, from),
    blockedContacts: (actor) => inner.blockedContacts(actor),
    blockNumber: (actor, phone, blocked) => inner.blockNumber(actor, phone, blocked),
    presence: (actor, of) => inner.presence(actor, of),
    setOrgSwitch: (actor, allow) => inner.setOrgSwitch(actor, allow),
    setUserPolicy: (actor, change) => inner.setUserPolicy(actor, change),
    setEnterpriseApp: (actor, enabled) => inner.setEnterpriseApp(actor, enabled),
    setDeployment: (actor, change) => inner.setDeployment(actor, change),
    collect: (user) => inner.collect(user),
    dispose: () => inner.dispose(),
  };
}

/**
 * The reference adapter: the in-process interop service behind the harness's Adapter/Session contract, with
 * optional faults (see faults.ts) to make faulty variants for mutation testing of the harness itself.
 */
import type { Action, ActorOutcome, Delivery, World } from '../../specs/protocol.js';
import type { Adapter, AdapterModule, Capability, Session } from '../adapter.js';
import type { InteropApi } from './api.js';
import { assemble } from './assemble.js';
import { faultsById, type Fault } from './faults.js';

const CAPABILITIES: readonly Capability[] = Object.freeze([
  'search',
  'chat',
  'call',
  'relationship',
  'presence',
  'admin',
  'coexistence',
  'deployment',
] as const);

export interface ReferenceOptions {
  /** Fault ids, as a list or (from a command line) one comma-separated string. */
  faults?: readonly string[] | string;
}

/** Route one action to the service method that performs it. */
export function performOn(service: InteropApi, actor: string, action: Action): ActorOutcome {
  switch (action.kind) {
    case 'search':
      return service.search(actor, action);
    case 'set-searchable':
      return service.setSearchable(actor, action.value);
    case 'message':
      return service.sendMessage(actor, action);
    case 'call':
      return service.startCall(actor, action);
    case 'answer':
      return service.answer(actor, action.from);
    case 'decline':
      return service.decline(actor, action.from);
    case 'hang-up':
      return service.hangUp(actor, action.with);
    case 'add-video':
      return service.addVideo(actor, action.with);
    case 'group-chat':
    case 'meeting':
    case 'add-participant':
    case 'share-screen':
      return service.refuseFeature(actor, action);
    case 'accept':
      return service.accept(actor, action.from);
    case 'block':
      return service.block(actor, action.user, action.via);
    case 'unblock':
      return service.unblock(actor, action.user, action.via);
    case 'block-number':
    case 'unblock-number':
      return service.blockNumber(actor, action.phone, action.kind === 'block-number');
    case 'view-messages':
      return service.viewMessages(actor, action.from);
    case 'blocked-contacts':
      return service.blockedContacts(actor);
    case 'presence':
      return service.presence(actor, action.of);
    case 'call-state':
      return service.callState(actor, action.with);
    case 'set-org-switch':
      return service.setOrgSwitch(actor, action.allowPublicUsers);
    case 'set-user-policy':
      return service.setUserPolicy(actor, action);
    case 'set-enterprise-app':
      return service.setEnterpriseApp(actor, action.enabled);
    case 'set-public-provider':
      return service.setDeployment(actor, { publicProvider: action.provider });
    case 'set-sip-federation-srv':
      return service.setDeployment(actor, { sipFederationSrv: action.record });
    case 'set-cloud':
      return service.setDeployment(actor, { cloud: action.cloud });
    case 'probe':
      // Never sent: the in-process reference does not declare the `wire` capability.
      throw new Error('the in-process reference has no wire to probe');
    default: {
      const unknown: never = action;
      throw new Error(`unknown action ${JSON.stringify(unknown)}`);
    }
  }
}

class ReferenceSession implements Session {
  constructor(private readonly service: InteropApi) {}

  async perform(actor: string, action: Action): Promise<ActorOutcome> {
    return performOn(this.service, actor, action);
  }

  async drain(user: string): Promise<Delivery[]> {
    return this.service.collect(user);
  }

  async close(): Promise<void> {
    this.service.dispose();
  }
}

function requestedFaults(option: ReferenceOptions['faults']): Fault[] {
  const ids = typeof option === 'string' ? option.split(',') : (option ?? []);
  return faultsById(ids.map((id) => id.trim()).filter((id) => id !== ''));
}

export function createReferenceAdapter(options: ReferenceOptions = {}): Adapter {
  const faults = requestedFaults(options.faults);
  return {
    name: faults.length === 0 ? 'reference' : `reference!${faults.map((fault) => fault.id).join(',')}`,
    capabilities: CAPABILITIES,
    // In-process and synchronous: everything an action delivers is in the inboxes when perform() returns.
    settleMs: 0,
    async open(world: World): Promise<Session> {
      return new ReferenceSession(assemble(world, { layers: faults.map((fault) => fault.layer()) }).service);
    },
  };
}

/** The reference without faults. */
export const referenceAdapter: Adapter = createReferenceAdapter();

export default createReferenceAdapter satisfies AdapterModule;

/**
 * The Teams ↔ Skype (consumer) interop service, in process. One instance serves one world: a directory of users
 * and tenants, the conversations of each Teams/Skype pair, a call table and per-user inboxes (see core.ts), built
 * from its collaborators by assemble.ts. Every action method returns what the actor is shown.
 */
import { InteropCore, ok, refused, type ActionOf } from './core.js';
import type { ActorOutcome, BlockVia } from '../../specs/protocol.js';
import type { Deployment, InteropApi } from './api.js';
import { outOfScope } from './scope.js';

export type { ActionOf, Route } from './core.js';

export class InteropService extends InteropCore implements InteropApi {
  // ── Discovery ───────────────────────────────────────────────────────────────────────────────────────────

  search(actorName: string, query: ActionOf<'search'>): ActorOutcome {
    const keys = [query.email, query.skypeId, query.phone].filter((key) => key !== undefined);
    if (keys.length !== 1) outOfScope('a search has exactly one of email, skypeId, phone');
    const searcher = this.directory.person(actorName);
    const found = this.directory
      .persons()
      .filter(
        (c) => c.kind !== searcher.kind && this.searchPolicy.matches(c, query) && this.isDiscoverable(searcher, c),
      )
      .map((c) => c.name)
      .sort();
    return ok({ found });
  }

  setSearchable(actorName: string, value: boolean): ActorOutcome {
    const user = this.directory.person(actorName);
    if (user.kind !== 'skype') outOfScope('only Skype users choose whether they appear in search');
    user.searchable = value;
    return ok();
  }

  // ── Chat and calls ──────────────────────────────────────────────────────────────────────────────────────

  sendMessage(actorName: string, message: ActionOf<'message'>): ActorOutcome {
    const sender = this.directory.person(actorName);
    const recipient = this.directory.person(message.to);
    const unsupported = this.carriage.unsupported(message);
    if (unsupported) return refused(unsupported);
    const admitted = this.admit(sender, recipient, 'chat');
    if ('status' in admitted) return admitted;
    if (admitted.route === 'blocked') return admitted.shown;
    const { conversation, route } = admitted;
    const body = this.sealer.seal(message.text);
    conversation.record(sender.name, body);
    if (route === 'request') this.sendRequest(sender, recipient, { body });
    else this.send('message', sender, recipient, { body });
    return ok();
  }

  startCall(actorName: string, call: ActionOf<'call'>): ActorOutcome {
    const caller = this.directory.person(actorName);
    const callee = this.directory.person(call.to);
    const unsupported = this.carriage.unsupported(call);
    if (unsupported) return refused(unsupported);
    const admitted = this.admit(caller, callee, 'call');
    if ('status' in admitted) return admitted;
    if (admitted.route === 'blocked') {
      // Shown a plain ok, the caller hears it ring, as an unblocked caller would (BLOCK-003); the callee sees nothing.
      const { shown } = admitted;
      if (shown.status === 'ok' && shown.call === undefined)
        this.calls.ring(admitted.pair, caller.name, callee.name, call.media, 'dropped');
      return shown;
    }
    if (admitted.route === 'request') {
      this.sendRequest(caller, callee, { media: call.media });
      return ok();
    }
    if (this.forwarding.toVoicemail(callee, caller)) {
      this.send('voicemail', caller, callee);
      return ok({ call: 'voicemail' });
    }
    this.calls.ring(admitted.pair, caller.name, callee.name, call.media);
    this.send('call', caller, callee, { media: call.media });
    return ok();
  }

  answer(actorName: string, from: string): ActorOutcome {
    const { me, other, call } = this.callWith(actorName, from, ['ringing']);
    if (call.callee !== me.name) outOfScope(`${me.name} did not receive the ringing call`);
    call.state = 'answered';
    this.send('call-answered', me, other);
    return ok();
  }

  decline(actorName: string, from: string): ActorOutcome {
    const { me, other, call, pair } = this.callWith(actorName, from, ['ringing']);
    if (call.callee !== me.name) outOfScope(`${me.name} did not receive the ringing call`);
    this.calls.end(pair);
    this.send('call-declined', me, other);
    return ok();
  }

  hangUp(actorName: string, withName: string): ActorOutcome {
    const { me, other, pair, call } = this.callWith(actorName, withName, ['ringing', 'answered', 'dropped']);
    if (call.state === 'dropped') {
      if (call.caller !== me.name) outOfScope(`${me.name} has no call with ${other.name} to hang up`);
      // Only its caller ever saw this call: nobody is told it ended.
      this.calls.end(pair);
      return ok();
    }
    this.calls.end(pair);
    this.send('call-ended', me, other);
    return ok();
  }

  addVideo(actorName: string, withName: string): ActorOutcome {
    const { me, other, call } = this.callWith(actorName, withName, ['answered']);
    if (call.media !== 'audio') outOfScope('video can only be added to an audio call');
    call.media = 'video';
    this.send('video-added', me, other);
    return ok();
  }

  /** What the actor sees of their call with `withName` now: none, ringing or connected, and its media. */
  callState(actorName: string, withName: string): ActorOutcome {
    const me = this.directory.person(actorName);
    const pair = this.directory.pair(me, this.directory.person(withName));
    return ok({ callState: this.calls.seenBy(pair, me.name) });
  }

  /** group-chat, meeting, add-participant, share-screen: features the interop does not have (F9, F10, F17). */
  refuseFeature(
    actorName: string,
    action: ActionOf<'group-chat' | 'meeting' | 'add-participant' | 'share-screen'>,
  ): ActorOutcome {
    this.directory.person(actorName);
    const unsupported = this.carriage.unsupported(action);
    return unsupported ? refused(unsupported) : ok();
  }

  // ── The relationship ────────────────────────────────────────────────────────────────────────────────────

  accept(actorName: string, from: string): ActorOutcome {
    const conversation = this.conversationOf(actorName, from);
    if (conversation.isPendingFor(actorName)) conversation.decide();
    else if (conversation.standing !== 'decided') outOfScope(`${actorName} has no request from ${from} to accept`);
    return ok();
  }

  /** From the conversation or (a Teams user, F20) from privacy settings: the same block either way. */
  block(actorName: string, user: string, via: BlockVia = 'conversation'): ActorOutcome {
    if (via === 'privacy-settings' && this.directory.person(actorName).kind !== 'teams')
      outOfScope('only a Teams user blocks from privacy settings');
    if (this.isTeamsColleague(actorName, user)) {
      this.otherBlocks.add(actorName, 'person', user);
      return ok();
    }
    const conversation = this.conversationOf(actorName, user);
    if (!conversation.isPendingFor(actorName) && conversation.standing !== 'decided') {
      outOfScope(`${actorName} has neither a request from nor a decided conversation with ${user}`);
    }
    conversation.decide();
    conversation.blockers.add(actorName);
    return ok();
  }

  unblock(actorName: string, user: string, via: BlockVia = 'conversation'): ActorOutcome {
    if (via === 'privacy-settings' && this.directory.person(actorName).kind !== 'teams')
      outOfScope('only a Teams user unblocks from privacy settings');
    if (this.isTeamsColleague(actorName, user)) {
      this.otherBlocks.remove(actorName, 'person', user);
      return ok();
    }
    const conversation = this.conversationOf(actorName, user);
    if (conversation.standing !== 'decided') outOfScope(`${actorName} has not decided about ${user}`);
    conversation.blockers.delete(actorName);
    return ok();
  }

  viewMessages(actorName: string, from: string): ActorOutcome {
    const conversation = this.conversationOf(actorName, from);
    if (!conversation.isPendingFor(actorName)) outOfScope(`${actorName} has no pending request from ${from}`);
    return ok({ messages: conversation.requestTexts().map((body) => this.sealer.open(body)) });
  }

  /** People first — Skype users and other Teams users together, by name — then phone numbers (F22). */
  blockedContacts(actorName: string): ActorOutcome {
    this.directory.person(actorName);
    const skype = this.conversations
      .involving(actorName)
      .filter((conversation) => conversation.blockers.has(actorName))
      .map((conversation) => conversation.other(actorName));
    const people = [...skype, ...this.otherBlocks.list(actorName, 'person')].sort();
    return ok({ blocked: [...people, ...this.otherBlocks.list(actorName, 'number').sort()] });
  }

  blockNumber(actorName: string, phone: string, blocked: boolean): ActorOutcome {
    if (this.directory.person(actorName).kind !== 'teams') outOfScope('only a Teams user blocks phone numbers');
    if (blocked) this.otherBlocks.add(actorName, 'number', phone);
    else this.otherBlocks.remove(actorName, 'number', phone);
    return ok();
  }

  /** Two Teams users: a block between them is a list entry only. */
  protected isTeamsColleague(actorName: string, other: string): boolean {
    return (
      this.directory.person(actorName).kind === 'teams' &&
      this.directory.person(other).kind === 'teams' &&
      actorName !== other
    );
  }

  presence(actorName: string, of: string): ActorOutcome {
    const viewer = this.directory.person(actorName);
    const subject = this.directory.person(of);
    this.directory.pair(viewer, subject);
    return ok({ presence: this.presencePolicy.of(viewer, subject) });
  }

  // ── Administration ──────────────────────────────────────────────────────────────────────────────────────

  setOrgSwitch(actorName: string, allowPublicUsers: boolean): ActorOutcome {
    this.directory.tenant(this.directory.admin(actorName).tenant).allowPublicUsers = allowPublicUsers;
    return ok();
  }

  setUserPolicy(actorName: string, change: ActionOf<'set-user-policy'>): ActorOutcome {
    const admin = this.directory.admin(actorName);
    const user = this.directory.teams(change.user);
    if (user.tenant !== admin.tenant) outOfScope(`${admin.name} administers ${admin.tenant}, not ${user.tenant}`);
    if (change.enablePublicCloudAccess !== undefined)
      user.policy.enablePublicCloudAccess = change.enablePublicCloudAccess;
    if (change.enablePublicCloudAudioVideoAccess !== undefined) {
      user.policy.enablePublicCloudAudioVideoAccess = change.enablePublicCloudAudioVideoAccess;
    }
    return ok();
  }

  setEnterpriseApp(actorName: string, enabled: boolean): ActorOutcome {
    this.directory.tenant(this.directory.admin(actorName).tenant).skypeForBusinessOnlineApp = enabled;
    return ok();
  }

  /**
   * The deployment prerequisites (F26–F28). The gates read the tenant at every exchange, so a change applies to
   * the next one; conversations, requests and blocks are left as they are.
   */
  setDeployment(actorName: string, change: Deployment): ActorOutcome {
    const tenant = this.directory.tenant(this.directory.admin(actorName).tenant);
    if (change.publicProvider !== undefined) tenant.publicProvider = change.publicProvider;
    if (change.sipFederationSrv !== undefined)
      tenant.sipFederationSrv = change.sipFederationSrv && { ...change.sipFederationSrv };
    if (change.cloud !== undefined) tenant.cloud = change.cloud;
    return ok();
  }
}

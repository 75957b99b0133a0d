/**
 * The control plane (worlds, sync markers, the world's event stream), each user's event stream, and the admin routes. World creation checks what
 * the schema cannot: names match their keys, every tenant named exists, emails are unique ignoring case.
 */
import type { Admin, World as WorldSpec } from '../../specs/protocol.js';
import { refuseWith } from './gates.js';
import { offered, served } from './faults/world-stream.js';
import { me, type Ctx, type Route } from './http.js';
import { openWorldStream, WORLD_EVENTS } from './world-stream.js';

const W = '/worlds/{worldId}';
/** What Graph lacks (the event stream, the tenant admin's switches) is in the interop extension namespace. */
const X = `${W}/interop`;

function checkSpec(spec: WorldSpec): void {
  const emails = new Set<string>();
  for (const [key, u] of Object.entries(spec.users)) {
    if (u.name !== key)
      refuseWith('bad-request', `users.${key}.name is ${JSON.stringify(u.name)}: a user's name is its key`);
    if (u.kind !== 'skype' && !(u.tenant in spec.tenants))
      refuseWith('bad-request', `users.${key}.tenant: no tenant ${JSON.stringify(u.tenant)} in this world`);
    if (u.kind === 'admin') continue;
    const e = u.email.toLowerCase();
    if (emails.has(e))
      refuseWith('bad-request', `users.${key}.email: another user has that address (letter case aside)`);
    emails.add(e);
  }
  if (Object.values(spec.users).some((u) => u.kind === 'teams' && u.delegates.some((d) => !(d in spec.users)))) {
    refuseWith('bad-request', 'a delegate is not a user of this world');
  }
}

function admin(ctx: Ctx): Admin {
  const a = ctx.actor!;
  if (a.kind !== 'admin') refuseWith('denied', 'only a tenant admin changes tenant settings');
  return a as Admin;
}

function openStream(ctx: Ctx): undefined {
  const actor = me(ctx);
  const raw = ctx.req.headers['last-event-id'];
  const header = Array.isArray(raw) ? raw[0] : raw;
  if (header !== undefined && !/^[0-9]{1,15}$/.test(header.trim()))
    refuseWith('bad-request', 'Last-Event-ID is not an event id');
  const feed = ctx.world!.feeds.of(actor.name);
  feed.attach(ctx.res, header === undefined ? undefined : Number(header.trim()));
  return undefined;
}

/** The world stream (document 0.4.0), offered by every world's `capabilities`: every user's log on one stream. */
function openWorldEvents(ctx: Ctx): undefined {
  if (!served(ctx.defects)) refuseWith('not-found', `no route ${ctx.url.pathname}`);
  const raw = ctx.req.headers['last-event-id'];
  const w = ctx.world!;
  openWorldStream(ctx.res, w.feeds, [...w.state.users.keys()], Array.isArray(raw) ? raw[0] : raw, ctx.defects);
  return undefined;
}

export const WORLD_ROUTES: readonly Route[] = [
  {
    method: 'POST',
    path: '/worlds',
    auth: 'none',
    operation: 'createWorld',
    handle: (ctx) => {
      checkSpec(ctx.body);
      const w = ctx.registry.create(ctx.body);
      const capabilities = offered(ctx.defects, WORLD_EVENTS);
      return { status: 201, body: { id: w.id, tokens: w.tokensByUser(), controlToken: w.controlToken, capabilities } };
    },
  },
  {
    method: 'DELETE',
    path: W,
    auth: 'control',
    handle: (ctx) => (ctx.registry.delete(ctx.world!.id), { status: 204 }),
  },
  {
    method: 'POST',
    path: `${W}/sync`,
    auth: 'control',
    operation: 'syncEvents',
    handle: (ctx) => {
      // Every delivery is appended synchronously with the action that caused it, so everything emitted is
      // already on the feeds: the marker lands after it.
      const w = ctx.world!;
      w.append([{ type: 'sync-marked', marker: ctx.body.marker, users: w.feeds.openedBy() }]);
      return { status: 202, body: { marker: ctx.body.marker } };
    },
  },
  { method: 'GET', path: `${X}/me/events`, auth: 'user', handle: openStream },
  { method: 'GET', path: `${X}/events`, auth: 'world-stream', handle: openWorldEvents },
  {
    method: 'PATCH',
    path: `${X}/admin/federationConfiguration`,
    auth: 'user',
    operation: 'updateFederationConfiguration',
    handle: (ctx) => {
      const a = admin(ctx);
      ctx.world!.append([
        { type: 'org-switch-changed', tenant: a.tenant, allowPublicUsers: ctx.body.allowPublicUsers },
      ]);
      return { status: 200, body: { allowPublicUsers: ctx.world!.state.tenants.get(a.tenant)!.allowPublicUsers } };
    },
  },
  {
    method: 'PATCH',
    path: `${X}/admin/users/{userId}/externalAccessPolicy`,
    auth: 'user',
    operation: 'updateExternalAccessPolicy',
    handle: (ctx) => {
      const a = admin(ctx);
      const u = ctx.world!.state.users.get(ctx.params.userId!);
      if (!u) return refuseWith('not-found', `no user ${ctx.params.userId} in this world`);
      if (u.kind !== 'teams' || u.tenant !== a.tenant)
        return refuseWith('denied', `${u.name} is not a Teams user of ${a.name}'s tenant`);
      ctx.world!.append([{ type: 'policy-changed', user: u.name, ...ctx.body }]);
      return { status: 200, body: { userId: u.name, ...u.policy } };
    },
  },
  {
    method: 'PATCH',
    path: `${X}/admin/servicePrincipals/skypeForBusinessOnline`,
    auth: 'user',
    operation: 'updateSkypeForBusinessOnlineApp',
    handle: (ctx) => {
      const a = admin(ctx);
      ctx.world!.append([{ type: 'enterprise-app-changed', tenant: a.tenant, enabled: ctx.body.accountEnabled }]);
      return {
        status: 200,
        body: {
          appDisplayName: 'Skype for Business Online',
          accountEnabled: ctx.world!.state.tenants.get(a.tenant)!.skypeForBusinessOnlineApp,
        },
      };
    },
  },
  {
    method: 'PATCH',
    path: `${X}/admin/deployment`,
    auth: 'user',
    operation: 'updateDeployment',
    handle: (ctx) => {
      const a = admin(ctx);
      ctx.world!.append([{ type: 'deployment-changed', tenant: a.tenant, ...ctx.body }]);
      const t = ctx.world!.state.tenants.get(a.tenant)!;
      return {
        status: 200,
        body: { cloud: t.cloud, publicProvider: t.publicProvider, sipFederationSrv: t.sipFederationSrv },
      };
    },
  },
];

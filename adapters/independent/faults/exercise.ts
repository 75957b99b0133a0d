/**
 * One scripted session over HTTP that touches every switch of the catalogue: two worlds (same names) with
 * tenants in good and broken deployments, Teams users in both coexistence modes and on several clients, Skype
 * users on several clients; searches, requests, chat both ways, calls, blocks, admin changes, a reconnect, hostile
 * bodies, a deleted world. The transcript (every answer in order, then each user's deliveries in arrival order)
 * is what a fault must change: a switch whose transcript equals the conformant one is dead (see the test).
 *
 * why-long: one script, read top to bottom: the transcript depends on the order of its steps, which a split would
 *   scatter across files.
 */
import { exerciseWorldStream } from './exercise-world.js';

const SRV = { target: 'sipfed.online.lync.com', port: 5061, priority: 100, weight: 1 };
const tenant = (o = {}) => ({
  allowPublicUsers: true,
  cloud: 'commercial',
  publicProvider: 'WindowsLive',
  sipFederationSrv: { ...SRV },
  skypeForBusinessOnlineApp: true,
  ...o,
});
const teams = (name: string, t: string, o = {}) => ({
  kind: 'teams',
  name,
  tenant: t,
  email: `${name}@${t}.example`,
  mode: 'TeamsOnly',
  client: 'windows',
  policy: { enablePublicCloudAccess: true, enablePublicCloudAudioVideoAccess: true },
  forwarding: 'none',
  delegates: [],
  ...o,
});
const skype = (name: string, o = {}) => ({
  kind: 'skype',
  name,
  email: `${name}@outlook.example`,
  skypeId: `live:${name}`,
  phone: null,
  searchable: true,
  client: 'windows',
  ...o,
});
const WORLD = (extra = {}) => ({
  tenants: {
    contoso: tenant(),
    fabrikam: tenant(),
    gov: tenant({ cloud: 'gcc' }),
    rank: tenant({ sipFederationSrv: { ...SRV, weight: 5 } }),
  },
  users: {
    tara: teams('tara', 'contoso', { client: 'web', email: 'Tara@contoso.example' }),
    tim: teams('tim', 'contoso', { mode: 'Islands', forwarding: 'user' }),
    tom: teams('tom', 'contoso'),
    tess: teams('tess', 'fabrikam', { delegates: ['tina'], forwarding: 'phone' }),
    tina: teams('tina', 'fabrikam'),
    gail: teams('gail', 'gov'),
    rex: teams('rex', 'rank'),
    sam: skype('sam', { client: 'android', phone: '+44 20 7946 0000' }),
    sue: skype('sue', { client: 'ios' }),
    sid: skype('sid'),
    sal: skype('sal'),
    admin: { kind: 'admin', name: 'admin', tenant: 'contoso' },
    ...extra,
  },
});
const PEOPLE = ['tara', 'tim', 'tom', 'tess', 'tina', 'gail', 'rex', 'sam', 'sue', 'sid', 'sal'];
const bind = (u: string) => ({
  '@odata.type': '#microsoft.graph.aadUserConversationMember',
  roles: ['owner'],
  'user@odata.bind': `https://graph.microsoft.com/v1.0/users('${u}')`,
});
const oneOnOne = (a: string, b: string) => ({ chatType: 'oneOnOne', members: [bind(a), bind(b)] });
const group = (...members: string[]) => ({ chatType: 'group', topic: 'a group', members: members.map(bind) });
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** What differs between runs of a conformant service (ids, clocks) is normalised away; what a fault may alter is kept. */
const normalise = (text: string) =>
  text
    .replace(/"id":"(meeting|19:group)-\d+/g, '"id":"$1')
    // A chat's own id is random; an id built another way (a fault's) is kept as it is.
    .replace(/19:[A-Za-z0-9_-]{24}@unq\.gbl\.spaces/g, '19:CHAT@unq.gbl.spaces')
    .replace(/"(date|request-id)":"[^"]*"/g, '"$1":"…"')
    // A membership's id is made from its chat's (random) id.
    .replace(/"id":"[A-Za-z0-9_-]{40,}"/g, '"id":"MEMBERSHIP"')
    .replace(/"(createdDateTime|lastUpdatedDateTime|lastModifiedDateTime)":"[^"]*"/g, (m, k: string) =>
      m.includes('T') && m.endsWith('Z"') ? `"${k}":"ISO"` : `"${k}":"OTHER"`,
    )
    .replace(/\/worlds\/[A-Za-z0-9_-]+/g, '/worlds/W');

interface Created {
  id: string;
  tokens: Record<string, string>;
  controlToken: string;
}

/**
 * `watch` sees each answer as it is recorded, with its index: a caller holding another session's answers may stop
 * this one at the first that differs (by throwing), since the transcripts then differ whatever follows.
 */
export async function exercise(url: string, watch?: (answer: string, index: number) => void): Promise<string[]> {
  const answers: string[] = [];
  const answer = (line: string) => {
    watch?.(line, answers.length);
    answers.push(line);
  };
  const deliveries = new Map<string, string[]>(PEOPLE.map((p) => [p, []]));
  const create = async (extra = {}): Promise<Created> =>
    (
      await fetch(`${url}/worlds`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(WORLD(extra)),
      })
    ).json() as Promise<Created>;
  const world = await create();
  // The same names, and one more Skype user this world does not have.
  const other = await create({ sky: skype('sky') });
  const W = `${url}/worlds/${world.id}`;
  const lastIds: Record<string, string> = {};
  const streams = new Map<string, AbortController>();
  const open = (user: string, last?: string) => {
    const ac = new AbortController();
    streams.set(user, ac);
    const headers = { authorization: `Bearer ${world.tokens[user]}`, ...(last ? { 'last-event-id': last } : {}) };
    void fetch(`${W}/interop/me/events`, { headers, signal: ac.signal })
      .then(async (res) => {
        const dec = new TextDecoder();
        let buf = '';
        for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
          buf += dec.decode(chunk);
          for (let i = buf.indexOf('\n\n'); i >= 0; i = buf.indexOf('\n\n')) {
            const block = buf.slice(0, i);
            buf = buf.slice(i + 2);
            const id = /^id: (\d+)/m.exec(block)?.[1];
            if (id) lastIds[user] = id;
            const data = /^data: (.*)$/m.exec(block)?.[1];
            if (!data || !/^event: delivery/m.test(block)) continue;
            const { deliveredAt, ...d } = JSON.parse(data) as { deliveredAt: number };
            // The server's clock, to the minute against ours: a skewed or mis-scaled clock shows.
            deliveries.get(user)!.push(`${JSON.stringify(d)} clock=${Math.round((deliveredAt - Date.now()) / 60_000)}`);
          }
        }
      })
      .catch(() => {});
  };
  const send = async (
    user: string,
    method: string,
    path: string,
    body?: unknown,
    raw?: string,
    base = W,
    token = world.tokens[user],
  ) => {
    const json = body !== undefined || raw !== undefined;
    const res = await fetch(`${base}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(json ? { 'content-type': 'application/json' } : {}) },
      body: raw ?? (body === undefined ? undefined : JSON.stringify(body)),
    });
    // The event cursor (document 0.3.0) is part of the answer: where it is due, what it counts, its form.
    const cursor = `cursor=${res.headers.get('interop-event-cursor')}`;
    answer(
      `${user} ${method} ${normalise(path)} -> ${res.status} ${cursor} ${normalise(await res.text()).slice(0, 400)}`,
    );
    await pause(5);
  };
  // Each sender's chat with each recipient, created once (createChat) and then written in by its id.
  const chats = new Map<string, string>();
  const chatPath = async (u: string, to: string, base = W, token = world.tokens[u]) => {
    const key = `${base} ${u} ${to}`;
    if (!chats.has(key)) {
      const res = await fetch(`${base}/v1.0/chats`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify(oneOnOne(u, to)),
      });
      const text = await res.text();
      const cursor = `cursor=${res.headers.get('interop-event-cursor')}`;
      answer(`${u} creates the chat with ${to} -> ${res.status} ${cursor} ${normalise(text).slice(0, 400)}`);
      chats.set(key, res.status === 201 ? (JSON.parse(text) as { id: string }).id : 'none');
    }
    return `/v1.0/chats/${chats.get(key)}/messages`;
  };
  const msg = async (u: string, to: string, text: string, extra = {}) =>
    send(u, 'POST', await chatPath(u, to), { body: { contentType: 'text', content: text }, ...extra });
  const ring = (u: string, to: string, media = 'audio', extra = {}) =>
    send(u, 'POST', '/interop/me/calls', {
      target: to,
      requestedModalities: media === 'video' ? ['audio', 'video'] : ['audio'],
      ...extra,
    });
  const admin = (path: string, body: unknown) => send('admin', 'PATCH', `/interop/admin/${path}`, body);
  try {
    for (const p of PEOPLE) open(p);
    await pause(100);
    await searches(send);
    await requestsAndChat(send, msg, ring);
    await callsAndBlocks(send, msg, ring);
    await administration(msg, ring, admin, send, chatPath);
    // A reconnect midway: sam's stream drops, a message is sent, the stream is reopened after the last id.
    await pause(150);
    streams.get('sam')!.abort();
    await pause(30);
    await msg('tara', 'sam', 'while sam is offline');
    open('sam', lastIds.sam);
    await pause(50);
    await msg('tara', 'sam', 'after sam is back');
    // The wire.
    const taraToSam = await chatPath('tara', 'sam');
    await send('tara', 'POST', taraToSam, undefined, '{"body": oops');
    await send('tara', 'POST', taraToSam, undefined, '{"body":{"contentType":"text","content":"g"}}garbage');
    await send(
      'tara',
      'POST',
      taraToSam,
      undefined,
      JSON.stringify({ body: { contentType: 'text', content: '€'.repeat(30_000) } }),
    );
    await send('tara', 'GET', '/v1.0/me/nothing-here');
    await send('tara', 'GET', '/interop/me/nothing-here');
    await send('tara', 'GET', '/v1.0/me/chats', undefined, undefined, `${url}/worlds/${other.id}`);
    const foreign = new AbortController();
    const stream = await fetch(`${url}/worlds/${other.id}/interop/me/events`, {
      headers: { authorization: `Bearer ${world.tokens.tara}` },
      signal: foreign.signal,
    });
    answer(`another world's stream with this world's token -> ${stream.status}`);
    foreign.abort();
    const big = new TextEncoder().encode(
      JSON.stringify({ body: { contentType: 'text', content: 'y'.repeat(70_000) } }),
    );
    const chunked = new ReadableStream({ start: (c) => (c.enqueue(big), c.close()) });
    const r = await fetch(`${W}${taraToSam}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${world.tokens.tara}`, 'content-type': 'application/json' },
      body: chunked,
      duplex: 'half',
    } as RequestInit);
    answer(`chunked body of 70 000 bytes -> ${r.status}`);
    // Another world with the same names: its admin turns the switch off, its tara writes to its sue.
    await send(
      'tara',
      'POST',
      await chatPath('tara', 'sue', `${url}/worlds/${other.id}`, other.tokens.tara),
      { body: { contentType: 'text', content: 'in the other world' } },
      undefined,
      `${url}/worlds/${other.id}`,
      other.tokens.tara,
    );
    await send(
      'admin',
      'PATCH',
      '/interop/admin/federationConfiguration',
      { allowPublicUsers: false },
      undefined,
      `${url}/worlds/${other.id}`,
      other.tokens.admin,
    );
    await msg('tara', 'sam', 'after the other world turned its switch off');
    await pause(300);
    const deleted = await fetch(W, { method: 'DELETE', headers: { authorization: `Bearer ${world.controlToken}` } });
    answer(`delete -> ${deleted.status}`);
    await send('tara', 'GET', '/v1.0/me/chats');
    const ac = new AbortController();
    const reopened = await fetch(`${W}/interop/me/events`, {
      headers: { authorization: `Bearer ${world.tokens.tara}` },
      signal: ac.signal,
    });
    answer(`a deleted world's stream -> ${reopened.status}`);
    ac.abort();
  } finally {
    for (const ac of streams.values()) ac.abort();
  }
  const delivered = PEOPLE.flatMap((p) => deliveries.get(p)!.map((d) => `${p} <- ${d}`));
  // The world stream (document 0.4.0) in worlds of its own, after this session's: its switches change only that.
  return [...answers, ...delivered, ...(await exerciseWorldStream(url))];
}

type Send = (user: string, method: string, path: string, body?: unknown) => Promise<void>;
type Msg = (u: string, to: string, text: string, extra?: object) => Promise<void>;
type Ring = (u: string, to: string, media?: string, extra?: object) => Promise<void>;

async function searches(send: Send) {
  for (const [who, query] of [
    ['sam', 'email=TARA@CONTOSO.EXAMPLE'],
    ['sam', 'email=tom@contoso.example'],
    ['tara', 'email=sam@other.example'],
    ['tara', 'skypeId=live:sam'],
    ['tara', 'phone=%2B442079460000'],
    ['sam', 'email=gail@gov.example'],
    ['tara', 'email=sky@outlook.example'],
  ] as const)
    await send(who, 'GET', `/interop/me/people?${query}`);
}

async function requestsAndChat(send: Send, msg: Msg, ring: Ring) {
  await msg('tara', 'sam', '  Hello Sam  ');
  for (const text of ['two', 'three', 'four']) await msg('tara', 'sam', text);
  await msg('sam', 'tara', 'a reply before accepting');
  await ring('tara', 'sam');
  await send('sam', 'POST', '/interop/me/requests/tara/accept');
  await msg('tara', 'sam', 'ae\u0301 & <b>');
  await msg('tara', 'sam', 'x'.repeat(1100));
  await msg('sam', 'tara', 'back & <forth> e\u0301');
  await msg('tara', 'sam', 'm1');
  await msg('tara', 'sam', 'm2');
  await send('tara', 'GET', '/v1.0/users/sam/presence');
  await send('sam', 'GET', '/v1.0/users/tara/presence');
  await send('tara', 'GET', '/v1.0/me/presence');
  await msg('sue', 'tim', 'hi tim');
  await msg('sue', 'tim', 'hi again');
  await send('tim', 'GET', '/interop/me/requests/sue/messages');
  await msg('tim', 'sue', 'after viewing');
  await send('tim', 'POST', '/interop/me/requests/sue/accept');
  await msg('sue', 'tim', 'connected now');
  await ring('tina', 'sue');
  await msg('tom', 'sue', 'hello sue');
  await send('sue', 'POST', '/interop/me/requests/tom/accept');
  await ring('sue', 'tom', 'video');
  await send('tom', 'POST', '/interop/me/calls/sue/answer');
  await send('tom', 'POST', '/interop/me/calls/sue/hangUp');
  await msg('sid', 'tim', 'a second Skype contact');
  await msg('tim', 'sid', 'an answer without accepting');
}

async function callsAndBlocks(send: Send, msg: Msg, ring: Ring) {
  await ring('sue', 'tim', 'video');
  await ring('tara', 'sam', 'audio');
  await send('sam', 'POST', '/interop/me/calls/tara/answer');
  await send('tara', 'POST', '/interop/me/calls/sam/addVideo');
  await send('sam', 'GET', '/interop/me/calls/tara');
  await send('tara', 'POST', '/interop/me/calls/sam/shareScreen');
  await send('tara', 'POST', '/interop/me/calls/sam/participants', { userId: 'tom' });
  await send('tara', 'POST', '/interop/me/calls/sam/hangUp');
  await send('sam', 'GET', '/interop/me/calls/tara');
  await ring('tara', 'sam', 'audio');
  await send('tara', 'GET', '/interop/me/calls/sam');
  await send('sam', 'POST', '/interop/me/calls/tara/decline');
  await send('tara', 'POST', '/v1.0/me/onlineMeetings', {
    subject: 'handover',
    participants: { attendees: [{ identity: { user: { id: 'sam' } } }] },
  });
  await send('tara', 'POST', '/v1.0/chats', group('tara', 'sam', 'tom'));
  await send('sam', 'POST', '/v1.0/chats', group('sam', 'tara', 'tom'));
  await msg('tara', 'sam', 'with a mention', {
    mentions: [{ id: 0, mentionText: 'Sam', mentioned: { user: { id: 'sam', displayName: 'sam' } } }],
  });
  await msg('sal', 'tess', 'hello tess');
  await send('tess', 'POST', '/interop/me/requests/sal/accept');
  await ring('sal', 'tess');
  await ring('tess', 'sal');
  await ring('tina', 'sal', 'audio', { onBehalfOf: 'tess' });
  await ring('gail', 'sal', 'audio', { onBehalfOf: 'tess' });
  await ring('sue', 'tim');
  await ring('tim', 'sue');
  await send('tim', 'POST', '/interop/me/settings/privacy/blockedContacts/sue');
  await msg('sue', 'tim', 'while blocked');
  await msg('sid', 'tim', 'sid while sue is blocked');
  await ring('sue', 'tim');
  await send('tim', 'DELETE', '/interop/me/blockedContacts/sue');
  await msg('sue', 'tim', 'after the unblock');
  await msg('sid', 'tom', 'a request to tom');
  await msg('sam', 'tom', 'sam asks tom too');
  await send('tom', 'GET', '/interop/me/requests/sid/messages');
  await send('tom', 'POST', '/interop/me/blockedContacts/sid');
  await msg('tom', 'sid', 'the blocker writes');
  for (const path of ['blockedContacts/tina', 'blockedNumbers/%2B1%20555%20123', 'blockedContacts/tara'])
    await send('tom', 'POST', `/interop/me/${path}`);
  await send('tom', 'GET', '/interop/me/blockedContacts');
  await send('tom', 'DELETE', '/interop/me/blockedContacts/sid');
  await msg('sid', 'tom', 'after the request was unblocked');
  await send('tom', 'GET', '/interop/me/blockedContacts');
  await msg('tom', 'sal', 'first to sal');
  await send('sal', 'POST', '/interop/me/blockedContacts/tom');
  // The chat asked for again once the other blocks: the same chat, refused for nothing (createChat decides nothing).
  await send('tom', 'POST', '/v1.0/chats', oneOnOne('tom', 'sal'));
  await msg('tom', 'sal', 'to a Skype blocker');
  await ring('tom', 'sal');
}

async function administration(
  msg: Msg,
  ring: Ring,
  admin: (path: string, body: unknown) => Promise<void>,
  send: Send,
  chatPath: (u: string, to: string) => Promise<string>,
) {
  await admin('users/tom/externalAccessPolicy', { enablePublicCloudAudioVideoAccess: false });
  await admin('users/tom/externalAccessPolicy', { enablePublicCloudAccess: true });
  await ring('sid', 'tom');
  await ring('tom', 'sid');
  await admin('users/tara/externalAccessPolicy', { enablePublicCloudAccess: false });
  await send('tara', 'GET', '/interop/me/people?email=sid@outlook.example');
  await msg('sam', 'tara', 'to a user whose policy is off');
  await admin('users/tara/externalAccessPolicy', { enablePublicCloudAccess: true });
  await admin('servicePrincipals/skypeForBusinessOnline', { accountEnabled: false });
  await msg('tara', 'sam', 'app off');
  await msg('sam', 'tara', 'app off, from Skype');
  await ring('tara', 'sam');
  await send('tara', 'POST', '/interop/me/calls/sam/hangUp');
  await admin('servicePrincipals/skypeForBusinessOnline', { accountEnabled: true });
  await msg('tara', 'sam', 'app back');
  await admin('federationConfiguration', { allowPublicUsers: false });
  await msg('tara', 'sam', 'switch off');
  await msg('sam', 'tara', 'switch off, from Skype');
  await admin('servicePrincipals/skypeForBusinessOnline', { accountEnabled: true });
  await msg('tara', 'sam', 'the app touched while the switch is off');
  await msg('tim', 'sue', 'an Islands user while the switch is off');
  await admin('federationConfiguration', { allowPublicUsers: true });
  await msg('tara', 'sam', 'switch on');
  await admin('deployment', { publicProvider: 'Other' });
  await msg('tara', 'sam', 'provider wrong');
  await admin('deployment', { publicProvider: 'WindowsLive' });
  await msg('tara', 'sam', 'provider right');
  await msg('gail', 'sal', 'from a GCC tenant');
  await msg('rex', 'sal', 'from a tenant whose SRV weight is wrong');
  await admin('users/tom/externalAccessPolicy', { enablePublicCloudAccess: true });
  await admin('federationConfiguration', { allowPublicUsers: false });
  await msg('tom', 'sue', 'explicitly allowed');
  await admin('federationConfiguration', { allowPublicUsers: true });
  await admin('deployment', { cloud: 'gcc' });
  await admin('federationConfiguration', { allowPublicUsers: true });
  await msg('tara', 'sam', 'after GCC and the switch');
  await admin('deployment', { cloud: 'commercial' });
  await msg('tara', 'sam', 'commercial again');
  await send('sid', 'PATCH', '/interop/me/settings', { searchable: false });
  await send('sid', 'PATCH', '/interop/me/settings', { searchable: true });
  await send('tara', 'GET', '/interop/me/people?email=sid@outlook.example');
  await send('sal', 'PATCH', '/interop/me/settings', { searchable: false });
  await send('tara', 'GET', '/interop/me/people?email=SAL@outlook.example');
  await ring('tara', 'sal');
  await send('tara', 'GET', '/v1.0/me/chats?$expand=members');
  // One chat, one id: Sam asks for the chat Tara made and writes in it with Graph's minimal body.
  const chat = await chatPath('tara', 'sam');
  const chatId = chat.split('/')[3]!;
  await send('sam', 'POST', '/v1.0/chats', oneOnOne('sam', 'tara'));
  await send('sam', 'POST', chat, { body: { content: 'the minimal body' } });
  await send('tara', 'GET', chat);
  await send('sam', 'GET', chat);
  await send('tara', 'GET', `/v1.0/chats/${chatId}?$expand=members`);
  // Tom is in no chat of Tara's and Sam's: neither the chat nor its messages are his to read or write.
  await send('tom', 'GET', `/v1.0/chats/${chatId}`);
  await send('tom', 'GET', chat);
  await send('tom', 'POST', chat, { body: { content: 'a stranger writes' } });
  await send('tom', 'GET', '/v1.0/chats/19:nothing@unq.gbl.spaces/messages');
  await send('tara', 'GET', `/v1.0/users/sam/chats/${chatId}/messages`);
  await send('tara', 'POST', `/v1.0/users/tom/chats/${chatId}/messages`, { body: { content: 'as tom' } });
  await send('tara', 'POST', `/v1.0/users/sam/chats/${chatId}/messages`, { body: { content: 'as sam' } });
  // The gates before the relationship: tom's policy refuses him, and sal blocks him.
  await admin('users/tom/externalAccessPolicy', { enablePublicCloudAccess: false });
  await msg('tom', 'sal', 'gated, to a Skype blocker');
  await admin('users/tom/externalAccessPolicy', { enablePublicCloudAccess: true });
  await ring('sue', 'tess');
}

/**
 * The scripted session of the world stream (document 0.4.0), part of exercise.ts's transcript: every switch of
 * catalogue-world.ts changes it. Two worlds with the same names, each with its world stream open; the offer, who
 * may open the stream, deliveries to users in an order unlike the world's order of users, a stream dropped and
 * resumed from its last id while deliveries are made, a user's own stream opened after the world stream showed
 * its events, a sync marker, and the world deleted under an open stream. Deliveries are kept without their
 * `deliveredAt` (a clock, not what a world-stream fault alters).
 */
const SRV = { target: 'sipfed.online.lync.com', port: 5061, priority: 100, weight: 1 };
const WORLD = {
  tenants: {
    contoso: {
      allowPublicUsers: true,
      cloud: 'commercial',
      publicProvider: 'WindowsLive',
      sipFederationSrv: SRV,
      skypeForBusinessOnlineApp: true,
    },
  },
  users: Object.fromEntries(
    [
      ['tara', 'teams'],
      ['sam', 'skype'],
      ['sue', 'skype'],
    ].map(([name, kind]) => [
      name,
      kind === 'teams'
        ? {
            kind,
            name,
            tenant: 'contoso',
            email: `${name}@contoso.example`,
            mode: 'TeamsOnly',
            client: 'windows',
            policy: { enablePublicCloudAccess: true, enablePublicCloudAudioVideoAccess: true },
            forwarding: 'none',
            delegates: [],
          }
        : {
            kind,
            name,
            email: `${name}@outlook.example`,
            skypeId: `live:${name}`,
            phone: null,
            searchable: true,
            client: 'windows',
          },
    ]),
  ),
};
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Created {
  id: string;
  tokens: Record<string, string>;
  controlToken: string;
  capabilities?: unknown;
}

/** A stream read into the transcript: each event as `label id event data`, its last id, and whether it ended. */
interface Reading {
  lastId?: string;
  ended: boolean;
  stop(): void;
}

export async function exerciseWorldStream(url: string): Promise<string[]> {
  const out: string[] = [];
  // Each stream's events apart from the answers: when a chunk arrives against an answer is not the service's.
  const shown = new Map<string, string[]>();
  const create = async (): Promise<Created> => {
    const res = await fetch(`${url}/worlds`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(WORLD),
    });
    const created = (await res.json()) as Created;
    out.push(`create -> ${res.status} capabilities=${JSON.stringify(created.capabilities)}`);
    return created;
  };
  const a = await create();
  const b = await create();
  const A = `${url}/worlds/${a.id}`;
  const B = `${url}/worlds/${b.id}`;
  const read = (label: string, at: string, token: string, last?: string): Promise<Reading> =>
    new Promise((opened) => {
      const ac = new AbortController();
      const r: Reading = { ended: false, stop: () => ac.abort() };
      const headers = { authorization: `Bearer ${token}`, ...(last ? { 'last-event-id': last } : {}) };
      void fetch(at, { headers, signal: ac.signal })
        .then(async (res) => {
          out.push(`${label} -> ${res.status} cursor=${res.headers.get('interop-event-cursor')}`);
          const lines = shown.set(label, []).get(label)!;
          opened(r);
          const dec = new TextDecoder();
          let buf = '';
          for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
            buf += dec.decode(chunk);
            for (let i = buf.indexOf('\n\n'); i >= 0; i = buf.indexOf('\n\n')) {
              const block = buf.slice(0, i);
              buf = buf.slice(i + 2);
              const id = /^id: (.*)$/m.exec(block)?.[1];
              if (id === undefined) continue;
              r.lastId = id;
              const data = (/^data: (.*)$/m.exec(block)?.[1] ?? '').replace(/,"deliveredAt":\d+/, '');
              lines.push(`${label}: id=${id} ${/^event: (.*)$/m.exec(block)?.[1]} ${data}`);
            }
          }
          r.ended = true;
        })
        .catch(() => opened(r));
    });
  const msg = async (at: string, w: Created, from: string, to: string, text: string) => {
    const auth = { authorization: `Bearer ${w.tokens[from]}`, 'content-type': 'application/json' };
    const bind = (u: string) => ({ 'user@odata.bind': `https://graph.microsoft.com/v1.0/users('${u}')` });
    const chat = (await (
      await fetch(`${at}/v1.0/chats`, {
        method: 'POST',
        headers: auth,
        body: JSON.stringify({ chatType: 'oneOnOne', members: [bind(from), bind(to)] }),
      })
    ).json()) as { id: string };
    const res = await fetch(`${at}/v1.0/chats/${chat.id}/messages`, {
      method: 'POST',
      headers: auth,
      body: JSON.stringify({ body: { content: text } }),
    });
    out.push(`${from} -> ${to} ${text}: ${res.status} cursor=${res.headers.get('interop-event-cursor')}`);
    await pause(20);
  };
  const readers: Reading[] = [];
  try {
    // Who may open it, and what a Last-Event-ID it cannot take is answered.
    const probes: [string, string, string?][] = [
      ["a user's token", a.tokens.tara!],
      ["another world's control token", b.controlToken],
      ['a user not in the world', a.controlToken, 'tara=1, bob=1'],
      ['not a world event id', a.controlToken, '7'],
    ];
    for (const [label, token, last] of probes) readers.push(await read(label, `${A}/interop/events`, token, last));
    for (const r of readers.splice(0)) r.stop();
    const first = await read('A', `${A}/interop/events`, a.controlToken);
    const other = await read('B', `${B}/interop/events`, b.controlToken);
    readers.push(first, other);
    // Sue's delivery first: the world's order of users is tara, sam, sue.
    await msg(A, a, 'tara', 'sue', 'to sue');
    await msg(A, a, 'tara', 'sam', 'to sam');
    await msg(B, b, 'tara', 'sam', 'in the other world');
    await pause(50);
    first.stop();
    await msg(A, a, 'tara', 'sue', 'to sue while no stream is open');
    await msg(A, a, 'tara', 'sam', 'to sam while no stream is open');
    // Resumed with sam's entry only: the first id, which names sam alone.
    const resumed = await read('A resumed', `${A}/interop/events`, a.controlToken, 'sam=1');
    readers.push(resumed);
    await pause(50);
    await msg(A, a, 'tara', 'sam', 'to sam once resumed');
    // Sam's own stream, opened after the world stream showed sam's events: none is sent again.
    const own = await read("sam's own", `${A}/interop/me/events`, a.tokens.sam!);
    readers.push(own);
    const sync = await fetch(`${A}/sync`, {
      method: 'POST',
      headers: { authorization: `Bearer ${a.controlToken}`, 'content-type': 'application/json' },
      body: '{"marker":"m1"}',
    });
    out.push(`sync -> ${sync.status}`);
    await pause(50);
    own.stop();
    await fetch(A, { method: 'DELETE', headers: { authorization: `Bearer ${a.controlToken}` } });
    await pause(50);
    out.push(`A resumed after the world was deleted: ${resumed.ended ? 'ended' : 'still open'}`);
  } finally {
    for (const r of readers) r.stop();
  }
  return [...out, ...[...shown.values()].flat()];
}

/**
 * This project's adapter: where a real project connects its gateway, bridge or client SDK. This one forwards to the
 * package's in-process reference implementation, so the example passes out of the box; with
 * EXAMPLE_FAULT=cleartext it acts like a gateway that stores messages in clear text: every message it delivers
 * says `encrypted: false`, which breaks CHAT-005 (F11), and the project's npm test fails on it.
 *
 * It is TypeScript: the harness loads it with tsx, so the project needs no build step of its own.
 */
import { builtinAdapters, type Adapter, type Delivery, type Session } from 'interop-conformance';

const cleartext = (d: Delivery): Delivery => (d.kind === 'message' ? { ...d, encrypted: false } : d);

export default async function createAdapter(): Promise<Adapter> {
  const reference = await builtinAdapters.reference!({});
  const faulty = process.env.EXAMPLE_FAULT === 'cleartext';
  return {
    name: 'example-gateway',
    capabilities: reference.capabilities,
    ...(reference.settleMs !== undefined ? { settleMs: reference.settleMs } : {}),
    async open(world): Promise<Session> {
      const session = await reference.open(world);
      return {
        perform: (actor, action) => session.perform(actor, action),
        drain: async (user) => (await session.drain(user)).map((d) => (faulty ? cleartext(d) : d)),
        close: () => session.close(),
      };
    },
    dispose: async () => reference.dispose?.(),
  };
}

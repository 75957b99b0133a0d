/**
 * The independent implementation as a harness adapter module: it starts its own service on an ephemeral loopback
 * port and speaks to it through the `http` adapter, so `--adapter reference,adapters/independent/adapter.ts`
 * (or `http,adapters/independent/adapter.ts --url <served reference>`) is a differential run over two
 * implementations of one document. Every adapter of a differential run gets every option, so this one ignores
 * `url` (it is the other adapter's) and takes `defects=a,b` for its own defect switches.
 */
import type { Adapter } from '../adapter.js';
import { createHttpAdapter } from '../http/adapter.js';
import { startIndependent } from './index.js';

export default async function createIndependentAdapter(options: Record<string, string> = {}): Promise<Adapter> {
  const defects = new Set((options.defects ?? '').split(',').filter(Boolean));
  const running = await startIndependent({ defects });
  const { url: _theOtherAdaptersUrl, ...rest } = options;
  const http = createHttpAdapter({ ...rest, url: running.url });
  return {
    ...http,
    name: defects.size > 0 ? `independent(${[...defects].join(',')})` : 'independent',
    dispose: async () => {
      try {
        await http.dispose?.();
      } finally {
        await running.close();
      }
    },
  };
}

/**
 * `run --workers N` over HTTP: lanes of concurrent worlds in one thread against the served reference give the
 * report.json one lane gives (times aside), in scenario order, with worlds of different lanes open at once.
 */
import t from 'tap';
import { startService } from '../adapters/reference/http/server.js';
import { CHAT_SCENARIO, cli, scenarioDir } from './support.js';
import { comparable } from './workers-support.js';

const three = scenarioDir({
  'chat/a.yaml': CHAT_SCENARIO.replaceAll('tara', 'wes').replace('Tara and Sam', 'Wes and Sam'),
  'chat/b.yaml': CHAT_SCENARIO,
  'chat/c.yaml': CHAT_SCENARIO.replaceAll('sam', 'sue').replace('Tara and Sam', 'Tara and Sue'),
});

t.test('over HTTP, --workers 2 (two lanes) writes the report.json --workers 1 writes', async (t) => {
  const service = await startService();
  t.teardown(() => service.close());
  // What the server was asked, in order: with two lanes the second world is created before the first is played.
  let log: string[] = [];
  const { worlds } = service;
  const create = worlds.create.bind(worlds);
  const get = worlds.get.bind(worlds);
  worlds.create = (world) => (log.push('create'), create(world));
  worlds.get = (id) => (log.push('get'), get(id));
  const run = async (n: string) => {
    log = [];
    const r = await cli([
      'run',
      three,
      '--adapter',
      'http',
      '--url',
      service.url,
      '--workers',
      n,
      '--reporter',
      'json',
    ]);
    const first = log.indexOf('create');
    return { r, between: log.slice(first + 1, log.indexOf('create', first + 1)).length };
  };
  const one = await run('1');
  const two = await run('2');
  t.equal(one.r.code, 0, one.r.err);
  t.equal(two.r.code, 0, two.r.err);
  t.same(
    two.r.report().scenarios.map((s) => [s.id, s.verdict]),
    [
      ['chat/a', 'pass'],
      ['chat/b', 'pass'],
      ['chat/c', 'pass'],
    ],
  );
  t.equal(comparable(two.r.report()), comparable(one.r.report()));
  t.ok(one.between > 0, `one lane: the first world was played (${one.between} requests) before the second was made`);
  t.equal(two.between, 0, 'two lanes: both worlds made at once');
});

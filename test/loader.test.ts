/**
 * The loader rejects bad scenarios before anything runs, each problem located at file:line:col with what was
 * expected, and exit code 2.
 */
import t from 'tap';
import { join } from 'node:path';
import { CHAT_SCENARIO, cli, scenarioDir } from './support.js';

async function problems(text: string) {
  const dir = scenarioDir({ 'chat/case.yaml': text });
  const r = await cli(['validate', dir]);
  return { ...r, file: join(dir, 'chat/case.yaml') };
}

t.test('a valid scenario validates with exit 0', async (t) => {
  const r = await problems(CHAT_SCENARIO);
  t.equal(r.code, 0);
  t.match(r.out, /1 scenarios valid/);
});

t.test('YAML syntax errors are located', async (t) => {
  const r = await problems('title: x\nworld: {users: {tara: {platform: teams}\nsteps: []\n');
  t.equal(r.code, 2);
  t.match(r.err, new RegExp(`${r.file}:\\d+:\\d+: `));
  t.match(r.err, /nothing was run/);
});

t.test('an unknown property is reported at the key, with the known ones', async (t) => {
  const r = await problems(
    CHAT_SCENARIO.replace('    tara: { platform: teams }', '    tara: { platform: teams, moed: Islands }'),
  );
  t.equal(r.code, 2);
  t.match(r.err, `${r.file}:4:30: unknown property "moed"; expected one of: platform, tenant, email, mode`);
});

t.test('a step without an action, or with two, says so at the step', async (t) => {
  const none = await problems(CHAT_SCENARIO.replace('    accept: { from: tara }\n', ''));
  t.match(none.err, `${none.file}:9:5: a step needs one action: one of search, message,`);
  const two = await problems(
    CHAT_SCENARIO.replace('    accept: { from: tara }\n', '    accept: { from: tara }\n    block: { user: tara }\n'),
  );
  t.match(two.err, `${two.file}:9:5: a step has exactly one action; this one has accept and block`);
});

t.test('a wrong enum value names the allowed values', async (t) => {
  const r = await problems(
    CHAT_SCENARIO.replace('tara: { platform: teams }', 'tara: { platform: teams, mode: Island }'),
  );
  t.match(r.err, `${r.file}:4:36: expected one of "TeamsOnly", "Islands"; got "Island"`);
});

t.test('a missing required property is located at its object', async (t) => {
  const r = await problems(CHAT_SCENARIO.replace('message: { to: sam, text: hello }', 'message: { to: sam }'));
  t.match(r.err, `${r.file}:8:14: missing required property "text"`);
});

t.test('an unknown actor is an error at the actor, naming who exists', async (t) => {
  const r = await problems(CHAT_SCENARIO.replace('  - actor: sam', '  - actor: sm'));
  t.equal(r.code, 2);
  t.match(r.err, `${r.file}:9:12: unknown actor "sm"; the world has: tara, sam`);
});

t.test('an unknown user in an action is an error at the name', async (t) => {
  const r = await problems(CHAT_SCENARIO.replace('accept: { from: tara }', 'accept: { from: tina }'));
  t.match(r.err, `${r.file}:10:21: unknown user "tina"`);
});

t.test('a step the model does not allow is an error at the action', async (t) => {
  const r = await problems(
    CHAT_SCENARIO.replace('  - actor: sam\n    accept: { from: tara }', '  - actor: tara\n    accept: { from: sam }'),
  );
  t.match(r.err, `${r.file}:10:13: the model does not allow this step: tara has no pending request from sam to accept`);
});

t.test('an expectation that contradicts the model is an error at the field, with the rule', async (t) => {
  const r = await problems(
    CHAT_SCENARIO.replace(
      '    message: { to: sam, text: hello }\n',
      '    message: { to: sam, text: hello }\n    expect: { outcome: error, delivers: nothing }\n',
    ),
  );
  t.equal(r.code, 2);
  t.match(
    r.err,
    `${r.file}:9:24: expect.outcome is "error", but the model predicts "ok" (rule relationship.teams-first-contact-is-request; CHAT-005, CHAT-006, CHAT-009, REQ-001)`,
  );
  t.match(r.err, `expect.delivers is nothing, but the model predicts sam ← request "hello" from tara`);
});

t.test('an expectation that agrees with the model is accepted', async (t) => {
  const r = await problems(
    CHAT_SCENARIO.replace(
      '    message: { to: sam, text: hello }\n',
      '    message: { to: sam, text: hello }\n    expect: { outcome: ok, delivers: [{ to: sam, kind: request, surface: skype }] }\n',
    ),
  );
  t.equal(r.code, 0, r.err);
});

t.test('a claimed requirement that no step exercises is an error', async (t) => {
  const r = await problems(`requirements: [CALL-005, NOPE-001]\n${CHAT_SCENARIO}`);
  t.match(r.err, `${r.file}:1:16: the scenario claims CALL-005, but no step exercises it`);
  t.match(r.err, `${r.file}:1:26: unknown requirement "NOPE-001"`);
});

t.test('two users with one email, and a tenant that does not exist, are errors', async (t) => {
  const r = await problems(
    CHAT_SCENARIO.replace(
      '    sam: { platform: skype }',
      '    sam: { platform: skype, email: x@y.example }\n    sue: { platform: skype, email: X@y.example }',
    ).replace('tara: { platform: teams }', 'tara: { platform: teams, tenant: nowhere }'),
  );
  t.match(r.err, /unknown tenant "nowhere"/);
  t.match(r.err, /sue has the same email as sam/);
});

t.test('a file outside an area folder needs an area', async (t) => {
  const dir = scenarioDir({ 'misc/case.yaml': CHAT_SCENARIO });
  const r = await cli(['validate', dir]);
  t.match(r.err, /cannot tell this scenario's area/);
});

t.test('a path that does not exist is bad input', async (t) => {
  const r = await cli(['validate', '/nonexistent/scenarios']);
  t.equal(r.code, 2);
  t.match(r.err, '/nonexistent/scenarios:1:1: no such file or folder');
});

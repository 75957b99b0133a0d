/**
 * The http adapter's encoding of a `message` action (Graph's chatMessage). A mention can reach a system in two
 * shapes: wrapped in rich text (`contentType: html` with `<at>`), or as a plain-text body carrying the `mentions`
 * list. Before this, the adapter only ever sent the first, so a system that refused HTML but let a tagged plain
 * message through (the independent implementation's mentions-stripped-not-refused) could never be caught.
 */
import t from 'tap';
import { messageBody } from '../adapters/http/actions.js';

const mentionOf = (id: string, i: number) => ({ id: i, mentionText: id, mentioned: { user: { id, displayName: id } } });

t.test(
  'a mention in a message with format: plain is sent as a text body that still carries the mentions list',
  async (t) => {
    const body = messageBody({
      kind: 'message',
      to: 'sam',
      text: '@Sam can you check?',
      format: 'plain',
      mentions: ['sam'],
    });
    t.same(body, { body: { contentType: 'text', content: '@Sam can you check?' }, mentions: [mentionOf('sam', 0)] });
  },
);

t.test('a mention without a format is still sent as rich text with an <at> tag, as before', async (t) => {
  const body = messageBody({ kind: 'message', to: 'sam', text: 'Q&A', mentions: ['sam'] });
  t.same(body, {
    body: { contentType: 'html', content: 'Q&#38;A <at id="0">sam</at>' },
    mentions: [mentionOf('sam', 0)],
  });
});

t.test(
  "plain text without mentions is sent as Graph's minimal body, exactly as typed, with no mentions key",
  async (t) => {
    const text = '  Q&A <today>\n\n';
    t.same(messageBody({ kind: 'message', to: 'sam', text, format: 'plain' }), { body: { content: text } });
  },
);

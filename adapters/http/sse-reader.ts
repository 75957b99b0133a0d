/**
 * Reading a Server-Sent-Events body (the HTML standard's event stream interpretation, the parts the document
 * uses): lines split on CR, LF or CRLF; `data`, `event` and `id` fields (an `id` holding NUL is ignored); comments
 * skipped; an event dispatched at each blank line. Shared by a user's own stream (events.ts) and the world stream
 * (world-events.ts), so that both read the wire the same way.
 */
import type { Dispatcher } from 'undici';

export interface SseEvent {
  readonly event: string;
  /** The data lines joined by LF; undefined when the event had none (it is then not dispatched, only its id kept). */
  readonly data: string | undefined;
  readonly id: string | undefined;
}

/**
 * Read `body` to its end, calling `onEvent` for each event, while `current()` holds (a connection replaced by a
 * newer one stops being read); `stop()` ends the reading early (a problem found). Resolves when the body ended;
 * rejects with what broke it.
 */
export async function readSse(
  body: Dispatcher.ResponseData['body'],
  current: () => boolean,
  onEvent: (e: SseEvent) => void,
  stop: () => boolean,
): Promise<void> {
  const decoder = new TextDecoder();
  let pending = '';
  let event = 'message';
  let id: string | undefined;
  let data: string[] = [];
  for await (const chunk of body) {
    if (!current()) return;
    pending += decoder.decode(chunk as Buffer, { stream: true });
    const lines = pending.split(/\r\n|\r|\n/);
    pending = lines.pop()!;
    for (const line of lines) {
      if (line === '') {
        if (!current()) return;
        onEvent({ event, data: data.length ? data.join('\n') : undefined, id });
        event = 'message';
        id = undefined;
        data = [];
      } else if (line.startsWith(':')) continue;
      else {
        const colon = line.indexOf(':');
        const field = colon < 0 ? line : line.slice(0, colon);
        const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
        if (field === 'data') data.push(value);
        else if (field === 'event') event = value;
        else if (field === 'id' && !value.includes('\0')) id = value;
      }
    }
    if (stop()) return;
  }
}

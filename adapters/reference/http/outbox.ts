/**
 * The process's writes to event streams (sse.ts: each user's streams; world-stream.ts: the world streams), at most
 * FANOUT_BYTES_PER_TICK a turn of the event loop: written at once while the turn has room and nothing waits, else
 * queued in order, so that a frame for 500 streams never blocks the service for all of them at once. A stream whose
 * unsent bytes (`writableLength`) pass its limit — a reader that stopped reading — is cut, which releases what it
 * held; its reader resumes with Last-Event-ID.
 */
import type { ServerResponse } from 'node:http';

/** Bytes written to event streams in one turn of the event loop, before the rest waits for the next turn. */
export const FANOUT_BYTES_PER_TICK = 1024 * 1024;

/** Write `chunk` to `res`, or cut `res` when its reader has fallen `limit` bytes behind. */
function write(
  res: ServerResponse,
  chunk: Buffer | string,
  onDrop: (res: ServerResponse) => void,
  limit: number,
): void {
  if (res.destroyed || res.writableEnded) return;
  res.write(chunk);
  if (res.writableLength > limit) {
    onDrop(res);
    res.destroy();
  }
}

interface Pending {
  res: ServerResponse;
  chunk: Buffer | string;
  onDrop: (res: ServerResponse) => void;
  limit: number;
}

/**
 * The process's writes to event streams, FANOUT_BYTES_PER_TICK a turn: written at once while the turn has room
 * and nothing waits, else queued in order (frames are shared Buffers: the queue holds references, not copies).
 */
const outbox = new (class {
  #queue: Pending[] = [];
  #head = 0;
  #spent = 0;
  #turn = false;

  push(p: Pending): void {
    const size = typeof p.chunk === 'string' ? p.chunk.length : p.chunk.length;
    if (this.#head === this.#queue.length && this.#spent + size <= FANOUT_BYTES_PER_TICK) {
      this.#spent += size;
      write(p.res, p.chunk, p.onDrop, p.limit);
    } else this.#queue.push(p);
    this.#nextTurn();
  }

  #nextTurn(): void {
    if (this.#turn) return;
    this.#turn = true;
    setImmediate(() => {
      this.#turn = false;
      this.#spent = 0;
      while (this.#head < this.#queue.length && this.#spent < FANOUT_BYTES_PER_TICK) {
        const p = this.#queue[this.#head++]!;
        this.#spent += p.chunk.length;
        write(p.res, p.chunk, p.onDrop, p.limit);
      }
      if (this.#head === this.#queue.length) {
        this.#queue = [];
        this.#head = 0;
      }
      if (this.#spent > 0 || this.#queue.length) this.#nextTurn();
    });
  }
})();

export const push = (
  res: ServerResponse,
  chunk: Buffer | string,
  onDrop: (res: ServerResponse) => void,
  limit: number,
): void => outbox.push({ res, chunk, onDrop, limit });

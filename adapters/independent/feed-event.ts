/**
 * One event of a user's log as both views show it (feeds.ts: the user's own streams; world-stream.ts: the world's),
 * and what a world stream is to the logs it reads. Kept apart so that the faults can name them without importing
 * the feeds they are switched in.
 */
export interface FeedEvent {
  id: number;
  /** Its place among every event the world's feeds emitted: the world stream's catch-up keeps that order. */
  seq: number;
  name: 'delivery' | 'sync';
  /** The user's own stream's `data:`. */
  data: string;
  /** The world stream's `data:`: the same, but a sync marker also says whose log it is in (WorldSyncEvent). */
  worldData: string;
}

/** A view of every feed of a world (a world stream): told each event as it is emitted. */
export interface WorldView {
  take(user: string, e: FeedEvent): void;
  end(): void;
}

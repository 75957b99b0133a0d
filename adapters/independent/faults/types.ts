/**
 * One entry of the independent implementation's fault catalogue: a realistic defect of a gateway or service,
 * chosen from the documents without reading the scenarios (so it was not picked to be caught).
 */
export interface CatalogueFault {
  /** kebab-case, unique. */
  readonly id: string;
  /** What the defect is, as a bug report would say it: what a user sees go wrong, and when. */
  readonly description: string;
  /** Which kinds of defect it stands for (see FAULT_CLASSES). */
  readonly classes: readonly FaultClass[];
  /** Requirement ids (specs/requirements.yaml) the author judges it to break, from the documents. */
  readonly breaks: readonly string[];
  /**
   * Why the harness cannot catch this defect, when it cannot: what it breaks, why no run shows it, and what would.
   * `breaks` is then empty, so that the score (`mutants --implementation independent`, which counts only faults
   * that break something) leaves it out instead of reading it as a scenario missing.
   */
  readonly unscored?: string;
  /**
   * How the http adapter must read to see it (`mutants` passes these to it): the world stream's faults are scored
   * with `events=world`, since by default the adapter reads each user's own stream and never opens the world's.
   */
  readonly adapterOptions?: Readonly<Record<string, string>>;
}

export const FAULT_CLASSES = [
  'leak-between-worlds', // state shared across worlds
  'leak-between-tenants', // state shared across tenants, or users of the same name
  'routing-by-client-type', // differs by Teams/Skype, direction or coexistence mode
  'partial-update', // an update that resets or keeps other settings wrongly
  'content-altered', // text or fields altered in transit
  'clock', // timestamps, ordering by time, latency
  'reconnect', // event streams dropped and reopened
  'quota', // limits, sizes, counts
  'duplicated-event',
  'dropped-event',
  'delayed-event',
  'reordered-event',
  'replayed-event',
  'stale-read', // a read after a change shows the old state
  'multi-step', // shows only after two or more steps
  'after-undo', // shows only after unblock, switch back on, policy restored
  'second-conversation', // shows only in a second chat or call
  'one-direction', // shows only Teams→Skype or only Skype→Teams
  'per-tenant', // shows only in one tenant's configuration
  'security', // tokens, authorization, isolation on the wire
  'wire-format', // shapes, statuses, headers
] as const;
export type FaultClass = (typeof FAULT_CLASSES)[number];

/** The requirement catalogue's vocabulary (`specs/requirements.yaml`), as the harness and the reports read it. */
export const LEVELS = ['MUST', 'SHOULD', 'MAY'] as const;
export type Level = (typeof LEVELS)[number];
/** A requirement's area, and a scenario's: the folder of scenarios/ it lives in. */
export const AREAS = ['search', 'request', 'chat', 'call', 'block', 'admin', 'security'] as const;
export type Area = (typeof AREAS)[number];

/** One clause of the catalogue (`specs/requirements.yaml`). */
export interface Requirement {
  id: string;
  level: Level;
  area: Area;
  statement: string;
  /** Fact numbers of `shared/domain/facts.md`, e.g. `F7`. */
  sources: string[];
  /** Why we chose, where the facts are silent. */
  decidedHere?: string;
  /** What checks it on every run, when no scenario step states it (e.g. the runner: isolation, reconnects). */
  checkedBy?: string;
}

/** The requirement catalogue's vocabulary (`specs/requirements.yaml`), as the harness and the reports read it. */
export type Level = 'MUST' | 'SHOULD' | 'MAY';
export type Area = 'search' | 'request' | 'chat' | 'call' | 'block' | 'admin' | 'security';

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

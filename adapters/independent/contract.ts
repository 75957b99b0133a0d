/**
 * What the independent implementation (issue 14) offers the harness: a served HTTP service speaking
 * specs/openapi.yaml, started on 127.0.0.1 with an optional set of defects switched on. The harness knows only
 * this contract; the implementation's inside is its own (it was written from the documents alone).
 */
export interface RunningImplementation {
  /** Base URL, e.g. http://127.0.0.1:41234 — what `--adapter http --url` takes. */
  readonly url: string;
  close(): Promise<void>;
}

export interface StartOptions {
  readonly host?: string;
  readonly port?: number;
  /** Ids from the fault catalogue (faults/catalogue.ts) to switch on; empty: the conformant implementation. */
  readonly defects?: ReadonlySet<string>;
}

export type StartImplementation = (options?: StartOptions) => Promise<RunningImplementation>;

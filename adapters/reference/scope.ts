/**
 * Requests the protocol leaves out of scope (the harness rejects such scenarios before running them). The
 * reference refuses to guess what they mean and throws, so a harness bug shows up as an adapter error.
 */
export class OutOfScopeError extends Error {
  override readonly name = 'OutOfScopeError';
}

export function outOfScope(what: string): never {
  throw new OutOfScopeError(`out of protocol scope: ${what}`);
}

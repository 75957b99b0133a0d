/**
 * What a command ends with: its exit code, or a usage error for the CLI to report (exit 2). Apart from
 * ./context.ts, which re-exports both, because the CLI needs them before it knows whether a command will run at
 * all: `--version` and `--help` must not load what a command's context imports (the loader, the catalogue's schema).
 */
export const EXIT = { conformant: 0, notConformant: 1, badInput: 2, internal: 3 } as const;

export class UsageError extends Error {}

#!/usr/bin/env node
// In a clone (the TypeScript sources are here) the harness runs from its sources through tsx, so that a developer
// never runs a stale build. In an installed package (no sources, only what `prepare` compiled into dist/) it runs
// the JavaScript — the CLI bundled into a few files (scripts/bundle-cli.mjs: a cold start loads ~30 files, not
// ~110), else dist/harness/cli.js — and tsx is loaded only to import a user's .ts adapter module (harness/adapters.ts).
// The paths are URLs built at run time: a clone that was never built has no dist/ to resolve.
import { existsSync } from 'node:fs';

const source = new URL('../harness/cli.ts', import.meta.url);
const bundle = new URL('../dist/harness/cli.bundle.js', import.meta.url);
if (existsSync(source)) (await import('tsx/esm/api')).register();
const cli = existsSync(source)
  ? source
  : existsSync(bundle)
    ? bundle
    : new URL('../dist/harness/cli.js', import.meta.url);
const { runAsProgram } = await import(cli.href);
await runAsProgram();

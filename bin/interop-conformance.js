#!/usr/bin/env node
// The harness is TypeScript run through tsx, so a user needs no build step (tsx adds ~0.5 s to start-up).
import { register } from 'tsx/esm/api';

register();
const { runAsProgram } = await import('../harness/cli.ts');
await runAsProgram();

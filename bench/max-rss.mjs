// Preloaded (`node --import`) into the bench's growth runs: the child writes its own peak RSS (getrusage's maxrss,
// KiB) to BENCH_MAX_RSS_FILE as it exits, because Node gives a parent no rusage of its children.
import { writeFileSync } from 'node:fs';

const out = process.env.BENCH_MAX_RSS_FILE;
if (out) process.on('exit', () => writeFileSync(out, String(process.resourceUsage().maxRSS)));

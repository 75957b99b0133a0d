/**
 * Scenario paths for the package API: files, folders, or glob patterns (`scenarios/chat/*.yaml`,
 * `my-scenarios/**`). Node 20's `path.matchesGlob` is experimental and warns on the user's stderr, so the few
 * forms a scenario selection needs are matched here: `**` (any folders), `*` and `?` (within one name), `{a,b}`.
 */
import { relative, sep } from 'node:path';
import { findScenarioFiles } from './load.js';

const MAGIC = /[*?{[]/;

/** The regular expression a glob pattern stands for, matched against `/`-separated paths. */
export function globRegExp(pattern: string): RegExp {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '*' && pattern[i + 1] === '*') {
      // `**/` is zero or more folders; a trailing `**` anything below.
      const slash = pattern[i + 2] === '/';
      re += slash ? '(?:[^/]*/)*' : '.*';
      i += slash ? 2 : 1;
    } else if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else if (c === '{') {
      const end = pattern.indexOf('}', i);
      if (end < 0) re += '\\{';
      else {
        re += `(?:${pattern
          .slice(i + 1, end)
          .split(',')
          .map((alt) => globRegExp(alt).source.slice(1, -1))
          .join('|')})`;
        i = end;
      }
    } else re += c.replace(/[.+^$()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

/**
 * Each path as given, a glob replaced by the scenario files it matches (sorted), found under the folder its
 * pattern starts with. A glob matching nothing is reported: a selection of nothing must not pass as a green run.
 */
export function expandScenarioPaths(paths: readonly string[]): { paths: string[]; unmatched: string[] } {
  const out: string[] = [];
  const unmatched: string[] = [];
  for (const p of paths) {
    const parts = p.split(/[\\/]/);
    const firstMagic = parts.findIndex((part) => MAGIC.test(part));
    if (firstMagic < 0) {
      out.push(p);
      continue;
    }
    const base = parts.slice(0, firstMagic).join('/') || '.';
    const re = globRegExp(parts.slice(firstMagic).join('/'));
    const matched = findScenarioFiles([base]).filter((f) => re.test(relative(base, f).split(sep).join('/')));
    if (!matched.length) unmatched.push(p);
    out.push(...matched);
  }
  return { paths: out, unmatched };
}

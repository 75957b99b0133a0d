/**
 * A YAML file with its source positions kept, so that any path into the parsed value can be turned back into
 * `line:col` — for schema errors, unknown names and model objections alike.
 *
 * Input is hostile until proven otherwise: the bytes are read under a size limit and decoded as strict UTF-8; the
 * syntax tree's nesting is measured (without recursion) before anything recursive walks it; duplicate keys are
 * found in linear time; aliases may not refer into themselves nor expand the document beyond a fixed number of
 * nodes. Each refusal is a located diagnostic, never an exception.
 */
import { createRequire } from 'node:module';
import type * as Yaml from 'yaml';
import type { CST, Document, Node } from 'yaml';
import type { Diagnostic } from './diagnostics.js';
import { LIMITS } from './text-file.js';

// Read without the YAML library (harness/text-file.ts): a load cache hit reads files but parses none.
export { describeFsError, LIMITS, readText } from './text-file.js';

export type Path = readonly (string | number)[];

let lib: typeof Yaml | undefined;
/**
 * The YAML library (CommonJS under node), required when a file is first parsed rather than imported with this
 * module: what imports the catalogue's or a scenario's loader does not load the parser until it parses, and a run
 * whose scenarios all come from the load cache never does (harness/load-cache.ts).
 */
const yaml = (): typeof Yaml => (lib ??= createRequire(import.meta.url)('yaml') as typeof Yaml);

export class YamlSource {
  private readonly lines = new (yaml().LineCounter)();
  readonly doc: Document;
  readonly syntaxErrors: Diagnostic[];

  constructor(
    readonly file: string,
    text: string,
  ) {
    const tokens = [...new (yaml().Parser)(this.lines.addNewLine).parse(text)];
    const tooDeep = deepest(tokens, LIMITS.depth);
    if (tooDeep !== undefined) {
      this.doc = new (yaml().Document)(null);
      this.syntaxErrors = [this.at(tooDeep, `more than ${LIMITS.depth} levels of nesting (the limit)`)];
      return;
    }
    // Not `uniqueKeys`: the library compares every key with every other; duplicates are found below with a Set.
    // logLevel 'error': the library never writes to the console itself; what it would warn about is located below.
    const docs = [
      ...new (yaml().Composer)({ uniqueKeys: false, logLevel: 'error' }).compose(tokens, true, text.length),
    ];
    this.doc = docs[0]!;
    const extra = docs[1] ? [this.at(docs[1].range[0], 'a file holds one YAML document; this is a second one')] : [];
    const problems = [...this.doc.errors, ...this.doc.warnings].map((e) =>
      this.at(e.pos[0], e.message.split('\n')[0]!),
    );
    this.syntaxErrors = [...problems, ...extra];
    if (!this.syntaxErrors.length)
      this.syntaxErrors = [...keyProblems(this.doc).map(([o, m]) => this.at(o, m)), ...this.aliasProblems()];
  }

  /**
   * The plain value; only called once `syntaxErrors` is empty, so every alias is known to name an earlier anchor
   * outside itself and the expansion is within `LIMITS.aliasNodes`. The library's own alias heuristic is off: it
   * multiplies reference counts (an anchor used 101 times, then 100 uses of a list holding it, is "excessive") and
   * cannot say where; the count above is exact and located. Building the value never copies an alias's target.
   */
  value(): unknown {
    return this.doc.toJS({ maxAliasCount: -1 });
  }

  /** A diagnostic at the node at `path`, or at its key when `key` is true, or at the nearest existing parent. */
  locate(path: Path, message: string, key = false): Diagnostic {
    for (let n = path.length; n >= 0; n--) {
      const at = path.slice(0, n);
      if (key && n === path.length && n > 0) {
        const parent = this.doc.getIn(at.slice(0, -1), true);
        if (yaml().isMap(parent)) {
          const pair = parent.items.find(
            (p) => yaml().isPair(p) && yaml().isScalar(p.key) && p.key.value === at[at.length - 1],
          );
          if (pair && yaml().isNode(pair.key) && pair.key.range) return this.at(pair.key.range[0], message);
        }
      }
      const node = (n === 0 ? this.doc.contents : this.doc.getIn(at, true)) as Node | null | undefined;
      if (yaml().isNode(node) && node.range) return this.at(node.range[0], message);
    }
    return { file: this.file, line: 1, col: 1, message };
  }

  /** Aliases into their own anchor (a cycle), and the alias at which repetition passes `LIMITS.aliasNodes`. */
  private aliasProblems(): Diagnostic[] {
    const size = new Map<Node, number>();
    const anchors = new Map<string, Node>();
    const open = new Set<Node>();
    let added = 0;
    let problem: Diagnostic | undefined;
    // Depth is already bounded, so plain recursion is safe here; sizes are memoized, so shared anchors cost once.
    const measure = (n: unknown): number => {
      if (problem || !yaml().isNode(n)) return 0;
      if (yaml().isAlias(n)) {
        const target = anchors.get(n.source);
        if (!target)
          return (
            (problem = this.at(n.range?.[0] ?? 0, `alias *${n.source} names no anchor (&${n.source}) before it`)),
            0
          );
        if (open.has(target))
          return (
            (problem = this.at(n.range?.[0] ?? 0, `alias *${n.source} is inside the node it refers to (a cycle)`)),
            0
          );
        // Each alias counts as all it stands for, so a scalar repeated ten thousand times is refused too.
        const s = size.get(target) ?? 1;
        added += s;
        if (added > LIMITS.aliasNodes)
          problem = this.at(
            n.range?.[0] ?? 0,
            `aliases expand this file by more than ${LIMITS.aliasNodes} nodes (alias *${n.source} alone stands for ${s})`,
          );
        return s;
      }
      if (n.anchor) anchors.set(n.anchor, n);
      let s = 1;
      if (yaml().isCollection(n)) {
        open.add(n);
        for (const item of n.items) s += yaml().isPair(item) ? measure(item.key) + measure(item.value) : measure(item);
        open.delete(n);
      }
      size.set(n, s);
      return s;
    };
    measure(this.doc.contents);
    return problem ? [problem] : [];
  }

  private at(offset: number, message: string): Diagnostic {
    const { line, col } = this.lines.linePos(offset);
    return { file: this.file, line, col, message };
  }
}

/** The offset of the first collection nested deeper than `limit`, walking the syntax tree with an explicit stack. */
function deepest(tokens: CST.Token[], limit: number): number | undefined {
  const stack: [CST.Token | null | undefined, number][] = tokens.map((t) => [t, 0]);
  while (stack.length) {
    const [t, depth] = stack.pop()!;
    if (!t) continue;
    if (t.type === 'document') stack.push([t.value, depth]);
    else if (t.type === 'block-map' || t.type === 'block-seq' || t.type === 'flow-collection') {
      if (depth >= limit) return t.offset;
      for (const item of t.items)
        stack.push(['key' in item ? item.key : undefined, depth + 1], [item.value, depth + 1]);
    }
  }
  return undefined;
}

/** Repeated keys in any mapping, found in linear time, and keys that are not plain values: [offset, message]. */
function keyProblems(doc: Document): [number, string][] {
  const out: [number, string][] = [];
  const walk = (n: unknown): void => {
    if (!yaml().isCollection(n)) return;
    const seen = new Set<unknown>();
    for (const item of n.items) {
      if (!yaml().isPair(item)) {
        walk(item);
        continue;
      }
      if (yaml().isScalar(item.key)) {
        if (yaml().isMap(n) && seen.has(item.key.value))
          out.push([item.key.range?.[0] ?? 0, `duplicate key "${item.key.value}"`]);
        seen.add(item.key.value);
      } else if (yaml().isNode(item.key)) {
        // A list, map or alias as a key has no place in these files, and would reach a message as "[object Object]".
        out.push([item.key.range?.[0] ?? 0, 'a key must be written out as a plain value, not as a list, map or alias']);
      }
      walk(item.key);
      walk(item.value);
    }
  };
  walk(doc.contents);
  return out;
}

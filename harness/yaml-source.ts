/**
 * A YAML file with its source positions kept, so that any path into the parsed value can be turned back into
 * `line:col` — for schema errors, unknown names and model objections alike.
 */
import { isMap, isNode, isPair, isScalar, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import type { Diagnostic } from './diagnostics.js';

export type Path = readonly (string | number)[];

export class YamlSource {
  private readonly lines = new LineCounter();
  readonly doc: Document;
  readonly syntaxErrors: Diagnostic[];

  constructor(readonly file: string, text: string) {
    this.doc = parseDocument(text, { lineCounter: this.lines, prettyErrors: false, uniqueKeys: true });
    this.syntaxErrors = [...this.doc.errors, ...this.doc.warnings].map((e) => this.at(e.pos[0], e.message.split('\n')[0]!));
  }

  value(): unknown {
    return this.doc.toJS({ maxAliasCount: 100 });
  }

  /** A diagnostic at the node at `path`, or at its key when `key` is true, or at the nearest existing parent. */
  locate(path: Path, message: string, key = false): Diagnostic {
    for (let n = path.length; n >= 0; n--) {
      const at = path.slice(0, n);
      if (key && n === path.length && n > 0) {
        const parent = this.doc.getIn(at.slice(0, -1), true);
        if (isMap(parent)) {
          const pair = parent.items.find((p) => isPair(p) && isScalar(p.key) && p.key.value === at[at.length - 1]);
          if (pair && isNode(pair.key) && pair.key.range) return this.at(pair.key.range[0], message);
        }
      }
      const node = (n === 0 ? this.doc.contents : this.doc.getIn(at, true)) as Node | null | undefined;
      if (isNode(node) && node.range) return this.at(node.range[0], message);
    }
    return { file: this.file, line: 1, col: 1, message };
  }

  private at(offset: number, message: string): Diagnostic {
    const { line, col } = this.lines.linePos(offset);
    return { file: this.file, line, col, message };
  }
}

/**
 * A copy of any value that `JSON.stringify` cannot choke on. An adapter may hand back an observation holding a
 * circular reference or a BigInt; a report must still be written (the runner makes such a step an adapter
 * error; the writers must not crash on what is left of it). Only a real cycle becomes `"[circular]"`: the same
 * object reached twice along different paths (a differential run shares observations) is copied twice. BigInt
 * becomes the string `"123n"`; functions and symbols are dropped as JSON drops them; `toJSON` is honoured.
 */
export function jsonSafe(value: unknown, onString: (s: string, key: string | undefined) => string = (s) => s): unknown {
  const ancestors: object[] = [];
  const copy = (v: unknown, key: string | undefined): unknown => {
    if (typeof v === 'string') return onString(v, key);
    if (typeof v === 'bigint') return `${v}n`;
    if (typeof v === 'number') return Number.isFinite(v) ? v : null;
    if (v === null || typeof v === 'boolean') return v;
    if (typeof v !== 'object') return undefined;
    if (ancestors.includes(v)) return '[circular]';
    const withJson = v as { toJSON?: () => unknown };
    if (typeof withJson.toJSON === 'function') {
      let j: unknown;
      try {
        j = withJson.toJSON();
      } catch {
        return '[unserialisable]';
      }
      if (j !== v) return copy(j, key);
    }
    ancestors.push(v);
    try {
      if (Array.isArray(v)) return v.map((x) => copy(x, key) ?? null);
      const out: Record<string, unknown> = {};
      for (const k of Object.keys(v)) {
        let x: unknown;
        try {
          x = (v as Record<string, unknown>)[k];
        } catch {
          x = '[unserialisable]'; // a throwing getter
        }
        const c = copy(x, k);
        if (c !== undefined) out[k] = c;
      }
      return out;
    } finally {
      ancestors.pop();
    }
  };
  return copy(value, undefined);
}

/** `JSON.stringify` that never throws: see `jsonSafe`. */
export function safeStringify(value: unknown, space?: number): string {
  return JSON.stringify(jsonSafe(value), null, space) ?? 'undefined';
}

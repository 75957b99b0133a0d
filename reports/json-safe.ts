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

/**
 * Whether `value` is plain data, which `JSON.stringify` writes exactly as it writes `jsonSafe(value)`: strings,
 * numbers, booleans, null, undefined and symbols, in arrays and objects of the plain prototypes, none with a `toJSON`,
 * no cycle, no BigInt, no function, no getter that throws. Anything else is for `jsonSafe` to copy.
 */
function isPlainData(value: unknown): boolean {
  const ancestors: object[] = [];
  const plain = (v: unknown): boolean => {
    if (typeof v === 'bigint' || typeof v === 'function') return false;
    if (v === null || typeof v !== 'object') return true;
    const proto: unknown = Object.getPrototypeOf(v);
    if (Array.isArray(v) ? proto !== Array.prototype : proto !== Object.prototype && proto !== null) return false;
    if (typeof (v as { toJSON?: unknown }).toJSON === 'function' || ancestors.includes(v)) return false;
    ancestors.push(v);
    try {
      if (Array.isArray(v)) return v.every((x) => plain(x)); // a hole is null to both, as undefined is
      for (const k of Object.keys(v)) if (!plain((v as Record<string, unknown>)[k])) return false;
      return true;
    } finally {
      ancestors.pop();
    }
  };
  try {
    return plain(value);
  } catch {
    return false; // a throwing getter: jsonSafe says so in the text
  }
}

/**
 * `JSON.stringify(value)` when `value` is plain data (most of what a report writes: results as the runner made
 * them), else undefined. The check reads the value without copying it: `jsonSafe`'s copy of every expected and
 * observed step was most of what report.html's steps cost.
 */
export function plainJson(value: unknown, space?: number): string | undefined {
  if (!isPlainData(value)) return undefined;
  try {
    return JSON.stringify(value, null, space);
  } catch {
    return undefined; // a getter that threw the second time it was read
  }
}

/** `JSON.stringify` that never throws: see `jsonSafe`. */
export function safeStringify(value: unknown, space?: number): string {
  return plainJson(value, space) ?? JSON.stringify(jsonSafe(value), null, space) ?? 'undefined';
}

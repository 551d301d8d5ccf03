// Synapse stores and serves events nested thousands of levels deep (only the 64 KiB size limit
// applies); V8's JSON.stringify and structuredClone recurse and overflow the stack around a few
// thousand levels. These fall back to an explicit stack for such values, so the stand-in can
// deliver what a real homeserver delivers.

/** JSON text of a JSON value (objects, arrays, strings, numbers, booleans, null). */
export function stringifyJson(value: unknown): string {
  try {
    return JSON.stringify(value);
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    return stringifyIteratively(value);
  }
}

/** A deep copy of a JSON value. */
export function cloneJson<T>(value: T): T {
  try {
    return structuredClone(value);
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    return JSON.parse(stringifyIteratively(value)) as T;
  }
}

type Frame = { open: string; close: string; parts: [string | undefined, unknown][]; index: number; out: string[] };

function stringifyIteratively(root: unknown): string {
  const scalar = (v: unknown): string | undefined => (v === null || typeof v !== 'object' ? (JSON.stringify(v) ?? 'null') : undefined);
  const frameOf = (v: object): Frame =>
    Array.isArray(v)
      ? { open: '[', close: ']', parts: v.map((x) => [undefined, x]), index: 0, out: [] }
      : {
          open: '{',
          close: '}',
          parts: Object.entries(v)
            .filter(([, x]) => x !== undefined)
            .map(([k, x]) => [k, x]),
          index: 0,
          out: [],
        };
  const top = scalar(root);
  if (top !== undefined) return top;
  const stack: Frame[] = [frameOf(root as object)];
  let finished = '';
  while (stack.length > 0) {
    const frame = stack[stack.length - 1]!;
    if (frame.index < frame.parts.length) {
      const [key, child] = frame.parts[frame.index++]!;
      const prefix = key === undefined ? '' : `${JSON.stringify(key)}:`;
      const text = scalar(child);
      if (text !== undefined) frame.out.push(prefix + text);
      else {
        frame.out.push(prefix);
        stack.push(frameOf(child as object));
      }
      continue;
    }
    stack.pop();
    const text = frame.open + frame.out.join(',') + frame.close;
    const parent = stack[stack.length - 1];
    if (parent) parent.out[parent.out.length - 1] += text;
    else finished = text;
  }
  return finished;
}

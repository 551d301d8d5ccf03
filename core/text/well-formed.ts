// Lone UTF-16 surrogates (half an emoji, `\ud800` from a buggy client or a hostile sender) are
// legal in a JS string but not in UTF-8: SQLite, JSON encoders and the embedder reject or mangle
// them, so one bad name can make every event of its author fail. Both bridges clean every string
// they hand to core with these helpers, at the edge, once.

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** The string with every lone surrogate replaced by U+FFFD; well-formed strings are returned as they are. */
export function wellFormed(text: string): string {
  // String.prototype.toWellFormed exists from Node 20; ES2023's lib does not declare it yet.
  const native = (text as { toWellFormed?: () => string }).toWellFormed;
  return native ? native.call(text) : text.replace(LONE_SURROGATE, '\uFFFD');
}

/**
 * A copy of a JSON-like value (objects, arrays, strings, numbers, ...) with every string, keys
 * included, made well-formed. Shares structure with the input where nothing changed, so clean
 * input costs one walk and no copies. Iterative, so a deeply nested body cannot overflow the stack.
 */
export function wellFormedDeep<T>(value: T): T {
  if (typeof value === 'string') return wellFormed(value) as T;
  if (value === null || typeof value !== 'object') return value;
  return cleanTree(value as object) as T;
}

interface Frame {
  source: Record<string, unknown> | unknown[];
  copy: Record<string, unknown> | unknown[] | undefined;
  keys: string[];
  index: number;
  /** Where the finished copy goes: the parent frame and the key it had there. */
  parent: Frame | undefined;
  parentKey: string;
}

function cleanTree(root: object): object {
  const frameOf = (source: Record<string, unknown> | unknown[], parent: Frame | undefined, parentKey: string): Frame => ({
    source,
    copy: undefined,
    keys: Object.keys(source),
    index: 0,
    parent,
    parentKey,
  });
  const stack: Frame[] = [frameOf(root as Record<string, unknown>, undefined, '')];
  let result: object = root;
  while (stack.length > 0) {
    const frame = stack[stack.length - 1]!;
    if (frame.index < frame.keys.length) {
      const key = frame.keys[frame.index++]!;
      const child = (frame.source as Record<string, unknown>)[key];
      const cleanKey = Array.isArray(frame.source) ? key : wellFormed(key);
      if (child !== null && typeof child === 'object') {
        stack.push(frameOf(child as Record<string, unknown>, frame, key));
        continue;
      }
      const cleanChild = typeof child === 'string' ? wellFormed(child) : child;
      if (cleanKey !== key || cleanChild !== child) ensureCopy(frame);
      if (frame.copy) put(frame.copy, key, cleanKey, cleanChild);
      continue;
    }
    stack.pop();
    const finished = frame.copy ?? frame.source;
    if (!frame.parent) {
      result = finished;
      continue;
    }
    const parent = frame.parent;
    const key = frame.parentKey;
    const cleanKey = Array.isArray(parent.source) ? key : wellFormed(key);
    if (finished !== frame.source || cleanKey !== key) ensureCopy(parent);
    if (parent.copy) put(parent.copy, key, cleanKey, finished);
  }
  return result;
}

/** Sets an own property even for a key such as `__proto__` (JSON.parse makes those own properties too). */
function put(target: Record<string, unknown> | unknown[], key: string, cleanKey: string, value: unknown): void {
  if (cleanKey !== key) delete (target as Record<string, unknown>)[key];
  Object.defineProperty(target, cleanKey, { value, writable: true, enumerable: true, configurable: true });
}

function ensureCopy(frame: Frame): void {
  if (frame.copy) return;
  frame.copy = Array.isArray(frame.source) ? [...frame.source] : { ...frame.source };
}

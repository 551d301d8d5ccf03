// How deeply a JSON text nests, found by one pass over its bytes before anything parses or
// walks it: recursive code (JSON.stringify, serializers) overflows the stack somewhere past a
// few thousand levels and answers 500. A real webhook body nests about six levels.

/** Most nesting a webhook body may have; anything deeper is refused with 400. */
export const MAX_JSON_DEPTH = 400;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPENERS = new Set([0x5b, 0x7b]);
const CLOSERS = new Set([0x5d, 0x7d]);

/** True when `body` (UTF-8 JSON) nests deeper than `limit`; stops reading as soon as it does. */
export function nestsDeeperThan(body: Uint8Array, limit: number = MAX_JSON_DEPTH): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (inString) {
      if (c === BACKSLASH) i++;
      else if (c === QUOTE) inString = false;
    } else if (c === QUOTE) {
      inString = true;
    } else if (OPENERS.has(c)) {
      if (++depth > limit) return true;
    } else if (CLOSERS.has(c)) {
      depth--;
    }
  }
  return false;
}

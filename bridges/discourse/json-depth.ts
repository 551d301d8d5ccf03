// How deeply a JSON text nests, found by one pass over its bytes before anything parses or
// walks it: recursive code (JSON.stringify, serializers) overflows the stack somewhere past a
// few thousand levels and answers 500. A real webhook body nests about six levels.

/** Most nesting a webhook body may have; anything deeper is refused with 400. */
export const MAX_JSON_DEPTH = 400;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/** True when `body` (UTF-8 JSON) nests deeper than `limit`; stops reading as soon as it does. */
export function nestsDeeperThan(body: Uint8Array, limit: number = MAX_JSON_DEPTH): boolean {
  let depth = 0;
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (c === QUOTE) {
      // Skip the string: the next quote that is not escaped ends it.
      for (i++; i < body.length && body[i] !== QUOTE; i++) if (body[i] === BACKSLASH) i++;
    } else if (c === 0x5b || c === 0x7b) {
      if (++depth > limit) return true;
    } else if (c === 0x5d || c === 0x7d) {
      depth--;
    }
  }
  return false;
}

// The invisible idempotency marker. Discourse has no transaction ids, so a write carries its
// key inside the post itself: an HTML comment at the end of `raw`. Discourse keeps raw verbatim
// and its sanitiser drops comments from the rendered (cooked) HTML, so readers never see it,
// while GET /posts/{id}.json and GET /posts.json return it in `raw` for the duplicate check.
import { createHash } from 'node:crypto';

/** Discourse's default `max_post_length` (site setting); raw longer than this is refused with 422. */
export const DISCOURSE_MAX_RAW_LENGTH = 32_000;

export const TRUNCATION_NOTE = "[…shortened to fit the forum's length limit]";

/**
 * The marker text for a key. Keys that could break out of an HTML comment (`--`, `>`, `<`) or
 * carry whitespace are replaced by a hash, which is just as stable across retries.
 */
export function markerFor(key: string): string {
  if (key === '') throw new TypeError('idempotency key must not be empty');
  const safe =
    /^[^\s<>]{1,128}$/.test(key) && !key.includes('--') && !key.endsWith('-') ? key : `sha256-${createHash('sha256').update(key).digest('hex').slice(0, 32)}`;
  return `<!-- co-agent:${safe} -->`;
}

/**
 * `raw` with the key's marker appended, at most `maxLength` characters. Over the limit the visible
 * text is cut first (with a note saying so): the marker must survive or retries could duplicate.
 */
export function withMarker(raw: string, key: string, maxLength: number = DISCOURSE_MAX_RAW_LENGTH): string {
  const marker = markerFor(key);
  const body = raw.trimEnd();
  const whole = `${body}\n\n${marker}`;
  // JS counts UTF-16 units, Ruby counts code points: checking JS length is the safe side.
  if (whole.length <= maxLength) return whole;
  const tail = `\n\n${TRUNCATION_NOTE}\n\n${marker}`;
  const room = maxLength - tail.length;
  if (room <= 0) throw new RangeError(`maxLength ${maxLength} leaves no room for the text`);
  let cut = body.slice(0, room);
  // Never leave half a surrogate pair (a broken emoji) at the cut.
  const last = cut.charCodeAt(cut.length - 1);
  if (last >= 0xd800 && last <= 0xdbff) cut = cut.slice(0, -1);
  return `${cut.trimEnd()}${tail}`;
}

/** Whether `raw` carries the marker of `key`. */
export function hasMarker(raw: string | null | undefined, key: string): boolean {
  return typeof raw === 'string' && raw.includes(markerFor(key));
}

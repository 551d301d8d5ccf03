// What the bot's own posts must be to pass a stock forum's checks, so they are not refused in the
// first place: bodies of 20 visible characters (HTML comments, like the bot's marker, do not
// count), titles of 15 characters that do not shout, tags as Discourse stores them. Site settings
// can be stricter; the refusal handling (refusals.ts) covers what these do not.
import { withoutHtmlComments } from './markup-scan.js';

/** min_post_length on a stock forum (private messages need 10). */
export const STOCK_MIN_POST_LENGTH = 20;
/** min_topic_title_length. */
export const STOCK_MIN_TITLE_LENGTH = 15;
export const STOCK_MAX_TITLE_LENGTH = 255;
/** max_tags_per_topic. */
export const STOCK_MAX_TAGS = 5;
/** max_tag_length. */
export const STOCK_MAX_TAG_LENGTH = 20;

const SIGNATURE = '— Co-Agent, the community concierge';

const visible = (raw: string): number => [...withoutHtmlComments(raw).trim()].length;

/** A body short of the minimum gets the bot's signature line, which says who wrote it anyway. */
export function fitBody(raw: string): string {
  return visible(raw) >= STOCK_MIN_POST_LENGTH ? raw : `${raw.trimEnd()}\n\n${SIGNATURE}`;
}

/** A title the stock checks accept: long enough, not all capitals, not too long. */
export function fitTitle(title: string): string {
  let t = title.replace(/\s+/g, ' ').trim();
  const letters = t.replace(/[^\p{L}]/gu, '');
  if (letters.length > 0 && letters === letters.toUpperCase() && letters !== letters.toLowerCase()) {
    t = t.charAt(0) + t.slice(1).toLowerCase();
  }
  if ([...t].length < STOCK_MIN_TITLE_LENGTH) t = `${t} (from the community chat)`.trim();
  return [...t].length > STOCK_MAX_TITLE_LENGTH ? `${[...t].slice(0, STOCK_MAX_TITLE_LENGTH - 1).join('')}…` : t;
}

const TAG_FILTER = /[/?#[\]@!$&'()*+,;=.%\\`^\s|{}"<>]+/g;

/** A tag name as Discourse stores it: lower-case, dashes for spaces, filtered, cut to 20 characters. */
export function forumTagName(name: string): string {
  const dashed = name.trim().toLowerCase().replace(/\s+/g, '-');
  return [...dashed.replace(TAG_FILTER, '')].slice(0, STOCK_MAX_TAG_LENGTH).join('').replace(/-+$/, '');
}

// What a stock Discourse checks in a post's text, title and tags before saving it, as pure
// functions (sources in README "Stock rules"). Each returns the refusal Discourse would give,
// or the cleaned value. Linear in the input: a huge post must not stall the stand-in either.
import { unprocessable, type ForumError } from './state-errors.js';
import type { SiteSettings } from './site-settings.js';

/** Removes HTML comments (kept in raw, not counted, not cooked). */
export function stripHtmlComments(text: string): string {
  let out = '';
  let at = 0;
  for (;;) {
    const open = text.indexOf('<!--', at);
    if (open === -1) return out + text.slice(at);
    const close = text.indexOf('-->', open + 4);
    out += text.slice(at, open);
    if (close === -1) return out;
    at = close + 3;
  }
}

/** Characters that count towards min_post_length: comments removed, ends trimmed, code points. */
export function visibleLength(raw: string): number {
  return [...stripHtmlComments(raw).trim()].length;
}

export type PostKind = 'first' | 'reply' | 'private';

/** PostValidator#stripped_length and max_post_length. */
export function checkRaw(raw: unknown, kind: PostKind, s: SiteSettings): string {
  if (typeof raw !== 'string' || raw.trim() === '') throw unprocessable("Body can't be blank");
  if (raw.length > s.max_post_length) throw unprocessable(`Body is limited to ${s.max_post_length} characters; you entered ${raw.length}.`);
  const min = kind === 'private' ? s.min_personal_message_post_length : kind === 'first' ? s.min_first_post_length : s.min_post_length;
  if (visibleLength(raw) < min) throw unprocessable(`Body is too short (minimum is ${min} characters)`);
  return raw;
}

/** TextSentinel.title_sentinel: meaningful (enough distinct characters), pronounceable, no giant word, not shouting. */
export function titleSeemsClear(title: string, s: SiteSettings): boolean {
  const distinct = new Set(title.trim().toLowerCase()).size;
  const pronounceable = /[\p{L}\p{N}]/u.test(title);
  const longestWord = title.split(/\s+/).reduce((n, w) => Math.max(n, [...w].length), 0);
  const letters = title.replace(/[^\p{L}]/gu, '');
  const shouting = letters.length > 0 && letters === letters.toUpperCase() && letters !== letters.toLowerCase();
  return distinct >= s.title_min_entropy && pronounceable && longestWord <= s.title_max_word_length && !shouting;
}

/** Topic title validators: presence, length, quality (not for PMs). Uniqueness is checked by the caller. */
export function checkTitle(title: unknown, privateMessage: boolean, s: SiteSettings): string {
  if (typeof title !== 'string' || title.trim() === '') throw unprocessable("Title can't be blank");
  const clean = title.trim().replace(/\s+/g, ' ');
  const min = privateMessage ? s.min_personal_message_title_length : s.min_topic_title_length;
  if ([...clean].length < min) throw unprocessable(`Title is too short (minimum is ${min} characters)`);
  if ([...clean].length > s.max_topic_title_length) throw unprocessable(`Title is too long (maximum is ${s.max_topic_title_length} characters)`);
  if (!privateMessage && !titleSeemsClear(clean, s)) throw unprocessable('Title seems unclear, is it a complete sentence?');
  return clean;
}

export const titleTaken = (): ForumError => unprocessable('Title has already been used');

/** Site setting tags_filter_regexp: characters a tag name may not contain. */
const TAG_FILTER = /[/?#[\]@!$&'()*+,;=.%\\`^\s|{}"<>]+/g;

/** DiscourseTagging.clean_tag: lower-cased, spaces to dashes, filtered, cut to max_tag_length. */
export function cleanTagName(name: string, s: SiteSettings): string {
  const dashed = name.trim().toLowerCase().replace(/\s+/g, '-');
  return [...dashed.replace(TAG_FILTER, '')].slice(0, s.max_tag_length).join('').replace(/-+$/, '');
}

/** tags.limit_exceeded (TagParamLimit / DiscourseTagging): more tags than max_tags_per_topic. */
export function checkTagCount(names: readonly string[], s: SiteSettings): void {
  if (names.length > s.max_tags_per_topic) throw unprocessable(`You can only apply up to ${s.max_tags_per_topic} tags.`);
}

/** Links a new user posts (http(s) URLs outside code), for newuser_max_links. */
export function countLinks(raw: string): number {
  return (stripCode(raw).match(/https?:\/\/[^\s<>)\]]+/g) ?? []).length;
}

/** Fenced and inline code left out (mentions and links there do not count). */
export function stripCode(raw: string): string {
  return raw.replace(/```[^`]*(?:`(?!``)[^`]*)*(?:```|$)/g, ' ').replace(/`[^`\n]*`/g, ' ');
}

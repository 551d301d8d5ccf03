// What a stock Discourse's "no" means. Every refusal the forum can give a post (title already
// used, too similar, too short, too many tags, rate limited, not allowed, ...) becomes one kind,
// with the forum's own words kept verbatim for the log and for the member: the kind decides
// what the bridge does, the words say why. Discourse answers in the site's language, so an
// unknown wording is still a refusal ("invalid"), never a success.
import { DiscourseApiError } from './api/index.js';

export type RefusalKind =
  | 'rate-limited'
  | 'not-allowed'
  | 'not-found'
  | 'title-taken'
  | 'title-unclear'
  | 'too-similar'
  | 'too-short'
  | 'too-long'
  | 'too-many-tags'
  | 'consecutive-replies'
  | 'uncategorized'
  | 'invite-not-pm'
  | 'invalid'
  | 'unavailable';

export interface Refusal {
  kind: RefusalKind;
  /** Trying the same request again later can work (rate limits, outages). */
  retryable: boolean;
  retryAfterMs?: number | undefined;
  /** The forum's words (its errors[]), or what went wrong on the way. */
  forumSays: string;
}

/** English wordings of Discourse's locale (server.en.yml), most specific first. */
const WORDINGS: [RegExp, RefusalKind][] = [
  [/has already been used/i, 'title-taken'],
  [/seems unclear|complete sentence/i, 'title-unclear'],
  [/too similar to what you/i, 'too-similar'],
  [/consecutive repl/i, 'consecutive-replies'],
  [/only apply up to \d+ tags|too many tags/i, 'too-many-tags'],
  [/is too short|minimum is \d+/i, 'too-short'],
  [/is limited to \d+ characters|is too long/i, 'too-long'],
  [/category can't be blank|category is reserved|uncategorized/i, 'uncategorized'],
  [/invite .*private messages?/i, 'invite-not-pm'],
];

export function refusalOf(error: unknown): Refusal {
  if (!(error instanceof DiscourseApiError)) {
    return { kind: 'unavailable', retryable: true, forumSays: error instanceof Error ? error.message : String(error) };
  }
  const forumSays = error.errors.length > 0 ? error.errors.join('; ') : error.message;
  if (error.status === 429) return { kind: 'rate-limited', retryable: true, retryAfterMs: error.retryAfterMs, forumSays };
  if (error.retryable) return { kind: 'unavailable', retryable: true, retryAfterMs: error.retryAfterMs, forumSays };
  if (error.status === 403) return { kind: 'not-allowed', retryable: false, forumSays };
  if (error.status === 404 || error.status === 410) return { kind: 'not-found', retryable: false, forumSays };
  const kind = WORDINGS.find(([pattern]) => error.errors.some((e) => pattern.test(e)))?.[1] ?? 'invalid';
  return { kind, retryable: false, forumSays };
}

/** A log line's words for a refusal: what, and the forum's own reason. */
export function describeRefusal(what: string, refusal: Refusal): string {
  return `Discourse refused ${what} (${refusal.kind}): ${refusal.forumSays}`;
}

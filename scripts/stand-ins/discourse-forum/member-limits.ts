// The limits a stock Discourse puts on non-staff users (staff are exempt from all of them):
// time between posts, topics and private messages per day, the unique-post check, consecutive
// replies, and trust level 0's mentions and links. Times follow the forum's wall clock, scaled.
import { createHash } from 'node:crypto';
import { countLinks } from './content-rules.js';
import type { ForumTime } from './forum-time.js';
import { rateLimited, SlidingWindowLimiter } from './rate-limiter.js';
import type { SiteSettings } from './site-settings.js';
import { unprocessable } from './state-errors.js';

export interface Poster {
  id: number;
  admin: boolean;
  moderator: boolean;
  trustLevel: number;
}

export type NewPostKind = 'topic' | 'reply' | 'private';

const DAY = 86_400_000;

export class MemberLimits {
  readonly #time: ForumTime;
  readonly #settings: SiteSettings;
  readonly #betweenPosts: SlidingWindowLimiter;
  readonly #topicsPerDay: SlidingWindowLimiter;
  readonly #pmsPerDay: SlidingWindowLimiter;
  /** user id -> [hash of raw, when] of recent posts (unique_posts_mins). */
  readonly #recent = new Map<number, { hash: string; at: number }[]>();

  constructor(time: ForumTime, settings: SiteSettings) {
    this.#time = time;
    this.#settings = settings;
    const now = () => time.now();
    this.#betweenPosts = new SlidingWindowLimiter(1, time.ms(settings.rate_limit_create_post * 1000), now);
    this.#topicsPerDay = new SlidingWindowLimiter(settings.max_topics_per_day, time.ms(DAY), now);
    this.#pmsPerDay = new SlidingWindowLimiter(settings.max_personal_messages_per_day, time.ms(DAY), now);
  }

  /**
   * Checks a new post by `user` and records it. `consecutive` is how many of the topic's last
   * posts are this user's own, back to back (replies only). Throws what Discourse answers.
   */
  admit(user: Poster, kind: NewPostKind, raw: string, mentions: number, consecutive: number): void {
    if (user.admin || user.moderator) return;
    const s = this.#settings;
    if (user.trustLevel === 0 && mentions > s.newuser_max_mentions_per_post) {
      throw unprocessable(`Sorry, new users can only mention ${s.newuser_max_mentions_per_post} users in a post.`);
    }
    if (user.trustLevel === 0 && countLinks(raw) > s.newuser_max_links) {
      throw unprocessable(`Sorry, new users can only put ${s.newuser_max_links} links in a post.`);
    }
    if (kind === 'reply' && s.max_consecutive_replies > 0 && consecutive >= s.max_consecutive_replies) {
      throw unprocessable(
        `No more than ${s.max_consecutive_replies} consecutive replies are allowed. Please edit your previous reply, or wait for someone to reply to you.`,
      );
    }
    const hash = createHash('sha256').update(raw.trim()).digest('hex');
    const since = this.#time.now() - this.#time.ms(s.unique_posts_mins * 60_000);
    const recent = (this.#recent.get(user.id) ?? []).filter((r) => r.at > since);
    if (s.unique_posts_mins > 0 && recent.some((r) => r.hash === hash)) {
      throw unprocessable('Body is too similar to what you recently posted');
    }
    const key = String(user.id);
    // Every limit is checked before any is recorded, so a refusal leaves no trace.
    const perDay = kind === 'topic' ? this.#topicsPerDay : kind === 'private' ? this.#pmsPerDay : undefined;
    const wait = Math.max(this.#betweenPosts.waitMs(key), perDay?.waitMs(key) ?? 0);
    if (wait > 0) throw rateLimited(wait);
    perDay?.perform(key);
    this.#betweenPosts.perform(key);
    recent.push({ hash, at: this.#time.now() });
    this.#recent.set(user.id, recent);
  }
}

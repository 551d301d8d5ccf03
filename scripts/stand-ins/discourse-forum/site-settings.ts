// The site settings the stand-in enforces, named as in Discourse (config/site_settings.yml) with
// Discourse's defaults, so a test reads like a forum admin's settings page. A test that needs a
// looser forum overrides them by name and says why (README: "Stock rules").

export interface SiteSettings {
  /** Posts need this many visible characters (HTML comments do not count). */
  min_post_length: number;
  /** A topic's first post. */
  min_first_post_length: number;
  /** Posts in private messages. */
  min_personal_message_post_length: number;
  max_post_length: number;
  min_topic_title_length: number;
  min_personal_message_title_length: number;
  max_topic_title_length: number;
  /** TextSentinel: distinct characters a title needs to "seem meaningful". */
  title_min_entropy: number;
  /** TextSentinel: longest word a title may have. */
  title_max_word_length: number;
  allow_duplicate_topic_titles: boolean;
  allow_uncategorized_topics: boolean;
  max_tags_per_topic: number;
  max_tag_length: number;
  /** Non-staff users below this trust level cannot create tags (unknown tags are dropped). */
  min_trust_to_create_tag: number;
  /** Non-staff: at most this many replies in a row in one topic. */
  max_consecutive_replies: number;
  /** Non-staff: the same text again within this many minutes is refused. */
  unique_posts_mins: number;
  /** Non-staff: seconds between two posts. */
  rate_limit_create_post: number;
  max_topics_per_day: number;
  max_personal_messages_per_day: number;
  /** Trust level 0 only. */
  newuser_max_mentions_per_post: number;
  newuser_max_links: number;
  /** Posts by non-staff users below this trust level wait for approval (0: off). */
  approve_unless_trust_level: number;
  /** Failed webhook deliveries are retried (after 1, 5, 25, 125 minutes). */
  retry_web_hook_events: boolean;
}

export const STOCK_SITE_SETTINGS: Readonly<SiteSettings> = {
  min_post_length: 20,
  min_first_post_length: 20,
  min_personal_message_post_length: 10,
  max_post_length: 32_000,
  min_topic_title_length: 15,
  min_personal_message_title_length: 2,
  max_topic_title_length: 255,
  title_min_entropy: 10,
  title_max_word_length: 30,
  allow_duplicate_topic_titles: false,
  allow_uncategorized_topics: false,
  max_tags_per_topic: 5,
  max_tag_length: 20,
  min_trust_to_create_tag: 3,
  max_consecutive_replies: 3,
  unique_posts_mins: 5,
  rate_limit_create_post: 5,
  max_topics_per_day: 20,
  max_personal_messages_per_day: 20,
  newuser_max_mentions_per_post: 2,
  newuser_max_links: 2,
  approve_unless_trust_level: 0,
  retry_web_hook_events: false,
};

/** Discourse's TopicView: topics with this many posts are "mega topics" (no post_stream.stream). */
export const MEGA_TOPIC_POSTS = 10_000;

/** GlobalSetting.max_admin_api_reqs_per_minute (env DISCOURSE_MAX_ADMIN_API_REQS_PER_MINUTE). */
export const ADMIN_API_REQS_PER_MINUTE = 60;

/** Jobs::EmitWebHookEvent retries (when retry_web_hook_events is on): after 1, 5, 25, 125 minutes. */
export const WEBHOOK_RETRY_MINUTES = [1, 5, 25, 125] as const;

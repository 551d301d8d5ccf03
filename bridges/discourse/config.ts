// The Discourse bridge's section of the configuration (`discourse:`), its secrets, and the
// default of discourse.mirror: the bridge's part of the service's Config (bridges/config.ts
// composes it).
import { z } from 'zod';
import { expecting, httpUrl, oneOf, positiveInt, type PlatformConfigSection, type SecretSpec, wholeNumber } from '../../core/config/index.js';

export const discourseSchema = z
  .strictObject({
    baseUrl: httpUrl()
      .meta({ examples: ['https://forum.example.org'] })
      .describe('Base URL of the Discourse forum.'),
    helpCategories: z
      .array(z.union([z.string(), z.number()]), expecting('a list of category slugs or ids'))
      .default([])
      .describe(
        'Categories where every new topic is a request for help (slugs, "parent/child" slugs or ids; subcategories count), besides posts that mention the bot.',
      ),
    inviteVia: z
      .enum(['mention', 'private-message'], {
        error: (issue) =>
          issue.input === 'topic-invitation'
            ? 'expected mention or private-message: a stock Discourse refuses topic invitations to regular topics (topic_invite.not_pm, since October 2022); requests made in a private message with the bot invite helpers into it by topic invitation on their own'
            : 'expected one of mention, private-message',
      })
      .default('mention')
      .describe(
        "How helpers are asked for requests in topics: an @mention in the bot's reply, or a private message each. (Requests made in a private message with the bot invite helpers into that message.)",
      ),
    setTags: z
      .boolean(expecting('true or false'))
      .default(true)
      .describe("Add the suggested tags to a new help topic (at most the forum's max_tags_per_topic, 5 on a stock forum; needs the bot's permission to tag)."),
    backfillTopics: wholeNumber()
      .default(300)
      .describe(
        'Latest topics read (with their posts) on the first start, so the engine knows past topics and who answered what (0: none). Read in the background, after live requests.',
      ),
    pollSeconds: positiveInt()
      .default(60)
      .describe(
        'How often to catch up on what webhooks may have missed: new posts, private messages to the bot, and (every tenth round) edits, deletions, likes and solutions on open requests.',
      ),
    apiRequestsPerMinute: positiveInt()
      .default(40)
      .describe(
        'Discourse API requests the bot makes per rolling minute, all of them together. A stock forum allows 60 a minute for every admin API key on the site together (DISCOURSE_MAX_ADMIN_API_REQS_PER_MINUTE); keep room for its other integrations.',
      ),
    mirror: oneOf(['off', 'on-request', 'always'] as const)
      .optional()
      .describe(
        'Post Matrix requests as forum topics, so answers stay searchable: never, on "!coagent post-to-forum", or always. Default: on-request when mirrorCategory is set, else off.',
      ),
    mirrorCategory: z
      .union([z.string(), z.number()], expecting('a category slug or id'))
      .optional()
      .meta({ examples: ['community-questions'] })
      .describe('Category for mirrored topics (slug, "parent/child" slug or id). Needed for mirroring: a stock forum refuses new topics in Uncategorized.'),
    privateMessages: z
      .boolean(expecting('true or false'))
      .default(false)
      .describe(
        'Count private-message topics between members as direct contacts (metadata only: their text is never stored or answered; needs an admin API key).',
      ),
  })
  .superRefine((d, ctx) => {
    if ((d.mirror === 'on-request' || d.mirror === 'always') && d.mirrorCategory === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['mirrorCategory'],
        message: `expected a category for mirrored topics, since discourse.mirror is ${d.mirror}: a stock Discourse refuses new topics in Uncategorized (allow_uncategorized_topics is off)`,
      });
    }
  })
  .optional()
  .describe('Discourse bridge. Leave out to run without Discourse.');

export const DISCOURSE_SECRETS: readonly SecretSpec[] = [
  { path: 'discourse.apiKey', env: 'DISCOURSE_API_KEY', required: true, description: 'Discourse API key (Admin > API).' },
  { path: 'discourse.apiUsername', env: 'DISCOURSE_API_USERNAME', required: true, description: 'Discourse user the API key acts as (the bot account).' },
  {
    path: 'discourse.webhookSecret',
    env: 'DISCOURSE_WEBHOOK_SECRET',
    required: false,
    description: 'Secret of the Discourse webhook; without it webhooks are refused.',
  },
];

type DiscourseFileConfig = NonNullable<z.output<typeof discourseSchema>>;

/** The `discourse:` section as the service reads it: the file's values, mirror resolved, and the secrets. */
export type DiscourseConfig = Omit<DiscourseFileConfig, 'mirror'> & {
  mirror: 'off' | 'on-request' | 'always';
  /**
   * Not in the file: for the sandbox and tests, whose forum stand-in runs its clock faster
   * (e.g. 0.01). The request budget's minute lasts this fraction of a minute.
   */
  clockScale?: number | undefined;
  apiKey: string;
  apiUsername: string;
  webhookSecret?: string | undefined;
};

export const discourseConfigSection = {
  key: 'discourse',
  schema: discourseSchema,
  secrets: DISCOURSE_SECRETS,
  account: { one: 'a forum username', many: 'forum usernames', example: 'alice' },
  // Mirroring needs a category a stock forum accepts topics in: without one it is off.
  resolve: (discourse: DiscourseFileConfig) => ({
    ...discourse,
    mirror: discourse.mirror ?? (discourse.mirrorCategory === undefined ? 'off' : 'on-request'),
  }),
} as const satisfies PlatformConfigSection<'discourse', typeof discourseSchema, DiscourseConfig>;

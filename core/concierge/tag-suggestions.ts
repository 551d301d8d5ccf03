// Tags for a community that has none to start from (no forum tags, no configured vocabulary):
// the recurring themes of its own history (engine/theme-suggestion.ts) are stored as proposed
// tags and the admins are told, once per batch; nothing is used until an admin approves it
// (tag-admin.ts). Runs from the scheduler: first once the history is large enough, then again
// whenever it grew by a fifth (a backfill, months of messages), never proposing a name, or a
// theme sharing a word with a tag that exists (proposed, approved or rejected), twice.
import { drainSliced, type Steps } from '../engine/steps.js';
import { suggestThemesSteps, type ThemeDocument } from '../engine/theme-suggestion.js';
import type { ActorRef } from '../inbound.js';
import { tokenize } from '../text/tokenize.js';
import { platformClaiming } from '../platforms.js';
import type { KeyedAction } from './actions.js';
import type { ConciergeContext, TagSuggestionSettings } from './context.js';
import { textReply } from './replies.js';

export const DEFAULT_TAG_SUGGESTIONS: TagSuggestionSettings = { enabled: true, minDocuments: 100, minClusterSize: 5, maxProposals: 8 };

/** The newest messages clustered at most: the similarity matrix grows with the square. */
export const MAX_CLUSTERED = 1000;
/** Shorter messages ("thanks!", "+1") say nothing about a theme. */
const MIN_CONTENT_WORDS = 4;
/** The history grows by this share before themes are looked for again. */
const REGROWTH = 0.2;

const lastRun = new WeakMap<ConciergeContext['store'], number>();

export interface SuggestionOutcome {
  proposed: string[];
  /** Why nothing was looked for, when nothing was. */
  skipped?: string;
}

/** Looks for themes when due, stores new ones as proposed, and tells the admins. */
export async function suggestTagsIfDue(ctx: ConciergeContext): Promise<SuggestionOutcome> {
  const settings = { ...DEFAULT_TAG_SUGGESTIONS, ...ctx.settings.tagSuggestions };
  if (!settings.enabled) return { proposed: [], skipped: 'switched off' };
  const size = ctx.engine.kb.size;
  const last = lastRun.get(ctx.store);
  if (size < settings.minDocuments) return { proposed: [], skipped: `${size} of ${settings.minDocuments} messages` };
  if (last !== undefined && size < last * (1 + REGROWTH)) return { proposed: [], skipped: 'history has not grown enough since the last look' };
  const tags = await ctx.store.tags.list();
  lastRun.set(ctx.store, size);
  if (tags.some((t) => t.status === 'active' && (t.origin === 'forum' || t.origin === 'config'))) {
    return { proposed: [], skipped: 'the community has tags of its own' };
  }
  const waiting = tags.filter((t) => t.status === 'proposed').length;
  if (waiting >= settings.maxProposals) return { proposed: [], skipped: `${waiting} proposals wait for an admin` };

  const docs = await drainSliced(clusterable(ctx));
  // In slices of ~20 ms: clustering 1,000 messages takes seconds that webhooks must not wait.
  const result = await drainSliced(suggestThemesSteps(docs, { minClusterSize: settings.minClusterSize, maxThemes: settings.maxProposals }));
  const taken = new Set(tags.flatMap((t) => tokenize(t.name.replace(/[-_]/g, ' '))));
  const proposed: string[] = [];
  for (const theme of result.themes) {
    if (waiting + proposed.length >= settings.maxProposals) break;
    const words = tokenize(theme.name.replace(/-/g, ' '));
    if (words.some((w) => taken.has(w))) continue;
    const { created } = await ctx.store.tags.propose(theme.name, theme.description);
    if (!created) continue;
    proposed.push(theme.name);
    for (const w of words) taken.add(w);
  }
  ctx.logger.info(
    { documents: docs.length, k: result.k, silhouettes: result.silhouettes, themes: result.themes.map((t) => t.name), proposed },
    'tag themes looked for',
  );
  if (proposed.length > 0) await ctx.submit(tellAdmins(ctx, proposed));
  return { proposed };
}

/** The newest messages with enough words, with the vectors the engine holds for them. */
function* clusterable(ctx: ConciergeContext): Steps<ThemeDocument[]> {
  const { kb } = ctx.engine;
  // Newest first, tokenizing only until there are enough: the whole history would take a second.
  const newest = [...kb.docs.values()].sort((a, b) => b.time - a.time || b.id - a.id);
  const docs: typeof newest = [];
  for (const d of newest) {
    if (docs.length >= MAX_CLUSTERED) break;
    if (tokenize(d.title ? `${d.title} ${d.text}` : d.text).length >= MIN_CONTENT_WORDS) docs.push(d);
    yield;
  }
  const out: ThemeDocument[] = [];
  for (const d of docs) {
    const vector = kb.vectorOf(d.id);
    // Copied: the index's view is only valid until the knowledge base changes.
    if (vector) out.push({ text: d.title ? `${d.title}\n\n${d.text}` : d.text, vector: Float32Array.from(vector) });
  }
  return out;
}

/** A direct message to each admin the bot can reach: what was proposed and how to answer. */
function tellAdmins(ctx: ConciergeContext, names: readonly string[]): KeyedAction[] {
  const batch = [...names].sort().join(',');
  return (ctx.settings.admins ?? []).flatMap((admin) => {
    const to = adminAccount(ctx, admin);
    if (!to) return [];
    return [
      {
        key: `tags:proposed:${batch}:${to.platform}:${to.externalId}`,
        action: {
          kind: 'direct' as const,
          platform: to.platform,
          to,
          title: 'Tags proposed for the community',
          body: textReply(
            `I found recurring themes in the community's messages and propose them as tags: ${names.join(', ')}.`,
            'Say "tags" to me to see them with their descriptions, then "tags approve <name>", "tags reject <name>" or "tags rename <name> <new name>". The dashboard\'s console has them too.',
          ),
        },
      },
    ];
  });
}

/** The account an admin entry names ("@name:server" on Matrix, a forum username), on the platform that claims it; only where the bot runs. */
function adminAccount(ctx: ConciergeContext, admin: string): ActorRef | null {
  const profile = platformClaiming(admin);
  if (!profile || !ctx.bots.has(profile.id)) return null;
  return { platform: profile.id, externalId: profile.normalize(admin) };
}

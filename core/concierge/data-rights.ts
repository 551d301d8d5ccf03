// Members' data rights: `!coagent my-data` sends a member, privately, what Co-Agent holds about
// them; `!coagent forget-me confirm` erases it (core/store/member-data.ts says what stays: the
// anonymous counts). Both answer someone Co-Agent does not know politely, without recording them.
// The admin's `npm run member -- export|erase` uses the same functions.
import type { Engine } from '../engine/engine.js';
import { documentText } from '../engine/engine.js';
import type { InboundMessage } from '../inbound.js';
import type { ErasureResult, MemberDataExport, Store } from '../store/index.js';
import { cleanText } from '../text/clean.js';
import { contentHash } from '../text/hash.js';
import type { MemberId } from '../types.js';
import type { KeyedAction } from './actions.js';
import { replyTo } from './command-reply.js';
import { COMMAND_PREFIX, parseCommand } from './commands.js';
import type { ConciergeContext } from './context.js';
import { stripBotMention } from './mentions.js';
import { textReply } from './replies.js';
import type { RichText } from './rich-text.js';

/** The embedding cache keys of a member's texts, computed as the text embedder computes them. */
export function embeddingHashes(data: MemberDataExport): string[] {
  const texts = [
    ...data.documents.map((d) => documentText({ title: (d['title'] as string | null) ?? undefined, text: String(d['text'] ?? '') })),
    ...data.problems.map((p) => String(p['text'] ?? '')),
    ...(typeof data.member['interests'] === 'string' ? [data.member['interests']] : []),
  ];
  return [
    ...new Set(
      texts
        .map((t) => cleanText(t, 'auto'))
        .filter((t) => t !== '')
        .map(contentHash),
    ),
  ];
}

/** Erases a member; the running engine (when there is one) forgets their documents and interests at once. */
export async function forgetMember(
  store: Store,
  engine: Pick<Engine, 'removeDocument' | 'setInterests'> | undefined,
  member: MemberId,
): Promise<ErasureResult | null> {
  const data = await store.memberData.export(member);
  if (!data) return null;
  const result = await store.memberData.erase({ member, embeddingHashes: embeddingHashes(data) });
  for (const id of result.documents) engine?.removeDocument(id);
  await engine?.setInterests(member, '');
  return result;
}

const MAX_LISTED = 20;
const clip = (s: unknown, n = 200): string => {
  const t = String(s ?? '')
    .replace(/\s+/g, ' ')
    .trim();
  return t.length > n ? `${t.slice(0, n - 1)}…` : t;
};

/** A readable summary of an export, for a direct message. */
export function dataSummary(data: MemberDataExport): RichText {
  const m = data.member;
  const lines = [
    'Here is what I hold about you:',
    `- Name: ${String(m['displayName'])}; accounts: ${data.identities.map((i) => `${String(i['platform'])} ${String(i['externalId'])}`).join(', ') || 'none'}`,
    `- Settings: ${m['optedOut'] ? 'opted out' : 'invitations on'}${m['pausedUntil'] ? `, paused until ${String(m['pausedUntil'])}` : ''}${m['weeklyBudget'] ? `, ${String(m['weeklyBudget'])} invitations a week` : ''}${m['interests'] ? `; interests: "${clip(m['interests'])}"` : ''}`,
    `- ${data.documents.length} messages I learned from, ${data.problems.length} requests you made, ${data.responses.length} answers you gave, ${data.invitations.length} invitations to help, ${data.feedbackGiven.length} thanks or ratings you gave, ${data.feedbackReceived} you received, ${data.interactions.from + data.interactions.to} conversations with other members, ${data.introductions.length} introductions, ${data.pendingRelays.length} private answers waiting to be relayed.`,
    ...data.problems.slice(0, MAX_LISTED).map((p) => `- Request (${String(p['status'])}): "${clip(p['text'])}"`),
    ...data.documents.slice(0, MAX_LISTED).map((d) => `- Message on ${String(d['platform'])}: "${clip(d['text'])}"`),
    ...(data.documents.length > MAX_LISTED || data.problems.length > MAX_LISTED
      ? ['(Only the first 20 of each are listed; an admin can export everything with "npm run member -- export".)']
      : []),
    `Say "${COMMAND_PREFIX} forget-me" if you want me to erase it.`,
  ];
  return textReply(...lines);
}

/**
 * Handles my-data and forget-me before the author is recorded as a member (so asking does not
 * create what it asks about). Returns null for every other message.
 */
export async function dataRightsCommand(ctx: ConciergeContext, e: InboundMessage): Promise<KeyedAction[] | null> {
  if (e.historic) return null;
  const bot = ctx.bots.get(e.platform);
  const command = parseCommand(e.mentionsBot && bot ? stripBotMention(e.text, bot) : e.text, e.mentionsBot || e.conversation === 'direct');
  if (command?.name !== 'my-data' && command?.name !== 'forget-me') return null;
  const c = { event: e, threadId: e.threadId };
  const member = await ctx.store.members.findByIdentity({ platform: e.author.platform, externalId: e.author.externalId });
  if (!member) {
    return [replyTo(c, textReply("I don't hold anything about you: you are not one of the members I know, so there is nothing to send or erase."))];
  }
  if (command.name === 'my-data') {
    const data = await ctx.store.memberData.export(member.id);
    const summary = dataSummary(data!);
    // Never in a room: the summary goes to the member alone.
    if (e.conversation === 'direct') return [replyTo(c, summary)];
    return [
      {
        key: `${e.platform}:${e.eventId}:my-data`,
        action: { kind: 'direct', platform: e.platform, to: e.author, body: summary, title: 'What Co-Agent holds about you' },
      },
      replyTo(c, textReply('I have sent you what I hold about you in a direct message.')),
    ];
  }
  if (!command.confirm) {
    return [
      replyTo(
        c,
        textReply(
          'This erases what I hold about you: the messages I learned from, the texts of your requests and answers, your accounts and settings. Only anonymous counts stay (for example that a request was made and solved). It cannot be undone.',
          `To go ahead, say "${COMMAND_PREFIX} forget-me confirm".`,
        ),
      ),
    ];
  }
  const result = await forgetMember(ctx.store, ctx.engine, member.id);
  ctx.logger.info({ member: member.id, documents: result?.documents.length ?? 0 }, 'member erased on their request');
  // The reply names nobody: it stays in the outbox after the erasure.
  return [replyTo(c, textReply('Done: I have erased what I held about you. If you write again, I will treat you as someone new.'))];
}

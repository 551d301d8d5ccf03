// A member answering a link offer: a reply ("link" / "not me", or "yes" / "no" when the offer is
// the last thing the bot asked them) or a reaction to the offer message (👍 / 👎, a forum like).
// "link" gives a one-time code to post from the other account (the proof); "not me" is recorded
// for the pair, which is never offered again.
import type { KeyedAction, OutboundAction } from '../concierge/actions.js';
import { memberOf, type ConciergeContext } from '../concierge/context.js';
import { textReply } from '../concierge/replies.js';
import type { RichText } from '../concierge/rich-text.js';
import type { ActorRef, InboundMessage, InboundReaction } from '../inbound.js';
import type { AccountPair, IdentityRef, Member } from '../store/index.js';
import { accountWords, codeInstructions, issueLinkCode } from './link-codes.js';
import { identitySettings } from './settings.js';

const DAY = 86_400_000;
const YES = new Set(['👍', '✅', '✔', '☑', '👌', '+1', ':+1:', 'like', 'heart', '❤']);
const NO = new Set(['👎', '❌', '✖', '-1', ':-1:', '🚫']);
const normaliseKey = (key: string): string =>
  key
    .replace(/\uFE0F/g, '')
    .replace(/[\u{1F3FB}-\u{1F3FF}]/gu, '')
    .trim()
    .toLowerCase();

const same = (x: IdentityRef, y: IdentityRef): boolean => x.platform === y.platform && x.externalId === y.externalId;
const otherSide = (pair: AccountPair, recipient: IdentityRef): IdentityRef => (same(pair.a, recipient) ? pair.b : pair.a);

/** The offer to this account still waiting for its answer or its code, latest first. */
async function currentOffer(ctx: ConciergeContext, account: ActorRef): Promise<AccountPair | null> {
  const since = new Date(ctx.now().getTime() - identitySettings(ctx.settings).answerDays * DAY);
  const pending = await ctx.store.accountPairs.pendingFor(account, since);
  return pending.sort((x, y) => (y.offeredAt?.getTime() ?? 0) - (x.offeredAt?.getTime() ?? 0) || y.id - x.id)[0] ?? null;
}

/** Records the answer and says what happens next. */
async function answer(ctx: ConciergeContext, pair: AccountPair, member: Member, accept: boolean): Promise<RichText> {
  const { store } = ctx;
  const other = otherSide(pair, pair.recipient!);
  if (!accept) {
    await store.accountPairs.answer(pair.id, 'refused', ctx.now());
    return textReply(`Thanks, noted: ${accountWords(other)} is not you, and I won't ask about it again.`);
  }
  await store.accountPairs.answer(pair.id, 'accepted', ctx.now());
  if ((await store.members.findByIdentity(other))?.id === member.id) return textReply(`${accountWords(other)} is already linked to you.`);
  const code = await issueLinkCode(ctx, member, other);
  return textReply('Thanks! One step left, so I know the other account is really yours:', ...codeInstructions(ctx, other, code));
}

/**
 * A typed answer in a direct conversation. `explicit` is true for "link" / "not me"; "yes" / "no"
 * count only when they reply to the offer or the offer came after the bot's last question
 * (the follow-up a week after a solved request also takes "yes" / "no"). Null: not an answer to an offer.
 */
export async function answerOfferByText(
  ctx: ConciergeContext,
  e: InboundMessage,
  member: Member,
  accept: boolean,
  explicit: boolean,
): Promise<RichText | null> {
  if (e.conversation !== 'direct') return null;
  const pair = await currentOffer(ctx, e.author);
  if (!pair) return null;
  if (!explicit && e.replyToId !== pair.messageId && (await lastFollowUpAt(ctx, member)) > (pair.offeredAt?.getTime() ?? 0)) return null;
  return answer(ctx, pair, member, accept);
}

/** When the bot last asked this member how a solved request went (ms; 0 for never). */
async function lastFollowUpAt(ctx: ConciergeContext, member: Member): Promise<number> {
  let latest = 0;
  for (const p of await ctx.store.problems.listByOriginator(member.id, ['solved'])) {
    const asked = await ctx.store.outbox.get(`${p.platform}:follow-up:${p.id}`);
    if (asked) latest = Math.max(latest, asked.createdAt.getTime());
  }
  return latest;
}

/** A reaction to an offer message answers it; true when the reaction was about an offer (handled). */
export async function answerOfferByReaction(ctx: ConciergeContext, e: InboundReaction): Promise<boolean> {
  const pair = await ctx.store.accountPairs.findByMessage(e.platform, e.targetId);
  if (!pair) return false;
  const member = await memberOf(ctx, e.author);
  const key = normaliseKey(e.key);
  const accept = YES.has(key) ? true : NO.has(key) ? false : null;
  if (accept === null || !pair.recipient || !same(pair.recipient, e.author) || (pair.status !== 'offered' && pair.status !== 'accepted')) return true;
  const body = await answer(ctx, pair, member, accept);
  const to: ActorRef = { platform: e.author.platform, externalId: e.author.externalId };
  const reply: KeyedAction = { key: `${e.platform}:${e.eventId}:link-answer`, action: { kind: 'direct', platform: e.platform, to, body } };
  await ctx.submit([reply]);
  return true;
}

/** After an offer was sent: remember its message, so a reaction to it is an answer. */
export async function rememberOfferMessage(ctx: ConciergeContext, action: OutboundAction, result: unknown): Promise<void> {
  if (action.kind !== 'direct' || action.linkOfferId === undefined) return;
  const r = result as { eventId?: unknown; topicId?: unknown; postNumber?: unknown } | null;
  const messageId =
    typeof r?.eventId === 'string' && r.eventId !== ''
      ? r.eventId
      : // A forum private message starts a topic: the bot's message is its first post.
        typeof r?.topicId === 'number'
        ? `${r.topicId}/${typeof r.postNumber === 'number' ? r.postNumber : 1}`
        : null;
  if (messageId) await ctx.store.accountPairs.setMessage(action.linkOfferId, messageId);
}

// The link offer: once per likely pair, a direct message to the member on the platform they use
// most, asking whether the other account is theirs too, with a one-tap answer ("link" or a 👍,
// "not me" or a 👎) and how to refuse. Decided here as keyed actions; the executor sends them.
// Opted-out members, members who left, paused members and pairs already decided are never
// offered; a member in quiet hours gets theirs in a later round; each member has at most one
// offer waiting at a time.
import type { KeyedAction } from '../concierge/actions.js';
import type { ConciergeContext } from '../concierge/context.js';
import { inQuietHours } from '../concierge/eligibility.js';
import type { RichText } from '../concierge/rich-text.js';
import type { IdentityRef, Member } from '../store/index.js';
import type { MemberId, Platform } from '../types.js';
import { platformName, platformProfile } from '../platforms.js';
import { accountWords } from './link-codes.js';
import { REASON_WORDS, type LikelyPair, type MatchReason } from './matching.js';
import { probablySamePerson } from './people.js';
import { identitySettings } from './settings.js';

const DAY = 86_400_000;

export const OFFER_TITLE = 'Co-Agent: is this account yours too?';

/** Likely pairs never offered (nor decided otherwise). */
async function unofferedPairs(ctx: ConciergeContext): Promise<LikelyPair[]> {
  const [accounts, recorded] = [await ctx.store.identities.accounts(), await ctx.store.accountPairs.list()];
  return probablySamePerson(accounts, recorded, { email: identitySettings(ctx.settings).matchByEmail }).filter((p) => p.status === 'not offered');
}

/** One scheduled round: ignored offers expire, and new pairs are offered. */
export async function linkOfferRound(ctx: ConciergeContext, now: Date): Promise<KeyedAction[]> {
  const settings = identitySettings(ctx.settings);
  const { store } = ctx;
  await store.accountPairs.expire(new Date(now.getTime() - settings.answerDays * DAY), now);
  if (!settings.offerLinks) return [];
  const candidates = (await unofferedPairs(ctx)).filter((p) => ctx.bots.has(p.a.platform) && ctx.bots.has(p.b.platform));
  if (candidates.length === 0) return [];
  const activity = await store.identities.activity();
  // One offer waiting per member: a second would be confusing, and "link" must mean one thing.
  const since = new Date(now.getTime() - settings.answerDays * DAY);
  const waiting = new Set<string>();
  for (const p of await store.accountPairs.list()) {
    if ((p.status === 'offered' || p.status === 'accepted') && p.recipient && p.offeredAt && p.offeredAt >= since)
      waiting.add(`${p.recipient.platform}:${p.recipient.externalId}`);
  }
  const busy = new Set<MemberId>();
  for (const a of await store.identities.accounts()) if (waiting.has(`${a.platform}:${a.externalId}`)) busy.add(a.memberId);

  const actions: KeyedAction[] = [];
  for (const pair of candidates) {
    if (actions.length >= settings.offersPerRound) break;
    // The account used most gets the offer: that is where the member will see it.
    const [to, other] = (activity.get(pair.b.memberId) ?? 0) > (activity.get(pair.a.memberId) ?? 0) ? [pair.b, pair.a] : [pair.a, pair.b];
    if ((activity.get(to.memberId) ?? 0) === 0 || busy.has(to.memberId) || busy.has(other.memberId)) continue;
    const member = await store.members.get(to.memberId);
    if (!member || member.optedOut || member.leftAt || (member.pausedUntil && member.pausedUntil > now)) continue;
    if (inQuietHours(member.quietHours, member.timeZone, now)) continue;
    const recorded = await store.accountPairs.offer({ a: pair.a, b: pair.b, reasons: pair.reasons, recipient: to, at: now });
    if (!recorded) continue;
    busy.add(to.memberId);
    busy.add(other.memberId);
    actions.push({
      key: `${to.platform}:link-offer:${recorded.id}`,
      action: {
        kind: 'direct',
        platform: to.platform,
        to: { platform: to.platform, externalId: to.externalId, displayName: member.displayName },
        title: OFFER_TITLE,
        linkOfferId: recorded.id,
        body: offerText(member, to.platform, other, pair.reasons),
      },
    });
    ctx.logger.info({ pairId: recorded.id, to: accountWords(to), reasons: pair.reasons }, 'offered to link two accounts');
  }
  return actions;
}

/** The offer: whose account, why it looks like theirs, the one-tap answers and how to refuse. */
export function offerText(
  member: Pick<Member, 'displayName'>,
  on: Platform,
  other: IdentityRef & { name?: string },
  reasons: readonly MatchReason[],
): RichText {
  const name = other.name && other.name !== other.externalId ? ` (${other.name})` : '';
  const why = reasons.map((r) => REASON_WORDS[r]).join(', ');
  // Where there are likes but no other reactions (the forum), a reply is the way to say no.
  // Where short private messages are refused (a stock forum: under 10 characters), the answers are longer.
  const { reactions, minDirectMessageChars } = platformProfile(on).capabilities;
  const accepted = (short: string, longer: string): string => (short.length >= minDirectMessageChars ? short : longer);
  const yes = reactions === 'likes' ? ' (or like this message)' : reactions === 'any' ? ' (or react 👍)' : '';
  const no = reactions === 'any' ? ' (or react 👎)' : '';
  return [
    [`Hi ${member.displayName}! Is ${other.externalId}${name} on ${platformName(other.platform)} you too? It has ${why}.`],
    [
      'If it is, reply ',
      { bold: accepted('link', 'link my accounts') },
      `${yes} and I'll give you a one-time code to post from that account, so I know you as one person: your help, requests and connections then count once.`,
    ],
    [
      "If it isn't you, reply ",
      { bold: accepted('not me', 'not me, thanks') },
      `${no} and I won't ask about it again. (Say "optout" to stop all messages from me.)`,
    ],
  ];
}

// The proof that two accounts are one person's: a one-time code given to one account, posted
// from the other. `link-<platform> <account>` (or "link" to an offer) gives the code; `link <code>`
// from the named account links them, folding the two members into one. Every refusal says what
// went wrong: unknown, used, expired, or posted from the wrong account.
import { randomInt } from 'node:crypto';
import type { ConciergeContext } from '../concierge/context.js';
import type { RichText } from '../concierge/rich-text.js';
import { textReply } from '../concierge/replies.js';
import type { ActorRef } from '../inbound.js';
import type { IdentityRef, Member } from '../store/index.js';
import { platformName } from '../platforms.js';
import { CODE_ALPHABET, CODE_LENGTH } from './code-shape.js';
import { syncEngineAuthors } from './engine-sync.js';

const newCode = (): string => Array.from({ length: CODE_LENGTH }, () => CODE_ALPHABET[randomInt(CODE_ALPHABET.length)]).join('');

/** How a person names an account: "@ana:example.org on Matrix", "ana_k on the forum". */
export const accountWords = (a: IdentityRef): string => `${a.externalId} on ${platformName(a.platform)}`;

/** A new code for `member` to post from `account` within the configured hours. */
export async function issueLinkCode(ctx: ConciergeContext, member: Member, account: IdentityRef): Promise<string> {
  const code = newCode();
  const now = ctx.now();
  await ctx.store.linkCodes.create({
    code,
    memberId: member.id,
    platform: account.platform,
    externalId: account.externalId,
    expiresAt: new Date(now.getTime() + ctx.settings.linkCodeTtlHours * 3_600_000),
  });
  return code;
}

/** What to post, and where from; the code is the last word, so it can be copied from the end. */
export function codeInstructions(ctx: ConciergeContext, account: IdentityRef, code: string): string[] {
  return [
    `To link ${account.platform} account ${account.externalId}, post this from that account within ${ctx.settings.linkCodeTtlHours} hours (in any topic or a message to me):`,
    `!coagent link ${code}`,
  ];
}

/** `link-<platform> <account>`: a code for the member to post from that account. */
export async function requestLinkCode(ctx: ConciergeContext, author: Member, from: ActorRef, account: IdentityRef): Promise<RichText> {
  if (account.platform === from.platform) return textReply(`You are already on ${account.platform}; run this on the other platform.`);
  const owner = await ctx.store.members.findByIdentity(account);
  if (owner?.id === author.id) return textReply(`${accountWords(account)} is already linked to you.`);
  return textReply(...codeInstructions(ctx, account, await issueLinkCode(ctx, author, account)));
}

/** `link <code>` posted by `by`: links the account to the code's member, or says why not. */
export async function redeemLinkCode(ctx: ConciergeContext, by: ActorRef, code: string): Promise<RichText> {
  const { store } = ctx;
  const now = ctx.now();
  const checked = await store.linkCodes.check(code, by, now);
  const again = `Ask for a new one with "!coagent link-${by.platform} <your ${by.platform} account>" on your other account.`;
  if (!checked.ok) {
    const e = checked.error;
    switch (e.kind) {
      case 'unknown':
        return textReply(`I don't know the code ${code}: check it for typos. ${again}`);
      case 'used':
        if ((await store.members.findByIdentity(by))?.id === e.code.memberId) return textReply('Those accounts are already linked.');
        return textReply(`That code was used already. ${again}`);
      case 'expired':
        return textReply(`That code expired: codes last ${ctx.settings.linkCodeTtlHours} hours. ${again}`);
      case 'wrong-account':
        return textReply(
          e.code.platform !== by.platform
            ? `That code has to be posted from the ${e.code.platform} account it was made for, not from ${by.platform}.`
            : `That code was made for another ${by.platform} account, so I can't use it from this one. Post it from the account you named, or ask for a new code.`,
        );
    }
  }
  const owner = await store.members.get(checked.value.memberId);
  if (!owner) return textReply('The account that asked for this code is no longer known to me; please ask for a new code.');
  const linked = await store.members.linkIdentity(
    owner.id,
    { platform: by.platform, externalId: by.externalId, displayName: by.displayName ?? null },
    { verifiedAt: now, onConflict: 'merge', mergedBy: 'member' },
  );
  if (!linked.ok) return textReply('I could not link the accounts; please ask an admin.');
  await store.linkCodes.markUsed(code, now);
  for (const other of linked.value.member.identities) {
    if (other.platform !== by.platform) await store.accountPairs.decide(other, by, { status: 'linked', by: 'member', at: now });
  }
  await syncEngineAuthors(ctx);
  return textReply(
    `Linked: your ${by.platform} account now belongs to the same member as your other account.`,
    'From now on your help, requests and connections count once, for one person.',
  );
}

// `npm run member -- show <member>`, `merges` and `pairs`: what is known, before deciding.
import { probablySamePerson } from '../../core/identity/people.js';
import { REASON_WORDS } from '../../core/identity/matching.js';
import { describeMember, resolveMember, UsageError, when, type Subcommand } from './context.js';
import { refuse } from './merge.js';

export const showCommand: Subcommand = {
  usage: 'show <member>   a member, their accounts and merges',
  async run(ctx, args) {
    if (args.length !== 1) throw new UsageError('show takes one member');
    const m = await resolveMember(ctx, args[0]!);
    if (typeof m === 'string') return refuse(ctx, m);
    ctx.out(describeMember(m));
    for (const i of m.identities)
      ctx.out(`  ${i.platform} ${i.externalId}${i.displayName ? ` "${i.displayName}"` : ''}${i.verifiedAt ? `, linked with proof ${when(i.verifiedAt)}` : ''}`);
    if (m.optedOut) ctx.out('  opted out');
    for (const merge of await ctx.store.merges.list()) {
      if (merge.keptMemberId !== m.id && merge.mergedMemberId !== m.id) continue;
      ctx.out(
        `  merge ${merge.id}: #${merge.mergedMemberId} ${merge.mergedName} into #${merge.keptMemberId}, by ${merge.by} at ${when(merge.at)}${merge.splitAt ? `; split by ${merge.splitBy} at ${when(merge.splitAt)}` : ''}`,
      );
    }
    return 0;
  },
};

export const mergesCommand: Subcommand = {
  usage: 'merges   every merge and split, oldest first, with who and when',
  async run(ctx) {
    const merges = await ctx.store.merges.list();
    if (merges.length === 0) ctx.out('no merges yet');
    for (const m of merges) {
      ctx.out(
        `merge ${m.id}: #${m.mergedMemberId} ${m.mergedName} (${m.identities.map((i) => `${i.platform} ${i.externalId}`).join(', ')}) into #${m.keptMemberId}; by ${m.by} at ${when(m.at)} (${m.reason})${m.splitAt ? `; split by ${m.splitBy} at ${when(m.splitAt)}` : ''}`,
      );
    }
    return 0;
  },
};

export const pairsCommand: Subcommand = {
  usage: 'pairs   accounts that are probably the same person and not linked, with their offer',
  async run(ctx) {
    const pairs = probablySamePerson(await ctx.store.identities.accounts(), await ctx.store.accountPairs.list(), { email: ctx.identity.matchByEmail });
    if (pairs.length === 0) ctx.out('no unlinked pairs that look like one person');
    for (const p of pairs) {
      ctx.out(
        `#${p.a.memberId} ${p.a.platform} ${p.a.externalId} ~ #${p.b.memberId} ${p.b.platform} ${p.b.externalId}: ${p.reasons.map((r) => REASON_WORDS[r]).join(', ')}; ${p.status}`,
      );
    }
    return 0;
  },
};

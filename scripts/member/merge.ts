// `npm run member -- merge <member> <member>`: the second member is folded into the first.
import type { IdentityRef, Member } from '../../core/store/index.js';
import { describeMember, resolveMember, UsageError, when, type CliContext, type Subcommand } from './context.js';

/** Pairs of the two members' accounts a member said "not me" to, or an admin split before. */
async function saidApart(ctx: CliContext, x: Member, y: Member): Promise<string[]> {
  const notes: string[] = [];
  for (const a of x.identities) {
    for (const b of y.identities) {
      const pair = await ctx.store.accountPairs.get(a as IdentityRef, b as IdentityRef);
      if (pair?.status === 'refused')
        notes.push(
          `note: ${pair.recipient?.externalId ?? 'the member'} said "not me" about ${a.externalId} and ${b.externalId}${pair.decidedAt ? ` on ${when(pair.decidedAt)}` : ''}`,
        );
      if (pair?.status === 'separated')
        notes.push(
          `note: ${pair.decidedBy ?? 'an admin'} split ${a.externalId} and ${b.externalId} apart before${pair.decidedAt ? `, on ${when(pair.decidedAt)}` : ''}`,
        );
    }
  }
  return notes;
}

export const mergeCommand: Subcommand = {
  usage: 'merge <member> <member> [--reason TEXT]   fold the second member into the first: accounts, history, invitations, interactions, feedback, problems',
  async run(ctx, args, flags) {
    if (args.length !== 2) throw new UsageError('merge takes two members, e.g. "merge @ana:example.org ana_k"');
    const [keep, gone] = [await resolveMember(ctx, args[0]!), await resolveMember(ctx, args[1]!)];
    for (const m of [keep, gone]) if (typeof m === 'string') return refuse(ctx, m);
    const [k, g] = [keep as Member, gone as Member];
    if (k.id === g.id) return refuse(ctx, `${args[0]} and ${args[1]} are the same member, ${describeMember(k)}: nothing to merge`);
    const notes = await saidApart(ctx, k, g);
    const outcome = await ctx.store.merges.merge(k.id, g.id, { by: ctx.by, reason: flags.get('reason') ?? 'merged by an admin' });
    if (!outcome.ok) return refuse(ctx, outcome.error.kind === 'same-member' ? 'the two are the same member' : `no member #${outcome.error.memberId}`);
    const { merge, moved, removed } = outcome.value;
    const now = (await ctx.store.members.get(k.id))!;
    ctx.out(`merged ${describeMember(g)} into #${k.id}: now ${describeMember(now)}`);
    ctx.out(
      `  ${moved} records moved; ${removed} removed because they were between the two accounts (one person replying to, inviting, thanking or introducing themself)`,
    );
    ctx.out(`  merge ${merge.id}, by ${merge.by} at ${when(merge.at)}; routing and the dashboard count one person from now on`);
    for (const note of notes) ctx.out(`  ${note}`);
    ctx.out(
      `  to undo it: npm run member -- split ${g.identities[0]?.platform === 'matrix' ? g.identities[0].externalId : `discourse:${g.identities[0]?.externalId}`}`,
    );
    return 0;
  },
};

export function refuse(ctx: CliContext, why: string): number {
  ctx.err(`refused: ${why}.`);
  return 1;
}

// `npm run member -- split <account | member>` (or `--merge N`): undoes a merge.
import type { MemberMergeRecord, SplitRefusal } from '../../core/store/index.js';
import { accountRef, UsageError, when, type CliContext, type Subcommand } from './context.js';
import { refuse } from './merge.js';

/** The merge a reference means: the latest not yet split that moved this account, or that this member kept. */
async function findMerge(ctx: CliContext, text: string): Promise<MemberMergeRecord | string> {
  const merges = (await ctx.store.merges.list()).filter((m) => !m.splitAt).reverse();
  const account = accountRef(text);
  const found = account
    ? merges.find((m) => m.identities.some((i) => i.platform === account.platform && i.externalId.toLowerCase() === account.externalId.toLowerCase()))
    : merges.find((m) => m.keptMemberId === Number(text.replace(/^#/, '')));
  return found ?? `no merge to undo for ${text} (see "npm run member -- merges")`;
}

function refusal(e: SplitRefusal): string {
  switch (e.kind) {
    case 'unknown-merge':
      return `there is no merge ${e.mergeId}`;
    case 'already-split':
      return `merge ${e.merge.id} was split already, by ${e.merge.splitBy} at ${when(e.merge.splitAt!)}`;
    case 'later-merge':
      return `member #${e.merge.keptMemberId} had merge ${e.later.id} (${e.later.mergedName}) after this one: split that first ("split --merge ${e.later.id}")`;
    case 'kept-member-merged':
      return `member #${e.merge.keptMemberId} was merged into #${e.later.keptMemberId} since (merge ${e.later.id}): split that first ("split --merge ${e.later.id}")`;
  }
}

export const splitCommand: Subcommand = {
  usage: 'split <account | member> | --merge N   undo a wrong merge: the account that was folded in becomes a member of its own again',
  async run(ctx, args, flags) {
    const byId = flags.get('merge');
    if ((byId === undefined) === (args.length !== 1)) throw new UsageError('split takes the account to split off (or the member that kept it), or --merge N');
    const merge = byId !== undefined ? ((await ctx.store.merges.get(Number(byId))) ?? `there is no merge ${byId}`) : await findMerge(ctx, args[0]!);
    if (typeof merge === 'string') return refuse(ctx, merge);
    const outcome = await ctx.store.merges.split(merge.id, { by: ctx.by });
    if (!outcome.ok) return refuse(ctx, refusal(outcome.error));
    const { restored, laterReturned, laterKept } = outcome.value;
    const accounts = merge.identities.map((i) => `${i.platform} ${i.externalId}`).join(', ');
    ctx.out(
      `split merge ${merge.id}: #${merge.mergedMemberId} ${merge.mergedName} (${accounts}) is a member of their own again, apart from #${merge.keptMemberId}`,
    );
    ctx.out(
      `  ${restored} records put back as they were before the merge; of those recorded since, ${laterReturned} went back by their platform and ${laterKept} stay with #${merge.keptMemberId}`,
    );
    ctx.out(`  split by ${ctx.by} at ${when(outcome.value.merge.splitAt!)}; these accounts will not be offered as one person again`);
    return 0;
  },
};

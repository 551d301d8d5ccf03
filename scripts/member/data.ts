// `npm run member -- export <member>` prints, as JSON, everything Co-Agent holds about a member;
// `npm run member -- erase <member>` erases it as `!coagent forget-me confirm` does. A running
// service drops the erased documents from its memory within a minute (main.ts's scheduler).
import { forgetMember } from '../../core/concierge/data-rights.js';
import { describeMember, resolveMember, UsageError, type Subcommand } from './context.js';

export const exportCommand: Subcommand = {
  usage: 'export <member>          everything Co-Agent holds about the member, as JSON',
  async run(ctx, args) {
    if (args.length !== 1) throw new UsageError('export needs one member');
    const member = await resolveMember(ctx, args[0]!);
    if (typeof member === 'string') {
      ctx.err(member);
      return 1;
    }
    ctx.out(JSON.stringify(await ctx.store.memberData.export(member.id), null, 2));
    return 0;
  },
};

export const eraseCommand: Subcommand = {
  usage: 'erase <member>           erase what Co-Agent holds about the member (keeps anonymous counts)',
  async run(ctx, args) {
    if (args.length !== 1) throw new UsageError('erase needs one member');
    const member = await resolveMember(ctx, args[0]!);
    if (typeof member === 'string') {
      ctx.err(member);
      return 1;
    }
    const who = describeMember(member);
    const result = await forgetMember(ctx.store, undefined, member.id);
    const rows = Object.entries(result?.rows ?? {})
      .map(([table, n]) => `${table} ${n}`)
      .join(', ');
    ctx.out(`erased ${who} (by ${ctx.by}): ${result?.documents.length ?? 0} documents; rows removed or edited: ${rows || 'none'}`);
    return 0;
  },
};

// The weekly recognition digest, for members who asked for it ("!coagent recognition on"): whose
// problems they helped with last week, whether those were solved, and the thanks they got.
// Members who did not opt in, opted out or left get nothing.
import type { Member, ProblemResponse } from '../store/index.js';
import type { MemberId } from '../types.js';
import type { KeyedAction } from './actions.js';
import { accountOn, type ConciergeContext } from './context.js';
import { textReply } from './replies.js';
import type { IsoWeek } from './iso-week.js';

const MAX_LISTED = 10;
const GRATITUDE = new Set(['thanks', 'solved', 'reaction']);

const short = (text: string, max = 80): string => {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length <= max ? line : `${line.slice(0, max - 1).trimEnd()}…`;
};

export async function recognitionDigests(ctx: ConciergeContext, week: IsoWeek): Promise<KeyedAction[]> {
  const byMember = new Map<MemberId, ProblemResponse[]>();
  for (const r of await ctx.store.responses.listBetween(week.start, week.end)) byMember.set(r.memberId, [...(byMember.get(r.memberId) ?? []), r]);
  const actions: KeyedAction[] = [];
  for (const [memberId, responses] of byMember) {
    const member = await ctx.store.members.get(memberId);
    if (!member || !member.recognitionDigest || member.optedOut || member.leftAt) continue;
    const action = await digestFor(ctx, member, responses, week);
    if (action) actions.push(action);
  }
  return actions;
}

async function digestFor(ctx: ConciergeContext, member: Member, responses: readonly ProblemResponse[], week: IsoWeek): Promise<KeyedAction | null> {
  const { store } = ctx;
  const lines: string[] = [];
  const people = new Set<MemberId>();
  for (const problemId of new Set(responses.map((r) => r.problemId))) {
    const problem = await store.problems.get(problemId);
    if (!problem || problem.originatorId === member.id) continue;
    const originator = await store.members.get(problem.originatorId);
    const name = originator?.displayName ?? 'a member';
    const thanked = (await store.feedback.listForProblem(problem.id)).some((f) => f.toMemberId === member.id && GRATITUDE.has(f.kind));
    const outcome = [problem.status === 'solved' ? 'solved' : 'not solved yet', ...(thanked ? [`${name} thanked you`] : [])].join(', ');
    people.add(problem.originatorId);
    if (lines.length < MAX_LISTED) lines.push(`• ${name}: "${short(problem.text)}" (${outcome})`);
  }
  if (lines.length === 0) return null;
  const platform = responses[0]!.platform;
  const to = accountOn(member, platform) ?? (member.identities[0] ? accountOn(member, member.identities[0].platform) : null);
  if (!to) return null;
  return {
    key: `${to.platform}:recognition:${member.id}:${week.label}`,
    action: {
      kind: 'direct',
      platform: to.platform,
      to,
      body: textReply(
        `Your week in the community (${week.label}), ${member.displayName}: you helped ${people.size} ${people.size === 1 ? 'person' : 'people'}.`,
        ...lines,
        'Thank you! Say "!coagent recognition off" to stop these weekly notes.',
      ),
    },
  };
}

// Mirroring a request to the forum: a topic that states the problem and links back, so answers
// given there count for the request and stay searchable; when the request is solved, the
// answers that helped are added to the topic.
import { platformName } from '../platforms.js';
import type { Problem } from '../store/index.js';
import type { KeyedAction, OutboundAction } from './actions.js';
import type { ConciergeContext } from './context.js';
import type { RichText } from './rich-text.js';

const MIN_TITLE = 20;

function titleOf(problem: Problem): string {
  const first = problem.text.split(/(?<=[.?!])\s|\n/)[0]?.trim() ?? '';
  const title = first.length > 90 ? `${first.slice(0, 89).trimEnd()}…` : first;
  return title.length >= MIN_TITLE ? title : `Question from the community chat: ${title}`.slice(0, 120);
}

/** The mirror action for a problem, or null when mirroring is off or it is already on the forum. */
export function mirrorAction(ctx: ConciergeContext, problem: Problem, askerName: string, link: string | undefined): KeyedAction | null {
  const mirror = ctx.settings.mirror;
  if (!mirror || mirror.mode === 'off' || problem.platform === mirror.platform || !ctx.bots.has(mirror.platform)) return null;
  const body: RichText = [
    [{ bold: `${askerName} asked in the community chat:` }],
    [problem.text],
    ...(link ? [['Original conversation: ', { link, label: `open in ${platformName(problem.platform)}` }] as RichText[number]] : []),
    ['Reply here if you can help: answers here count for the request, and I pass them on.'],
  ];
  return {
    key: `${mirror.platform}:mirror:${problem.id}`,
    action: { kind: 'create-topic', platform: mirror.platform, title: titleOf(problem), body, problemId: problem.id },
  };
}

/** After an action succeeded: a created mirror topic is linked to its problem, and announced. */
export async function afterAction(ctx: ConciergeContext, action: OutboundAction, result: unknown): Promise<void> {
  if (action.kind === 'open-room') {
    const r = result as { roomId?: unknown; topicId?: unknown } | null;
    const container = typeof r?.roomId === 'string' ? r.roomId : typeof r?.topicId === 'number' ? String(r.topicId) : null;
    if (container) await ctx.store.introductions.setContainer(action.introductionId, container);
    return;
  }
  if (action.kind !== 'create-topic' || action.problemId === undefined) return;
  const topicId = (result as { topicId?: unknown } | null)?.topicId;
  if (typeof topicId !== 'number') return;
  const problem = await ctx.store.problems.get(action.problemId as Problem['id']);
  if (!problem) return;
  await ctx.store.problems.addThread(problem.id, { platform: action.platform, containerId: String(topicId), threadId: String(topicId) });
  const url = (result as { url?: unknown }).url;
  if (problem.containerId && problem.threadId) {
    await ctx.submit([
      {
        key: `${problem.platform}:mirror-posted:${problem.id}`,
        action: {
          kind: 'post',
          platform: problem.platform,
          containerId: problem.containerId,
          threadId: problem.threadId,
          body: [['I posted this on the forum too, so answers stay findable: ', typeof url === 'string' ? { link: url, label: url } : `topic ${topicId}`]],
        },
      },
    ]);
  }
}

/** When a mirrored request is solved: the answers that helped, added to each mirror topic. */
export async function mirrorSummaries(ctx: ConciergeContext, problem: Problem, helpers: readonly string[]): Promise<KeyedAction[]> {
  const threads = await ctx.store.problems.listThreads(problem.id);
  if (threads.length === 0) return [];
  const responses = await ctx.store.responses.listForProblem(problem.id);
  const lines: RichText = [[{ bold: 'Solved.' }, helpers.length ? ` Thanks to ${helpers.join(', ')}. What helped:` : ' What was said:']];
  for (const r of responses.slice(0, 10)) {
    const who = (await ctx.store.members.get(r.memberId))?.displayName ?? 'a member';
    lines.push([`• ${who}: ${r.text.length > 500 ? `${r.text.slice(0, 499)}…` : r.text}`]);
  }
  return threads.map((t) => ({
    key: `${t.platform}:mirror-summary:${problem.id}`,
    action: { kind: 'post', platform: t.platform, containerId: t.containerId, threadId: t.threadId, body: lines },
  }));
}

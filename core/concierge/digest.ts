// The digest: a problem's responses, best first, for the person who asked, with who said what
// and why it ranks where it does, plus related past solutions.
import type { Problem } from '../store/index.js';
import type { KeyedAction } from './actions.js';
import { accountOn, type ConciergeContext } from './context.js';
import { originatorFeedbackFor, rankResponses } from './curation.js';
import type { RichText } from './rich-text.js';

const MAX_SHOWN = 5;
const short = (t: string, n = 280) => (t.length > n ? `${t.slice(0, n - 1).trimEnd()}…` : t);

export async function digestFor(ctx: ConciergeContext, problem: Problem): Promise<RichText | null> {
  const { store, engine } = ctx;
  // An answer whose message was deleted (or whose author opted out and was forgotten) is no
  // longer the bot's to repeat: it counted when it came, but the digest leaves it out.
  const responses = (await store.responses.listForProblem(problem.id)).filter(
    (r) => r.memberId !== problem.originatorId && (r.documentId === null || engine.kb.get(r.documentId) !== undefined),
  );
  if (responses.length === 0) return null;
  const feedback = await store.feedback.listForProblem(problem.id);
  const problemVector = await engine.embed(problem.text);
  const received = await store.feedback.countsReceived(['solved', 'thanks', 'reaction']);
  const vectorOf = (r: (typeof responses)[number]) => (r.documentId === null ? undefined : engine.kb.vectorOf(r.documentId)?.slice());
  // What the community's accepted answers taught the engine, once it has learned it.
  const priors = engine.answerPriors(
    problemVector,
    responses.map((r) => ({ text: r.text, vector: vectorOf(r), authorId: r.memberId, createdAt: r.createdAt })),
    problem.originatorId,
  );
  const ranked = rankResponses(
    { vector: problemVector },
    responses.map((r, i) => ({
      id: r.id,
      text: r.text,
      createdAt: r.createdAt,
      vector: vectorOf(r),
      feedback: originatorFeedbackFor(r, problem.originatorId, feedback),
      trackRecord: received.get(r.memberId) ?? 0,
      prior: priors?.[i],
    })),
  );
  const lines: RichText = [
    [{ bold: `What people said about your request (${responses.length} answer${responses.length > 1 ? 's' : ''}), most helpful first:` }],
  ];
  for (const r of ranked.slice(0, MAX_SHOWN)) {
    const response = responses.find((x) => x.id === r.response.id)!;
    const member = await store.members.get(response.memberId);
    const doc = response.documentId === null ? undefined : engine.kb.get(response.documentId);
    const who = member ? accountOn(member, problem.platform) : null;
    lines.push([
      `${r.rank}. `,
      who ? { mention: who, name: member!.displayName } : (member?.displayName ?? 'a member'),
      `: ${short(response.text)}`,
      ...(doc?.url ? ([' ', { link: doc.url, label: '(link)' }] as const) : []),
      ...(r.reasons.length ? [` (${r.reasons.slice(0, 2).join('; ')})`] : []),
    ]);
  }
  const similar = await store.similarity.list(problem.id);
  const solved = similar
    .map((s) => engine.kb.get(s.documentId))
    .filter((d) => d?.url)
    .slice(0, 3);
  if (solved.length > 0) {
    lines.push(['Related past discussions:']);
    for (const d of solved) lines.push(['• ', { link: d!.url!, label: short(d!.title ?? d!.text, 90) }]);
  }
  lines.push(['If one of these solved it, react ✅ to it or say "!coagent solved".']);
  return lines;
}

/** The digest as an action in the problem's thread, keyed once per problem (or per request). */
export async function digestAction(ctx: ConciergeContext, problem: Problem, keySuffix = 'digest'): Promise<KeyedAction | null> {
  if (!problem.containerId || !problem.threadId) return null;
  const body = await digestFor(ctx, problem);
  if (!body) return null;
  return {
    key: `${problem.platform}:${keySuffix}:${problem.id}`,
    action: { kind: 'post', platform: problem.platform, containerId: problem.containerId, threadId: problem.threadId, body },
  };
}

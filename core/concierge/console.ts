// The community team's console: what staff ask the bot to do from the dashboard. Each request
// is claimed in the audit log by the form's one-time id first (a form submitted twice acts
// once), checked against the current state (a request solved meanwhile is refused, nothing is
// sent), then decided like any other workflow step: state changes in the store and keyed actions
// for the executor, so what staff did shows in the thread as the bot's message.
import type { ConsoleActionRecord, Member, Problem, Tag } from '../store/index.js';
import { memberId as toMemberId, problemId as toProblemId, type MemberId, type Platform } from '../types.js';
import type { KeyedAction } from './actions.js';
import { advance } from './advance.js';
import { attention, type Attention, type AttentionSettings } from './attention.js';
import { solveProblem } from './command-handlers.js';
import { accountOn, type ConciergeContext } from './context.js';
import { isOpen } from './lifecycle.js';
import { sendProposal } from './review.js';
import type { RichText } from './rich-text.js';
import { changeTags, MAX_TAG_NAME_CHARS, TagRefusal, type TagChange } from './tag-admin.js';

/** Who acts: a named staff account (or a shared role login, named after its role). */
export interface Staff {
  name: string;
  role: string;
}

/** Notes and summaries are written for people: a few paragraphs, not a document. */
export const MAX_NOTE_CHARS = 4000;

export type ConsoleRequest =
  | { kind: 'invite'; problemId: number; memberId: number; note: string }
  | { kind: 'reroute'; problemId: number; memberId: number; note: string }
  | { kind: 'summary'; problemId: number; text: string }
  | { kind: 'solve'; problemId: number; note: string }
  | { kind: 'close'; problemId: number; note: string }
  | { kind: 'introduce'; memberA: number; memberB: number; note: string }
  | { kind: 'pause'; memberId: number; days: number }
  | { kind: 'unpause'; memberId: number }
  | { kind: 'approve'; problemId: number; memberId: number; note: string }
  | { kind: 'skip'; problemId: number; memberId: number }
  | { kind: 'tag-approve' | 'tag-reject'; tag: string }
  | { kind: 'tag-rename' | 'tag-merge'; tag: string; to: string };

export type ConsoleKind = ConsoleRequest['kind'];
export const CONSOLE_KINDS: readonly ConsoleKind[] = [
  'invite',
  'reroute',
  'summary',
  'solve',
  'close',
  'introduce',
  'pause',
  'unpause',
  'approve',
  'skip',
  'tag-approve',
  'tag-reject',
  'tag-rename',
  'tag-merge',
];

export interface ConsoleOutcome {
  /** done: acted now; refused: nothing done (see message); repeated: this form was handled before. */
  status: 'done' | 'refused' | 'repeated';
  message: string;
  record: ConsoleActionRecord;
}

class Refusal extends Error {}
const refuse = (message: string): never => {
  throw new Refusal(message);
};

const subjectOf = (r: ConsoleRequest): string =>
  'problemId' in r
    ? `problem ${r.problemId}`
    : r.kind === 'introduce'
      ? `members ${r.memberA} and ${r.memberB}`
      : 'tag' in r
        ? `tag ${r.tag}`
        : `member ${r.memberId}`;

/** Runs one console request once per `requestId`; the audit log records who did what, and how it ended. */
export async function runConsoleRequest(ctx: ConciergeContext, staff: Staff, requestId: string, request: ConsoleRequest): Promise<ConsoleOutcome> {
  const { store } = ctx;
  const now = ctx.now();
  const { record, created } = await store.consoleActions.claim({
    requestId,
    staff: staff.name,
    role: staff.role,
    kind: request.kind,
    subject: subjectOf(request),
    detail: JSON.stringify(request),
    createdAt: now,
  });
  if (!created) {
    return {
      status: 'repeated',
      message: `This form was already sent (${record.outcome === 'pending' ? 'in progress' : record.outcome}); nothing more was done.`,
      record,
    };
  }
  try {
    const { message, actions, memberId } = await decide(ctx, staff, requestId, request, now);
    await ctx.submit(actions);
    await store.consoleActions.finish(record.id, 'done', memberId);
    ctx.logger.info({ staff: staff.name, kind: request.kind, subject: record.subject }, 'console action');
    return { status: 'done', message, record: { ...record, outcome: 'done' } };
  } catch (error) {
    if (!(error instanceof Refusal)) {
      await store.consoleActions.finish(record.id, `failed: ${error instanceof Error ? error.message : String(error)}`);
      throw error;
    }
    await store.consoleActions.finish(record.id, `refused: ${error.message}`);
    return { status: 'refused', message: error.message, record: { ...record, outcome: `refused: ${error.message}` } };
  }
}

interface Decision {
  message: string;
  actions: KeyedAction[];
  /** The member chosen or passed over: routing learns from it (review.ts). */
  memberId?: number;
}

async function decide(ctx: ConciergeContext, staff: Staff, requestId: string, r: ConsoleRequest, now: Date): Promise<Decision> {
  for (const text of ['note' in r ? r.note : '', 'text' in r ? r.text : '']) {
    if (text.length > MAX_NOTE_CHARS) refuse(`The text is ${text.length} characters long; the limit is ${MAX_NOTE_CHARS}.`);
  }
  switch (r.kind) {
    case 'tag-approve':
    case 'tag-reject':
    case 'tag-rename':
    case 'tag-merge':
      return changeTag(ctx, r);
    case 'invite':
    case 'reroute':
      return invite(ctx, staff, r, now);
    case 'summary': {
      const problem = await openProblem(ctx, r.problemId);
      if (r.text.trim() === '') refuse('The summary is empty.');
      const asker = await present(ctx, problem.originatorId);
      const to = accountOn(asker, problem.platform) ?? refuse(`${asker.displayName} has no account on ${problem.platform}.`);
      const body: RichText = [
        [{ mention: to, name: asker.displayName }, `, here is a summary of the answers to your request, from ${staff.name} of the community team:`],
        ...paragraphs(r.text),
      ];
      return { message: `Summary posted to ${asker.displayName}.`, actions: [toThread(problem, `console:${requestId}:summary`, body, to)] };
    }
    case 'solve':
    case 'close': {
      const problem = await openProblem(ctx, r.problemId);
      const cause = `${r.kind === 'solve' ? 'marked solved' : 'closed'} by ${staff.name} on the console`;
      const lines: RichText =
        r.kind === 'solve'
          ? await solveProblem(ctx, problem, `console:${requestId}`, now, cause)
          : (await advance(ctx, problem, 'closed', cause, now, `console:${requestId}`), [[`${staff.name} of the community team closed this request.`]]);
      const body: RichText = [...lines, ...(r.note.trim() ? paragraphs(r.note) : [])];
      return {
        message: `Request ${problem.id} ${r.kind === 'solve' ? 'marked solved' : 'closed'}.`,
        actions: [toThread(problem, `console:${requestId}:${r.kind}`, body, null)],
      };
    }
    case 'introduce':
      return introduce(ctx, staff, requestId, r, now);
    case 'approve':
    case 'skip': {
      const problem = await openProblem(ctx, r.problemId);
      const invitation = await ctx.store.invitations.find(problem.id, toMemberId(r.memberId));
      const name = (await ctx.store.members.get(toMemberId(r.memberId)))?.displayName ?? `member ${r.memberId}`;
      if (!invitation) refuse(`${name} was not proposed for request ${problem.id}.`);
      if (invitation!.status !== 'pending')
        refuse(`The proposal to ask ${name} was ${invitation!.status === 'sent' ? 'sent already' : `already ${invitation!.status}`}; nothing more was sent.`);
      if (r.kind === 'skip') {
        await ctx.store.invitations.updateStatus(invitation!.id, 'declined', now);
        return { message: `Skipped: ${name} will not be asked.`, actions: [], memberId: r.memberId };
      }
      const actions = await sendProposal(ctx, invitation!, problem, now, { note: r.note, by: staff.name });
      if (actions.length === 0) refuse(`${name} cannot be asked any more (left, opted out or no account here).`);
      return { message: `${name} asked to help.`, actions, memberId: r.memberId };
    }
    case 'pause':
    case 'unpause': {
      const member = await present(ctx, r.memberId);
      if (r.kind === 'pause' && !(Number.isInteger(r.days) && r.days >= 1 && r.days <= 365)) refuse('Pause for 1 to 365 days.');
      const until = r.kind === 'pause' ? new Date(now.getTime() + r.days * 86_400_000) : null;
      await ctx.store.members.setPausedUntil(member.id, until);
      const to = member.identities[0] ? accountOn(member, member.identities[0].platform) : null;
      const text = until
        ? `Hi ${member.displayName}, ${staff.name} of the community team paused my invitations to you until ${until.toISOString().slice(0, 10)}. Say "!coagent pause off" to me whenever you want them back.`
        : `Hi ${member.displayName}, ${staff.name} of the community team resumed my invitations to you. Say "!coagent pause" to me to take a break again.`;
      return {
        message: until ? `${member.displayName} paused until ${until.toISOString().slice(0, 10)}.` : `${member.displayName} resumed.`,
        actions: to ? [{ key: `console:${requestId}:${r.kind}`, action: { kind: 'direct', platform: to.platform, to, body: [[text]] } }] : [],
      };
    }
  }
}

/**
 * Tag changes have nothing to post: the store and the engine change at once (tag-admin.ts), and
 * the audit row that claimed this form is what keys it (the same form twice acts once).
 */
async function changeTag(ctx: ConciergeContext, r: Extract<ConsoleRequest, { tag: string }>): Promise<Decision> {
  for (const name of [r.tag, 'to' in r ? r.to : '']) {
    if (name.length > MAX_TAG_NAME_CHARS) refuse(`A tag name has at most ${MAX_TAG_NAME_CHARS} characters.`);
  }
  const kind = r.kind.slice('tag-'.length) as TagChange['kind'];
  const change: TagChange = kind === 'rename' || kind === 'merge' ? { kind, tag: r.tag, to: 'to' in r ? r.to : '' } : { kind, tag: r.tag };
  try {
    return { message: await changeTags(ctx, change), actions: [] };
  } catch (error) {
    if (error instanceof TagRefusal) refuse(error.message);
    throw error;
  }
}

async function invite(ctx: ConciergeContext, staff: Staff, r: Extract<ConsoleRequest, { kind: 'invite' | 'reroute' }>, now: Date): Promise<Decision> {
  const { store } = ctx;
  const problem = await openProblem(ctx, r.problemId);
  const member = await present(ctx, r.memberId);
  if (member.id === problem.originatorId) refuse(`${member.displayName} is the person who asked.`);
  if (member.optedOut) refuse(`${member.displayName} opted out of invitations.`);
  const to = accountOn(member, problem.platform) ?? refuse(`${member.displayName} has no account on ${problem.platform}, where this request is.`);
  const existing = await store.invitations.find(problem.id, member.id);
  if (existing && existing.status !== 'declined' && existing.status !== 'ignored') refuse(`${member.displayName} was already asked about this request.`);
  let withdrawn = 0;
  if (r.kind === 'reroute') {
    // Re-routing takes the request away from the members asked so far who have not answered.
    for (const i of await store.invitations.listForProblem(problem.id)) {
      if (i.memberId !== member.id && (i.status === 'sent' || i.status === 'pending')) {
        await store.invitations.updateStatus(i.id, 'declined', now);
        withdrawn++;
      }
    }
  }
  const reason = `asked by ${staff.name} of the community team`;
  const { value: invitation } = await store.invitations.create({ problemId: problem.id, memberId: member.id, reason, score: 0, createdAt: now });
  await store.invitations.updateStatus(invitation.id, 'sent', now);
  await advance(ctx, problem, 'invited', `${member.displayName} ${reason}`, now);
  const body: RichText = [
    [{ mention: to, name: member.displayName }, `, ${staff.name} of the community team thinks you can help with this request. Could you take a look?`],
    ...(r.note.trim() ? paragraphs(r.note) : []),
  ];
  // Keyed by request and member, not by form: two staff asking the same member send one message.
  return {
    memberId: member.id,
    message: `${member.displayName} asked to help${withdrawn > 0 ? ` (${withdrawn} earlier invitation${withdrawn > 1 ? 's' : ''} withdrawn)` : ''}.`,
    actions: [toThread(problem, `console:invite:${problem.id}:${member.id}`, body, to)],
  };
}

async function introduce(
  ctx: ConciergeContext,
  staff: Staff,
  requestId: string,
  r: Extract<ConsoleRequest, { kind: 'introduce' }>,
  now: Date,
): Promise<Decision> {
  const { store } = ctx;
  if (r.memberA === r.memberB) refuse('Choose two different members.');
  const [a, b] = [await present(ctx, r.memberA), await present(ctx, r.memberB)];
  if (a.optedOut || b.optedOut) refuse(`${(a.optedOut ? a : b).displayName} opted out.`);
  if (await store.introductions.introduced(a.id, b.id)) refuse(`${a.displayName} and ${b.displayName} were introduced before.`);
  const platform =
    a.identities.map((i) => i.platform).find((p) => accountOn(b, p) !== null) ?? refuse(`${a.displayName} and ${b.displayName} have no platform in common.`);
  const accounts = [accountOn(a, platform)!, accountOn(b, platform)!];
  const reason = r.note.trim() || `${staff.name} thought you should meet`;
  const { value: intro } = await store.introductions.offer({ a: a.id, b: b.id, problemId: null, reason, platform, at: now });
  await store.introductions.accept(intro.id, now);
  await store.interactions.record({
    fromMemberId: a.id,
    toMemberId: b.id,
    kind: 'introduction',
    platform,
    mediated: true,
    problemId: null,
    sourceEventId: `console:${requestId}`,
    occurredAt: now,
  });
  const body: RichText = [
    [`${a.displayName}, ${b.displayName}: ${staff.name} of the community team thought you two should meet. This is a private chat for the two of you.`],
    ...(r.note.trim() ? paragraphs(r.note) : []),
  ];
  return {
    message: `${a.displayName} and ${b.displayName} introduced on ${platform}.`,
    actions: [
      {
        key: `${platform}:intro-room:${intro.id}`,
        action: { kind: 'open-room', platform, with: accounts, name: `${a.displayName} & ${b.displayName}`, body, introductionId: intro.id },
      },
    ],
  };
}

async function openProblem(ctx: ConciergeContext, id: number): Promise<Problem> {
  const problem = (await ctx.store.problems.get(toProblemId(id))) ?? refuse(`There is no request ${id}.`);
  if (!isOpen(problem.status)) refuse(`Request ${id} is ${problem.status} already; nothing was sent.`);
  return problem;
}

/** A member who is still there: a deleted (merged away) or departed member is refused by name. */
async function present(ctx: ConciergeContext, id: number | MemberId): Promise<Member> {
  const member = (await ctx.store.members.get(toMemberId(id))) ?? refuse(`There is no member ${id} (deleted or merged into another).`);
  if (member.leftAt) refuse(`${member.displayName} has left the community.`);
  return member;
}

const paragraphs = (text: string): RichText =>
  text
    .split(/\n{2,}/)
    .map((p) => p.trim())
    .filter(Boolean)
    .map((p) => [p]);

/** A post in the request's thread, or a direct message to `fallback` where the request has no thread. */
function toThread(problem: Problem, key: string, body: RichText, fallback: ReturnType<typeof accountOn>): KeyedAction {
  if (problem.containerId && problem.threadId) {
    return { key, action: { kind: 'post', platform: problem.platform, containerId: problem.containerId, threadId: problem.threadId, body } };
  }
  if (!fallback) refuse('This request has no thread to post in.');
  return { key, action: { kind: 'direct', platform: problem.platform as Platform, to: fallback!, body } };
}

/** What the dashboard gets of the concierge: the attention list and the console's requests. */
export interface ConciergeConsole {
  attention(now: Date): Promise<Attention>;
  /** Every tag with its status and origin (proposals included), for the Tags page. */
  tags(): Promise<Tag[]>;
  run(staff: Staff, requestId: string, request: ConsoleRequest): Promise<ConsoleOutcome>;
}

export function createConsole(ctx: ConciergeContext, settings: Partial<AttentionSettings> = {}): ConciergeConsole {
  return {
    attention: (now) => attention(ctx, now, settings),
    tags: () => ctx.store.tags.list(),
    run: (staff, requestId, request) => runConsoleRequest(ctx, staff, requestId, request),
  };
}

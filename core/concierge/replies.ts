// What the bot says. Pure functions from decided facts to rich text, so tests can read them and
// every platform says the same thing in its own format.
import type { ActorRef } from '../inbound.js';
import type { Member } from '../store/index.js';
import { usage } from './commands.js';
import type { RichText, Segment } from './rich-text.js';

export interface RelatedTopic {
  title: string;
  url?: string | undefined;
  score: number;
}

export interface Invitee {
  actor: ActorRef;
  name: string;
  reason: string;
}

export interface HelpReplyFacts {
  /** Who asked me, when someone pressed the button for another member's message. */
  requestedBy?: string | undefined;
  tags: readonly string[];
  related: readonly RelatedTopic[];
  invitees: readonly Invitee[];
  /** Invitations go out by direct message rather than by mention here. */
  invitedPrivately: boolean;
  /** Invitations go out as the platform's own invitations (e.g. to a forum topic). */
  invitedByPlatform?: boolean;
  /** The request can be posted on the forum on request (said when nobody could be asked). */
  forumOnRequest?: boolean;
  /** Review mode: the people to ask are proposed and wait for the community team. */
  reviewing?: boolean;
}

const short = (text: string, max = 90): string => {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  return oneLine.length <= max ? oneLine : `${oneLine.slice(0, max - 1).trimEnd()}…`;
};

export function helpReply(f: HelpReplyFacts): RichText {
  const lines: RichText = [];
  lines.push([f.requestedBy ? `On it (${f.requestedBy} asked me to help with this).` : "On it: I'm looking for people who can help with this."]);
  if (f.tags.length > 0) lines.push(['Tags: ', ...f.tags.flatMap((t, i): Segment[] => (i ? [', ', { code: t }] : [{ code: t }]))]);
  if (f.related.length > 0) {
    lines.push(['Related past topics:']);
    for (const r of f.related) lines.push(['• ', r.url ? { link: r.url, label: short(r.title) } : short(r.title)]);
  }
  if (f.invitees.length === 0 && f.reviewing) {
    lines.push(["I've suggested people to ask; the community team checks the suggestions before I ask them."]);
  } else if (f.invitees.length > 0) {
    const named = f.invitedPrivately || f.invitedByPlatform;
    lines.push([f.invitedPrivately ? "I've asked (privately):" : f.invitedByPlatform ? "I've invited to this topic:" : 'Asking:']);
    for (const i of f.invitees) lines.push(['• ', named ? { bold: i.name } : { mention: i.actor, name: i.name }, ` (${i.reason})`]);
  } else {
    lines.push([
      "I couldn't find anyone to ask right now: the people who know this are at their limits or away, or nobody here has dealt with it yet. I'll keep this open.",
    ]);
    if (f.forumOnRequest) lines.push(['More people will see it on the forum: say "!coagent post-to-forum" and I will post it there.']);
  }
  lines.push(['Answer in this thread. When it is solved, say "!coagent solved" or react ✅ to the answer that helped.']);
  return lines;
}

export function invitationMessage(asker: string, problem: string, where: string | undefined, reason: string): RichText {
  return [
    [`Hi! ${asker} could use your help: "${short(problem, 280)}"`],
    [`I thought of you because you ${reason}.`],
    where ? ['The thread is here: ', { link: where, label: where }] : ['Reply in their thread if you can help.'],
    ['Not a good time? Say "!coagent pause 7d" to me, or "!coagent optout" to stop invitations.'],
  ];
}

export const usageReply = (intro?: string): RichText => [[intro ?? "Here's what I can do:"], ...usage().map((u): Segment[] => [{ code: u }])];

export const textReply = (...lines: string[]): RichText => lines.map((l) => [l]);

export function statusReply(member: Member, facts: { invitationsThisWeek: number; budget: number; openProblems: number; now: Date }): RichText {
  const paused =
    member.pausedUntil && member.pausedUntil > facts.now ? `paused until ${member.pausedUntil.toISOString().slice(0, 16).replace('T', ' ')} UTC` : null;
  return textReply(
    `Your status, ${member.displayName}:`,
    member.optedOut
      ? '• opted out: no invitations, and I do not learn from your messages'
      : `• invitations this week: ${facts.invitationsThisWeek} of ${facts.budget}`,
    `• ${paused ?? 'not paused'}`,
    `• open requests of yours: ${facts.openProblems}`,
    `• linked accounts: ${member.identities.map((i) => `${i.platform} ${i.externalId}${i.verifiedAt ? ' (verified)' : ''}`).join(', ')}`,
  );
}

export function solvedReply(helpers: readonly Invitee[]): RichText {
  if (helpers.length === 0) return textReply('Marked solved. Glad it worked out!');
  return [
    [
      'Marked solved. Thank you ',
      ...helpers.flatMap((h, i): Segment[] => [i === 0 ? '' : i === helpers.length - 1 ? ' and ' : ', ', { mention: h.actor, name: h.name }]),
      ' for helping!',
    ],
  ];
}

// Answers invited members send the bot in a direct conversation: kept privately, passed on only
// with consent, then counted like any answer in the thread. Replays post nothing twice.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { KeyedAction, PostAction } from '../../../core/concierge/actions.js';
import { Concierge } from '../../../core/concierge/concierge.js';
import { mentionedActors, plainText } from '../../../core/concierge/rich-text.js';
import type { ActorRef, InboundMessage } from '../../../core/inbound.js';
import type { Member } from '../../../core/store/index.js';
import { DAVE, ERIN, EQUITY_REQUEST, createWorld, mention, message, type World } from './fixture.js';

const textOf = (a: KeyedAction): string => ('body' in a.action ? plainText(a.action.body) : '');
const dm = (author: ActorRef, text: string, extra: Partial<InboundMessage> = {}): InboundMessage =>
  message(author, text, { conversation: 'direct', containerId: `!dm-${author.externalId}`, ...extra });
const refOf = (m: Member): ActorRef => ({ platform: 'matrix', externalId: m.identities[0]!.externalId, displayName: m.displayName });

describe('Concierge: answers sent privately', () => {
  let w: World;
  beforeEach(async () => {
    w = await createWorld();
  });
  afterEach(async () => w.done());

  /** Opens a request and returns it with one member it invited. */
  async function ask(by: ActorRef, text: string) {
    const request = mention(by, text);
    await w.receive(request);
    const problem = (await w.store.problems.findBySourceEvent('matrix', request.eventId))!;
    const [invitation] = await w.store.invitations.listForProblem(problem.id);
    return { request, problem, helper: (await w.store.members.get(invitation!.memberId))! };
  }

  it('asks for consent, then posts the answer in the thread, attributed, counted as a response', async () => {
    const { request, problem, helper } = await ask(DAVE, EQUITY_REQUEST);
    const answer = dm(refOf(helper), 'Give every cofounder four-year vesting with a one-year cliff.');
    const offer = await w.receive(answer);
    expect(offer).toHaveLength(1);
    expect(textOf(offer[0]!)).toBe(
      'Shall I pass this on to Dave with your name? Say "!coagent relay" (or just "relay") to send it, or ignore this to keep it private.',
    );
    expect(await w.store.responses.listForProblem(problem.id)).toEqual([]);

    // A fresh concierge (a restart) finds the waiting answer in the store.
    const consent = dm(refOf(helper), 'relay');
    const before = w.actions.length;
    await new Concierge(w.ctx).receive(consent);
    const relayed = w.actions.slice(before);
    expect(relayed.map((a) => a.key)).toEqual([`matrix:relay:1`, `matrix:${consent.eventId}:reply`]);
    const post = relayed[0]!.action as PostAction;
    expect(post).toMatchObject({ kind: 'post', containerId: problem.containerId, threadId: request.eventId });
    expect(plainText(post.body)).toBe(`${helper.displayName} answered privately: Give every cofounder four-year vesting with a one-year cliff.`);
    expect(mentionedActors(post.body)).toEqual([]);
    expect(textOf(relayed[1]!)).toMatch(/^Passed on to Dave with your name/);

    const responses = await w.store.responses.listForProblem(problem.id);
    expect(responses.map((r) => [r.memberId, r.text])).toEqual([[helper.id, answer.text]]);
    expect((await w.store.problems.get(problem.id))?.status).toBe('answered');
    expect((await w.store.invitations.find(problem.id, helper.id))?.status).toBe('answered');
    const answers = (await w.interactions()).filter((i) => i.kind === 'answer' && i.fromMemberId === helper.id);
    expect(answers).toMatchObject([{ toMemberId: w.members.dave.id, mediated: true, problemId: problem.id }]);

    // The same consent replayed decides the same keys: nothing new is posted or counted.
    const replay = await w.receive(consent);
    expect(replay.map((a) => a.key)).toEqual(relayed.map((a) => a.key));
    expect(w.added.at(-1)).toBe(0);
    expect(await w.store.responses.listForProblem(problem.id)).toHaveLength(1);

    // A new consent has nothing left to pass on.
    const again = await w.receive(dm(refOf(helper), 'relay'));
    expect(textOf(again[0]!)).toMatch(/^I have nothing of yours waiting to be passed on/);
  });

  it('answers the most recent request when several are open, and says which', async () => {
    const first = await ask(DAVE, EQUITY_REQUEST);
    const second = await ask(ERIN, 'How much equity and vesting for a cofounder who joins a year late?');
    const invitedToBoth = (await w.store.invitations.listForProblem(second.problem.id)).find((i) => i.memberId === first.helper.id);
    expect(invitedToBoth).toBeDefined();
    const offer = await w.receive(dm(refOf(first.helper), 'Vesting from the day they join; equity by contribution.'));
    expect(textOf(offer[0]!)).toContain('pass this on to Erin');
    expect(textOf(offer[0]!)).toContain('It would answer their request "How much equity and vesting for a cofounder who joins a year late?"');
    const relayed = await w.receive(dm(refOf(first.helper), '!coagent relay'));
    expect((relayed[0]!.action as PostAction).threadId).toBe(second.request.eventId);
    expect(await w.store.responses.listForProblem(first.problem.id)).toEqual([]);
  });

  it('leaves private messages of members without an invitation alone, and explains a relay with nothing waiting', async () => {
    expect(await w.receive(dm(ERIN, 'Just saying hello.'))).toEqual([]);
    const relay = await w.receive(dm(ERIN, 'relay'));
    expect(textOf(relay[0]!)).toMatch(/^I have nothing of yours waiting to be passed on/);
  });
});

// Concierge.receive on what happens around a problem: answers, replies, private rooms,
// reactions, edits and redactions.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { PostAction } from '../../../core/concierge/actions.js';
import { mentionedActors, plainText } from '../../../core/concierge/rich-text.js';
import type { Problem } from '../../../core/store/index.js';
import {
  ALICE,
  BOB,
  BOT,
  CAROL,
  DAVE,
  EQUITY_REQUEST,
  FRANK,
  NOW,
  actor,
  createWorld,
  edit,
  inThread,
  mention,
  message,
  reaction,
  redaction,
  type World,
} from './fixture.js';

describe('Concierge: around a problem', () => {
  let w: World;
  let problem: Problem;
  let request: ReturnType<typeof mention>;

  beforeEach(async () => {
    w = await createWorld();
    request = mention(ALICE, EQUITY_REQUEST);
    await w.receive(request);
    problem = (await w.store.problems.findBySourceEvent('matrix', request.eventId))!;
    w.actions.length = 0;
  });
  afterEach(async () => w.done());

  const answersTo = async (p: Problem) => (await w.interactions()).filter((i) => i.kind === 'answer' && i.problemId === p.id);

  it("records an invited member's answer: response, mediated answer interaction, invitation answered", async () => {
    const bobInvitation = await w.store.invitations.find(problem.id, w.members.bob.id);
    expect(bobInvitation?.status).toBe('sent');

    const answer = inThread(BOB, request.eventId, 'Vest everyone over four years with a one-year cliff.');
    expect(await w.receive(answer)).toEqual([]);

    const responses = await w.store.responses.listForProblem(problem.id);
    const doc = await w.store.documents.find('matrix', answer.eventId);
    expect(responses).toEqual([expect.objectContaining({ memberId: w.members.bob.id, documentId: doc!.id, text: answer.text })]);
    expect(await answersTo(problem)).toEqual([
      expect.objectContaining({ fromMemberId: w.members.bob.id, toMemberId: w.members.alice.id, mediated: true, sourceEventId: answer.eventId }),
    ]);
    expect((await w.store.invitations.find(problem.id, w.members.bob.id))?.status).toBe('answered');
    expect((await w.store.problems.get(problem.id))?.status).toBe('answered');
  });

  it('marks an answer from someone the bot did not invite as not mediated', async () => {
    const answer = inThread(FRANK, request.eventId, 'A lawyer can draft the vesting agreement for you.');
    await w.receive(answer);
    const frank = await w.store.members.findByIdentity(FRANK);
    expect(await answersTo(problem)).toEqual([expect.objectContaining({ fromMemberId: frank!.id, toMemberId: w.members.alice.id, mediated: false })]);
    expect((await w.store.responses.listForProblem(problem.id)).map((r) => r.memberId)).toEqual([frank!.id]);
  });

  it("does not count the originator's own messages in the thread as answers", async () => {
    await w.receive(inThread(ALICE, request.eventId, 'To add: we are three cofounders.'));
    expect(await w.store.responses.listForProblem(problem.id)).toEqual([]);
    expect(await answersTo(problem)).toEqual([]);
    expect((await w.store.problems.get(problem.id))?.status).toBe('invited');
  });

  it('records a rich reply between two members outside any problem as an unmediated reply', async () => {
    const reply = message(CAROL, 'Did you end up using a cliff?', { replyToId: w.history.t1q });
    await w.receive(reply);
    const replies = (await w.interactions()).filter((i) => i.kind === 'reply');
    expect(replies).toEqual([expect.objectContaining({ fromMemberId: w.members.carol.id, toMemberId: w.members.dave.id, mediated: false, problemId: null })]);
    // It continues the conversation of the message it answers.
    expect((await w.store.documents.find('matrix', reply.eventId))?.threadId).toBe('$t1');
  });

  it('records messages in a small private room as direct-message interactions, and does not learn them', async () => {
    const dm = message(ALICE, 'Shall we talk about the vesting later?', { conversation: 'small', participants: [BOB, CAROL, BOT] });
    expect(await w.receive(dm)).toEqual([]);
    const dms = (await w.interactions()).filter((i) => i.kind === 'direct-message');
    expect(dms.map((i) => [i.fromMemberId, i.toMemberId, i.mediated])).toEqual([
      [w.members.alice.id, w.members.bob.id, false],
      [w.members.alice.id, w.members.carol.id, false],
    ]);
    expect(await w.store.documents.find('matrix', dm.eventId)).toBeNull();
  });

  describe('reactions', () => {
    let answer: ReturnType<typeof inThread>;
    beforeEach(async () => {
      answer = inThread(BOB, request.eventId, 'Vest everyone over four years with a one-year cliff.');
      await w.receive(answer);
    });

    it("marks the problem solved on the originator's ✅ and thanks the answerer by name", async () => {
      const r = reaction(ALICE, answer.eventId, '✅\uFE0F');
      const actions = await w.receive(r);

      expect((await w.store.problems.get(problem.id))?.status).toBe('solved');
      const feedback = await w.store.feedback.listForProblem(problem.id);
      expect(feedback.map((f) => [f.kind, f.fromMemberId, f.toMemberId]).sort()).toEqual(
        [
          ['reaction', w.members.alice.id, w.members.bob.id],
          ['solved', w.members.alice.id, w.members.bob.id],
        ].sort(),
      );
      expect((await w.interactions()).filter((i) => i.kind === 'reaction')).toEqual([
        expect.objectContaining({ fromMemberId: w.members.alice.id, toMemberId: w.members.bob.id, problemId: problem.id, sourceEventId: r.eventId }),
      ]);

      expect(actions.map((a) => a.key)).toEqual([`matrix:${r.eventId}:solved`]);
      const post = actions[0]!.action as PostAction;
      expect(post.threadId).toBe(request.eventId);
      expect(plainText(post.body)).toMatch(/^Marked solved\. Thank you Bob for helping!\nYou both deal with equity: say "!coagent introduce"/);
      expect(mentionedActors(post.body).map((a) => a.externalId)).toEqual([BOB.externalId]);

      // Every step of the lifecycle is on record, with its cause.
      const steps = await w.store.problems.listTransitions(problem.id);
      expect(steps.map((t) => t.to)).toEqual(['opened', 'acknowledged', 'invited', 'answered', 'solved']);
      expect(steps.at(-1)).toMatchObject({ from: 'answered', cause: '✅\uFE0F on an answer from the originator', sourceEventId: r.eventId });
      expect(steps.at(-2)?.cause).toMatch(/^Bob answered on matrix$/);
    });

    it("records only a reaction interaction for someone else's 👍", async () => {
      const actions = await w.receive(reaction(CAROL, answer.eventId, '👍🏽'));
      expect(actions).toEqual([]);
      expect((await w.interactions()).filter((i) => i.kind === 'reaction')).toEqual([
        expect.objectContaining({ fromMemberId: w.members.carol.id, toMemberId: w.members.bob.id }),
      ]);
      expect(await w.store.feedback.listForProblem(problem.id)).toEqual([]);
      expect((await w.store.problems.get(problem.id))?.status).toBe('answered');
    });

    it("takes the originator's 👍 as feedback without closing the problem", async () => {
      expect(await w.receive(reaction(ALICE, answer.eventId, '👍'))).toEqual([]);
      expect((await w.store.feedback.listForProblem(problem.id)).map((f) => f.kind)).toEqual(['reaction']);
      expect((await w.store.problems.get(problem.id))?.status).toBe('answered');
    });

    it('does nothing for a reaction to an unknown event', async () => {
      const stranger = actor('stranger', 'Stranger');
      expect(await w.receive(reaction(stranger, '$never-seen', '✅'))).toEqual([]);
      expect((await w.interactions()).filter((i) => i.kind === 'reaction')).toEqual([]);
      expect(await w.store.members.findByIdentity(stranger)).toBeNull();
      expect((await w.store.problems.get(problem.id))?.status).toBe('answered');
    });
  });

  describe('edits and redactions', () => {
    it("updates the stored and learned text on the author's edit of an older message, and does not answer its new mention", async () => {
      const original = message(DAVE, 'Our payroll provider keeps failing.', { createdAt: new Date(NOW.getTime() - 16 * 60_000) });
      await w.receive(original);
      const edited = 'Our payroll provider keeps failing in Germany.';
      expect(await w.receive(edit(DAVE, original.eventId, `Co-Agent: ${edited}`, { mentions: [BOT], mentionsBot: true }))).toEqual([]);
      const doc = await w.store.documents.find('matrix', original.eventId);
      expect(doc?.text).toBe(edited);
      expect(w.engine.kb.get(doc!.id)?.text).toBe(edited);
      expect(await w.store.problems.findBySourceEvent('matrix', original.eventId)).toBeNull();
      expect(w.actions).toEqual([]);
    });

    it('answers a mention added by an edit soon after the message, once, however often it is edited', async () => {
      const original = message(DAVE, EQUITY_REQUEST, { createdAt: new Date(NOW.getTime() - 14 * 60_000) });
      await w.receive(original);
      const asks = () => edit(DAVE, original.eventId, `Co-Agent: ${EQUITY_REQUEST}`, { mentions: [BOT], mentionsBot: true });
      const first = await w.receive(asks());
      expect(first.map((a) => a.key)).toContain(`matrix:${original.eventId}:reply`);
      expect(w.added.at(-1)).toBeGreaterThan(0);
      const problem = await w.store.problems.findBySourceEvent('matrix', original.eventId);
      expect(problem?.originatorId).toBe(w.members.dave.id);
      // A second edit (or a replay of the first) finds the request it opened: nothing new goes out.
      await w.receive(asks());
      expect(w.added.at(-1)).toBe(0);
      // Nor does an edit of a message that asked in the first place.
      expect(await w.receive(edit(ALICE, request.eventId, `Co-Agent: ${EQUITY_REQUEST} (edited)`, { mentions: [BOT], mentionsBot: true }))).not.toEqual([]);
      expect(w.added.at(-1)).toBe(0);
    });

    it('skips edits, reactions and redactions of messages it never learned', async () => {
      expect(await w.receive(edit(DAVE, '$never-seen', 'Co-Agent: how do we hire?', { mentions: [BOT], mentionsBot: true }))).toEqual([]);
      expect(await w.receive(reaction(ALICE, '$never-seen', '✅'))).toEqual([]);
      expect(await w.receive(redaction(ALICE, '$never-seen'))).toEqual([]);
      expect(w.actions).toEqual([]);
      expect((await w.store.problems.get(problem.id))?.status).toBe(problem.status);
      expect(await w.store.documents.find('matrix', '$never-seen')).toBeNull();
    });

    it("ignores an edit of someone else's message", async () => {
      const original = message(DAVE, 'Our payroll provider keeps failing.');
      await w.receive(original);
      await w.receive(edit(CAROL, original.eventId, 'Carol was here.'));
      const doc = await w.store.documents.find('matrix', original.eventId);
      expect(doc?.text).toBe(original.text);
      expect(w.engine.kb.get(doc!.id)?.text).toBe(original.text);
    });

    it("closes the problem and deletes the document when the request's message is redacted", async () => {
      const doc = await w.store.documents.find('matrix', request.eventId);
      expect(w.engine.kb.get(doc!.id)).toBeDefined();
      expect(await w.receive(redaction(ALICE, request.eventId))).toEqual([]);
      expect((await w.store.problems.get(problem.id))?.status).toBe('closed');
      expect((await w.store.documents.find('matrix', request.eventId))?.deletedAt).toBeInstanceOf(Date);
      expect(w.engine.kb.get(doc!.id)).toBeUndefined();
    });
  });
});

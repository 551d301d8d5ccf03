// The community team's console in the concierge, on a real store: the attention list (stuck
// requests with the bot's next helpers, requests with nobody to ask, ignored invitations,
// budgets and pauses, newcomers, expertise gaps) and each staff action, decided once per form.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { OpenRoomAction, PostAction, DirectAction } from '../../../core/concierge/actions.js';
import { attention } from '../../../core/concierge/attention.js';
import { MAX_NOTE_CHARS, runConsoleRequest, type Staff } from '../../../core/concierge/console.js';
import { mentionedActors, plainText } from '../../../core/concierge/rich-text.js';
import type { Problem } from '../../../core/store/index.js';
import { ALICE, DAVE, DAY_MS, EQUITY_REQUEST, FRANK, NOW, createWorld, mention, type World } from './fixture.js';

const MARIE: Staff = { name: 'Marie', role: 'admin' };
const later = (days: number) => new Date(NOW.getTime() + days * DAY_MS);

describe('the console', () => {
  let w: World;
  let asked: Problem;
  beforeEach(async () => {
    w = await createWorld();
    // Dave's request: the bot invites the equity people it knows.
    const e = mention(DAVE, EQUITY_REQUEST);
    await w.receive(e);
    asked = (await w.store.problems.findBySourceEvent('matrix', e.eventId))!;
  });
  afterEach(async () => w.done());

  describe('attention list', () => {
    it('lists a request nobody answered after the set time, with whom the bot would ask next and why', async () => {
      const invited = await w.store.invitations.listForProblem(asked.id);
      expect(invited.length).toBeGreaterThan(0);
      expect((await attention(w.ctx, later(0.5), { stuckAfterHours: 24 })).stuck).toEqual([]);

      const a = await attention(w.ctx, later(2), { stuckAfterHours: 24 });
      expect(a.stuck.map((s) => s.problemId)).toEqual([asked.id]);
      const stuck = a.stuck[0]!;
      expect(stuck.ageHours).toBe(48);
      expect(stuck.invited.map((i) => i.memberId).sort()).toEqual(invited.map((i) => i.memberId).sort());
      // Next helpers never repeat those asked already, nor the asker; each comes with a reason.
      for (const s of stuck.suggestions) {
        expect(invited.map((i) => i.memberId)).not.toContain(s.memberId);
        expect(s.memberId).not.toBe(w.members.dave.id);
        expect(s.reason.length).toBeGreaterThan(0);
      }
      // Once someone answered, it is no longer stuck.
      await w.store.responses.record({ problemId: asked.id, memberId: w.members.bob.id, platform: 'matrix', text: 'vest it', createdAt: later(1) });
      expect((await attention(w.ctx, later(2))).stuck).toEqual([]);
    });

    it('lists a request the bot found nobody for, with the helpers it would suggest now', async () => {
      const { value: lonely } = await w.store.problems.open({
        originatorId: w.members.erin.id,
        platform: 'matrix',
        sourceEventId: '$lonely',
        containerId: '!community:example.org',
        threadId: '$lonely',
        text: EQUITY_REQUEST,
        tags: [{ name: 'equity', confidence: 0.9 }],
        createdAt: NOW,
      });
      const a = await attention(w.ctx, later(0.1));
      expect(a.noHelper.map((p) => p.problemId)).toEqual([lonely.id]);
      const suggested = a.noHelper[0]!.suggestions.map((s) => s.memberId);
      // The equity answerers of the history are the people to ask.
      expect(suggested).toContain(w.members.bob.id);
      expect(suggested).not.toContain(w.members.erin.id);
    });

    it('lists ignored invitations, members near their budget or paused, and newcomers who never took part', async () => {
      const [first] = await w.store.invitations.listForProblem(asked.id);
      await w.store.invitations.updateStatus(first!.id, 'ignored', later(3));
      await w.store.members.setPausedUntil(w.members.erin.id, later(10));
      await w.store.members.setWeeklyBudget(first!.memberId, 2);
      const frank = await w.member(FRANK);

      const a = await attention(w.ctx, later(3));
      expect(a.ignored).toEqual([expect.objectContaining({ problemId: asked.id, memberId: first!.memberId })]);
      expect(a.paused.map((m) => m.memberId)).toEqual([w.members.erin.id]);
      expect(a.nearBudget).toContainEqual(expect.objectContaining({ memberId: first!.memberId, invitationsThisWeek: 1, budget: 2 }));
      // Frank never wrote; Dave asked; Alice, Bob and Carol answered in the history.
      expect(a.newcomers.map((n) => n.memberId)).toEqual([frank.id]);
    });

    it('counts expertise gaps: requests per tag against the distinct members who answered them in the period', async () => {
      await w.store.responses.record({ problemId: asked.id, memberId: w.members.bob.id, platform: 'matrix', text: 'vest', createdAt: later(1) });
      await w.store.responses.record({ problemId: asked.id, memberId: w.members.bob.id, platform: 'matrix', text: 'again', createdAt: later(1.1) });
      await w.store.responses.record({ problemId: asked.id, memberId: w.members.dave.id, platform: 'matrix', text: 'thanks', createdAt: later(1.2) });
      for (const id of ['$h1', '$h2']) {
        await w.store.problems.open({
          originatorId: w.members.alice.id,
          platform: 'matrix',
          sourceEventId: id,
          containerId: '!r',
          threadId: id,
          text: 'How do we hire engineers?',
          tags: [{ name: 'hiring', confidence: 0.9 }],
          createdAt: later(1),
        });
      }
      const { gaps } = await attention(w.ctx, later(2));
      // Hiring: two requests, nobody answering; equity: one request, one helper (the asker's own reply does not count).
      expect(gaps.find((g) => g.tag === 'hiring')).toEqual({ tag: 'hiring', requests: 2, helpers: 0 });
      expect(gaps.find((g) => g.tag === 'equity')).toEqual({ tag: 'equity', requests: 1, helpers: 1 });
      expect(gaps[0]!.tag).toBe('hiring');
    });
  });

  describe('actions', () => {
    it('invites a chosen member with a personal note, in the thread as the bot, once for a form sent twice', async () => {
      const before = w.actions.length;
      const frank = await w.member(FRANK);
      const first = await runConsoleRequest(w.ctx, MARIE, 'form-invite-1', {
        kind: 'invite',
        problemId: asked.id,
        memberId: frank.id,
        note: 'Frank did this last year.',
      });
      const again = await runConsoleRequest(w.ctx, MARIE, 'form-invite-1', {
        kind: 'invite',
        problemId: asked.id,
        memberId: frank.id,
        note: 'Frank did this last year.',
      });
      expect(first.status).toBe('done');
      expect(again.status).toBe('repeated');
      const sent = w.actions.slice(before);
      expect(sent).toHaveLength(1);
      const post = sent[0]!.action as PostAction;
      expect(post).toMatchObject({ kind: 'post', platform: 'matrix', containerId: asked.containerId, threadId: asked.threadId });
      expect(plainText(post.body)).toContain('Marie of the community team thinks you can help');
      expect(plainText(post.body)).toContain('Frank did this last year.');
      expect(mentionedActors(post.body).map((a) => a.externalId)).toEqual([FRANK.externalId]);
      expect((await w.store.invitations.find(asked.id, frank.id))?.reason).toBe('asked by Marie of the community team');
      const log = await w.store.consoleActions.list();
      expect(log).toHaveLength(1);
      expect(log[0]).toMatchObject({ staff: 'Marie', kind: 'invite', subject: `problem ${asked.id}`, outcome: 'done' });
    });

    it('sends one invitation when two staff members ask the same member with two forms', async () => {
      const frank = await w.member(FRANK);
      const before = w.actions.length;
      const a = await runConsoleRequest(w.ctx, MARIE, 'form-a-0001', { kind: 'invite', problemId: asked.id, memberId: frank.id, note: '' });
      const b = await runConsoleRequest(w.ctx, { name: 'Paul', role: 'concierge' }, 'form-b-0001', {
        kind: 'invite',
        problemId: asked.id,
        memberId: frank.id,
        note: '',
      });
      expect([a.status, b.status]).toEqual(['done', 'refused']);
      expect(b.message).toMatch(/already asked/);
      expect(w.actions.length - before).toBe(1);
    });

    it('re-routes: withdraws the open invitations and asks the chosen member instead', async () => {
      const frank = await w.member(FRANK);
      const outcome = await runConsoleRequest(w.ctx, MARIE, 'form-reroute', { kind: 'reroute', problemId: asked.id, memberId: frank.id, note: '' });
      expect(outcome.status).toBe('done');
      const invitations = await w.store.invitations.listForProblem(asked.id);
      expect(invitations.filter((i) => i.status === 'sent').map((i) => i.memberId)).toEqual([frank.id]);
      expect(invitations.filter((i) => i.status === 'declined').length).toBeGreaterThan(0);
    });

    it('posts a curated summary to the requester, mentioning them', async () => {
      const before = w.actions.length;
      await runConsoleRequest(w.ctx, MARIE, 'form-summary', { kind: 'summary', problemId: asked.id, text: 'Vest everyone.\n\nUse a cliff.' });
      const post = w.actions[before]!.action as PostAction;
      expect(mentionedActors(post.body).map((a) => a.externalId)).toEqual([DAVE.externalId]);
      expect(post.body.slice(1).map((l) => plainText([l]))).toEqual(['Vest everyone.', 'Use a cliff.']);
    });

    it('marks solved; acting on it afterwards is refused with a clear message and sends nothing', async () => {
      const solved = await runConsoleRequest(w.ctx, MARIE, 'form-solve', { kind: 'solve', problemId: asked.id, note: '' });
      expect(solved.status).toBe('done');
      expect((await w.store.problems.get(asked.id))?.status).toBe('solved');
      expect((await w.store.problems.listTransitions(asked.id)).at(-1)?.cause).toBe('marked solved by Marie on the console');
      const before = w.actions.length;
      const late = await runConsoleRequest(w.ctx, MARIE, 'form-late', { kind: 'invite', problemId: asked.id, memberId: w.members.erin.id, note: 'hi' });
      expect(late).toMatchObject({ status: 'refused', message: `Request ${asked.id} is solved already; nothing was sent.` });
      expect(w.actions.length).toBe(before);
      expect((await w.store.consoleActions.list({ kind: 'invite' }))[0]?.outcome).toBe(`refused: Request ${asked.id} is solved already; nothing was sent.`);
    });

    it('closes a request with a note in the thread', async () => {
      const before = w.actions.length;
      await runConsoleRequest(w.ctx, MARIE, 'form-close', { kind: 'close', problemId: asked.id, note: 'Answered at the meetup.' });
      expect((await w.store.problems.get(asked.id))?.status).toBe('closed');
      expect(plainText((w.actions[before]!.action as PostAction).body)).toContain('Answered at the meetup.');
    });

    it('introduces two members in a private room, once', async () => {
      const frank = await w.member(FRANK);
      const first = await runConsoleRequest(w.ctx, MARIE, 'form-intro', {
        kind: 'introduce',
        memberA: frank.id,
        memberB: w.members.alice.id,
        note: 'Both run remote teams.',
      });
      expect(first.status).toBe('done');
      const room = w.actions.at(-1)!.action as OpenRoomAction;
      expect(room.kind).toBe('open-room');
      expect(room.with.map((a) => a.externalId)).toEqual([FRANK.externalId, ALICE.externalId]);
      expect(plainText(room.body)).toContain('Both run remote teams.');
      const second = await runConsoleRequest(w.ctx, MARIE, 'form-intro-2', { kind: 'introduce', memberA: w.members.alice.id, memberB: frank.id, note: '' });
      expect(second.status).toBe('refused');
    });

    it('pauses and unpauses a member, telling them privately', async () => {
      const paused = await runConsoleRequest(w.ctx, MARIE, 'form-pause', { kind: 'pause', memberId: w.members.bob.id, days: 7 });
      expect(paused.status).toBe('done');
      expect((await w.store.members.get(w.members.bob.id))?.pausedUntil).toEqual(later(7));
      expect((w.actions.at(-1)!.action as DirectAction).kind).toBe('direct');
      await runConsoleRequest(w.ctx, MARIE, 'form-unpause', { kind: 'unpause', memberId: w.members.bob.id });
      expect((await w.store.members.get(w.members.bob.id))?.pausedUntil).toBeNull();
    });

    it('refuses a note over the limit, an unknown (deleted) member and a member who left', async () => {
      const huge = await runConsoleRequest(w.ctx, MARIE, 'form-huge', {
        kind: 'invite',
        problemId: asked.id,
        memberId: w.members.erin.id,
        note: 'x'.repeat(MAX_NOTE_CHARS + 1),
      });
      expect(huge.status).toBe('refused');
      expect(huge.message).toContain(`the limit is ${MAX_NOTE_CHARS}`);
      const ghost = await runConsoleRequest(w.ctx, MARIE, 'form-ghost', { kind: 'invite', problemId: asked.id, memberId: 999_999, note: '' });
      expect(ghost).toMatchObject({ status: 'refused', message: 'There is no member 999999 (deleted or merged into another).' });
      await w.store.members.setLeftAt(w.members.erin.id, NOW);
      const gone = await runConsoleRequest(w.ctx, MARIE, 'form-gone', { kind: 'pause', memberId: w.members.erin.id, days: 3 });
      expect(gone).toMatchObject({ status: 'refused', message: 'Erin has left the community.' });
    });
  });
});

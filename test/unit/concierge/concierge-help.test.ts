// Concierge.receive on a mention of the bot: the button press that opens a problem, links
// similar history and invites members, once, however often the event is delivered.
import { bodyOf } from '../../../core/concierge/actions.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mentionedActors, plainText } from '../../../core/concierge/rich-text.js';
import type { DirectAction, PostAction } from '../../../core/concierge/actions.js';
import { ALICE, BOB, BOT, CAROL, DAVE, DISCOURSE_BOT, EQUITY_REQUEST, NOW, DAY_MS, createWorld, mention, message, type World } from './fixture.js';

describe('Concierge: a help request', () => {
  let w: World;
  afterEach(async () => w.done());

  describe('with the default settings', () => {
    beforeEach(async () => {
      w = await createWorld();
    });

    it('posts one reply in the thread naming tags, related topics and invitees, and opens a problem', async () => {
      const e = mention(ALICE, EQUITY_REQUEST);
      const actions = await w.receive(e);

      expect(actions.map((a) => a.key)).toEqual([`matrix:${e.eventId}:reply`]);
      const post = actions[0]!.action as PostAction;
      expect(post).toMatchObject({ kind: 'post', platform: 'matrix', containerId: e.containerId, threadId: e.eventId, replyToId: e.eventId });

      const problem = await w.store.problems.findBySourceEvent('matrix', e.eventId);
      expect(problem).not.toBeNull();
      expect(problem!.originatorId).toBe(w.members.alice.id);
      expect(problem!.threadId).toBe(e.eventId);
      expect(problem!.text).toBe(EQUITY_REQUEST); // the bot's name was stripped
      expect(problem!.status).toBe('invited');
      expect(problem!.tags.map((t) => t.name)).toContain('equity');

      const links = await w.store.similarity.list(problem!.id);
      const linkedDocs = await Promise.all(links.map((l) => w.engine.kb.get(l.documentId)));
      expect(linkedDocs.map((d) => d?.threadId)).toEqual(expect.arrayContaining(['$t1', '$t2']));
      expect(linkedDocs.map((d) => d?.threadId)).not.toContain('$t3');

      const invitations = await w.store.invitations.listForProblem(problem!.id);
      const invited = invitations.map((i) => i.memberId);
      expect(invited).toEqual(expect.arrayContaining([w.members.bob.id, w.members.carol.id]));
      expect(invited).not.toContain(w.members.alice.id); // she answered similar history, but it is her problem
      expect(invitations.every((i) => i.status === 'sent' && i.sentAt !== null)).toBe(true);

      const text = plainText(post.body);
      expect(text).toContain('equity');
      for (const d of linkedDocs) expect(text).toContain(d!.title);
      const mentioned = mentionedActors(post.body).map((a) => a.externalId);
      expect(mentioned).toEqual(expect.arrayContaining([BOB.externalId, CAROL.externalId]));
      expect(mentioned).toHaveLength(invitations.length);
      expect(mentioned).not.toContain(ALICE.externalId);
    });

    it('learns the request itself as a document of its own thread', async () => {
      const e = mention(ALICE, EQUITY_REQUEST);
      await w.receive(e);
      const doc = await w.store.documents.find('matrix', e.eventId);
      expect(doc).toMatchObject({ text: EQUITY_REQUEST, threadId: e.eventId, authorId: w.members.alice.id });
      expect(w.engine.kb.get(doc!.id)?.text).toBe(EQUITY_REQUEST);
    });

    it('repeats the same decision on a replay without opening or inviting again', async () => {
      const e = mention(ALICE, EQUITY_REQUEST);
      const first = await w.receive(e);
      const problem = await w.store.problems.findBySourceEvent('matrix', e.eventId);
      const invitationsBefore = await w.store.invitations.listForProblem(problem!.id);

      const second = await w.receive(e);
      expect(second.map((a) => a.key)).toEqual(first.map((a) => a.key));
      expect(second[0]!.action).toEqual(first[0]!.action);
      expect(w.added).toEqual([1, 0]); // the outbox holds the reply once
      expect(await w.store.problems.listByOriginator(w.members.alice.id)).toHaveLength(1);
      expect(await w.store.invitations.listForProblem(problem!.id)).toEqual(invitationsBefore);
    });

    it('does not invite members who opted out, are paused or used up their own weekly budget', async () => {
      await w.store.members.setOptOut(w.members.bob.id, true);
      await w.store.members.setPausedUntil(w.members.carol.id, new Date(NOW.getTime() + 3 * DAY_MS));
      await w.store.members.setWeeklyBudget(w.members.dave.id, 0);

      const e = mention(ALICE, EQUITY_REQUEST);
      const [reply] = await w.receive(e);
      const problem = await w.store.problems.findBySourceEvent('matrix', e.eventId);
      const invited = (await w.store.invitations.listForProblem(problem!.id)).map((i) => i.memberId);
      for (const m of [w.members.bob, w.members.carol, w.members.dave, w.members.alice]) expect(invited).not.toContain(m.id);
      const mentioned = mentionedActors(bodyOf(reply!.action)).map((a) => a.externalId);
      for (const a of [BOB, CAROL, DAVE]) expect(mentioned).not.toContain(a.externalId);
    });

    it('does not invite a member whose default budget is used up this week', async () => {
      const first = mention(ALICE, EQUITY_REQUEST);
      await w.receive(first);
      const firstProblem = await w.store.problems.findBySourceEvent('matrix', first.eventId);
      expect((await w.store.invitations.listForProblem(firstProblem!.id)).map((i) => i.memberId)).toContain(w.members.bob.id);

      w.ctx.settings.weeklyBudget = 1;
      const second = mention(ALICE, 'Any advice on vesting schedules for cofounders and equity?');
      await w.receive(second);
      const secondProblem = await w.store.problems.findBySourceEvent('matrix', second.eventId);
      expect(secondProblem).not.toBeNull();
      expect((await w.store.invitations.listForProblem(secondProblem!.id)).map((i) => i.memberId)).not.toContain(w.members.bob.id);
    });

    it("helps with the message a short mention replies to, on its author's behalf", async () => {
      const original = message(CAROL, 'Our new cofounder wants equity without any vesting. What now?');
      await w.receive(original);
      const press = mention(BOB, 'can you help?', { replyToId: original.eventId });
      const [reply] = await w.receive(press);

      const problem = await w.store.problems.findBySourceEvent('matrix', press.eventId);
      expect(problem?.originatorId).toBe(w.members.carol.id);
      expect(problem?.threadId).toBe(original.eventId);
      expect(problem?.text).toContain(original.text);
      expect((reply!.action as PostAction).threadId).toBe(original.eventId);
      expect(plainText(bodyOf(reply!.action))).toMatch(/^On it \(Bob asked me to help with this\)\./);
      const invited = (await w.store.invitations.listForProblem(problem!.id)).map((i) => i.memberId);
      expect(invited).not.toContain(w.members.carol.id);
    });

    it('learns from a historic mention but never answers it', async () => {
      const e = mention(ALICE, EQUITY_REQUEST, { historic: true, createdAt: new Date(NOW.getTime() - DAY_MS) });
      expect(await w.receive(e)).toEqual([]);
      expect(await w.store.problems.findBySourceEvent('matrix', e.eventId)).toBeNull();
      const doc = await w.store.documents.find('matrix', e.eventId);
      expect(doc?.text).toBe(EQUITY_REQUEST);
      expect(w.engine.kb.get(doc!.id)).toBeDefined();
    });

    it("ignores the bot's own messages entirely", async () => {
      const kbSize = w.engine.kb.size;
      const e = message(BOT, `Asking: ${EQUITY_REQUEST}`, { mentions: [ALICE] });
      expect(await w.receive(e)).toEqual([]);
      expect(await w.store.documents.find('matrix', e.eventId)).toBeNull();
      expect(await w.store.members.findByIdentity(BOT)).toBeNull();
      expect(w.engine.kb.size).toBe(kbSize);
      expect(await w.interactions()).toEqual([]);
    });

    it('answers a bare mention with what it can do, opening nothing', async () => {
      const e = message(ALICE, 'Co-Agent:', { mentions: [BOT], mentionsBot: true });
      const actions = await w.receive(e);
      expect(actions.map((a) => a.key)).toEqual([`matrix:${e.eventId}:reply`]);
      expect(plainText(bodyOf(actions[0]!.action))).toMatch(/^Here's what I can do:\n!coagent help <your problem>/);
      expect(await w.store.problems.findBySourceEvent('matrix', e.eventId)).toBeNull();
    });
  });

  it('invites by direct message when inviteVia is direct: one direct action per invitee', async () => {
    w = await createWorld({ inviteVia: 'direct' });
    const e = mention(ALICE, EQUITY_REQUEST, { url: 'https://matrix.to/#/!community:example.org/$req' });
    const actions = await w.receive(e);
    const problem = await w.store.problems.findBySourceEvent('matrix', e.eventId);
    const invitations = await w.store.invitations.listForProblem(problem!.id);
    expect(invitations.length).toBeGreaterThan(0);

    expect(actions[0]!.key).toBe(`matrix:${e.eventId}:reply`);
    expect(mentionedActors(bodyOf(actions[0]!.action))).toEqual([]); // names in bold, nobody pinged in the room
    const directs = actions.filter((a) => a.action.kind === 'direct');
    expect(directs).toHaveLength(invitations.length);
    const members = await Promise.all(invitations.map((i) => w.store.members.get(i.memberId)));
    const expectedTo = members.map((m) => m!.identities[0]!.externalId);
    expect(directs.map((a) => (a.action as DirectAction).to.externalId)).toEqual(expectedTo);
    expect(directs.map((a) => a.key)).toEqual(expectedTo.map((id) => `matrix:${e.eventId}:invite:${id}`));
    for (const d of directs) {
      const text = plainText(bodyOf(d.action));
      expect(text).toContain('Alice could use your help');
      expect(text).toContain(e.url);
    }
    expect(directs.map((a) => (a.action as DirectAction).to.externalId)).not.toContain(ALICE.externalId);
  });

  it("invites with the platform's own invitation when the platform settings say so", async () => {
    w = await createWorld({ platforms: { matrix: { inviteVia: 'invite', setTags: true } } });
    const e = mention(ALICE, EQUITY_REQUEST);
    const actions = await w.receive(e);
    const problem = (await w.store.problems.findBySourceEvent('matrix', e.eventId))!;
    const invitations = await w.store.invitations.listForProblem(problem.id);
    expect(plainText(bodyOf(actions[0]!.action))).toContain("I've invited to this topic:");
    expect(mentionedActors(bodyOf(actions[0]!.action))).toEqual([]);
    const invites = actions.filter((a) => a.action.kind === 'invite');
    expect(invites).toHaveLength(invitations.length);
    expect(invites.every((a) => a.action.kind === 'invite' && a.action.containerId === e.containerId)).toBe(true);
    // Matrix rooms carry no tags (its profile): the setting cannot put any there.
    expect(actions.filter((a) => a.action.kind === 'set-tags')).toEqual([]);
  });

  it('tags the topic when the platform has tags and its settings say so', async () => {
    w = await createWorld({ platforms: { discourse: { setTags: true } } }, { bots: [DISCOURSE_BOT] });
    const e = message({ platform: 'discourse', externalId: 'alice', displayName: 'Alice' }, `@coagent ${EQUITY_REQUEST}`, {
      mentions: [DISCOURSE_BOT],
      mentionsBot: true,
    });
    const actions = await w.receive(e);
    const problem = (await w.store.problems.findBySourceEvent('discourse', e.eventId))!;
    expect(problem.tags.length).toBeGreaterThan(0);
    const tags = actions.find((a) => a.action.kind === 'set-tags');
    expect(tags?.key).toBe(`discourse:${e.eventId}:tags`);
    expect(tags?.action.kind === 'set-tags' && tags.action.tags).toEqual(problem.tags.map((t) => t.name));
  });
});

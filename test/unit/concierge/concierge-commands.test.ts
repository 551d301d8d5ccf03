// Concierge.receive on commands: solved, thanks, optout/optin, pause, status, unknown words,
// identity linking, and the flood guard on help requests.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { KeyedAction, PostAction } from '../../../core/concierge/actions.js';
import { plainText } from '../../../core/concierge/rich-text.js';
import type { ActorRef } from '../../../core/inbound.js';
import { ALICE, BOB, CAROL, DAY_MS, EQUITY_REQUEST, NOW, createWorld, inThread, mention, message, type World } from './fixture.js';

const textOf = (actions: readonly KeyedAction[]): string => {
  expect(actions).toHaveLength(1);
  const { action } = actions[0]!;
  return 'body' in action ? plainText(action.body) : '';
};

describe('Concierge: commands', () => {
  let w: World;
  beforeEach(async () => {
    w = await createWorld();
  });
  afterEach(async () => w.done());

  it('"solved" in the thread marks the problem solved and replies there', async () => {
    const request = mention(ALICE, EQUITY_REQUEST);
    await w.receive(request);
    const problem = (await w.store.problems.findBySourceEvent('matrix', request.eventId))!;
    await w.receive(inThread(BOB, request.eventId, 'Use a four-year vesting schedule.'));

    const cmd = inThread(ALICE, request.eventId, '!coagent solved');
    const actions = await w.receive(cmd);
    expect(actions.map((a) => a.key)).toEqual([`matrix:${cmd.eventId}:reply`]);
    expect((actions[0]!.action as PostAction).threadId).toBe(request.eventId);
    expect(textOf(actions).split('\n')[0]).toBe('Marked solved. Thank you Bob for helping!');
    const solved = await w.store.problems.get(problem.id);
    expect(solved?.status).toBe('solved');
    expect(solved?.solvedAt?.getTime()).toBe(NOW.getTime());
    expect(await w.store.documents.find('matrix', cmd.eventId)).toBeNull(); // commands are not learned
  });

  it('"solved" without an open request says so', async () => {
    expect(textOf(await w.receive(message(BOB, '!coagent solved')))).toMatch(/don't see an open request/);
  });

  it('"solved" before any answer marks it solved without thanking anyone', async () => {
    const request = mention(ALICE, EQUITY_REQUEST);
    await w.receive(request);
    const actions = await w.receive(inThread(ALICE, request.eventId, '!coagent solved'));
    expect(textOf(actions).split('\n')[0]).toBe('Marked solved. Glad it worked out!');
    const problem = (await w.store.problems.findBySourceEvent('matrix', request.eventId))!;
    expect(problem.status).toBe('solved');
    expect(await w.store.feedback.listForProblem(problem.id)).toEqual([]);
  });

  it('"solved" in someone else\'s thread, or twice, changes nothing and says why', async () => {
    const request = mention(ALICE, EQUITY_REQUEST);
    await w.receive(request);
    const problem = (await w.store.problems.findBySourceEvent('matrix', request.eventId))!;
    // Bob has an open request of his own: it must not be the one marked solved.
    const bobs = mention(BOB, 'How do we plan next year budget when headcount is uncertain?');
    await w.receive(bobs);
    expect(textOf(await w.receive(inThread(BOB, request.eventId, '!coagent solved')))).toBe(
      'Only Alice, who asked, can mark this request solved. If an answer helped you too, react 👍 to it.',
    );
    expect((await w.store.problems.get(problem.id))?.status).not.toBe('solved');
    expect((await w.store.problems.findBySourceEvent('matrix', bobs.eventId))?.status).not.toBe('solved');

    await w.receive(inThread(ALICE, request.eventId, '!coagent solved'));
    expect(textOf(await w.receive(inThread(ALICE, request.eventId, '!coagent solved')))).toBe('This request is already marked solved.');
    expect((await w.store.problems.listTransitions(problem.id)).filter((t) => t.to === 'solved')).toHaveLength(1);
  });

  it('an answer stamped by a platform clock that runs ahead, or behind the request, gets believable times', async () => {
    const request = mention(ALICE, EQUITY_REQUEST);
    await w.receive(request);
    const problem = (await w.store.problems.findBySourceEvent('matrix', request.eventId))!;
    await w.receive(inThread(BOB, request.eventId, 'Use a four-year vesting schedule.', { createdAt: new Date(NOW.getTime() + 30 * DAY_MS) }));
    await w.receive(
      inThread(CAROL, request.eventId, 'Split it evenly and revisit after a year.', { createdAt: new Date(problem.createdAt.getTime() - DAY_MS) }),
    );
    const times = (await w.store.responses.listForProblem(problem.id)).map((r) => r.createdAt.getTime());
    expect(times).toHaveLength(2);
    for (const t of times) {
      expect(t).toBeGreaterThanOrEqual(problem.createdAt.getTime());
      expect(t).toBeLessThanOrEqual(NOW.getTime());
    }
  });

  it('"thanks @member" records thanks feedback to that member', async () => {
    const cmd = message(ALICE, '!coagent thanks @bob', { mentions: [BOB] });
    expect(textOf(await w.receive(cmd))).toBe('Thanks noted for Bob. It helps me ask the right people next time.');
    expect(await w.store.feedback.listReceivedBy(w.members.bob.id)).toEqual([
      expect.objectContaining({ kind: 'thanks', fromMemberId: w.members.alice.id, sourceEventId: cmd.eventId }),
    ]);
    // A replay does not thank twice.
    await w.receive(cmd);
    expect(await w.store.feedback.listReceivedBy(w.members.bob.id)).toHaveLength(1);
  });

  it('"optout" stops invitations, erases what the member wrote and stops learning; "optin" undoes it', async () => {
    const bobDoc = (await w.store.documents.find('matrix', w.history.t1a))!;
    expect(w.engine.kb.get(bobDoc.id)).toBeDefined();

    expect(textOf(await w.receive(message(BOB, '!coagent optout')))).toMatch(/^Done: I won't invite you/);
    expect((await w.store.members.get(w.members.bob.id))?.optedOut).toBe(true);
    const erased = await w.store.documents.find('matrix', w.history.t1a);
    expect(erased?.deletedAt).toBeInstanceOf(Date);
    expect(erased?.text).toBe('');
    expect(w.engine.kb.get(bobDoc.id)).toBeUndefined();
    expect([...w.engine.kb.docs.values()].some((d) => d.authorId === w.members.bob.id)).toBe(false);

    const later = message(BOB, 'Vesting cliffs are usually one year.');
    await w.receive(later);
    expect(await w.store.documents.find('matrix', later.eventId)).toBeNull();

    expect(textOf(await w.receive(message(BOB, '!coagent optin')))).toMatch(/^Welcome back/);
    expect((await w.store.members.get(w.members.bob.id))?.optedOut).toBe(false);
    const after = message(BOB, 'Vesting cliffs protect the company.');
    await w.receive(after);
    expect((await w.store.documents.find('matrix', after.eventId))?.text).toBe(after.text);
  });

  it('"pause 7d" pauses for seven days, "pause off" resumes', async () => {
    const reply = textOf(await w.receive(message(BOB, '!coagent pause 7d')));
    const until = (await w.store.members.get(w.members.bob.id))?.pausedUntil;
    expect(until?.getTime()).toBe(NOW.getTime() + 7 * DAY_MS);
    expect(reply).toContain(until!.toISOString().slice(0, 16).replace('T', ' '));

    expect(textOf(await w.receive(message(BOB, '!coagent pause off')))).toMatch(/^Resumed/);
    expect((await w.store.members.get(w.members.bob.id))?.pausedUntil).toBeNull();
  });

  it('"pause soon" explains the durations it understands and changes nothing', async () => {
    expect(textOf(await w.receive(message(BOB, '!coagent pause soon')))).toMatch(/did not understand "soon"/);
    expect((await w.store.members.get(w.members.bob.id))?.pausedUntil).toBeNull();
  });

  it('"status" reflects budget, pause, open requests and accounts', async () => {
    const fresh = textOf(await w.receive(message(BOB, '!coagent status')));
    expect(fresh).toContain('Your status, Bob:');
    expect(fresh).toContain('invitations this week: 0 of 3');
    expect(fresh).toContain('not paused');
    expect(fresh).toContain('open requests of yours: 0');
    expect(fresh).toContain(`matrix ${BOB.externalId}`);

    await w.receive(mention(ALICE, EQUITY_REQUEST)); // invites Bob
    await w.store.members.setWeeklyBudget(w.members.bob.id, 5);
    await w.receive(message(BOB, '!coagent pause 2w'));
    await w.receive(mention(BOB, 'How do we hire our first engineers?'));
    const later = textOf(await w.receive(message(BOB, '!coagent status')));
    expect(later).toContain('invitations this week: 1 of 5');
    expect(later).toContain(`paused until ${new Date(NOW.getTime() + 14 * DAY_MS).toISOString().slice(0, 16).replace('T', ' ')} UTC`);
    expect(later).toContain('open requests of yours: 1');

    await w.receive(message(BOB, '!coagent optout'));
    expect(textOf(await w.receive(message(BOB, '!coagent status')))).toContain('opted out');
  });

  it('answers an unknown command by naming the word', async () => {
    const cmd = message(ALICE, '!coagent frobnicate the widgets');
    const actions = await w.receive(cmd);
    expect(actions[0]!.key).toBe(`matrix:${cmd.eventId}:reply`);
    expect(textOf(actions)).toContain('"frobnicate"');
  });

  it('takes a bare command in a direct conversation and replies without a thread', async () => {
    const cmd = message(BOB, 'status', { conversation: 'direct' });
    const actions = await w.receive(cmd);
    expect(textOf(actions)).toContain('Your status, Bob:');
    expect(actions[0]!.action).not.toHaveProperty('threadId');
    const inRoom = await w.receive(message(BOB, '!coagent status'));
    expect((inRoom[0]!.action as PostAction).threadId).toBeDefined();
  });

  describe('identity linking', () => {
    const codeIn = (actions: readonly KeyedAction[]): string => {
      const m = /!coagent link ([A-Z0-9]{8})$/.exec(textOf(actions));
      expect(m).not.toBeNull();
      return m![1]!;
    };
    const discourse = (username: string): ActorRef => ({ platform: 'discourse', externalId: username });
    const redeem = (username: string, code: string) =>
      message(discourse(username), `!coagent link ${code}`, { conversation: 'direct', containerId: `dm-${username}` });

    it('links the discourse account that posts the code, once', async () => {
      const code = codeIn(await w.receive(message(ALICE, '!coagent link-discourse alice_d')));

      const actions = await w.receive(redeem('alice_d', code));
      expect(textOf(actions)).toMatch(/^Linked: your discourse account/);
      expect(actions[0]!.action).not.toHaveProperty('threadId');
      const linked = await w.store.members.findByIdentity(discourse('alice_d'));
      expect(linked?.id).toBe(w.members.alice.id);
      expect(linked?.identities.map((i) => `${i.platform}:${i.externalId}`).sort()).toEqual(['discourse:alice_d', `matrix:${ALICE.externalId}`]);
      expect(linked?.identities.find((i) => i.platform === 'discourse')?.verifiedAt?.getTime()).toBe(NOW.getTime());

      // The code is spent: posting it again changes nothing and says so; from anyone else it is used up.
      expect(textOf(await w.receive(redeem('alice_d', code)))).toBe('Those accounts are already linked.');
      expect(textOf(await w.receive(redeem('mallory', code)))).toMatch(/^That code was used already\. Ask for a new one/);
      expect((await w.store.members.findByIdentity(discourse('mallory')))?.id).not.toBe(w.members.alice.id);
    });

    it('refuses an unknown code and an expired one, each saying so', async () => {
      expect(textOf(await w.receive(redeem('alice_d', 'ZZZZ9999')))).toMatch(/^I don't know the code ZZZZ9999: check it for typos\./);
      const code = codeIn(await w.receive(message(ALICE, '!coagent link-discourse alice_d')));
      const late = { ...redeem('alice_d', code), createdAt: new Date(NOW.getTime() + 25 * 3_600_000) };
      w.ctx.now = () => late.createdAt;
      expect(textOf(await w.receive(late))).toMatch(/^That code expired: codes last 24 hours\./);
      expect((await w.store.members.get(w.members.alice.id))?.identities).toHaveLength(1);
    });

    it('refuses the code posted from the same platform it was asked on', async () => {
      const code = codeIn(await w.receive(message(ALICE, '!coagent link-discourse alice_d')));
      expect(textOf(await w.receive(message(BOB, `!coagent link ${code}`, { conversation: 'direct' })))).toBe(
        'That code has to be posted from the discourse account it was made for, not from matrix.',
      );
    });

    it('says an account already linked is linked, without a code', async () => {
      const code = codeIn(await w.receive(message(ALICE, '!coagent link-discourse alice_d')));
      await w.receive(redeem('alice_d', code));
      expect(textOf(await w.receive(message(ALICE, '!coagent link-discourse alice_d')))).toBe('alice_d on the forum is already linked to you.');
    });

    it('refuses the code from another account', async () => {
      const code = codeIn(await w.receive(message(ALICE, '!coagent link-discourse alice_d')));
      expect(textOf(await w.receive(redeem('mallory', code)))).toBe(
        "That code was made for another discourse account, so I can't use it from this one. Post it from the account you named, or ask for a new code.",
      );
      const mallory = await w.store.members.findByIdentity(discourse('mallory'));
      expect(mallory?.id).not.toBe(w.members.alice.id);
      expect((await w.store.members.get(w.members.alice.id))?.identities).toHaveLength(1);
      // A wrong attempt does not burn the code: its owner can still use it.
      expect(textOf(await w.receive(redeem('alice_d', code)))).toMatch(/^Linked/);
    });

    it('links a matrix account from discourse, the matrix id written with its @', async () => {
      const cmd = message(discourse('alice_d'), `!coagent link-matrix ${ALICE.externalId}`, { conversation: 'direct', containerId: 'dm-alice_d' });
      const code = codeIn(await w.receive(cmd));
      expect(textOf(await w.receive(message(ALICE, `!coagent link ${code}`, { conversation: 'direct' })))).toMatch(/^Linked/);
      // The code belongs to the discourse member; the matrix account's member is folded into it.
      const linked = await w.store.members.findByIdentity(discourse('alice_d'));
      expect((await w.store.members.findByIdentity(ALICE))?.id).toBe(linked!.id);
      expect(linked?.identities.map((i) => i.externalId).sort()).toEqual([ALICE.externalId, 'alice_d'].sort());
    });

    it('refuses to link an account on the platform the member is already on', async () => {
      expect(textOf(await w.receive(message(ALICE, '!coagent link-matrix @alice2:example.org')))).toMatch(/already on matrix/);
    });
  });

  it('keeps requests beyond the flood limit: recorded, answered in order once the window passes, and says so once', async () => {
    w.ctx.settings.flood = { maxRequests: 2, windowMinutes: 10 };
    const requests = [
      mention(ALICE, EQUITY_REQUEST),
      mention(ALICE, 'How do we hire our first engineers?'),
      mention(ALICE, 'What vesting cliff is usual for cofounders?'),
      mention(ALICE, 'Which salaries do engineers expect?'),
    ];
    const decided: KeyedAction[][] = [];
    for (const r of requests) decided.push(await w.receive(r));

    const reply = (i: number) => decided[i]!.find((a) => a.key === `matrix:${requests[i]!.eventId}:reply`);
    expect(reply(0)?.notBefore).toBeUndefined();
    expect(reply(1)?.notBefore).toBeUndefined();
    const window = Math.floor(NOW.getTime() / (10 * 60_000));
    const floodKey = `matrix:flood:${w.members.alice.id}:${window}`;
    expect(decided[2]![0]!.key).toBe(floodKey);
    const flood = decided[2]![0]!.action;
    const tenMinutesLater = new Date(NOW.getTime() + 10 * 60_000);
    expect('body' in flood ? plainText(flood.body) : '').toMatch(
      new RegExp(`noted this request and will answer it here at ${tenMinutesLater.toISOString().slice(11, 16)} UTC`),
    );
    // Both queued replies wait for the window, the third request's first (outbox order).
    expect(reply(2)?.notBefore).toEqual(tenMinutesLater);
    expect(reply(3)?.notBefore).toEqual(tenMinutesLater);
    // The notice goes out once per window; the fourth request adds its own reply and invitations.
    expect(decided[3]!.map((a) => a.key)).toContain(floodKey);
    expect(w.added[3]).toBe(decided[3]!.length - 1);
    for (const r of requests) expect(await w.store.problems.findBySourceEvent('matrix', r.eventId)).not.toBeNull();
    const due = await w.store.outbox.due('matrix', NOW, 50);
    expect(due.map((a) => a.key)).not.toContain(`matrix:${requests[2]!.eventId}:reply`);
    const later = (await w.store.outbox.due('matrix', tenMinutesLater, 50)).map((a) => a.key);
    expect(later.indexOf(`matrix:${requests[2]!.eventId}:reply`)).toBeLessThan(later.indexOf(`matrix:${requests[3]!.eventId}:reply`));

    // A replay of a queued request repeats the same decision (and the outbox keeps one of each).
    const replay = await w.receive(requests[2]!);
    expect(replay.find((a) => a.key.endsWith(':reply'))?.notBefore).toEqual(tenMinutesLater);
  });
});

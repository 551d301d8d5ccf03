// Members through the real service and the stand-in homeserver: leaving the Space (never invited,
// commands naming them answered, eligible again on rejoining), and an invited member answering
// the bot privately, passed on to the thread only after they say "relay".
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../../core/store/index.js';
import type { FakeHomeserver } from '../../scripts/stand-ins/matrix-homeserver/index.js';
import { mentionOfBot, type Community, body, threadOf } from '../../scripts/support/matrix-community.js';
import { startMatrixWorld, type MatrixWorld } from './matrix-world.js';
import { eventually } from '../../scripts/support/service-io.js';

describe('Matrix members: leaving the Space, answering privately', () => {
  let hs: FakeHomeserver;
  let c: Community;
  let store: Store;
  const bobId = () => store.members.findByIdentity({ platform: 'matrix', externalId: c.users.bob });
  const botSays = (roomId: string, match: (text: string) => boolean) =>
    hs.waitForEvent((e) => e.sender === c.bot.userId && e.type === 'm.room.message' && e.room_id === roomId && match(body(e)), 30_000);
  /** Alice asks for help in General; returns the request and the members invited. */
  async function ask(text: string) {
    const request = hs.send(c.users.alice, c.general, 'm.room.message', mentionOfBot(c.bot.userId, text));
    await hs.waitForEvent((e) => e.sender === c.bot.userId && e.type === 'm.room.message' && threadOf(e) === request, 30_000);
    const problem = await eventually('the problem', () => store.problems.findBySourceEvent('matrix', request).then((p) => p ?? undefined));
    const invited = await Promise.all((await store.invitations.listForProblem(problem.id)).map((i) => store.members.get(i.memberId)));
    return { request, problem, invited: invited.map((m) => m!.identities[0]!.externalId) };
  }

  let world: MatrixWorld;
  beforeAll(async () => {
    world = await startMatrixWorld({ extraConfig: 'concierge:\n  inviteVia: direct\n' });
    ({ hs, c, store } = world);
  });

  afterAll(async () => world?.close());

  it('never invites a member who left the Space, answers commands naming them, and invites them again once back', async () => {
    hs.leave(c.users.bob, c.space);
    await eventually('Bob to be marked as gone', async () => ((await bobId())?.leftAt ? true : undefined));
    const whileGone = await ask('how should we onboard new engineering managers in their first 90 days?');
    expect(whileGone.invited.length).toBeGreaterThan(0);
    expect(whileGone.invited).not.toContain(c.users.bob);

    hs.send(c.users.alice, c.general, 'm.room.message', {
      msgtype: 'm.text',
      body: '!coagent thanks Bob Baker',
      'm.mentions': { user_ids: [c.users.bob] },
      format: 'org.matrix.custom.html',
      formatted_body: `!coagent thanks <a href="https://matrix.to/#/${c.users.bob}">Bob Baker</a>`,
    });
    await botSays(c.general, (t) => t.startsWith('Bob Baker left the community'));

    hs.join(c.users.bob, c.space);
    await eventually('Bob to be back', async () => ((await bobId())?.leftAt === null ? true : undefined));
    const back = await ask('any advice on onboarding new managers with a 30-60-90 day plan and a buddy?');
    expect(back.invited).toContain(c.users.bob);
    expect(hs.violations).toEqual([]);
  });

  it('passes on a private answer to the thread only after the member says "relay"', async () => {
    const { request, problem } = await ask('how do we onboard managers who join a fully remote team?');
    const bob = (await bobId())!;
    expect((await store.invitations.listForProblem(problem.id)).map((i) => i.memberId)).toContain(bob.id);
    // Bob opens the invitation the bot sent him directly and answers there.
    const dm = (
      await hs.waitForEvent(
        (e) =>
          e.sender === c.bot.userId &&
          e.type === 'm.room.message' &&
          e.room_id !== c.general &&
          body(e).includes(encodeURIComponent(request)) &&
          hs.timeline(e.room_id).some((m) => m.type === 'm.room.member' && (m as { state_key?: string }).state_key === c.users.bob),
        15_000,
      )
    ).room_id;
    hs.join(c.users.bob, dm);
    const answer = 'Give them a buddy in their time zone and daily short video check-ins for two weeks.';
    hs.sendText(c.users.bob, dm, answer);
    await botSays(dm, (t) => t.startsWith('Shall I pass this on to Alice Archer with your name?'));
    expect(hs.timeline(c.general).some((e) => body(e).includes(answer))).toBe(false);

    hs.sendText(c.users.bob, dm, 'relay');
    const relayed = await botSays(c.general, (t) => t === `Bob Baker answered privately: ${answer}`);
    expect(threadOf(relayed)).toBe(request);
    expect((relayed.content as { 'm.mentions'?: { user_ids?: string[] } })['m.mentions']?.user_ids ?? []).toEqual([]);
    await botSays(dm, (t) => t.startsWith('Passed on to Alice Archer'));
    const responses = await store.responses.listForProblem(problem.id);
    expect(responses.map((r) => r.text)).toContain(answer);
    expect(hs.violations).toEqual([]);
  });
});

// Password login (the token kept for the next start) and invitations by direct message.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MatrixBridge } from '../../bridges/matrix/bridge.js';
import { createLogger } from '../../core/logging.js';
import type { Store } from '../../core/store/index.js';
import type { FakeHomeserver } from '../../scripts/stand-ins/matrix-homeserver/index.js';
import { mentionOfBot, type Community, body, threadOf } from '../../scripts/support/matrix-community.js';
import { startMatrixWorld, type MatrixWorld } from './matrix-world.js';
import { eventually } from '../../scripts/support/service-io.js';
import type { Harness } from './service-harness.js';

describe('Matrix password login and invitations by direct message', () => {
  let hs: FakeHomeserver;
  let c: Community;
  let h: Harness;
  let store: Store;
  const logins = () => hs.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/login')).length;

  let world: MatrixWorld;
  beforeAll(async () => {
    world = await startMatrixWorld({
      auth: () => ({ MATRIX_PASSWORD: 'password' }),
      extraConfig: '  userId: "@coagent:localhost"\nconcierge:\n  inviteVia: direct\n',
    });
    ({ hs, c, h, store } = world);
  });

  afterAll(async () => world?.close());

  it('logs in with the password once and keeps the token for the next start', async () => {
    expect(logins()).toBe(1);
    expect(await store.cursors.get('matrix', 'access-token:@coagent:localhost')).toMatch(/\S{8,}/);
    expect(JSON.stringify(h.logs)).not.toContain('"password"');
    await h.stop();
    await h.start();
    expect(logins()).toBe(1);
  });

  it('stops the start with a clear message when the token or the password is wrong', async () => {
    const settings = { homeserverUrl: hs.url, space: '#community:localhost', allowRooms: [], backfill: 0, smallRoomMaxMembers: 6, encryption: false };
    const logger = createLogger({ level: 'silent' });
    await expect(MatrixBridge.connect({ ...settings, accessToken: 'not-a-token' }, store, logger)).rejects.toThrow(
      /refused the bot's credentials \(M_UNKNOWN_TOKEN/,
    );
    await expect(MatrixBridge.connect({ ...settings, userId: '@nobody:localhost', password: 'wrong' }, store, logger)).rejects.toThrow(
      /login as @nobody:localhost failed \(M_FORBIDDEN/,
    );
  });

  it('invites helpers by direct message and says so in the thread without mentioning them', async () => {
    const ask = hs.send(c.users.alice, c.general, 'm.room.message', mentionOfBot(c.bot.userId, 'how do we onboard managers who join remote teams?'));
    const reply = await hs.waitForEvent((e) => e.sender === c.bot.userId && e.type === 'm.room.message' && threadOf(e) === ask, 30_000);
    expect(body(reply)).toContain("I've asked (privately):");
    expect((reply.content as { 'm.mentions'?: { user_ids?: string[] } })['m.mentions']?.user_ids).toEqual([]);

    const problem = await eventually('the problem', () => store.problems.findBySourceEvent('matrix', ask).then((p) => p ?? undefined));
    const invitations = await store.invitations.listForProblem(problem.id);
    expect(invitations.length).toBeGreaterThan(0);
    // Each invitee gets a direct room (is_direct) with the invitation in it.
    const directRoomOf = (roomId: string, userId: string) =>
      hs
        .timeline(roomId)
        .some(
          (e) => e.type === 'm.room.member' && (e as { state_key?: string }).state_key === userId && (e.content as { is_direct?: boolean }).is_direct === true,
        );
    for (const inv of invitations) {
      const member = (await store.members.get(inv.memberId))!;
      const userId = member.identities.find((i) => i.platform === 'matrix')!.externalId;
      const message = await hs.waitForEvent(
        (e) => e.sender === c.bot.userId && e.type === 'm.room.message' && e.room_id !== c.general && directRoomOf(e.room_id, userId),
        15_000,
      );
      expect(body(message)).toContain('Alice Archer could use your help');
      expect(body(message)).toContain(encodeURIComponent(ask));
      expect(hs.joinedMembers(message.room_id)).toEqual([c.bot.userId]);
    }
    expect(hs.violations).toEqual([]);
  });
});

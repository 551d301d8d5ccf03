// Private messages follow the platforms' capabilities (core/concierge/direct-routing.ts): one
// addressed on a platform without direct messages goes to the member's account on a platform
// with them, or is not sent when the member has none. A platform registered by this test only.
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { DirectAction, KeyedAction } from '../../../core/concierge/actions.js';
import { ActionExecutor } from '../../../core/concierge/executor.js';
import { textReply } from '../../../core/concierge/replies.js';
import { registerPlatform } from '../../../core/platforms.js';
import { createWorld, NOW, silentLogger, type World } from './fixture.js';

const NOTICES = 'notices';

const direct = (key: string, externalId: string): KeyedAction => ({
  key,
  action: { kind: 'direct', platform: NOTICES, to: { platform: NOTICES, externalId }, body: textReply('A note for you.') },
});

describe('private messages and the platforms that cannot take them', () => {
  let w: World;
  let executor: ActionExecutor;

  beforeAll(() =>
    registerPlatform({
      id: NOTICES,
      name: 'the notice board',
      place: 'the notice board',
      // An announcement board: posts and replies only.
      capabilities: { threads: false, directMessages: false, reactions: 'none', tags: false, minDirectMessageChars: 0 },
      claims: (a) => a.startsWith('notices:'),
      normalize: (a) => a,
      handle: (a) => a,
      link: { argument: '<name>', parse: (word) => word },
    }),
  );
  beforeEach(async () => {
    w = await createWorld();
    executor = new ActionExecutor({ store: w.store, ports: [], logger: silentLogger });
  });
  afterEach(() => w.done());

  it("sends one addressed on the board to the member's account on a platform with direct messages", async () => {
    const bob = w.members.bob;
    expect((await w.store.members.linkIdentity(bob.id, { platform: NOTICES, externalId: 'bob' }, { verifiedAt: NOW })).ok).toBe(true);
    await executor.submit([direct('notices:note:bob', 'bob')]);
    const row = await w.store.outbox.get('notices:note:bob');
    expect(row?.platform).toBe('matrix');
    const sent = JSON.parse(row!.payload) as DirectAction;
    expect(sent).toMatchObject({ kind: 'direct', platform: 'matrix', to: { platform: 'matrix', externalId: bob.identities[0]!.externalId } });
  });

  it('does not record one for a member who is only on the board, and leaves the others as they are', async () => {
    await w.store.members.upsertByIdentity({ platform: NOTICES, externalId: 'zoe' });
    const toAlice: KeyedAction = {
      key: 'matrix:note:alice',
      action: { kind: 'direct', platform: 'matrix', to: { platform: 'matrix', externalId: w.members.alice.identities[0]!.externalId }, body: textReply('Hi.') },
    };
    await executor.submit([direct('notices:note:zoe', 'zoe'), toAlice]);
    expect(await w.store.outbox.get('notices:note:zoe')).toBeNull();
    expect(JSON.parse((await w.store.outbox.get('matrix:note:alice'))!.payload)).toEqual(JSON.parse(JSON.stringify(toAlice.action)));
  });
});

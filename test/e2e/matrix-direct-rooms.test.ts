// A direct message needs a room: created, then recorded in m.direct. When the process dies (or
// the m.direct write fails) between the two, the next attempt, in a new process, must adopt the
// room it created instead of opening a second one.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { MatrixClient } from 'matrix-bot-sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OutboundAction } from '../../core/concierge/actions.js';
import { textReply } from '../../core/concierge/replies.js';
import { createLogger } from '../../core/logging.js';
import { openStore, type Store } from '../../core/store/index.js';
import { MatrixOutbound } from '../../bridges/matrix/outbound.js';
import { startFakeHomeserver, type FakeHomeserver } from '../../scripts/stand-ins/matrix-homeserver/index.js';
import { postgresDatabase } from './service-harness.js';

const logger = createLogger({ level: 'silent' });

describe('Matrix direct rooms across a crash between creating and recording', () => {
  let hs: FakeHomeserver;
  let store: Store;
  let dir: string;
  let postgres: ReturnType<typeof postgresDatabase>;
  let bot: { userId: string; accessToken: string };
  let alice: { userId: string };

  beforeAll(async () => {
    hs = await startFakeHomeserver({ syncTimeoutCapMs: 300 });
    bot = hs.registerUser('coagent');
    alice = hs.registerUser('alice');
    dir = mkdtempSync(path.join(tmpdir(), 'co-agent-dm-'));
    // CO_AGENT_TEST_STORE=postgresql: a fresh PostgreSQL database, dropped afterwards.
    postgres = postgresDatabase();
    store = await openStore({ path: postgres?.url ?? path.join(dir, 'co-agent.db'), logger });
  });

  afterAll(async () => {
    await store?.close();
    await hs?.close();
    rmSync(dir, { recursive: true, force: true });
    postgres?.drop();
  });

  it('opens one room, however the first attempt ended', async () => {
    const dm = (text: string): OutboundAction => ({
      kind: 'direct',
      platform: 'matrix',
      to: { platform: 'matrix', externalId: alice.userId },
      body: textReply(text),
    });
    hs.failNext({ method: 'PUT', path: /\/account_data\/m\.direct$/ }, { status: 500 });
    const first = new MatrixOutbound(new MatrixClient(hs.url, bot.accessToken), logger, store);
    expect((await first.perform(dm('Hello Alice'), 'dm-1')).ok).toBe(false);

    // A new process: nothing in memory, m.direct still empty.
    const second = new MatrixOutbound(new MatrixClient(hs.url, bot.accessToken), logger, store);
    const again = await second.perform(dm('Hello Alice'), 'dm-1');
    const later = await second.perform(dm('A second message'), 'dm-2');
    expect(again.ok && later.ok).toBe(true);

    const created = hs.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/createRoom') && r.status === 200);
    expect(created).toHaveLength(1);
    const roomId = again.ok ? again.value.roomId : '';
    expect(later.ok ? later.value.roomId : '').toBe(roomId);
    expect(hs.accountData(bot.userId, 'm.direct')).toEqual({ [alice.userId]: [roomId] });
  });
});

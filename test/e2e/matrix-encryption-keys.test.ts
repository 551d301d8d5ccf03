// Encrypted rooms when keys come late or input is bad (service in process, matrix.encryption
// on): an event whose room key has not arrived is kept, not answered, and answered once when
// the key comes; garbage m.room.encrypted content, an unknown algorithm and replayed to-device
// messages give clear log lines and the bot keeps serving the other rooms.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RoomEvent } from '../../scripts/stand-ins/matrix-homeserver/index.js';
import { mentionOfBot, threadOf } from '../../scripts/support/matrix-community.js';
import { CryptoMember } from './matrix-crypto-member.js';
import { startMatrixWorld, type MatrixWorld } from './matrix-world.js';
import { eventually } from '../../scripts/support/service-io.js';

describe('Matrix encryption: late keys and bad input', () => {
  let w: MatrixWorld;
  let dir: string;
  let alice: CryptoMember;
  const logged = (msg: string) => w.h.logs.filter((l) => l['msg'] === msg);
  const botIn = (room: string, root: string) => (e: RoomEvent) => e.room_id === room && e.sender === w.c.bot.userId && threadOf(e) === root;

  beforeAll(async () => {
    w = await startMatrixWorld({ extraConfig: '  encryption: true' });
    dir = mkdtempSync(path.join(tmpdir(), 'co-agent-e2ee-keys-'));
    await eventually('the bot to publish its device keys', () => (w.hs.devicesWithKeys(w.c.bot.userId).length === 1 ? true : undefined), 30_000);
    alice = await CryptoMember.login(w.hs.url, 'alice', path.join(dir, 'alice'), [w.c.encrypted]);
  }, 120_000);

  afterAll(async () => {
    alice?.close();
    await w?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps an event whose room key has not arrived, and answers it once the key comes', async () => {
    const { hs, c } = w;
    hs.holdToDevice(c.bot.userId);
    await alice.rotate(c.encrypted);
    const ask = await alice.send(c.encrypted, mentionOfBot(c.bot.userId, 'how do we give difficult feedback to a defensive senior engineer?'));
    // The bot has synced past the question and handled everything it could: no answer yet.
    await eventually('the bot to sync past the question', () => (hs.caughtUp(c.bot.userId) ? true : undefined), 30_000);
    await w.h.app!.idle();
    await eventually(
      'the event to be kept',
      () => (logged('encrypted event without its room key yet; kept until the key arrives').some((l) => l['eventId'] === ask) ? true : undefined),
      30_000,
    );
    expect(hs.timeline(c.encrypted).filter(botIn(c.encrypted, ask))).toHaveLength(0);

    expect(hs.releaseToDevice(c.bot.userId)).toBeGreaterThan(0);
    const reply = await hs.waitForEvent(botIn(c.encrypted, ask), 60_000);
    expect(String((await alice.read(reply))['body'])).toMatch(/^On it/);
    expect(logged('room key arrived: waiting encrypted events decrypted').length).toBeGreaterThan(0);
    await w.h.app!.idle();
    expect(hs.timeline(c.encrypted).filter(botIn(c.encrypted, ask))).toHaveLength(1);
  }, 120_000);

  it('logs garbage, unknown algorithms and replayed to-device messages, and keeps serving', async () => {
    const { hs, c } = w;
    const garbage = hs.send(c.users.bob, c.encrypted, 'm.room.encrypted', {
      algorithm: 'm.megolm.v1.aes-sha2',
      ciphertext: 'not base64 at all!',
      session_id: 'nope',
      sender_key: 'x',
      device_id: 'Y',
    });
    const unknown = hs.send(c.users.bob, c.encrypted, 'm.room.encrypted', { algorithm: 'org.example.rot13', ciphertext: 'uryyb' });
    const empty = hs.send(c.users.bob, c.encrypted, 'm.room.encrypted', {});
    expect(hs.replayToDevice(c.bot.userId)).toBeGreaterThan(0);

    const general = hs.send(
      c.users.carol,
      c.general,
      'm.room.message',
      mentionOfBot(c.bot.userId, 'how should we interview candidates for engineering manager roles?'),
    );
    await hs.waitForEvent(botIn(c.general, general), 60_000);
    const ask = await alice.send(c.encrypted, mentionOfBot(c.bot.userId, 'what helps new managers run their first one-on-ones?'));
    const reply = await hs.waitForEvent(botIn(c.encrypted, ask), 60_000);
    expect(String((await alice.read(reply))['body'])).toMatch(/^On it/);

    const refused = logged('encrypted event cannot be decrypted; not answered');
    expect(refused.find((l) => l['eventId'] === unknown)?.['reason']).toMatch(/unknown algorithm "org.example.rot13"/);
    expect(refused.find((l) => l['eventId'] === empty)?.['reason']).toMatch(/unknown algorithm/);
    expect(refused.find((l) => l['eventId'] === garbage)?.['reason']).toBeTruthy();
    for (const id of [garbage, unknown, empty]) expect(hs.timeline(c.encrypted).filter(botIn(c.encrypted, id))).toHaveLength(0);
    // The replayed to-device messages (the crypto library drops them silently) are named in the log.
    const replays = logged('to-device messages received before (replayed, or a sync repeated): ignored by the crypto library');
    expect(replays.length).toBeGreaterThan(0);
    expect(replays[0]?.['senders']).toContain(c.users.alice);
    await w.h.app!.idle();
    expect(await w.store.inbox.counts('matrix')).toMatchObject({ pending: 0, failed: 0 });
  }, 120_000);
});

// A crypto store that cannot be opened (here: not a database at all) costs the encrypted rooms
// only: the doctor warns, the bridge says clearly that encryption could not start, and mentions
// in unencrypted rooms are answered as usual.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cryptoStoreDir } from '../../bridges/matrix/crypto-doctor.js';
import { mentionOfBot, threadOf } from '../../scripts/support/matrix-community.js';
import { startMatrixWorld, type MatrixWorld } from './matrix-world.js';

describe('Matrix encryption with a damaged crypto store', () => {
  let w: MatrixWorld;

  beforeAll(async () => {
    w = await startMatrixWorld({
      extraConfig: '  encryption: true',
      beforeStart: (h) => {
        mkdirSync(cryptoStoreDir(h.config), { recursive: true });
        writeFileSync(path.join(cryptoStoreDir(h.config), 'crypto-store.sqlite'), 'this is not a SQLite database, it was overwritten');
      },
    });
  }, 120_000);

  afterAll(async () => {
    await w?.close();
  });

  it('logs why encryption is off and keeps answering in unencrypted rooms', async () => {
    const { hs, c, h } = w;
    const failed = h.logs.find(
      (l) => l['msg'] === 'end-to-end encryption could not start: encrypted rooms are not read until this is fixed (see npm run doctor)',
    );
    expect(String(failed?.['error'])).toContain('crypto-store.sqlite');
    expect(h.logs.some((l) => l['check'] === 'crypto-store' && l['finding'] === 'warning')).toBe(true);
    const ask = hs.send(c.users.carol, c.general, 'm.room.message', mentionOfBot(c.bot.userId, 'how do we plan a budget when headcount is uncertain?'));
    const reply = await hs.waitForEvent((e) => e.sender === c.bot.userId && threadOf(e) === ask, 60_000);
    expect(String((reply.content as { body?: unknown }).body)).toMatch(/^On it/);
    // Nothing goes into the encrypted room in clear.
    expect(hs.timeline(c.encrypted).filter((e) => e.sender === c.bot.userId && e.type === 'm.room.message')).toHaveLength(0);
  }, 120_000);
});

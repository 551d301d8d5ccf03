// The doctor's encryption checks against the stand-in homeserver: before the first start (no
// store, no keys), then with a device's store and published keys, and its encrypted rooms.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { matrixCryptoDoctor, cryptoStoreDir } from '../../bridges/matrix/crypto-doctor.js';
import { loadConfig, type Config } from '../../bridges/config.js';
import type { Finding } from '../../core/doctor/findings.js';
import { startFakeHomeserver, type FakeHomeserver } from '../../scripts/stand-ins/matrix-homeserver/index.js';
import { buildCommunity, type Community } from '../../scripts/support/matrix-community.js';
import { CryptoMember } from './matrix-crypto-member.js';
import { writeServiceConfig } from '../../scripts/support/service-config.js';

const byCheck = (findings: Finding[]) => Object.fromEntries(findings.map((f) => [f.check, f]));

describe('doctor: Matrix encryption', () => {
  let hs: FakeHomeserver;
  let c: Community;
  let dir: string;
  let file: string;

  beforeAll(async () => {
    hs = await startFakeHomeserver({ validate: false });
    c = buildCommunity(hs);
    dir = mkdtempSync(path.join(tmpdir(), 'co-agent-e2ee-doctor-'));
    file = writeServiceConfig(dir, hs.url, '  encryption: true');
    for (const room of [c.space, c.general, c.encrypted]) hs.join(c.bot.userId, room);
  });

  afterAll(async () => {
    await hs?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('reports encryption off as a note', async () => {
    const off = writeServiceConfig(mkdtempSync(path.join(dir, 'off-')), hs.url, '  encryption: false');
    const findings = await matrixCryptoDoctor(loadConfig({ file: off, env: { MATRIX_ACCESS_TOKEN: c.bot.accessToken } }))();
    expect(findings).toEqual([expect.objectContaining({ check: 'encryption', level: 'info', message: expect.stringContaining('matrix.encryption is false') })]);
  });

  it('reports the device, its published keys and the encrypted rooms; warns without a passphrase', async () => {
    const before = byCheck(await matrixCryptoDoctor(loadConfig({ file, env: { MATRIX_ACCESS_TOKEN: c.bot.accessToken } }))());
    expect(before['encryption']?.level).toBe('warning');
    expect(before['crypto-store']).toMatchObject({ level: 'info', message: expect.stringContaining('no crypto store yet') });
    expect(before['device-keys']).toMatchObject({ level: 'info', message: expect.stringContaining('no published keys yet') });

    // A device of the bot's account makes the store where the service keeps it and uploads its keys.
    const config: Config = loadConfig({ file, env: { MATRIX_ACCESS_TOKEN: c.bot.accessToken } });
    const device = await CryptoMember.login(hs.url, 'coagent', cryptoStoreDir(config), [c.encrypted]);
    const ed25519 = (device.client.crypto as unknown as { deviceEd25519: string }).deviceEd25519;
    device.close();
    const env = { MATRIX_ACCESS_TOKEN: device.accessToken, MATRIX_CRYPTO_STORE_PASSPHRASE: 'unused here' };
    const after = byCheck(await matrixCryptoDoctor(loadConfig({ file, env }))());
    expect(after['encryption']?.level).toBe('ok');
    expect(after['crypto-store']).toMatchObject({ level: 'ok', message: expect.stringContaining(`device ${device.deviceId} of ${c.bot.userId}, not sealed`) });
    expect(after['device-keys']).toMatchObject({ level: 'ok', message: expect.stringContaining(`ed25519 ${ed25519}`) });
    expect(after['encrypted-rooms']).toMatchObject({ level: 'ok', message: expect.stringContaining(c.encrypted) });
    expect(after['encrypted-rooms']?.message).not.toContain(c.general);
    // That device set up no cross-signing (the service does it at start).
    expect(after['cross-signing']).toMatchObject({ level: 'info', message: expect.stringContaining('no cross-signing keys yet') });
    expect(JSON.stringify(after)).not.toContain('unused here');

    // The bot's first token belongs to another device than the store: a blocker saying so.
    const mismatch = await matrixCryptoDoctor(loadConfig({ file, env: { MATRIX_ACCESS_TOKEN: c.bot.accessToken } }))();
    expect(mismatch).toContainEqual(
      expect.objectContaining({ check: 'device-keys', level: 'blocker', message: expect.stringContaining(`crypto store to ${device.deviceId}`) }),
    );
  }, 60_000);
});

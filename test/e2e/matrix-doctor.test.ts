// `npm run doctor` against the stand-in homeserver: credentials, the Space, posting rights per
// room, encrypted rooms, and the bot's rate-limit exemption read with an admin's token. Its output
// is kept in test-artifacts/matrix-doctor.txt.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { doctor } from '../../scripts/doctor.js';
import { startFakeHomeserver, type FakeHomeserver } from '../../scripts/stand-ins/matrix-homeserver/index.js';
import { keepReport } from './artifacts.js';
import { buildCommunity, type Community } from '../../scripts/support/matrix-community.js';

describe('npm run doctor for Matrix', () => {
  let hs: FakeHomeserver;
  let c: Community;
  let dir: string;
  let env: NodeJS.ProcessEnv;
  let admin: string;
  const run = async (extra: NodeJS.ProcessEnv = {}) => {
    const lines: string[] = [];
    const code = await doctor({ ...env, ...extra }, (l) => lines.push(l));
    return { code, lines };
  };

  beforeAll(async () => {
    hs = await startFakeHomeserver({ syncTimeoutCapMs: 300 });
    c = buildCommunity(hs, { exemptBot: false });
    admin = hs.registerUser('admin', { admin: true }).accessToken;
    for (const room of [c.space, c.general, c.leadership, c.encrypted]) hs.join(c.bot.userId, room);
    // Leadership lets only moderators speak.
    hs.setState(c.users.alice, c.leadership, 'm.room.power_levels', '', { users: { [c.users.alice]: 100 }, users_default: 0, events_default: 50 });
    dir = mkdtempSync(path.join(tmpdir(), 'co-agent-doctor-'));
    const file = path.join(dir, 'co-agent.yaml');
    writeFileSync(
      file,
      [
        'database:',
        `  path: ${JSON.stringify(path.join(dir, 'co-agent.db'))}`,
        'matrix:',
        `  homeserverUrl: ${hs.url}`,
        '  space: "#community:localhost"',
      ].join('\n'),
    );
    env = { CO_AGENT_CONFIG: file, MATRIX_ACCESS_TOKEN: c.bot.accessToken };
  });
  afterAll(async () => {
    await hs?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('reports each check on one line, and the exemption command when it is missing', async () => {
    const { code, lines } = await run();
    const report = [`npm run doctor (no admin token):`, ...lines];
    expect(code).toBe(0);
    expect(lines).toContain(`ok   matrix/credentials: the access token works: the bot is ${c.bot.userId}`);
    expect(lines).toContain('ok   matrix/space: the bot is in the Space #community:localhost');
    expect(lines.find((l) => l.startsWith('warn matrix/rooms: the bot may not post in: Leadership'))).toMatch(/needs power 50, the bot has 0/);
    // Encryption is on by default: the encryption checks list the encrypted rooms, as readable.
    expect(lines.find((l) => l.startsWith('ok   matrix/encrypted-rooms:'))).toContain(c.encrypted);
    expect(lines.find((l) => l.startsWith('note matrix/device-keys:'))).toMatch(/has no published keys yet/);
    expect(lines.find((l) => l.startsWith('note matrix/rate-limit:'))).toContain('override_ratelimit');

    const missing = await run({ MATRIX_ADMIN_TOKEN: admin });
    const warn = missing.lines.find((l) => l.startsWith('warn matrix/rate-limit:'));
    expect(warn).toContain(`curl -X POST -H "Authorization: Bearer $MATRIX_ADMIN_TOKEN"`);
    expect(warn).toContain(`/_synapse/admin/v1/users/${encodeURIComponent(c.bot.userId)}/override_ratelimit`);
    expect(missing.lines.join('\n')).not.toContain(admin);

    hs.overrideRatelimit(c.bot.userId);
    const exempt = await run({ MATRIX_ADMIN_TOKEN: admin });
    keepReport('matrix-doctor.txt', [...report, '', 'npm run doctor (MATRIX_ADMIN_TOKEN set, bot exempt):', ...exempt.lines].join('\n'));
    expect(exempt.lines).toContain(`ok   matrix/rate-limit: ${c.bot.userId} is exempt from the homeserver's message rate limit`);
  });

  it('with matrix.encryption: false, warns that the encrypted rooms cannot be read', async () => {
    const off = path.join(dir, 'co-agent-off.yaml');
    writeFileSync(
      off,
      [
        'database:',
        `  path: ${JSON.stringify(path.join(dir, 'co-agent.db'))}`,
        'matrix:',
        `  homeserverUrl: ${hs.url}`,
        '  space: "#community:localhost"',
        '  encryption: false',
      ].join('\n'),
    );
    const { lines } = await run({ CO_AGENT_CONFIG: off });
    expect(lines.find((l) => l.startsWith('warn matrix/encrypted-rooms:'))).toContain('Private circle');
    expect(lines.find((l) => l.startsWith('note matrix/encryption:'))).toContain('matrix.encryption is false');
  });

  it('blocks on a token the homeserver refuses', async () => {
    const { code, lines } = await run({ MATRIX_ACCESS_TOKEN: 'syt_wrong' });
    expect(code).toBe(1);
    expect(lines[0]).toMatch(/^FAIL matrix\/credentials: the homeserver refused the bot's credentials \(M_UNKNOWN_TOKEN 401/);
  });
});

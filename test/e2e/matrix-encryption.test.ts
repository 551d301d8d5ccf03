// Encrypted rooms end to end: the service (a child process, with matrix.encryption on) and two
// members whose clients encrypt (matrix-bot-sdk's CryptoClient on their own devices, over HTTP
// against the stand-in homeserver, which serves the key and to-device endpoints checked against
// the spec's schemas). A member asks in an encrypted room and gets an encrypted thread reply;
// an answer and ✅ mark it solved. Then the service is killed with SIGKILL, and a new message
// on a rotated room key, sent while it is down, is still answered, once. Invitations go out in
// direct rooms created encrypted when the invitee's client publishes keys, in clear otherwise. Cross-signing: the
// bot's device is signed by its account's keys (set up once, not again after the restart); with
// a new crypto store, a wrong MATRIX_PASSWORD is logged and the bot keeps serving, and the keys
// exported from the old store (MATRIX_CROSS_SIGNING_KEYS) sign the new device.
import { spawn, type ChildProcess } from 'node:child_process';
import { execFile } from 'node:child_process';
import { mkdtempSync, renameSync, rmSync } from 'node:fs';
import { promisify } from 'node:util';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cryptoStoreDir } from '../../bridges/matrix/crypto-doctor.js';
import { loadConfig } from '../../bridges/config.js';
import { createLogger } from '../../core/logging.js';
import { openStore, type Store } from '../../core/store/index.js';
import { startFakeHomeserver, type FakeHomeserver, type RoomEvent } from '../../scripts/stand-ins/matrix-homeserver/index.js';
import { buildCommunity, inThread, mentionOfBot, threadOf, type Community } from '../../scripts/support/matrix-community.js';
import { CryptoMember } from './matrix-crypto-member.js';
import { eventually } from '../../scripts/support/service-io.js';
import { postgresDatabase } from './service-harness.js';
import { seedTags, writeServiceConfig } from '../../scripts/support/service-config.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

interface Service {
  child: ChildProcess;
  output(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const PASSPHRASE = 'correct horse battery staple';

function startService(configFile: string, token: string, env: Record<string, string> = {}): Service {
  const child = spawn(process.execPath, ['--import', 'tsx', 'main.ts'], {
    cwd: ROOT,
    env: { ...process.env, CO_AGENT_CONFIG: configFile, MATRIX_ACCESS_TOKEN: token, MATRIX_CRYPTO_STORE_PASSPHRASE: PASSPHRASE, ...env },
  });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  return { child, output: () => output, exited };
}

describe('Matrix bridge in encrypted rooms', () => {
  let hs: FakeHomeserver;
  let c: Community;
  let dir: string;
  let configFile: string;
  let postgres: ReturnType<typeof postgresDatabase>;
  let store: Store;
  let alice: CryptoMember;
  let bob: CryptoMember;
  const services: Service[] = [];
  const botSays = (e: RoomEvent) => e.room_id === c.encrypted && e.sender === c.bot.userId;

  beforeAll(async () => {
    hs = await startFakeHomeserver({ syncTimeoutCapMs: 500 });
    c = buildCommunity(hs);
    dir = mkdtempSync(path.join(tmpdir(), 'co-agent-e2ee-'));
    // Invitations by direct message, so the bot creates rooms (encrypted for members whose clients can read them).
    // CO_AGENT_TEST_STORE=postgresql: a fresh PostgreSQL database, dropped afterwards.
    postgres = postgresDatabase();
    configFile = writeServiceConfig(dir, hs.url, '  encryption: true\nconcierge:\n  inviteVia: direct', postgres?.url);
    await seedTags(postgres?.url ?? path.join(dir, 'co-agent.db'));
    store = await openStore({ path: postgres?.url ?? path.join(dir, 'co-agent.db'), logger: createLogger({ level: 'silent' }) });
    alice = await CryptoMember.login(hs.url, 'alice', path.join(dir, 'alice'), [c.encrypted]);
    bob = await CryptoMember.login(hs.url, 'bob', path.join(dir, 'bob'), [c.encrypted]);
  }, 60_000);

  afterAll(async () => {
    for (const s of services) if (s.child.exitCode === null && s.child.signalCode === null) s.child.kill('SIGKILL');
    await Promise.all(services.map((s) => s.exited));
    alice?.close();
    bob?.close();
    await store?.close();
    await hs?.close();
    rmSync(dir, { recursive: true, force: true });
    postgres?.drop();
  });

  it('answers an encrypted question with an encrypted thread reply and follows the answer and ✅ to solved', async () => {
    const first = startService(configFile, c.bot.accessToken);
    services.push(first);
    await eventually('history to be learned', async () => ((await store.documents.listLive()).length >= 11 ? true : undefined), 90_000);
    await eventually('the bot to publish its device keys', () => (hs.devicesWithKeys(c.bot.userId).length === 1 ? true : undefined), 30_000);

    const ask = await alice.send(c.encrypted, mentionOfBot(c.bot.userId, 'how do we onboard a new manager who joins a remote team?'));
    const reply = await hs.waitForEvent((e) => botSays(e) && threadOf(e) === ask, 60_000);
    expect(reply.type).toBe('m.room.encrypted');
    const clear = await alice.read(reply);
    expect(clear['body']).toMatch(/^On it/);
    expect(clear['m.relates_to']).toMatchObject({ rel_type: 'm.thread', event_id: ask });

    const problem = await eventually('the problem', () => store.problems.findBySourceEvent('matrix', ask).then((p) => p ?? undefined));

    // The invitations go out in direct rooms the bot creates: encrypted for a member whose client
    // publishes device keys (Bob), who can read it before joining (the room key reached him as an
    // invitee); in clear for members whose clients publish none.
    const invitations = await eventually('the invitations', async () => {
      const list = await store.invitations.listForProblem(problem.id);
      return list.length > 0 ? list : undefined;
    });
    const invited = await Promise.all(
      invitations.map(async (i) => (await store.members.get(i.memberId))!.identities.find((x) => x.platform === 'matrix')!.externalId),
    );
    expect(invited).toContain(c.users.bob);
    const directRoomOf = (roomId: string, userId: string) =>
      hs
        .timeline(roomId)
        .some(
          (e) => e.type === 'm.room.member' && (e as { state_key?: string }).state_key === userId && (e.content as { is_direct?: boolean }).is_direct === true,
        );
    const encryptedRoom = (roomId: string) => hs.timeline(roomId).some((e) => e.type === 'm.room.encryption');
    const directMessageTo = (userId: string) =>
      hs.waitForEvent(
        (e) => e.sender === c.bot.userId && (e.type === 'm.room.encrypted' || e.type === 'm.room.message') && directRoomOf(e.room_id, userId),
        30_000,
      );
    const toBob = await directMessageTo(c.users.bob);
    expect(toBob.type).toBe('m.room.encrypted');
    expect(encryptedRoom(toBob.room_id)).toBe(true);
    expect(hs.joinedMembers(toBob.room_id)).toEqual([c.bot.userId]);
    expect(String((await bob.read(toBob))['body'])).toContain('could use your help');
    for (const userId of invited.filter((u) => u !== c.users.bob && u !== c.users.alice)) {
      const message = await directMessageTo(userId);
      expect(message.type).toBe('m.room.message');
      expect(encryptedRoom(message.room_id)).toBe(false);
    }

    const answer = await bob.send(c.encrypted, {
      msgtype: 'm.text',
      body: 'Give them a buddy in their time zone and a written 30-60-90 plan.',
      ...inThread(ask),
    });
    await eventually('the answer to be recorded', async () => ((await store.responses.listForProblem(problem.id)).length > 0 ? true : undefined), 60_000);
    await alice.send(c.encrypted, { 'm.relates_to': { rel_type: 'm.annotation', event_id: answer, key: '✅' } }, 'm.reaction');
    await eventually('the problem to be solved', async () => ((await store.problems.get(problem.id))?.status === 'solved' ? true : undefined), 60_000);
    const thanks = await hs.waitForEvent((e) => botSays(e) && threadOf(e) === ask && e.event_id !== reply.event_id, 60_000);
    expect(String((await alice.read(thanks))['body'])).toMatch(/^Marked solved/);

    // Nothing in clear from the bot in the encrypted room (no "I can't read this room" notice).
    expect(hs.timeline(c.encrypted).filter((e) => e.sender === c.bot.userId && e.type === 'm.room.message')).toHaveLength(0);

    // Cross-signed with no password (the account had no cross-signing keys): Alice's client
    // sees the bot's device signed by its owner.
    const device = hs.devicesWithKeys(c.bot.userId)[0]!;
    expect(first.output()).toContain("cross-signing set up: the bot's device is signed by its account's new cross-signing keys");
    await eventually(
      "Alice to see the bot's device cross-signed",
      async () => ((await alice.seesCrossSigned(c.bot.userId, device)) ? true : undefined),
      30_000,
    );
    expect(hs.signingKeyUploads(c.bot.userId)).toBe(1);
    expect(hs.violations).toEqual([]);
  }, 240_000);

  it('after a kill -9, answers a message sent while it was down on a rotated room key, once', async () => {
    const first = services[0]!;
    first.child.kill('SIGKILL');
    expect((await first.exited).signal).toBe('SIGKILL');

    const sessionOf = (eventId: string) => (hs.timeline(c.encrypted).find((e) => e.event_id === eventId)?.content as { session_id?: string }).session_id;
    const before = sessionOf(
      hs
        .timeline(c.encrypted)
        .filter((e) => e.sender === c.users.alice && e.type === 'm.room.encrypted')
        .at(-1)!.event_id,
    );
    await alice.rotate(c.encrypted);
    const ask = await alice.send(c.encrypted, mentionOfBot(c.bot.userId, 'how should we interview candidates for engineering manager roles?'));
    // A new Megolm session: its key reaches the bot only as a to-device message while it is down.
    expect(sessionOf(ask)).toBeDefined();
    expect(sessionOf(ask)).not.toBe(before);

    const second = startService(configFile, c.bot.accessToken);
    services.push(second);
    const reply = await hs.waitForEvent((e) => botSays(e) && threadOf(e) === ask, 90_000);
    expect(String((await alice.read(reply))['body'])).toMatch(/^On it/);
    await eventually('the outbox to drain', async () => ((await store.outbox.counts('matrix')).pending === 0 ? true : undefined), 60_000);
    await eventually('the inbox to drain', async () => ((await store.inbox.counts('matrix')).pending === 0 ? true : undefined), 60_000);
    expect(hs.timeline(c.encrypted).filter((e) => botSays(e) && threadOf(e) === ask)).toHaveLength(1);
    // The same device after the restart: its keys were not uploaded again as a new device.
    expect(hs.devicesWithKeys(c.bot.userId)).toHaveLength(1);
    expect(second.output()).not.toContain(PASSPHRASE);
    // The cross-signing keys came back from the store: not made or uploaded again.
    expect(second.output()).toContain("cross-signing already set up: the bot's device is signed by its account");
    expect(hs.signingKeyUploads(c.bot.userId)).toBe(1);
    expect(hs.violations).toEqual([]);

    second.child.kill('SIGTERM');
    expect((await second.exited).code).toBe(0);
  }, 240_000);

  it('with a new crypto store: a wrong MATRIX_PASSWORD is logged and the bot keeps serving; the exported keys sign the new device', async () => {
    const env = { ...process.env, CO_AGENT_CONFIG: configFile, MATRIX_ACCESS_TOKEN: c.bot.accessToken, MATRIX_CRYPTO_STORE_PASSPHRASE: PASSPHRASE };
    const exported = (
      await promisify(execFile)(process.execPath, ['--import', 'tsx', 'scripts/matrix-cross-signing-keys.ts'], { cwd: ROOT, env })
    ).stdout.trim();
    expect(exported).toMatch(/^[A-Za-z0-9+/]+=*$/);
    const storeDir = cryptoStoreDir(loadConfig({ file: configFile, env: { MATRIX_ACCESS_TOKEN: c.bot.accessToken } }));
    renameSync(storeDir, `${storeDir}.old`);
    // A new store is a new device: the bot logs in again.
    const login = (await (
      await fetch(`${hs.url}/_matrix/client/v3/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ type: 'm.login.password', identifier: { type: 'm.id.user', user: 'coagent' }, password: 'password' }),
      })
    ).json()) as { access_token: string; device_id: string };

    const third = startService(configFile, login.access_token, { MATRIX_PASSWORD: 'not the password' });
    services.push(third);
    await eventually(
      'the refused password to be logged',
      () => (third.output().includes('cross-signing not set up: the homeserver refused MATRIX_PASSWORD') ? true : undefined),
      90_000,
    );
    const ask = hs.send(c.users.carol, c.general, 'm.room.message', mentionOfBot(c.bot.userId, 'how do we plan a budget when headcount is uncertain?'));
    const reply = await hs.waitForEvent((e) => e.sender === c.bot.userId && threadOf(e) === ask, 60_000);
    expect(String((reply.content as { body?: unknown }).body)).toMatch(/^On it/);
    expect(hs.signingKeyUploads(c.bot.userId)).toBe(1);
    expect(third.output()).not.toContain('not the password');
    third.child.kill('SIGTERM');
    expect((await third.exited).code).toBe(0);

    const fourth = startService(configFile, login.access_token, { MATRIX_CROSS_SIGNING_KEYS: exported });
    services.push(fourth);
    await eventually(
      'the keys to be imported',
      () => (fourth.output().includes("cross-signing keys imported from MATRIX_CROSS_SIGNING_KEYS; the bot's device is signed") ? true : undefined),
      90_000,
    );
    await eventually(
      'Alice to see the new device cross-signed',
      async () => ((await alice.seesCrossSigned(c.bot.userId, login.device_id)) ? true : undefined),
      30_000,
    );
    // The same identity members already trust: no new cross-signing keys.
    expect(hs.signingKeyUploads(c.bot.userId)).toBe(1);
    expect(fourth.output()).not.toContain(exported);
    expect(hs.violations).toEqual([]);
    fourth.child.kill('SIGTERM');
    expect((await fourth.exited).code).toBe(0);
  }, 300_000);
});

// The crypto package as matrix-bot-sdk uses it: device identity, Olm and Megolm sessions kept
// in the SQLite store across restarts and a kill -9, the passphrase, and clear start-up errors.
import { spawn } from 'node:child_process';
import { createPublicKey, verify } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { Attachment, CryptoStoreError, DeviceId, EncryptedAttachment, OlmMachine, UserId } from '@matrix-org/matrix-sdk-crypto-nodejs';
import { KeyServer, Party } from './support.js';

const BOT = '@bot:example.org';
const ALICE = '@alice:example.org';
const ROOM = '!room:example.org';
const OTHER_ROOM = '!other:example.org';

const dirs: string[] = [];
const open: { close(): void }[] = [];
const tempDir = (): string => {
  const dir = mkdtempSync(join(tmpdir(), 'co-agent-crypto-'));
  dirs.push(dir);
  return dir;
};
const started = async (promise: Promise<Party>): Promise<Party> => {
  const party = await promise;
  open.push(party);
  return party;
};
const machine = async (dir: string, deviceId = 'BOTDEVICE', passphrase = '', userId = BOT): Promise<OlmMachine> => {
  const m = await OlmMachine.initialize(new UserId(userId), new DeviceId(deviceId), dir, passphrase, 0);
  open.push(m);
  return m;
};
/** Rejects with the start-up error's message (and checks it is the store's error class). */
const startupError = async (start: Promise<unknown>): Promise<string> => {
  const error: unknown = await start.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(CryptoStoreError);
  return (error as Error).message;
};

afterEach(() => {
  for (const item of open.splice(0)) {
    try {
      item.close();
    } catch {
      // already closed by the test
    }
  }
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  delete process.env.MATRIX_CRYPTO_STORE_PASSPHRASE;
});

describe('device identity', () => {
  it('keeps the device id and identity keys across a restart, and does not upload the device keys again', async () => {
    const dir = tempDir();
    const server = new KeyServer();
    const bot = await started(Party.start(server, BOT, 'BOTDEVICE', dir));
    const before = { curve: bot.curve, ed: bot.ed, device: bot.crypto.clientDeviceId };
    expect(server.deviceKeys.get(BOT)?.get('BOTDEVICE')).toBeDefined();
    const uploads = server.calls.filter((c) => c.endsWith('/keys/upload')).length;
    bot.close();

    const again = await started(Party.start(server, BOT, 'BOTDEVICE', dir));
    expect({ curve: again.curve, ed: again.ed, device: again.crypto.clientDeviceId }).toEqual(before);
    // The upload was recorded as done: a restart from the store does not publish anything new.
    expect(server.calls.filter((c) => c.endsWith('/keys/upload')).length).toBe(uploads);
  });

  it('signs with the stored device key: the signature verifies against the published ed25519 key', async () => {
    const bot = await started(Party.start(new KeyServer(), BOT, 'BOTDEVICE', tempDir()));
    const signatures = await bot.crypto.sign({ hello: 'world' });
    const signature = signatures[BOT]?.['ed25519:BOTDEVICE'];
    expect(typeof signature).toBe('string');
    const key = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: Buffer.from(bot.ed, 'base64').toString('base64url') }, format: 'jwk' });
    expect(verify(null, Buffer.from('{"hello":"world"}'), key, Buffer.from(String(signature), 'base64'))).toBe(true);
    expect(verify(null, Buffer.from('{"hello":"World"}'), key, Buffer.from(String(signature), 'base64'))).toBe(false);
  });
});

describe('Olm and Megolm sessions', () => {
  it('a restarted bot still decrypts the Megolm session it had, gets new room keys over the old Olm session, and keeps its own outbound session', async () => {
    const server = new KeyServer();
    const botDir = tempDir();
    const bot = await started(Party.start(server, BOT, 'BOTDEVICE', botDir, [ROOM, OTHER_ROOM]));
    const alice = await started(Party.start(server, ALICE, 'ALICEPHONE', tempDir(), [ROOM, OTHER_ROOM]));
    await bot.sync();

    const first = await alice.encrypt(ROOM, 'How do I reset the pump controller?');
    await bot.sync();
    expect((await bot.decrypt(ROOM, ALICE, first)).body).toBe('How do I reset the pump controller?');
    // The bot answers in the room: Alice decrypts with the key it shared.
    const answer = await bot.encrypt(ROOM, 'Hold the reset button for five seconds.');
    await alice.sync();
    expect((await alice.decrypt(ROOM, BOT, answer)).body).toBe('Hold the reset button for five seconds.');
    bot.close();

    const claimsBefore = server.calls.filter((c) => c.endsWith('/keys/claim')).length;
    const restarted = await started(Party.start(server, BOT, 'BOTDEVICE', botDir, [ROOM, OTHER_ROOM]));
    // The inbound Megolm session: the message from before the restart, and a new one on it.
    expect((await restarted.decrypt(ROOM, ALICE, first)).body).toBe('How do I reset the pump controller?');
    const second = await alice.encrypt(ROOM, 'It still blinks red.');
    expect(second.session_id).toBe(first.session_id);
    expect((await restarted.decrypt(ROOM, ALICE, second)).body).toBe('It still blinks red.');

    // A new room key from Alice comes over the Olm session made before the restart: no key is
    // claimed again, and the bot decrypts it.
    const elsewhere = await alice.encrypt(OTHER_ROOM, 'Another question, in another room.');
    await restarted.sync();
    expect((await restarted.decrypt(OTHER_ROOM, ALICE, elsewhere)).body).toBe('Another question, in another room.');
    expect(server.calls.filter((c) => c.endsWith('/keys/claim')).length).toBe(claimsBefore);

    // The bot's outbound Megolm session survived too: its next answer uses the same session.
    const later = await restarted.encrypt(ROOM, 'Then replace the fuse.');
    expect(later.session_id).toBe(answer.session_id);
    await alice.sync();
    expect((await alice.decrypt(ROOM, BOT, later)).body).toBe('Then replace the fuse.');
  });

  it('keeps everything committed before a kill -9 (no clean shutdown): identity, the upload, and the Megolm session', async () => {
    const dir = tempDir();
    const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('./kill-child.ts', import.meta.url)), dir], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const report = await new Promise<{ curve: string; ed: string; event: Record<string, unknown>; body: string }>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        const line = out.split('\n').find((l) => l.startsWith('READY '));
        if (line) resolve(JSON.parse(line.slice('READY '.length)));
      });
      child.on('exit', (code) => reject(new Error(`child exited (${String(code)}) before it was ready: ${out}`)));
    });
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');

    const server = new KeyServer();
    const bot = await started(Party.start(server, BOT, 'BOTDEVICE', dir, [ROOM]));
    expect(bot.curve).toBe(report.curve);
    expect(bot.ed).toBe(report.ed);
    expect(server.calls.filter((c) => c.endsWith('/keys/upload'))).toEqual([]);
    expect((await bot.decrypt(ROOM, ALICE, report.event)).body).toBe(report.body);
  });
});

describe('the store passphrase', () => {
  const recordBytes = (dir: string): Buffer => {
    const db = new Database(join(dir, 'crypto-store.sqlite'), { readonly: true });
    try {
      const rows = db.prepare('SELECT key, value FROM idb_record').all() as { key: Buffer; value: Buffer }[];
      return Buffer.concat(rows.flatMap((r) => [r.key, r.value]));
    } finally {
      db.close();
    }
  };

  it('encrypts the store: nothing of the account or its contacts is readable in it, where an unencrypted store shows them', async () => {
    /** The bot writes to Alice in a room (so it tracks her devices and holds a room key); its store in a new directory. */
    const botWithAlice = async (): Promise<{ dir: string; curve: string }> => {
      const server = new KeyServer();
      (await started(Party.start(server, ALICE, 'ALICEPHONE', tempDir(), [ROOM]))).close();
      const dir = tempDir();
      const bot = await started(Party.start(server, BOT, 'BOTDEVICE', dir, [ROOM]));
      await bot.encrypt(ROOM, 'Welcome, Alice.');
      const curve = bot.curve;
      bot.close();
      return { dir, curve };
    };
    const plain = await botWithAlice();
    process.env.MATRIX_CRYPTO_STORE_PASSPHRASE = 'correct horse battery staple';
    const secret = await botWithAlice();

    const clear = recordBytes(plain.dir);
    expect(clear.includes(Buffer.from(BOT))).toBe(true);
    expect(clear.includes(Buffer.from(ALICE))).toBe(true);
    const bytes = recordBytes(secret.dir);
    expect(bytes.length).toBeGreaterThan(1000);
    for (const visible of [BOT, ALICE, 'ALICEPHONE', 'BOTDEVICE', secret.curve]) expect(bytes.includes(Buffer.from(visible))).toBe(false);
    const curve = secret.curve;

    // The same passphrase opens it again, with the same identity.
    const again = await started(Party.start(new KeyServer(), BOT, 'BOTDEVICE', secret.dir, [ROOM]));
    expect(again.curve).toBe(curve);
  });

  it('refuses a wrong passphrase, a missing one, and one given for an unencrypted store, clearly', async () => {
    const secret = tempDir();
    (await machine(secret, 'BOTDEVICE', 'the right one')).close();
    expect(await startupError(OlmMachine.initialize(new UserId(BOT), new DeviceId('BOTDEVICE'), secret, 'a wrong one'))).toMatch(/wrong passphrase/);
    expect(await startupError(OlmMachine.initialize(new UserId(BOT), new DeviceId('BOTDEVICE'), secret, ''))).toMatch(
      /is encrypted: set MATRIX_CRYPTO_STORE_PASSPHRASE/,
    );
    process.env.MATRIX_CRYPTO_STORE_PASSPHRASE = 'a wrong one';
    const message = await startupError(OlmMachine.initialize(new UserId(BOT), new DeviceId('BOTDEVICE'), secret, ''));
    expect(message).toMatch(/wrong passphrase/);
    // The passphrase itself never appears in an error.
    expect(message).not.toContain('a wrong one');
    process.env.MATRIX_CRYPTO_STORE_PASSPHRASE = 'the right one';
    expect((await machine(secret)).deviceId.toString()).toBe('BOTDEVICE');

    const plain = tempDir();
    delete process.env.MATRIX_CRYPTO_STORE_PASSPHRASE;
    (await machine(plain)).close();
    expect(await startupError(OlmMachine.initialize(new UserId(BOT), new DeviceId('BOTDEVICE'), plain, 'late passphrase'))).toMatch(
      /created without a passphrase/,
    );
  });
});

describe('start-up errors', () => {
  it('refuses a file that is not an SQLite database', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'crypto-store.sqlite'), 'this is not a database, it is a shopping list\n'.repeat(100));
    expect(await startupError(machine(dir))).toMatch(/not a Co-Agent crypto store \(not an SQLite database\)/);
  });

  it("refuses another SQLite database (e.g. the service's own)", async () => {
    const dir = tempDir();
    const db = new Database(join(dir, 'crypto-store.sqlite'));
    db.exec('CREATE TABLE Member (id INTEGER PRIMARY KEY, name TEXT)');
    db.close();
    expect(await startupError(machine(dir))).toMatch(/an SQLite database but not a Co-Agent crypto store \(tables: Member\)/);
  });

  it("refuses another device's or another account's store", async () => {
    const dir = tempDir();
    (await machine(dir, 'BOTDEVICE')).close();
    expect(await startupError(machine(dir, 'NEWDEVICE'))).toMatch(/belongs to @bot:example\.org device BOTDEVICE, not to @bot:example\.org device NEWDEVICE/);
    expect(await startupError(machine(dir, 'BOTDEVICE', '', '@other:example.org'))).toMatch(
      /belongs to @bot:example\.org device BOTDEVICE, not to @other:example\.org/,
    );
    // The refused starts changed nothing: the right device still opens it.
    expect((await machine(dir, 'BOTDEVICE')).deviceId.toString()).toBe('BOTDEVICE');
  });

  it('refuses a store that another machine has open', async () => {
    const dir = tempDir();
    const first = await machine(dir);
    expect(await startupError(machine(dir))).toMatch(/in use by another process/);
    first.close();
    expect((await machine(dir)).deviceId.toString()).toBe('BOTDEVICE');
  });
});

describe('a store that breaks', () => {
  it('refuses a record that was altered in an encrypted store, naming it', async () => {
    const dir = tempDir();
    (await machine(dir, 'BOTDEVICE', 'tamper-proof')).close();
    const db = new Database(join(dir, 'crypto-store.sqlite'));
    const row = db.prepare("SELECT db, store, id, value FROM idb_record WHERE store = 'core' LIMIT 1").get() as {
      db: string;
      store: string;
      id: Buffer;
      value: Buffer;
    };
    const value = Buffer.from(row.value);
    value[value.length - 1] = (value[value.length - 1] ?? 0) ^ 1;
    db.prepare('UPDATE idb_record SET value = ? WHERE db = ? AND store = ? AND id = ?').run(value, row.db, row.store, row.id);
    db.close();
    expect(await startupError(machine(dir, 'BOTDEVICE', 'tamper-proof'))).toMatch(/a record in matrix-sdk-crypto\/core does not decrypt/);
  });

  it('stops the machine when a write cannot be saved, rather than running ahead of its store', async () => {
    const dir = tempDir();
    const m = await machine(dir);
    (m as unknown as { mirror: { sql: { close(): void } } }).mirror.sql.close();
    const error: unknown = await m.updateTrackedUsers([new UserId(ALICE)]).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(CryptoStoreError);
    expect((error as Error).message).toMatch(/a write could not be saved/);
    // And every later call says so too.
    await expect(m.outgoingRequests()).rejects.toThrow(/a write could not be saved/);
  });
});

describe('attachments', () => {
  it('encrypts and decrypts a file', () => {
    const data = Buffer.from('a photo of the pump controller '.repeat(40));
    const encrypted = Attachment.encrypt(data);
    expect(Buffer.from(encrypted.encryptedData).equals(data)).toBe(false);
    const info = JSON.parse(encrypted.mediaEncryptionInfo) as { key: { alg: string }; hashes: { sha256: string } };
    expect(info.key.alg).toBe('A256CTR');
    const decrypted = Attachment.decrypt(new EncryptedAttachment(encrypted.encryptedData, encrypted.mediaEncryptionInfo));
    expect(Buffer.from(decrypted).equals(data)).toBe(true);
  });
});

// The Matrix crypto store with many Megolm group sessions: its size on disk, and how long the
// bot's device takes to open it at start-up (load SQLite into IndexedDB, open the OlmMachine).
//
//   npm run bench:matrix-crypto                 (10,000 sessions; -- --sessions 20000 for more)
//
// The sessions are imported in the key-export format (valid Megolm session keys made here, one
// room each), without and with a store passphrase. Figures only; nothing here is asserted.
import { execFileSync } from 'node:child_process';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, statSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DeviceId, OlmMachine, UserId } from '@matrix-org/matrix-sdk-crypto-nodejs';

const argIndex = process.argv.indexOf('--sessions');
const sessions = argIndex >= 0 ? Number(process.argv[argIndex + 1]) : 10_000;
if (!Number.isInteger(sessions) || sessions <= 0) throw new Error('--sessions: a positive integer');

const unpadded = (bytes: Buffer): string => bytes.toString('base64').replace(/=+$/, '');

/** One exported Megolm session: version 1, index 0, a random ratchet, a real ed25519 signing key. */
const ed25519 = (): Buffer => Buffer.from(String(generateKeyPairSync('ed25519').publicKey.export({ format: 'jwk' }).x), 'base64url');

function exportedSession(room: number, senderKey: string, claimedKey: string): Record<string, unknown> {
  const signing = ed25519();
  const sessionKey = Buffer.concat([Buffer.from([1, 0, 0, 0, 0]), randomBytes(128), signing]);
  return {
    algorithm: 'm.megolm.v1.aes-sha2',
    room_id: `!room${room}:example.org`,
    sender_key: senderKey,
    session_id: unpadded(signing),
    session_key: unpadded(sessionKey),
    sender_claimed_keys: { ed25519: claimedKey },
    forwarding_curve25519_key_chain: [],
  };
}

const mb = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
const fileSize = (file: string): number => [file, `${file}-wal`].filter((f) => existsSync(f)).reduce((sum, f) => sum + statSync(f).size, 0);

async function run(passphrase: string): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), 'co-agent-crypto-bench-'));
  try {
    const user = new UserId('@bot:example.org');
    const device = new DeviceId('BENCHDEVICE');
    const senderKey = unpadded(randomBytes(32));
    const claimedKey = unpadded(ed25519());
    const keys = Array.from({ length: sessions }, (_, i) => exportedSession(i, senderKey, claimedKey));

    let t = performance.now();
    const machine = await OlmMachine.initialize(user, device, dir, passphrase);
    const created = performance.now() - t;
    t = performance.now();
    const imported = await machine.importExportedRoomKeys(JSON.stringify(keys));
    const importMs = performance.now() - t;
    machine.close();
    const size = fileSize(machine.storeFile);

    // Start-up in a fresh process, as the service would: time and memory of that process.
    const child = JSON.parse(
      execFileSync(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--open', dir], {
        env: { ...process.env, MATRIX_CRYPTO_STORE_PASSPHRASE: passphrase },
        encoding: 'utf8',
      }),
    ) as { openMs: number; total: number; rssBefore: number; rssAfter: number };
    const { openMs, total, rssBefore, rssAfter } = child;

    const label = passphrase ? 'with a passphrase' : 'no passphrase';
    console.log(`${label}: ${imported.imported}/${imported.total} sessions imported in ${(importMs / 1000).toFixed(1)} s (new store ${created.toFixed(0)} ms)`);
    console.log(`${label}: store file ${mb(size)} (${(size / sessions).toFixed(0)} bytes a session)`);
    console.log(
      `${label}: start-up in a new process (load SQLite into IndexedDB + open the OlmMachine) ${openMs.toFixed(0)} ms; ${total} sessions in the store; RSS ${mb(rssBefore)} before, ${mb(rssAfter)} after`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const openIndex = process.argv.indexOf('--open');
if (openIndex >= 0) {
  // The child: open the store (passphrase from the environment) and report.
  const dir = String(process.argv[openIndex + 1]);
  const rssBefore = process.memoryUsage().rss;
  const t = performance.now();
  const machine = await OlmMachine.initialize(new UserId('@bot:example.org'), new DeviceId('BENCHDEVICE'), dir, '');
  const openMs = performance.now() - t;
  const { total } = await machine.roomKeyCounts();
  const rssAfter = process.memoryUsage().rss;
  machine.close();
  process.stdout.write(JSON.stringify({ openMs, total, rssBefore, rssAfter }));
} else {
  console.log(`Matrix crypto store, ${sessions} Megolm group sessions, Node ${process.version}`);
  await run('');
  await run('benchmark passphrase');
}

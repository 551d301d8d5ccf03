// Prints the bot's private cross-signing keys from its crypto store, in the form
// MATRIX_CROSS_SIGNING_KEYS takes: for a new machine or a new crypto store, so the new device is
// signed by the same identity members already trust (instead of a new identity). Stop the
// service first (one process owns a store). The output is a secret: keep it like a password.
//   npm run -s matrix:cross-signing-keys > cross-signing.txt
import path from 'node:path';
import { cryptoStoreDir, readMeta, STORE_FILE } from '../bridges/matrix/crypto-doctor.js';
import { encodeCrossSigningKeys } from '../bridges/matrix/cross-signing.js';
import { loadConfig } from '../bridges/config.js';

async function main(): Promise<number> {
  const config = loadConfig({ env: process.env });
  const file = path.join(cryptoStoreDir(config), STORE_FILE);
  const meta = readMeta(file);
  if (meta.kind !== 'ok') {
    const why = meta.kind === 'missing' ? 'there is none yet' : meta.kind === 'busy' ? 'it is in use: stop the service first' : meta.message;
    process.stderr.write(`cannot read the crypto store ${file}: ${why}\n`);
    return 1;
  }
  const { OlmMachine, UserId, DeviceId } = await import('@matrix-org/matrix-sdk-crypto-nodejs');
  const machine = await OlmMachine.initialize(new UserId(meta.userId), new DeviceId(meta.deviceId), file, config.matrix?.cryptoStorePassphrase ?? '');
  try {
    const keys = await machine.exportCrossSigningKeys();
    if (!keys?.masterKey || !keys.selfSigningKey) {
      process.stderr.write(`the crypto store of ${meta.userId} holds no cross-signing keys (the service sets them up when it starts)\n`);
      return 1;
    }
    process.stdout.write(`${encodeCrossSigningKeys(keys)}\n`);
    return 0;
  } finally {
    machine.close();
  }
}

process.exitCode = await main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  return 1;
});

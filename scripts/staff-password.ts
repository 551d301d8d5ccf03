// Prints the scrypt hash of a staff password for DASHBOARD_STAFF ("name:role:hash"). The
// password is read from standard input, not the command line, so it stays out of shell history
// and process lists:  printf '%s' 'the password' | npm run -s staff-password
import { hashPassword } from '../web/dashboard/auth/staff.js';

const MIN_LENGTH = 12;

async function main(): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  const password = Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
  if (password.length < MIN_LENGTH) {
    process.stderr.write(`A staff password needs ${MIN_LENGTH} characters or more.\n`);
    process.exitCode = 1;
    return;
  }
  process.stdout.write(`${await hashPassword(password)}\n`);
}

await main();

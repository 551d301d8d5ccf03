/* global process */
// npm's postinstall: generates the Prisma client in a checkout. A production install of a
// build (package files + dist/, no prisma/schema.prisma) skips it: the client was generated at
// build time and compiled into dist/. (npm also installs the Prisma CLI there, as a peer of
// @prisma/client, so its presence does not tell a checkout from a build.)
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';

if (!existsSync('prisma/schema.prisma')) {
  process.stdout.write('co-agent: no prisma/schema.prisma (an install of the build): using the Prisma client compiled into dist/\n');
  process.exit(0);
}

const require = createRequire(import.meta.url);
let cli;
try {
  cli = require.resolve('prisma/build/index.js');
} catch {
  process.stdout.write('co-agent: Prisma CLI not installed (production install); using the client compiled into dist/\n');
  process.exit(0);
}
// Two clients: SQLite (prisma/schema.prisma) and PostgreSQL (prisma/postgresql/schema.prisma,
// derived from it), each with the query compiler of its own database.
for (const args of [[], ['--config', 'prisma.postgresql.config.ts']]) {
  const result = spawnSync(process.execPath, [cli, 'generate', '--no-hints', ...args], { stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}
process.exit(0);

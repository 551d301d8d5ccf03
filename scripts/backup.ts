// `npm run backup -- <file> [--database PATH]`: a consistent copy of the database taken with
// SQLite's backup API, safe while the service runs. `npm run restore` puts one back.
// Exit codes: 0 done, 1 failed (the message says why), 2 usage.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError, loadConfig } from '../bridges/config.js';
import { backupDatabaseFile, restoreDatabaseFile, StoreError } from '../core/store/index.js';

export interface DatabaseCliIo {
  env: NodeJS.ProcessEnv;
  out(line: string): void;
  err(line: string): void;
}

/** Reads `<file> [--database PATH]`; the database defaults to the configured one. */
function parseArgs(argv: readonly string[], io: DatabaseCliIo, usage: string): { file: string; database: string } | number {
  const rest: string[] = [];
  let database: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const word = argv[i]!;
    if (word === '--database') database = argv[++i];
    else if (word.startsWith('--database=')) database = word.slice('--database='.length);
    else rest.push(word);
  }
  if (rest.length !== 1 || rest[0]!.startsWith('--') || database === '') {
    io.err(usage);
    return 2;
  }
  if (database === undefined) {
    try {
      // Only the database path is needed: an admin's shell does not hold the bot's secrets.
      const config = loadConfig({ env: io.env, secrets: 'ignore' });
      // These tools copy the SQLite file; a PostgreSQL store is backed up with the server's tools.
      if (config.database.url) {
        io.err(
          'co-agent: the store is on PostgreSQL (database.url / DATABASE_URL): back it up with pg_dump and restore with pg_restore; npm run backup and restore copy SQLite files',
        );
        return 1;
      }
      database = config.database.path;
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      io.err(`co-agent: ${error.message}`);
      return 2;
    }
  }
  return { file: rest[0]!, database };
}

async function run(action: () => Promise<string>, io: DatabaseCliIo): Promise<number> {
  try {
    io.out(await action());
    return 0;
  } catch (error) {
    if (!(error instanceof StoreError)) throw error;
    io.err(`co-agent: ${error.message}`);
    return 1;
  }
}

export const BACKUP_USAGE = 'usage: npm run backup -- <file> [--database PATH]   (the file must not exist yet)';
export const RESTORE_USAGE = 'usage: npm run restore -- <backup file> [--database PATH]   (stop the service first)';

export async function backupCli(argv: readonly string[], io: DatabaseCliIo): Promise<number> {
  const args = parseArgs(argv, io, BACKUP_USAGE);
  if (typeof args === 'number') return args;
  const started = performance.now();
  return run(async () => {
    const r = await backupDatabaseFile(args.database, args.file);
    return `backed up ${path.resolve(args.database)} to ${r.file}: ${r.pages} pages, ${(r.bytes / 1e6).toFixed(1)} MB in ${((performance.now() - started) / 1000).toFixed(2)} s`;
  }, io);
}

export async function restoreCli(argv: readonly string[], io: DatabaseCliIo): Promise<number> {
  const args = parseArgs(argv, io, RESTORE_USAGE);
  if (typeof args === 'number') return args;
  const started = performance.now();
  return run(async () => {
    const r = await restoreDatabaseFile(args.file, args.database);
    return `restored ${path.resolve(args.file)} to ${r.file}: ${r.pages} pages in ${((performance.now() - started) / 1000).toFixed(2)} s`;
  }, io);
}

export const stdio = (): DatabaseCliIo => ({ env: process.env, out: (l) => process.stdout.write(`${l}\n`), err: (l) => process.stderr.write(`${l}\n`) });

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  backupCli(process.argv.slice(2), stdio()).then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}

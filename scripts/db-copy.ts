// `npm run db:copy -- --from <sqlite file> --to <postgresql url>`: moves a community to
// PostgreSQL. Copies every row from one snapshot of the SQLite file, checks the counts on both
// sides, and refuses a target database that already holds data. Then set database.url (or
// DATABASE_URL) to the target and restart.
// Exit codes: 0 copied, 1 failed or refused (the message says why), 2 usage.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createLogger } from '../core/logging.js';
import { copySqliteToPostgres, CopyRefused, DatabaseConnectionError, isPostgresUrl, MigrationError, runningServicePid } from '../core/store/index.js';

export const COPY_USAGE =
  'usage: npm run db:copy -- --from <sqlite file> --to <postgresql://user@host:port/database>   (the target database must exist and be empty)';

export interface CopyCliIo {
  out(line: string): void;
  err(line: string): void;
}

function parseArgs(argv: readonly string[]): { from: string; to: string } | undefined {
  const values = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const word = argv[i] ?? '';
    const eq = word.indexOf('=');
    if (word.startsWith('--') && eq > 0) values.set(word.slice(2, eq), word.slice(eq + 1));
    else if (word === '--from' || word === '--to') values.set(word.slice(2), argv[++i] ?? '');
    else return undefined;
  }
  const from = values.get('from');
  const to = values.get('to');
  if (!from || !to || values.size !== 2 || !isPostgresUrl(to)) return undefined;
  return { from, to };
}

export async function copyCli(argv: readonly string[], io: CopyCliIo): Promise<number> {
  const args = parseArgs(argv);
  if (!args) {
    io.err(COPY_USAGE);
    return 2;
  }
  const from = path.resolve(args.from);
  const pid = runningServicePid(from);
  if (pid !== undefined) {
    io.err(
      `co-agent: a service (pid ${pid}) is running on ${from}: the copy is a snapshot of this moment; stop the service before switching it to PostgreSQL, or what it writes afterwards stays behind`,
    );
  }
  try {
    const started = performance.now();
    const result = await copySqliteToPostgres({ from, to: args.to, logger: createLogger({ level: 'warn' }) });
    const width = Math.max(...result.tables.map((t) => t.table.length));
    for (const t of result.tables) io.out(`${t.table.padEnd(width)}  ${String(t.source).padStart(9)} -> ${String(t.target).padStart(9)}`);
    io.out(
      `copied ${result.rows} rows in ${result.tables.length} tables in ${((performance.now() - started) / 1000).toFixed(1)} s; every count matches. ` +
        'Now set database.url (or DATABASE_URL) to the target and restart.',
    );
    return 0;
  } catch (error) {
    if (error instanceof CopyRefused || error instanceof DatabaseConnectionError || error instanceof MigrationError) {
      io.err(`co-agent: ${error.message}`);
      return 1;
    }
    throw error;
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  copyCli(process.argv.slice(2), { out: (l) => console.log(l), err: (l) => console.error(l) }).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      console.error(`co-agent: db:copy failed: ${error instanceof Error ? error.message : String(error)}`);
      process.exitCode = 1;
    },
  );
}

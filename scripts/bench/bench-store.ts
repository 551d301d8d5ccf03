// Where a benchmark keeps its data: a SQLite file in its temporary directory (the default), or,
// with `--store postgresql`, a fresh database on the PostgreSQL server at CO_AGENT_BENCH_POSTGRES_URL
// (default the local one, postgresql://postgres@127.0.0.1:5432/postgres), dropped afterwards.
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import pg from 'pg';

export type BenchStoreKind = 'sqlite' | 'postgresql';

export interface BenchStore {
  kind: BenchStoreKind;
  /** What openStore takes as `path`: the file, or the database's URL. */
  location: string;
  /** config.database.url for the service (PostgreSQL only). */
  url: string | undefined;
  /** The `database:` section of a service config. */
  yaml(dir: string): string[];
  drop(): Promise<void>;
}

const SERVER_URL = process.env.CO_AGENT_BENCH_POSTGRES_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';

/** Reads `--store sqlite|postgresql` out of argv (removing it); sqlite when absent. */
export function takeStoreArg(argv: string[]): BenchStoreKind {
  const at = argv.indexOf('--store');
  if (at < 0) return 'sqlite';
  const kind = argv[at + 1];
  if (kind !== 'sqlite' && kind !== 'postgresql') throw new Error('--store must be sqlite or postgresql');
  argv.splice(at, 2);
  return kind;
}

async function onServer(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: SERVER_URL, connectionTimeoutMillis: 5000 });
  try {
    await client.connect();
    await client.query(sql);
  } catch (error) {
    throw new Error(
      `the PostgreSQL bench store needs a server at ${SERVER_URL} where the user may create databases (CO_AGENT_BENCH_POSTGRES_URL): ${(error as Error).message}`,
    );
  } finally {
    await client.end().catch(() => undefined);
  }
}

export async function benchStore(kind: BenchStoreKind, dir: string): Promise<BenchStore> {
  const file = path.join(dir, 'bench.db');
  if (kind === 'sqlite') {
    return { kind, location: file, url: undefined, yaml: () => ['database:', `  path: ${JSON.stringify(file)}`], drop: async () => undefined };
  }
  const name = `co_agent_bench_${randomBytes(6).toString('hex')}`;
  await onServer(`CREATE DATABASE "${name}"`);
  const url = new URL(SERVER_URL);
  url.pathname = `/${name}`;
  return {
    kind,
    location: url.toString(),
    url: url.toString(),
    yaml: () => ['database:', `  path: ${JSON.stringify(file)}`, `  url: ${JSON.stringify(url.toString())}`],
    drop: () => onServer(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`),
  };
}

// The PostgreSQL server the PostgreSQL store tests use: CO_AGENT_TEST_POSTGRES_URL (any database
// on it that the user may connect to), by default the local server. Each test gets a fresh
// database of its own, dropped afterwards.
import { randomBytes } from 'node:crypto';
import pg from 'pg';

export const TEST_SERVER_URL = process.env.CO_AGENT_TEST_POSTGRES_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';

export interface TestDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
}

function withDatabase(url: string, name: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${name}`;
  return parsed.toString();
}

async function onServer<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: TEST_SERVER_URL });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** Creates `co_agent_test_<random>` on the test server. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const name = `co_agent_test_${randomBytes(6).toString('hex')}`;
  await onServer((client) => client.query(`CREATE DATABASE "${name}"`));
  return {
    name,
    url: withDatabase(TEST_SERVER_URL, name),
    // WITH (FORCE) ends connections a failed test left open.
    drop: () => onServer((client) => client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)).then(() => undefined),
  };
}

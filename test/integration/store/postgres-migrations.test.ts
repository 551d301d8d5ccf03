// The PostgreSQL store's migrations: the checked-in chain builds exactly what schema.prisma
// describes, and start-up refuses what it must refuse. Runs against CO_AGENT_TEST_POSTGRES_URL
// (default: the local server), each test in a fresh database of its own.
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { createServer, type AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../../core/logging.js';
import { MigrationError, readMigrations } from '../../../core/store/migrate.js';
import { connectPostgres, DatabaseConnectionError } from '../../../core/store/postgres/connect.js';
import { applyPostgresMigrations, POSTGRES_MIGRATIONS_DIR } from '../../../core/store/postgres/migrate.js';
import { derivePostgresSchema, POSTGRES_SCHEMA, SQLITE_SCHEMA } from '../../../scripts/postgres-schema.js';
import { makeTempDir } from './helpers.js';
import { createTestDatabase, TEST_SERVER_URL, type TestDatabase } from './postgres-server.js';
import { describePgSchema } from './postgres-schema-snapshot.js';
import { runPrisma } from './prisma-cli.js';

const CONFIG = ['--config', 'prisma.postgresql.config.ts'];

async function migrate(url: string, migrationsDir?: string): Promise<string[]> {
  const client = await connectPostgres(url);
  try {
    return (await applyPostgresMigrations(client, migrationsDir ? { migrationsDir } : {})).applied;
  } finally {
    await client.end();
  }
}

describe('PostgreSQL migrations', () => {
  const databases: TestDatabase[] = [];
  const fresh = async () => {
    const db = await createTestDatabase();
    databases.push(db);
    return db;
  };
  afterEach(async () => {
    for (const db of databases.splice(0)) await db.drop();
  });

  it('checks in the PostgreSQL schema derived from the current prisma/schema.prisma', () => {
    expect(readFileSync(POSTGRES_SCHEMA, 'utf8')).toBe(derivePostgresSchema(readFileSync(SQLITE_SCHEMA, 'utf8')));
  });

  it("has the newest PostgreSQL migration's snapshot equal to prisma/postgresql/schema.prisma", () => {
    const newest = readMigrations(POSTGRES_MIGRATIONS_DIR).at(-1);
    expect(newest).toBeDefined();
    expect(readFileSync(path.join(POSTGRES_MIGRATIONS_DIR, newest?.name ?? '', 'schema.prisma.snapshot'), 'utf8')).toBe(readFileSync(POSTGRES_SCHEMA, 'utf8'));
  });

  // `prisma db push` through the pg adapter fails in Prisma 6.19.3 ("Column type 'name' could
  // not be deserialized"), so the reference is the SQL Prisma writes for the whole schema at once
  // (`migrate diff --from-empty`), applied to a second fresh database.
  it('builds exactly the schema that Prisma writes from scratch for the PostgreSQL schema.prisma', { timeout: 200_000 }, async () => {
    const migrated = await fresh();
    const reference = await fresh();
    expect(await migrate(migrated.url)).toEqual(readMigrations(POSTGRES_MIGRATIONS_DIR).map((m) => m.name));
    const temp = makeTempDir('co-agent-pg-schema-');
    try {
      const out = path.join(temp.dir, 'schema.sql');
      const diff = await runPrisma(
        ['migrate', 'diff', ...CONFIG, '--from-empty', '--to-schema-datamodel', POSTGRES_SCHEMA, '--script', '--output', out],
        reference.url,
      );
      expect(diff.code, diff.stdout + diff.stderr).toBe(0);
      const client = new pg.Client({ connectionString: reference.url });
      await client.connect();
      await client.query(readFileSync(out, 'utf8')).finally(() => client.end());
    } finally {
      temp.cleanup();
    }

    const fromMigrations = await describePgSchema(migrated.url, { ignoreTables: ['_prisma_migrations'] });
    const fromSchema = await describePgSchema(reference.url);
    expect(Object.keys(fromMigrations.tables)).toEqual(Object.keys(fromSchema.tables));
    // The comparison sees real structure: embeddings are binary, the 5-column unique index exists.
    expect(fromSchema.tables.Embedding?.columns.find((c) => c.name === 'vector')?.type).toBe('bytea');
    expect(
      fromSchema.tables.Interaction?.indexes.some((i) => /UNIQUE INDEX .*platform.*sourceEventId.*fromMemberId.*toMemberId.*kind/.test(i.definition)),
    ).toBe(true);
    expect(fromMigrations).toEqual(fromSchema);
  });

  it('records migrations so that `prisma migrate status` agrees', { timeout: 200_000 }, async () => {
    const db = await fresh();
    await migrate(db.url);
    const status = await runPrisma(['migrate', 'status', ...CONFIG], db.url);
    expect(status.code, status.stdout + status.stderr).toBe(0);
    expect(status.stdout).toMatch(/Database schema is up to date/);
  });

  it('applies each migration once, however often it runs', async () => {
    const db = await fresh();
    expect((await migrate(db.url)).length).toBeGreaterThan(0);
    expect(await migrate(db.url)).toEqual([]);
  });

  it('refuses a database whose schema is newer than this code', async () => {
    const db = await fresh();
    await migrate(db.url);
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    await client.query(`INSERT INTO _prisma_migrations (id, checksum, finished_at, migration_name, started_at, applied_steps_count)
                        VALUES ('x', 'abc', now(), '20300101000000_from_the_future', now(), 1)`);
    await client.end();
    await expect(migrate(db.url)).rejects.toThrow(/20300101000000_from_the_future, which is not in .*older Co-Agent/);
  });

  describe('with a copy of the migrations', () => {
    let temp: ReturnType<typeof makeTempDir>;
    beforeEach(() => (temp = makeTempDir('co-agent-pg-migrations-')));
    afterEach(() => temp.cleanup());

    it('rolls a failing migration back completely and records nothing', async () => {
      const dir = path.join(temp.dir, 'migrations');
      cpSync(POSTGRES_MIGRATIONS_DIR, dir, { recursive: true });
      mkdirSync(path.join(dir, '99990101000000_broken'));
      writeFileSync(path.join(dir, '99990101000000_broken', 'migration.sql'), 'CREATE TABLE "Half" ("id" INTEGER);\nINSERT INTO "NoSuchTable" VALUES (1);\n');
      const db = await fresh();
      await expect(migrate(db.url, dir)).rejects.toThrow(/migration 99990101000000_broken failed and was rolled back: relation "NoSuchTable" does not exist/);
      const client = new pg.Client({ connectionString: db.url });
      await client.connect();
      try {
        expect((await client.query(`SELECT to_regclass('public."Half"') AS t`)).rows[0]).toEqual({ t: null });
        const names = (await client.query('SELECT migration_name FROM _prisma_migrations ORDER BY migration_name')).rows.map(
          (r: { migration_name: string }) => r.migration_name,
        );
        expect(names).toEqual(readMigrations(POSTGRES_MIGRATIONS_DIR).map((m) => m.name));
      } finally {
        await client.end();
      }
    });

    it('refuses to start when an applied migration was changed', async () => {
      const dir = path.join(temp.dir, 'migrations');
      cpSync(POSTGRES_MIGRATIONS_DIR, dir, { recursive: true });
      const db = await fresh();
      await migrate(db.url, dir);
      const [first] = readMigrations(dir);
      writeFileSync(path.join(dir, first?.name ?? '', 'migration.sql'), `${first?.sql ?? ''}\n-- an edit\n`);
      await expect(migrate(db.url, dir)).rejects.toBeInstanceOf(MigrationError);
    });
  });

  describe('connecting', () => {
    const withPath = (database: string, user?: string) => {
      const url = new URL(TEST_SERVER_URL);
      url.pathname = `/${database}`;
      if (user) url.username = user;
      return url.toString();
    };

    it('says plainly that the database does not exist', async () => {
      await expect(connectPostgres(withPath('co_agent_no_such_database'))).rejects.toThrow(
        new DatabaseConnectionError(
          'database "co_agent_no_such_database" does not exist on ' +
            `${withPath('co_agent_no_such_database')}: create it first (createdb co_agent_no_such_database), Co-Agent creates only its tables`,
        ),
      );
    });

    it('says plainly that the server refused the user', async () => {
      await expect(connectPostgres(withPath('postgres', 'co_agent_no_such_user'))).rejects.toThrow(/PostgreSQL refused user "co_agent_no_such_user"/);
    });

    it('says plainly that the password was refused', async () => {
      // The test server trusts every local login, so a wrong password is played by a listener that
      // answers the startup message the way PostgreSQL answers a failed password exchange
      // (ErrorResponse, SQLSTATE 28P01 invalid_password).
      const server = createServer((socket) => {
        socket.once('data', () => {
          const fields = Buffer.from(
            ['SFATAL', 'VFATAL', 'C28P01', 'Mpassword authentication failed for user "co_agent"'].map((f) => `${f}\0`).join('') + '\0',
          );
          const header = Buffer.alloc(5);
          header.write('E', 0);
          header.writeInt32BE(4 + fields.length, 1);
          socket.end(Buffer.concat([header, fields]));
        });
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const { port } = server.address() as AddressInfo;
      try {
        await expect(connectPostgres(`postgresql://co_agent:wrong-secret@127.0.0.1:${port}/co_agent`, { maxAttempts: 1 })).rejects.toThrow(
          new DatabaseConnectionError(
            `PostgreSQL refused the password for user "co_agent" at postgresql://co_agent:***@127.0.0.1:${port}/co_agent: check database.url / DATABASE_URL`,
          ),
        );
      } finally {
        server.close();
      }
    });

    it('waits for an unreachable server with backoff, saying so, then gives up', async () => {
      const lines: string[] = [];
      const logger = createLogger({ level: 'warn' }, { write: (line: string) => lines.push(line) });
      // Port 1 on the loopback: nothing listens, the connection is refused at once.
      await expect(connectPostgres('postgresql://postgres@127.0.0.1:1/postgres', { logger, firstDelayMs: 1, maxAttempts: 3 })).rejects.toThrow(
        /PostgreSQL at postgresql:\/\/postgres@127\.0\.0\.1:1\/postgres is unreachable after \d+ s and 3 attempts/,
      );
      const waits = lines.map((line) => JSON.parse(line) as { msg: string; retryInMs: number });
      expect(waits).toHaveLength(2);
      expect(waits.every((w) => w.msg === 'PostgreSQL is unreachable; waiting for it')).toBe(true);
      // Each wait is twice the one before.
      expect(waits[1]?.retryInMs).toBe(2 * (waits[0]?.retryInMs ?? 0));
    });
  });
});

// The synchronous PostgreSQL connection (core/store/postgres/sync-connection.ts): every call gets
// its own answer, also after an earlier call gave up waiting and its answer came late. Runs
// against CO_AGENT_TEST_POSTGRES_URL (default: the local server), in a fresh database.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PostgresQueryError, PostgresSyncConnection } from '../../../core/store/postgres/sync-connection.js';
import { createTestDatabase, type TestDatabase } from './postgres-server.js';

describe('PostgreSQL synchronous connection', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    await database?.drop();
  });

  it('drops the late answer of a call that timed out instead of taking it for the next call', async () => {
    const connection = new PostgresSyncConnection(database.url, { timeoutMs: 1000 });
    try {
      expect(() => connection.prepare('SELECT pg_sleep(1.2) AS slept, 1 AS which').get()).toThrow(PostgresQueryError);
      // The sleeping query answers 0.2 s into the next call's wait; each call must still get its own row.
      const answers: unknown[] = [];
      const started = Date.now();
      while (Date.now() - started < 2500) answers.push(connection.prepare('SELECT 2 AS which, ? AS n').get(answers.length));
      expect(answers.length).toBeGreaterThan(1);
      answers.forEach((row, n) => expect(row).toEqual({ which: 2, n: String(n) }));
    } finally {
      connection.close();
    }
  });

  it('answers thousands of calls in a row, each with its own rows', () => {
    const connection = new PostgresSyncConnection(database.url);
    try {
      for (let i = 0; i < 3000; i++) expect(connection.prepare('SELECT ?::int AS i').pluck().get(i)).toBe(i);
    } finally {
      connection.close();
    }
  });
});

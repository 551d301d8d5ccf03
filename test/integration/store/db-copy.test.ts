// npm run db:copy: a community's SQLite database copied into a fresh PostgreSQL database reads
// back the same through the store, every count checked, and a non-empty target refused.
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../../../core/store/index.js';
import { copyCli } from '../../../scripts/db-copy.js';
import { makeTempDir, silentLogger } from './helpers.js';
import { createTestDatabase, type TestDatabase } from './postgres-server.js';

const vector = (seed: number) => Float32Array.from({ length: 8 }, (_, i) => Math.sin(seed + i));

async function community(store: Store): Promise<void> {
  const ana = (await store.members.upsertByIdentity({ platform: 'matrix', externalId: '@ana:example.org', displayName: 'Ana' })).member;
  const ben = (await store.members.upsertByIdentity({ platform: 'discourse', externalId: 'ben', displayName: 'Ben' })).member;
  await store.members.setOptOut(ben.id, true);
  const doc = await store.documents.upsert({
    platform: 'discourse',
    externalId: '7',
    threadId: 't7',
    kind: 'topic',
    title: 'Pandas merge',
    text: 'How do I merge?',
    authorId: ana.id,
    accepted: true,
    score: 3,
    tags: ['python', 'pandas'],
    createdAt: new Date('2026-03-01T10:00:00.000Z'),
  });
  await store.problems.create({
    originatorId: ben.id,
    platform: 'discourse',
    text: 'Merging frames fails',
    sourceDocumentId: doc.id,
    tags: [{ name: 'python', confidence: 0.9 }],
  });
  await store.embeddings.put('model-a', [
    ['hash-1', vector(1)],
    ['hash-2', vector(2)],
  ]);
  await store.generatedSecrets.obtain('csrf', () => 'kept-secret');
}

describe('db:copy (SQLite to PostgreSQL)', () => {
  let temp: ReturnType<typeof makeTempDir>;
  let target: TestDatabase;
  let file: string;
  const out: string[] = [];
  const err: string[] = [];
  const io = { out: (l: string) => out.push(l), err: (l: string) => err.push(l) };
  beforeEach(async () => {
    temp = makeTempDir('co-agent-db-copy-');
    target = await createTestDatabase();
    file = path.join(temp.dir, 'community.db');
    const store = await openStore({ path: file, logger: silentLogger });
    await community(store);
    await store.close();
    out.length = 0;
    err.length = 0;
  });
  afterEach(async () => {
    await target.drop();
    temp.cleanup();
  });

  it('copies every row, says the counts match, and the store reads the same community back', async () => {
    expect(await copyCli(['--from', file, '--to', target.url], io), err.join('\n')).toBe(0);
    expect(out.find((l) => l.startsWith('Member '))).toMatch(/Member\s+2 ->\s+2$/);
    expect(out.find((l) => l.startsWith('Embedding '))).toMatch(/Embedding\s+2 ->\s+2$/);
    expect(out.at(-1)).toMatch(/^copied \d+ rows in \d+ tables in [\d.]+ s; every count matches/);

    const sqlite = await openStore({ path: file, logger: silentLogger });
    const pg = await openStore({ url: target.url, logger: silentLogger });
    try {
      expect(pg.dialect).toBe('postgresql');
      expect(await pg.documents.listLive()).toEqual(await sqlite.documents.listLive());
      const ben = await pg.members.findByIdentity({ platform: 'discourse', externalId: 'ben' });
      expect(ben?.optedOut).toBe(true);
      expect(ben).toEqual(await sqlite.members.findByIdentity({ platform: 'discourse', externalId: 'ben' }));
      const vectors = await pg.embeddings.get('model-a', ['hash-1', 'hash-2']);
      expect([...(vectors.get('hash-2') ?? [])]).toEqual([...vector(2)]);
      expect(await pg.generatedSecrets.obtain('csrf', () => 'new')).toBe('kept-secret');
      // Ids go on after the copied ones.
      const cy = (await pg.members.upsertByIdentity({ platform: 'matrix', externalId: '@cy:example.org' })).member;
      expect(Number(cy.id)).toBe(3);
    } finally {
      await sqlite.close();
      await pg.close();
    }
  });

  it('refuses a target that already holds data, and leaves it as it was', async () => {
    expect(await copyCli(['--from', file, '--to', target.url], io)).toBe(0);
    err.length = 0;
    expect(await copyCli(['--from', file, '--to', target.url], io)).toBe(1);
    expect(err.join('\n')).toMatch(/is not empty \(table \w+ has rows\): db:copy fills an empty database only/);
    const pg = await openStore({ url: target.url, logger: silentLogger });
    try {
      expect((await pg.documents.listLive()).length).toBe(1);
    } finally {
      await pg.close();
    }
  });

  it('answers usage for a target that is not a postgresql:// URL', async () => {
    expect(await copyCli(['--from', file, '--to', path.join(temp.dir, 'other.db')], io)).toBe(2);
    expect(err[0]).toMatch(/^usage: npm run db:copy/);
  });
});

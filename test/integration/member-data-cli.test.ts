// `npm run member -- export|erase <member>`: the admin's side of members' data rights, on a real
// database: export prints everything held as JSON; erase leaves nothing that names the member or
// holds their words in any table, and keeps the anonymous interaction counts.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../core/logging.js';
import { openStore, type Store } from '../../core/store/index.js';
import { memberCli } from '../../scripts/member.js';
import { searchDatabase } from '../unit/concierge/search-database.js';

const T = new Date('2026-05-04T09:00:00.000Z');
const PHRASE = 'lantern retrospective with oat biscuits';

describe('npm run member -- export|erase', () => {
  let dir: string;
  let db: string;
  const env = () => ({ CO_AGENT_CONFIG: path.join(dir, 'co-agent.yaml') });
  const withStore = async <R>(fn: (store: Store) => Promise<R>): Promise<R> => {
    const store = await openStore({ path: db, logger: createLogger({ level: 'silent' }) });
    try {
      return await fn(store);
    } finally {
      await store.close();
    }
  };
  const run = async (...argv: string[]) => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await memberCli(argv, { env: env(), out: (l) => out.push(l), err: (l) => err.push(l) });
    return { code, out: out.join('\n'), err: err.join('\n') };
  };

  beforeEach(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'co-agent-member-data-'));
    db = path.join(dir, 'co-agent.db');
    writeFileSync(path.join(dir, 'co-agent.yaml'), `database:\n  path: ${JSON.stringify(db)}\n`);
    await withStore(async (store) => {
      const mia = (await store.members.upsertByIdentity({ platform: 'discourse', externalId: 'mia_r', displayName: 'Mia Rossi' })).member;
      const ben = (await store.members.upsertByIdentity({ platform: 'matrix', externalId: '@ben:example.org', displayName: 'Ben' })).member;
      await store.members.setInterests(mia.id, `running a ${PHRASE}`);
      await store.documents.upsert({
        platform: 'discourse',
        externalId: '7/1',
        threadId: '7',
        kind: 'topic',
        title: 'Team rituals',
        text: `We hold a ${PHRASE} every month.`,
        authorId: mia.id,
        createdAt: T,
      });
      await store.documents.upsert({
        platform: 'discourse',
        externalId: '7/2',
        threadId: '7',
        kind: 'post',
        text: 'Great idea Mia Rossi, @mia_r we will copy it.',
        authorId: ben.id,
        createdAt: T,
      });
      await store.interactions.record({
        fromMemberId: ben.id,
        toMemberId: mia.id,
        kind: 'reply',
        platform: 'discourse',
        mediated: false,
        sourceEventId: '7/2',
        occurredAt: T,
      });
    });
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('exports as JSON, then erases everything identifying and keeps the counts', async () => {
    const exported = await run('export', 'mia_r', '--database', db);
    expect(exported.code).toBe(0);
    const json = JSON.parse(exported.out) as { member: { displayName: string }; documents: { text: string }[]; identities: { externalId: string }[] };
    expect(json.member.displayName).toBe('Mia Rossi');
    expect(json.identities.map((i) => i.externalId)).toEqual(['mia_r']);
    expect(json.documents.map((d) => d.text)).toEqual([`We hold a ${PHRASE} every month.`]);

    const erased = await run('erase', 'mia_r', '--database', db, '--by', 'admin');
    expect(erased.code).toBe(0);
    expect(erased.out).toMatch(/^erased #\d+ Mia Rossi \(discourse mia_r\) \(by admin\): 1 documents; rows removed or edited: .*Document \d+/);
    for (const needle of ['mia_r', 'Mia Rossi', 'Rossi', PHRASE]) expect(searchDatabase(db, needle)).toEqual([]);
    // Ben's post stays, with the name taken out; the interaction is still counted.
    await withStore(async (store) => {
      const post = await store.documents.find('discourse', '7/2');
      expect(post?.text).toBe('Great idea [erased], @[erased] we will copy it.');
      expect(await store.interactions.listBetween(new Date(0), new Date('2100-01-01'))).toHaveLength(1);
    });
    expect((await run('export', 'mia_r', '--database', db)).code).toBe(1);
  });
});

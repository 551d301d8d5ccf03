// A member's data through the store, on either database (CO_AGENT_TEST_STORE=postgresql):
// export holds their rows; erasure removes their accounts and words and takes their name out
// of other people's posts.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Store } from '../../../core/store/index.js';
import { openTempStore, type TempStore } from './helpers.js';

const T = new Date('2026-03-01T10:00:00.000Z');

describe('store: member data export and erasure', () => {
  let temp: TempStore;
  let store: Store;
  beforeEach(async () => ({ store } = temp = await openTempStore()));
  afterEach(async () => temp.done());

  it('exports a member, then erases them and their name from what others wrote', async () => {
    const mia = (await store.members.upsertByIdentity({ platform: 'discourse', externalId: 'mia_r', displayName: 'Mia Rossi' })).member;
    const ben = (await store.members.upsertByIdentity({ platform: 'matrix', externalId: '@ben:example.org', displayName: 'Ben' })).member;
    await store.documents.upsert({
      platform: 'discourse',
      externalId: '7/1',
      threadId: '7',
      kind: 'topic',
      title: 'Team rituals',
      text: 'We hold a lantern retro every month.',
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

    const exported = await store.memberData.export(mia.id);
    expect(exported?.member).toMatchObject({ displayName: 'Mia Rossi' });
    expect(exported?.identities).toEqual([expect.objectContaining({ platform: 'discourse', externalId: 'mia_r' })]);

    const result = await store.memberData.erase({ member: mia.id, embeddingHashes: [] });
    expect(result.documents).toHaveLength(1);
    expect(result.rows['Identity']).toBe(1);
    expect((await store.documents.find('discourse', '7/2'))?.text).toBe('Great idea [erased], @[erased] we will copy it.');
    expect(await store.documents.find('discourse', '7/1')).toBeNull();
    const members = temp.readRows('SELECT "id", "displayName", "optedOut" FROM "Member" ORDER BY "id"');
    expect(members).toEqual([
      { id: mia.id, displayName: 'erased member', optedOut: 1 },
      { id: ben.id, displayName: 'Ben', optedOut: 0 },
    ]);
  });
});

// A merge racing with new events for both accounts: events flow through the durable inbox (one
// worker per platform, as in the service) into the concierge while the two members are merged.
// Nothing may be lost (every message learned, every mention recorded) and nothing counted twice.
// The first test puts the merge exactly between a handler's read of a member and its write (the
// store is real; the wrapper only chooses the moment); the second lets a merge and the workers run
// freely side by side.
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ActorRef, InboundMessage } from '../../../core/inbound.js';
import { InboxWorker } from '../../../core/queue/inbox-worker.js';
import type { MemberId, Platform } from '../../../core/types.js';
import { createWorld, message, NOW, silentLogger, type World } from '../../unit/concierge/fixture.js';

const ANA_M: ActorRef = { platform: 'matrix', externalId: '@ana.kowalska:example.org', displayName: 'Ana Kowalska' };
const ANA_F: ActorRef = { platform: 'discourse', externalId: 'ana_k', displayName: 'Ana Kowalska' };
const BEN: ActorRef = { platform: 'matrix', externalId: '@ben.okafor:example.org', displayName: 'Ben Okafor' };
const CY: ActorRef = { platform: 'discourse', externalId: 'cy_t', displayName: 'Cy Tanaka' };

/** Messages on both platforms, each mentioning someone: Ben and Ana on Matrix, Cy and Ana on the forum. */
function events(count: number): InboundMessage[] {
  const out: InboundMessage[] = [];
  for (let i = 0; i < count; i++) {
    const platform: Platform = i % 2 === 0 ? 'matrix' : 'discourse';
    const [ana, other] = platform === 'matrix' ? [ANA_M, BEN] : [ANA_F, CY];
    const [author, mentioned] = i % 4 < 2 ? [other, ana] : [ana, other];
    out.push(
      message(author, `note ${i} for ${mentioned.displayName}`, {
        eventId: platform === 'matrix' ? `$race${i}` : `${100 + i}/1`,
        mentions: [mentioned],
        createdAt: new Date(NOW.getTime() - (count - i) * 60_000),
      }),
    );
  }
  return out;
}

const revive = (payload: string): InboundMessage => {
  const e = JSON.parse(payload) as InboundMessage;
  return { ...e, createdAt: new Date(e.createdAt) };
};

describe('a merge racing with new events for both accounts', () => {
  let w: World;
  let workers: InboxWorker[];
  beforeEach(async () => {
    w = await createWorld();
    workers = (['matrix', 'discourse'] as const).map(
      (platform) =>
        new InboxWorker({
          store: w.store,
          platform,
          logger: silentLogger,
          maxAttempts: 5,
          batch: 5,
          handle: (item) => w.concierge.receive(revive(item.payload)),
        }),
    );
  });
  afterEach(async () => {
    for (const worker of workers) await worker.stop();
    await w.done();
  });

  async function enqueue(list: readonly InboundMessage[]) {
    for (const platform of ['matrix', 'discourse'] as const) {
      await w.store.inbox.enqueue(
        platform,
        list.filter((e) => e.platform === platform).map((e) => ({ eventId: e.eventId, payload: JSON.stringify(e) })),
      );
    }
  }

  async function drained() {
    for (let i = 0; i < 200; i++) {
      const counts = await Promise.all((['matrix', 'discourse'] as const).map((p) => w.store.inbox.counts(p)));
      if (counts.every((c) => c.pending === 0)) return counts;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error('the inbox did not drain');
  }

  /** Nothing lost, nothing twice: one member for Ana, every message learned once, every mention once. */
  async function expectAllCountedOnce(list: readonly InboundMessage[]) {
    const counts = await drained();
    expect(counts.map((c) => c.failed)).toEqual([0, 0]);
    const ana = (await w.store.members.findByIdentity(ANA_M))!;
    expect((await w.store.members.findByIdentity(ANA_F))!.id).toBe(ana.id);
    const person = new Map<MemberId, string>([[ana.id, 'Ana']]);
    for (const [name, a] of [
      ['Ben', BEN],
      ['Cy', CY],
    ] as const)
      person.set((await w.store.members.findByIdentity(a))!.id, name);
    const firstName = (a: ActorRef) => (a === ANA_M || a === ANA_F ? 'Ana' : a.displayName!.split(' ')[0]!);

    expect((await w.store.documents.listLive()).filter((d) => d.text.startsWith('note '))).toHaveLength(list.length);
    // The scheduled round brings the engine in line with the merge.
    await w.concierge.tick(NOW);
    for (const e of list) {
      const doc = (await w.store.documents.find(e.platform, e.eventId))!;
      expect(person.get(doc.authorId!), e.eventId).toBe(firstName(e.author));
      // The engine credits the words to the same person, so routing sees one record.
      expect(person.get(w.engine.kb.get(doc.id)!.authorId!), e.eventId).toBe(firstName(e.author));
    }

    const recorded = (await w.interactions()).filter((i) => i.sourceEventId && list.some((e) => e.eventId === i.sourceEventId));
    const expected = list.map((e) => `${e.eventId} ${firstName(e.author)}>${firstName(e.mentions[0]!)}`).sort();
    expect(recorded.map((i) => `${i.sourceEventId} ${person.get(i.fromMemberId)}>${person.get(i.toMemberId)}`).sort()).toEqual(expected);
  }

  /** Both of Ana's accounts spoke before the race starts: two members. */
  async function anasTwoMembers(): Promise<[MemberId, MemberId]> {
    await w.receive(message(ANA_M, 'hello from matrix'));
    await w.receive(message(ANA_F, 'hello from the forum'));
    return [(await w.store.members.findByIdentity(ANA_M))!.id, (await w.store.members.findByIdentity(ANA_F))!.id];
  }

  it('the merge lands between a handler reading a member and writing with it: the event is retried, counted once', async () => {
    const list = events(24);
    const [anaM, anaF] = await anasTwoMembers();
    // The merge commits right before event 7 (Ana on the forum) writes what she said with the
    // member its handler read before the merge.
    let merged = false;
    const { documents } = w.store;
    const upsert = documents.upsert.bind(documents);
    documents.upsert = async (input) => {
      if (!merged && input.externalId === list[7]!.eventId) {
        merged = true;
        expect((await w.store.merges.merge(anaM, anaF, { by: 'admin', reason: 'race' })).ok).toBe(true);
      }
      return upsert(input);
    };
    await enqueue(list);
    for (const worker of workers) worker.start();
    await expectAllCountedOnce(list);
    expect(merged).toBe(true);
    // Event 7 failed once (its author's member was gone by its write) and was handled on the retry.
    const db = new Database(w.store.path, { readonly: true });
    const row = db.prepare('SELECT "status", "attempts", "lastError" FROM "InboxEvent" WHERE "eventId" = ?').get(list[7]!.eventId) as {
      status: string;
      attempts: number;
      lastError: string;
    };
    db.close();
    expect(row).toMatchObject({ status: 'done', attempts: 1 });
    expect(row.lastError).toMatch(/foreign key/i);
  });

  it('a merge while both workers run: every event handled, nothing twice', async () => {
    const list = events(60);
    const [anaM, anaF] = await anasTwoMembers();
    await enqueue(list);
    for (const worker of workers) worker.start();
    // Let some events through, then merge while the rest are being handled.
    while ((await w.store.inbox.counts('discourse')).done < 6) await new Promise((resolve) => setTimeout(resolve, 5));
    expect((await w.store.merges.merge(anaM, anaF, { by: 'admin', reason: 'race' })).ok).toBe(true);
    await expectAllCountedOnce(list);
  });
});

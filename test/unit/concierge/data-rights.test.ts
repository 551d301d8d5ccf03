// Members' data rights through the concierge: my-data sends the member (privately) what is held
// about them; forget-me asks for a confirmation, then erases it, and afterwards nothing in the
// database file names them or holds what they wrote, while the anonymous counts stay; someone
// Co-Agent does not know gets a polite answer and is not recorded.
import { readFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DirectAction, KeyedAction } from '../../../core/concierge/actions.js';
import { plainText } from '../../../core/concierge/rich-text.js';
import { searchDatabase } from './search-database.js';
import { BOB, EQUITY_REQUEST, ROOM, actor, createWorld, inThread, mention, message, type World } from './fixture.js';

const PHRASE = 'purple giraffe budget ritual';
const texts = (actions: readonly KeyedAction[]): string[] => actions.map(({ action }) => ('body' in action ? plainText(action.body) : ''));

describe('data rights: my-data and forget-me', () => {
  let w: World;
  beforeEach(async () => {
    w = await createWorld();
  });
  afterEach(async () => w.done());

  it('sends my-data privately, erases after confirmation, and leaves nothing identifying', async () => {
    const bob = w.members.bob;
    // Bob writes a phrase in the room, answers a request, and others name him.
    await w.receive(message(BOB, `Our ${PHRASE} keeps the quarterly plan honest.`));
    const request = mention(actor('dave', 'Dave'), EQUITY_REQUEST);
    await w.receive(request);
    await w.receive(inThread(BOB, request.eventId, `Try the ${PHRASE}: vest over four years with a cliff.`));
    await w.receive(message(actor('carol', 'Carol'), 'Thanks Bob, that vesting advice from @bob:example.org was spot on.'));
    const interactionsBefore = (await w.interactions()).length;
    const problemsBefore = (await w.store.problems.listByOriginator(w.members.dave.id, ['opened', 'invited', 'answered', 'solved'])).length;
    expect(searchDatabase(w.store.readerAddress, PHRASE).length).toBeGreaterThan(0);

    const ask = message(BOB, '!coagent my-data');
    const sent = await w.receive(ask);
    const dm = sent.find((a) => a.action.kind === 'direct')!.action as DirectAction;
    expect(dm.to.externalId).toBe(BOB.externalId);
    expect(plainText(dm.body)).toContain('Here is what I hold about you');
    expect(plainText(dm.body)).toContain(PHRASE);
    expect(plainText(dm.body)).toContain('matrix @bob:example.org');
    expect(texts(sent).some((t) => t.includes('sent you what I hold about you in a direct message'))).toBe(true);

    const prompt = await w.receive(message(BOB, '!coagent forget-me'));
    expect(texts(prompt)[0]).toContain('!coagent forget-me confirm');
    expect(await w.store.members.findByIdentity({ platform: 'matrix', externalId: BOB.externalId })).not.toBeNull();

    const bobDocs = [...w.engine.kb.docs.values()].filter((d) => d.authorId === bob.id).map((d) => d.id);
    expect(bobDocs.length).toBeGreaterThan(1);
    const done = await w.receive(message(BOB, '!coagent forget-me confirm'));
    expect(texts(done)[0]).toMatch(/^Done: I have erased what I held about you/);

    // The engine's memory dropped his documents too.
    for (const id of bobDocs) expect(w.engine.kb.get(id)).toBeUndefined();
    // Nothing in any table or column names him or holds his phrase.
    const results = Object.fromEntries(['@bob:example.org', 'bob', 'Bob', PHRASE].map((n) => [n, searchDatabase(w.store.readerAddress, n)]));
    expect(results).toEqual({ '@bob:example.org': [], bob: [], Bob: [], [PHRASE]: [] });
    // On SQLite the file's free pages neither (secure_delete). On PostgreSQL old row versions stay
    // in the table files until VACUUM (docs/database.md says so); that is the server's to manage.
    if (w.store.dialect === 'sqlite') {
      const db = new Database(w.store.path);
      db.pragma('wal_checkpoint(TRUNCATE)');
      db.close();
      expect(readFileSync(w.store.path).includes(Buffer.from(PHRASE))).toBe(false);
      expect(readFileSync(w.store.path).includes(Buffer.from('@bob:example.org'))).toBe(false);
    }
    // The anonymous counts stay.
    expect((await w.interactions()).length).toBe(interactionsBefore);
    expect((await w.store.problems.listByOriginator(w.members.dave.id, ['opened', 'invited', 'answered', 'solved'])).length).toBe(problemsBefore);
    expect(await w.store.memberData.erasedMembers()).toContain(bob.id);
  });

  it('answers someone it does not know politely, without recording them', async () => {
    const stranger = actor('zed', 'Zed Zimmer');
    for (const text of ['!coagent forget-me', '!coagent forget-me confirm', '!coagent my-data']) {
      const actions = await w.receive(message(stranger, text, { containerId: ROOM }));
      expect(texts(actions)).toEqual(["I don't hold anything about you: you are not one of the members I know, so there is nothing to send or erase."]);
    }
    expect(await w.store.members.findByIdentity({ platform: 'matrix', externalId: stranger.externalId })).toBeNull();
    expect(searchDatabase(w.store.readerAddress, 'Zed Zimmer')).toEqual([]);
  });
});

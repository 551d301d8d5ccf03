// Likely pairs of accounts offered to their members, once, with a one-tap answer; the link still
// needs the code posted from the other account; "not me" is never asked again. The concierge on
// a real store, decisions captured as actions.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DirectAction, KeyedAction } from '../../../core/concierge/actions.js';
import { plainText } from '../../../core/concierge/rich-text.js';
import type { ActorRef } from '../../../core/inbound.js';
import { createWorld, DAY_MS, message, NOW, reaction, type World } from '../concierge/fixture.js';

const ANA_M: ActorRef = { platform: 'matrix', externalId: '@ana.kowalska:example.org', displayName: 'Ana Kowalska' };
const ANA_F: ActorRef = { platform: 'discourse', externalId: 'ana_k', displayName: 'Ana Kowalska' };
const LUCA_M: ActorRef = { platform: 'matrix', externalId: '@luca.ricci:example.org', displayName: 'Luca Ricci' };
const LUCA_F: ActorRef = { platform: 'discourse', externalId: 'luca_r', displayName: 'Luca Ricci' };
/** Another person with the same name, with accounts of their own. */
const OTHER_LUCA: ActorRef = { platform: 'discourse', externalId: 'luca_r2', displayName: 'Luca Ricci' };
const OTHER_LUCA_M: ActorRef = { platform: 'matrix', externalId: '@luca.ricci2:example.org', displayName: 'Luca Ricci' };

const offers = (actions: readonly KeyedAction[]) => actions.filter((a) => a.key.includes(':link-offer:'));
const textOf = (actions: readonly KeyedAction[]): string => actions.map((a) => ('body' in a.action ? plainText(a.action.body) : '')).join('\n');
const dm = (from: ActorRef, text: string, extra = {}) => message(from, text, { conversation: 'direct', containerId: `dm-${from.externalId}`, ...extra });
const codeIn = (text: string): string => /!coagent link ([A-Z0-9]{8})$/m.exec(text)![1]!;

describe('link offers', () => {
  let w: World;
  beforeEach(async () => {
    w = await createWorld();
  });
  afterEach(async () => w.done());

  /** Each account says something (in rooms), the first one more. */
  async function speak(...who: [ActorRef, number][]) {
    for (const [actor, times] of who) for (let i = 0; i < times; i++) await w.receive(message(actor, `a thought from ${actor.externalId} number ${i}`));
  }

  async function round(at = NOW): Promise<KeyedAction[]> {
    const before = w.actions.length;
    await w.concierge.tick(at);
    return offers(w.actions.slice(before));
  }

  it('offers a likely pair once, to the account used most, with one-tap answers and how to refuse', async () => {
    await speak([ANA_M, 3], [ANA_F, 1]);
    const [offer, ...more] = await round();
    expect(more).toEqual([]);
    const action = offer!.action as DirectAction;
    expect(action).toMatchObject({ kind: 'direct', platform: 'matrix', to: { externalId: ANA_M.externalId }, title: 'Co-Agent: is this account yours too?' });
    const text = plainText(action.body);
    expect(text).toContain('Is ana_k (Ana Kowalska) on the forum you too? It has the same name, a username made from the name.');
    expect(text).toMatch(/reply link \(or react 👍\)/);
    expect(text).toMatch(/reply not me \(or react 👎\) and I won't ask about it again/);
    expect(text).toContain('"optout"');
    // Once: later rounds offer nothing more for that pair.
    expect(await round(new Date(NOW.getTime() + DAY_MS))).toEqual([]);
    expect(await round(new Date(NOW.getTime() + 30 * DAY_MS))).toEqual([]);
    expect((await w.store.accountPairs.list()).map((p) => p.status)).toEqual(['ignored']);
  });

  it('"link" gives a code; the code posted from the other account makes them one member', async () => {
    await speak([ANA_F, 3], [ANA_M, 1]);
    const [offer] = await round();
    // The forum account is used most: the offer is a forum private message there.
    expect(offer!.action).toMatchObject({ platform: 'discourse', to: { externalId: 'ana_k' } });
    expect(plainText((offer!.action as DirectAction).body)).toMatch(/reply link my accounts \(or like this message\)/);
    const reply = textOf(await w.receive(dm(ANA_F, 'link')));
    expect(reply).toMatch(/^Thanks! One step left/);
    expect(reply).toContain(`To link matrix account ${ANA_M.externalId}, post this from that account`);
    // Saying yes links nothing yet: the other account must prove it.
    expect((await w.store.members.findByIdentity(ANA_M))!.id).not.toBe((await w.store.members.findByIdentity(ANA_F))!.id);
    expect(textOf(await w.receive(dm(ANA_M, `!coagent link ${codeIn(reply)}`)))).toMatch(/^Linked: your matrix account/);
    const ana = (await w.store.members.findByIdentity(ANA_M))!;
    expect(ana.identities.map((i) => i.externalId).sort()).toEqual([ANA_M.externalId, 'ana_k'].sort());
    expect((await w.store.accountPairs.get(ANA_M, ANA_F))?.status).toBe('linked');
    expect((await w.store.merges.list()).map((m) => m.by)).toEqual(['member']);
  });

  it('a 👍 on the offer message answers it, and a 👎 refuses', async () => {
    await speak([ANA_M, 2], [ANA_F, 1], [LUCA_M, 2], [LUCA_F, 1]);
    const sent = await round();
    expect(sent.map((o) => (o.action as DirectAction).to.externalId).sort()).toEqual([ANA_M.externalId, LUCA_M.externalId].sort());
    // The executor sent them; the concierge remembers each message.
    for (const [i, o] of sent.entries()) await w.concierge.afterAction(o.action, { roomId: `!dm${i}`, eventId: `$offer${i}` });
    const toAna = sent.findIndex((o) => (o.action as DirectAction).to.externalId === ANA_M.externalId);
    const toLuca = 1 - toAna;

    // Someone else's reaction, or another emoji, is not an answer.
    expect(await w.receive(reaction(LUCA_M, `$offer${toAna}`, '👍'))).toEqual([]);
    expect(await w.receive(reaction(ANA_M, `$offer${toAna}`, '🎉'))).toEqual([]);
    const yes = await w.receive(reaction(ANA_M, `$offer${toAna}`, '👍🏽'));
    expect(yes[0]!.action).toMatchObject({ kind: 'direct', platform: 'matrix', to: { externalId: ANA_M.externalId } });
    expect(textOf(yes)).toContain('!coagent link ');
    const no = await w.receive(reaction(LUCA_M, `$offer${toLuca}`, '👎'));
    expect(textOf(no)).toBe("Thanks, noted: luca_r on the forum is not you, and I won't ask about it again.");
    expect((await w.store.accountPairs.get(LUCA_M, LUCA_F))?.status).toBe('refused');
    // No reaction creates interactions or feedback: the bot's own message is nobody's document.
    expect(await w.interactions()).toEqual([]);
  });

  it('"not me" is never asked again, and the pair is not offered the other way round', async () => {
    await speak([LUCA_M, 2], [LUCA_F, 1]);
    await round();
    expect(textOf(await w.receive(dm(LUCA_M, 'not me')))).toMatch(/is not you, and I won't ask about it again/);
    await speak([LUCA_F, 5]);
    expect(await round(new Date(NOW.getTime() + DAY_MS))).toEqual([]);
    expect(await round(new Date(NOW.getTime() + 60 * DAY_MS))).toEqual([]);
    expect((await w.store.accountPairs.list()).map((p) => p.status)).toEqual(['refused']);
  });

  it('two different people with the same name: an offer each, neither merged without proof', async () => {
    // Two Luca Riccis, each with a Matrix and a forum account: four accounts that all look alike.
    await speak([LUCA_M, 4], [LUCA_F, 2], [OTHER_LUCA_M, 3], [OTHER_LUCA, 1]);
    const sent = await round();
    const about = (o: KeyedAction) => [(o.action as DirectAction).to.externalId, /Is (\S+) /.exec(plainText((o.action as DirectAction).body))![1]];
    expect(sent.map(about).sort()).toEqual(
      [
        [LUCA_M.externalId, 'luca_r'],
        [OTHER_LUCA_M.externalId, 'luca_r2'],
      ].sort(),
    );
    const code = codeIn(textOf(await w.receive(dm(LUCA_M, 'link'))));
    const otherCode = codeIn(textOf(await w.receive(dm(OTHER_LUCA_M, 'link'))));
    // Saying yes merges nobody; neither can use the other's code.
    expect(await w.store.merges.list()).toEqual([]);
    expect(textOf(await w.receive(dm(OTHER_LUCA, `!coagent link ${code}`)))).toMatch(/^That code was made for another discourse account/);
    expect(textOf(await w.receive(dm(LUCA_F, `!coagent link ${otherCode}`)))).toMatch(/^That code was made for another discourse account/);
    expect(await w.store.merges.list()).toEqual([]);
    // Each posts their own code from their own forum account: two people, each with their two accounts.
    expect(textOf(await w.receive(dm(LUCA_F, `!coagent link ${code}`)))).toMatch(/^Linked/);
    expect(textOf(await w.receive(dm(OTHER_LUCA, `!coagent link ${otherCode}`)))).toMatch(/^Linked/);
    const accounts = async (a: ActorRef) => (await w.store.members.findByIdentity(a))!.identities.map((i) => i.externalId).sort();
    expect(await accounts(LUCA_M)).toEqual([LUCA_M.externalId, 'luca_r'].sort());
    expect(await accounts(OTHER_LUCA)).toEqual([OTHER_LUCA_M.externalId, 'luca_r2'].sort());
    // With both linked, the cross pairs are no longer likely: nothing more is offered.
    expect(await round(new Date(NOW.getTime() + 20 * DAY_MS))).toEqual([]);
  });

  it('never offers links to or about opted-out members, members who left, paused members; quiet hours wait', async () => {
    await speak([ANA_M, 2], [ANA_F, 1], [LUCA_M, 2], [LUCA_F, 1]);
    const ana = (await w.store.members.findByIdentity(ANA_M))!;
    const lucaForum = (await w.store.members.findByIdentity(LUCA_F))!;
    await w.store.members.setOptOut(ana.id, true);
    await w.store.members.setOptOut(lucaForum.id, true);
    expect(await round()).toEqual([]);
    await w.store.members.setOptOut(ana.id, false);
    await w.store.members.setOptOut(lucaForum.id, false);
    await w.store.members.setPausedUntil(ana.id, new Date(NOW.getTime() + DAY_MS));
    await w.store.members.setLeftAt((await w.store.members.findByIdentity(LUCA_M))!.id, NOW);
    expect(await round()).toEqual([]);
    await w.store.members.setPausedUntil(ana.id, null);
    // 12:00 UTC is 21:00 in Tokyo: inside her quiet hours, so the offer waits for the morning.
    await setQuietHours(w, ana.id, '20:00-08:00', 'Asia/Tokyo');
    expect(await round()).toEqual([]);
    const morning = await round(new Date('2025-06-03T00:30:00.000Z'));
    expect(morning.map((o) => (o.action as DirectAction).to.externalId)).toEqual([ANA_M.externalId]);
  });

  it('"yes" answers the offer when it is what the bot asked last; "link" or "not me" with no offer say so', async () => {
    expect(textOf(await w.receive(dm(ANA_M, 'link')))).toMatch(/^I have not asked you about another account\. To link one yourself/);
    expect(textOf(await w.receive(dm(ANA_M, 'not me')))).toBe('I have not asked you about another account, so there is nothing to refuse.');
    await speak([ANA_M, 2], [ANA_F, 1]);
    await round();
    expect(textOf(await w.receive(dm(ANA_M, 'yes')))).toMatch(/^Thanks! One step left/);
    expect((await w.store.accountPairs.get(ANA_M, ANA_F))?.status).toBe('accepted');
    // Changing one's mind before posting the code is still possible.
    expect(textOf(await w.receive(dm(ANA_M, 'not me')))).toMatch(/is not you/);
    expect((await w.store.accountPairs.get(ANA_M, ANA_F))?.status).toBe('refused');
  });
});

async function setQuietHours(w: World, id: number, hours: string, zone: string): Promise<void> {
  // Quiet hours are set by admins in the database today; the test writes them the same way.
  const { default: Database } = await import('better-sqlite3');
  const db = new Database(w.store.path);
  db.prepare('UPDATE "Member" SET "quietHours" = ?, "timeZone" = ? WHERE "id" = ?').run(hours, zone, id);
  db.close();
}

// The admins' tag command (parsing, who may use it, approve / reject / rename / merge with the
// engine following at once) and the proposals made from the history's themes.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DirectAction, KeyedAction } from '../../../core/concierge/actions.js';
import { parseCommand, splitArgs } from '../../../core/concierge/commands.js';
import { plainText } from '../../../core/concierge/rich-text.js';
import { suggestTagsIfDue } from '../../../core/concierge/tag-suggestions.js';
import { ALICE, BOB, createWorld, message, type World } from './fixture.js';

const textOf = (actions: readonly KeyedAction[]): string => {
  expect(actions).toHaveLength(1);
  const { action } = actions[0]!;
  return 'body' in action ? plainText(action.body) : '';
};

describe('parseCommand: tags', () => {
  it('reads the list, each change, and names in quotes', () => {
    expect(parseCommand('!coagent tags', false)).toEqual({ name: 'tags', change: null });
    expect(parseCommand('tags list', true)).toEqual({ name: 'tags', change: null });
    expect(parseCommand('tags approve cap-table', true)).toEqual({ name: 'tags', change: { kind: 'approve', tag: 'cap-table' } });
    expect(parseCommand('!coagent tags REJECT "remote work"', false)).toEqual({ name: 'tags', change: { kind: 'reject', tag: 'remote work' } });
    expect(parseCommand('tags rename "remote work" remote-teams', true)).toEqual({
      name: 'tags',
      change: { kind: 'rename', tag: 'remote work', to: 'remote-teams' },
    });
    expect(parseCommand('tags merge vesting equity', true)).toEqual({ name: 'tags', change: { kind: 'merge', tag: 'vesting', to: 'equity' } });
    expect(splitArgs('a “b c” "d"  e')).toEqual(['a', 'b c', 'd', 'e']);
  });

  it('says how when words are missing, and leaves prose to a mention alone', () => {
    expect(parseCommand('tags approve', true)).toMatchObject({ name: 'invalid', reason: expect.stringMatching(/Name one tag/) });
    expect(parseCommand('tags rename cap-table', true)).toMatchObject({ name: 'invalid', reason: expect.stringMatching(/Name two tags/) });
    expect(parseCommand('!coagent tags frobnicate', false)).toMatchObject({ name: 'invalid', reason: expect.stringMatching(/tags approve <name>/) });
    expect(parseCommand('tags are confusing me, how do you organise them?', true)).toBeNull();
  });
});

describe('the tags command', () => {
  let w: World;
  beforeEach(async () => {
    w = await createWorld({ admins: [ALICE.externalId] });
    await w.store.tags.propose('cap-table', 'Recurring theme in 6 messages: cap table, shares, dilution.');
    await w.store.tags.propose('vesting', 'Recurring theme in 5 messages: vesting, cliff, schedule.');
  });
  afterEach(async () => w.done());

  const dm = (who: typeof ALICE, text: string) => w.receive(message(who, text, { conversation: 'direct', containerId: `!dm-${who.displayName}` }));

  it('is refused to anyone not named an admin, changing nothing', async () => {
    expect(textOf(await dm(BOB, 'tags approve cap-table'))).toMatch(/^Only the community's admins/);
    expect((await w.store.tags.get('cap-table'))?.status).toBe('proposed');
    expect(textOf(await dm(BOB, 'tags'))).toMatch(/^Only the community's admins/);
  });

  it('lists proposals for an admin, and names the proposals when a name is unknown', async () => {
    const list = textOf(await dm(ALICE, 'tags'));
    expect(list).toContain('• cap-table: Recurring theme in 6 messages: cap table, shares, dilution.');
    expect(list).toContain('• vesting: ');
    expect(textOf(await dm(ALICE, 'tags approve captable'))).toBe('There is no tag "captable". Proposed: cap-table, vesting.');
  });

  it('approves, renames and merges, and the engine uses the new set at once', async () => {
    expect(w.engine.tags.names).not.toContain('cap-table');
    expect(textOf(await dm(ALICE, 'tags approve cap-table'))).toBe('Approved: requests are tagged "cap-table" from now on.');
    expect((await w.store.tags.get('cap-table'))?.status).toBe('active');
    expect(w.engine.tags.names).toContain('cap-table');
    // A request about it is tagged with it (the description is embedded for a new tag).
    const analysis = await w.engine.analyze({ text: 'How do we keep our cap table clean after the seed round dilution?' });
    expect(analysis.tags.map((t) => t.tag)).toContain('cap-table');
    // Approving twice says so.
    expect(textOf(await dm(ALICE, 'tags approve cap-table'))).toBe('"cap-table" is in use already.');

    expect(textOf(await dm(ALICE, 'tags rename cap-table "ownership table"'))).toBe('Renamed "cap-table" to "ownership table".');
    expect(w.engine.tags.names).toContain('ownership table');
    expect(w.engine.tags.names).not.toContain('cap-table');
    expect(textOf(await dm(ALICE, 'tags rename vesting equity'))).toBe('A tag "equity" exists already; merge "vesting" into it instead.');

    // The history's "equity" documents move to the tag merged into.
    expect(textOf(await dm(ALICE, 'tags merge equity "ownership table"'))).toMatch(/^Merged "equity" into "ownership table" \(0 requests and 2 messages/);
    expect(await w.store.tags.get('equity')).toBeNull();
    expect(w.engine.tags.names).not.toContain('equity');
    expect([...w.engine.kb.docs.values()].filter((d) => d.tags.includes('ownership table'))).toHaveLength(2);
    expect(textOf(await dm(ALICE, 'tags merge vesting hiring'))).toBe('Merged "vesting" into "hiring" (0 requests and 1 message now carry "hiring").');
  });

  it('rejects a proposal for good, but not a tag in use', async () => {
    expect(textOf(await dm(ALICE, 'tags reject vesting'))).toBe('Rejected: I will not propose "vesting" again.');
    expect((await w.store.tags.get('vesting'))?.status).toBe('rejected');
    expect(textOf(await dm(ALICE, 'tags reject hiring'))).toBe('"hiring" is in use; merge it into another tag instead of rejecting it.');
    expect(w.engine.tags.names).not.toContain('vesting');
  });
});

describe('tag proposals from the history', () => {
  let w: World;
  afterEach(async () => w.done());

  it('waits for enough history, and for a community without tags of its own', async () => {
    w = await createWorld({ admins: [ALICE.externalId], tagSuggestions: { enabled: true, minDocuments: 50, minClusterSize: 2, maxProposals: 8 } });
    expect(await suggestTagsIfDue(w.ctx)).toEqual({ proposed: [], skipped: '7 of 50 messages' });
    w.ctx.settings.tagSuggestions!.minDocuments = 5;
    // The history's documents carry forum tags (equity, hiring): nothing is proposed.
    expect(await suggestTagsIfDue(w.ctx)).toEqual({ proposed: [], skipped: 'the community has tags of its own' });
  });

  it('proposes themes once, tells the admins, and never a name taken or rejected', async () => {
    w = await createWorld({
      admins: [ALICE.externalId, 'someone_on_the_forum'],
      tagSuggestions: { enabled: true, minDocuments: 5, minClusterSize: 2, maxProposals: 8 },
    });
    // As if the forum's tags were rejected proposals: the community has none in use.
    for (const name of ['equity', 'hiring']) await w.store.tags.setStatus(name, 'rejected');
    const first = await suggestTagsIfDue(w.ctx);
    expect(first.proposed.length).toBeGreaterThan(0);
    for (const name of first.proposed) {
      expect(await w.store.tags.get(name)).toMatchObject({
        status: 'proposed',
        origin: 'suggested',
        description: expect.stringMatching(/^Recurring theme in \d+ messages: /),
      });
      expect(name.split('-')).not.toContain('equity');
      expect(name.split('-')).not.toContain('hiring');
    }
    // Each admin the bot can reach is told once, in a direct message naming the proposals.
    const told = w.actions.filter((a) => a.key.startsWith('tags:proposed:'));
    expect(told.map((a) => (a.action as DirectAction).to.externalId).sort()).toEqual([ALICE.externalId, 'someone_on_the_forum']);
    expect(plainText((told[0]!.action as DirectAction).body)).toContain(first.proposed.join(', '));
    // Proposed tags are not used for tagging.
    for (const name of first.proposed) expect(w.engine.tags.names).not.toContain(name);

    // No growth since: nothing new, nothing sent again.
    expect(await suggestTagsIfDue(w.ctx)).toMatchObject({ proposed: [], skipped: expect.stringMatching(/not grown/) });
  });
});

// A Matrix-only community with no forum to take tags from: the tag vocabulary comes from the
// configuration (name and description), and replies carry its tags.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMatrixWorld, type MatrixWorld } from './matrix-world.js';
import { COMMUNITY_TAGS, body, mentionOfBot, threadOf } from './matrix-community.js';

describe('Matrix alone: tags from the configured vocabulary', () => {
  let w: MatrixWorld;
  beforeAll(async () => {
    const vocabulary = COMMUNITY_TAGS.map((t) => `    - name: ${t.name}\n      description: ${JSON.stringify(t.description)}`).join('\n');
    w = await startMatrixWorld({ seedTags: false, extraConfig: `tags:\n  vocabulary:\n${vocabulary}\n` });
  }, 120_000);
  afterAll(async () => w?.close());

  it('knows the tags and shows them in a reply', async () => {
    const { hs, c } = w;
    expect((await w.store.tags.list()).map((t) => t.name).sort()).toEqual(COMMUNITY_TAGS.map((t) => t.name).sort());
    const ask = hs.send(c.users.dave, c.general, 'm.room.message', mentionOfBot(c.bot.userId, 'how do we plan next year budget and headcount when spending is uncertain?'));
    const reply = await hs.waitForEvent((e) => e.sender === c.bot.userId && threadOf(e) === ask, 90_000);
    expect(body(reply)).toMatch(/Tags: .*budgeting/);
  });
});

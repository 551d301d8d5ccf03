// A Matrix-only community with no forum to take tags from: the tag vocabulary comes from the
// configuration (name and description), and replies carry its tags.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMatrixWorld, type MatrixWorld } from './matrix-world.js';
import { COMMUNITY_TAGS, body, mentionOfBot, threadOf } from '../../scripts/support/matrix-community.js';

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
    const ask = hs.send(
      c.users.dave,
      c.general,
      'm.room.message',
      mentionOfBot(c.bot.userId, 'how do we plan next year budget and headcount when spending is uncertain?'),
    );
    const reply = await hs.waitForEvent((e) => e.sender === c.bot.userId && threadOf(e) === ask, 90_000);
    expect(body(reply)).toMatch(/Tags: .*budgeting/);
  });
});

describe('Matrix alone, with no vocabulary: tags proposed from the history, approved by an admin', () => {
  let w: MatrixWorld;
  beforeAll(async () => {
    // The small community's history (11 messages) is enough with these thresholds.
    w = await startMatrixWorld({
      seedTags: false,
      extraConfig: 'tags:\n  suggest:\n    minDocuments: 8\n    minClusterSize: 2\nconcierge:\n  admins: ["@alice:localhost"]\n',
    });
  }, 120_000);
  afterAll(async () => w?.close());

  it('proposes themes, tells the admin, takes her approval by direct message, and the next reply shows the tag', async () => {
    const { hs, c, store } = w;
    await w.h.app!.tick();
    const proposed = await store.tags.list('proposed');
    expect(proposed.length).toBeGreaterThan(0);
    expect(await store.tags.list('active')).toEqual([]);

    // The admin is told in a direct room the bot opens with her.
    const notice = await hs.waitForEvent((e) => e.sender === c.bot.userId && e.type === 'm.room.message' && body(e).includes('propose them as tags'), 30_000);
    for (const t of proposed) expect(body(notice)).toContain(t.name);
    hs.join(c.users.alice, notice.room_id);

    // The admin's approval is taken (non-admins are refused: tags-command.test.ts).
    const name = proposed[0]!.name;
    hs.sendText(c.users.alice, notice.room_id, `tags approve ${name}`);
    const approved = await hs.waitForEvent((e) => e.sender === c.bot.userId && e.room_id === notice.room_id && body(e).startsWith('Approved'), 30_000);
    expect(body(approved)).toBe(`Approved: requests are tagged "${name}" from now on.`);
    expect((await store.tags.get(name))?.status).toBe('active');

    // No restart: the next request about it carries the tag in the bot's reply.
    const ask = hs.send(
      c.users.dave,
      c.general,
      'm.room.message',
      mentionOfBot(c.bot.userId, `we keep struggling with ${name.replace(/-/g, ' ')}: what worked for your teams?`),
    );
    const reply = await hs.waitForEvent((e) => e.sender === c.bot.userId && threadOf(e) === ask, 90_000);
    expect(body(reply)).toMatch(new RegExp(`Tags: .*${name}`));
    // The request is stored with it, so the dashboard's Tags page counts it; proposals are not.
    const problem = await store.problems.findBySourceEvent('matrix', ask);
    expect(problem?.tags.map((t) => t.name)).toContain(name);
    const figures = new Set(store.dashboard.problemTags().map((r) => r.tag));
    expect(figures.has(name)).toBe(true);
    for (const t of proposed.slice(1)) expect(figures.has(t.name)).toBe(false);
  });
});

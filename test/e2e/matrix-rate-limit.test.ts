// The bot without an exemption rides out the homeserver's default message rate limit (Synapse
// rc_message: 0.2/s, burst 10, in real time here): a dozen mentions at once are all answered,
// each exactly once, the later ones after the 429s' retry_after_ms.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMatrixWorld, type MatrixWorld } from './matrix-world.js';
import { mentionOfBot, threadOf } from '../../scripts/support/matrix-community.js';
import { eventually } from '../../scripts/support/service-io.js';

describe('Matrix bot under the default message rate limit', () => {
  let w: MatrixWorld;
  beforeAll(async () => {
    w = await startMatrixWorld({ exemptBot: false });
  }, 120_000);
  afterAll(async () => w?.close());

  it('answers every one of twelve simultaneous mentions exactly once', async () => {
    const { hs, c } = w;
    const people = [c.users.alice, c.users.bob, c.users.carol, c.users.dave];
    const asks = Array.from({ length: 12 }, (_, i) =>
      hs.send(people[i % 4]!, i % 2 ? c.general : c.leadership, 'm.room.message', mentionOfBot(c.bot.userId, `how do we keep team rituals useful, case ${i}?`)),
    );
    for (const id of asks) await hs.waitForEvent((e) => e.sender === c.bot.userId && threadOf(e) === id, 180_000);
    await eventually('the outbox to drain', async () => ((await w.store.outbox.counts('matrix')).pending === 0 ? true : undefined), 60_000);
    for (const id of asks) expect(hs.eventsBy(c.bot.userId).filter((e) => threadOf(e) === id)).toHaveLength(1);
    const sends = hs.requests.filter((r) => r.method === 'PUT' && r.path.includes('/send/m.room.message/'));
    expect(sends.some((r) => r.status === 429)).toBe(true);
    expect(hs.violations).toEqual([]);
  }, 240_000);
});

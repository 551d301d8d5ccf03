// A request is learned before it is analysed, and arrives a little after it was written: its
// own thread must never come back as a "related past topic", on either platform, nor may the
// reply quote a request that was since redacted.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { PostAction } from '../../../core/concierge/actions.js';
import { plainText } from '../../../core/concierge/rich-text.js';
import { excludedThreads } from '../../../core/engine/thread-exclusion.js';
import { threadKey } from '../../../core/engine/knowledge-base.js';
import { ALICE, DISCOURSE_BOT, EQUITY_REQUEST, NOW, createWorld, mention, message, redaction, type World } from './fixture.js';

const MINUTE = 60_000;
const written = new Date(NOW.getTime() - MINUTE);

describe('related topics leave out the request itself', () => {
  let w: World;
  beforeEach(async () => {
    w = await createWorld();
  });
  afterEach(async () => w.done());

  it('the helper names threads the way the knowledge base keys them', () => {
    expect([...excludedThreads({ platform: 'matrix', threadId: '$x' })]).toEqual([threadKey({ platform: 'matrix', threadId: '$x' })]);
  });

  it('on Matrix: the request written a minute ago is not its own related topic', async () => {
    const e = mention(ALICE, EQUITY_REQUEST, { createdAt: written });
    await w.receive(e);
    const problem = await w.store.problems.findBySourceEvent('matrix', e.eventId);
    const docs = (await w.store.similarity.list(problem!.id)).map((l) => w.engine.kb.get(l.documentId));
    expect(docs.length).toBeGreaterThan(0);
    expect(docs.map((d) => d?.threadId)).not.toContain(e.eventId);
  });

  it('on Discourse: a topic opened a minute ago is not its own related topic', async () => {
    const asker = { platform: 'discourse' as const, externalId: 'alice', displayName: 'Alice' };
    const e = message(asker, `@coagent ${EQUITY_REQUEST}`, {
      eventId: 'post-1',
      threadId: 'topic-1',
      containerId: 'topic-1',
      mentions: [DISCOURSE_BOT],
      mentionsBot: true,
      createdAt: written,
    });
    await w.receive(e);
    const problem = await w.store.problems.findBySourceEvent('discourse', e.eventId);
    const docs = (await w.store.similarity.list(problem!.id)).map((l) => w.engine.kb.get(l.documentId));
    expect(docs.map((d) => `${d?.platform}:${d?.threadId}`)).not.toContain('discourse:topic-1');
  });

  it('a request that is later redacted was never quoted in its own reply, nor in a replay', async () => {
    const secret = `Password hunter2 is on our cap table. ${EQUITY_REQUEST}`;
    const first = mention(ALICE, secret, { createdAt: new Date(NOW.getTime() - 10 * MINUTE) });
    const replyText = (actions: Awaited<ReturnType<World['receive']>>) => plainText((actions.find((a) => a.key.endsWith(':reply'))!.action as PostAction).body);
    expect(replyText(await w.receive(first))).not.toContain('hunter2');
    await w.receive(redaction(ALICE, first.eventId));
    // The inbox replays an event after a crash; the replayed decision must not quote it either.
    expect(replyText(await w.receive(first))).not.toContain('hunter2');
    expect(replyText(await w.receive(mention(ALICE, EQUITY_REQUEST, { createdAt: written })))).not.toContain('hunter2');
  });
});

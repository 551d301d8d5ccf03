// The Matrix bridge under bad input and a misbehaving homeserver: rate limits, server errors,
// garbage JSON, huge messages, edits and redactions of mentions, floods of mentions, unknown
// event types. No crash, nothing lost, nothing said twice.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../core/logging.js';
import { openStore, type Store } from '../../core/store/index.js';
import { startFakeHomeserver, type FakeHomeserver } from '../../scripts/stand-ins/matrix-homeserver/index.js';
import { reaction } from '../../scripts/stand-ins/matrix-homeserver/messages.js';
import { buildCommunity, inThread, mentionOfBot, type Community, body, threadOf } from '../../scripts/support/matrix-community.js';
import { createHarness, type Harness } from './service-harness.js';
import { eventually } from '../../scripts/support/service-io.js';
import { seedTags } from '../../scripts/support/service-config.js';

describe('Matrix bridge with bad input', () => {
  let hs: FakeHomeserver;
  let c: Community;
  let h: Harness;
  let store: Store;
  const botReplies = (root: string) => hs.timeline(c.general).filter((e) => e.sender === c.bot.userId && e.type === 'm.room.message' && threadOf(e) === root);
  const settle = async () => {
    await h.app!.idle();
    // Requests the flood guard queued wait for their time; everything due must have gone out.
    await eventually('the outbox to drain', async () => ((await store.outbox.due('matrix', new Date(), 1)).length === 0 ? true : undefined));
  };

  beforeAll(async () => {
    hs = await startFakeHomeserver({ syncTimeoutCapMs: 300 });
    c = buildCommunity(hs);
    h = createHarness(hs.url, c.bot.accessToken, 'concierge:\n  flood:\n    maxRequests: 3\n');
    await seedTags(h.dbPath);
    await h.start();
    store = await openStore({ path: h.dbPath, logger: createLogger({ level: 'silent' }) });
    await eventually('history to be learned', async () => ((await store.documents.listLive()).length >= 11 ? true : undefined), 120_000);
    await settle();
  });

  afterAll(async () => {
    await store?.close();
    await h?.stop();
    await hs?.close();
    h?.cleanup();
  });

  it('waits out M_LIMIT_EXCEEDED and 500s on sends, then posts once', async () => {
    hs.failNext(
      { method: 'PUT', path: /\/send\/m\.room\.message\// },
      { status: 429, body: { errcode: 'M_LIMIT_EXCEEDED', error: 'Too many requests', retry_after_ms: 200 } },
      2,
    );
    hs.failNext({ method: 'PUT', path: /\/send\/m\.room\.message\// }, { status: 500 });
    const ask = hs.send(c.users.alice, c.general, 'm.room.message', mentionOfBot(c.bot.userId, 'how do I run better one-on-ones?'));
    await hs.waitForEvent((e) => e.sender === c.bot.userId && threadOf(e) === ask && e.type === 'm.room.message', 30_000);
    await settle();
    expect(botReplies(ask)).toHaveLength(1);
    // Only the bot sends over HTTP here (members post through the fake's own API).
    const sends = hs.requests.filter((r) => r.method === 'PUT' && r.path.includes('/send/m.room.message/'));
    expect(sends.slice(-4).map((r) => r.status)).toEqual([429, 429, 500, 200]);
    expect(h.logs.some((l) => l.msg === 'action failed; will retry')).toBe(true);
  });

  it('survives a garbage /sync body without losing the message that came meanwhile', async () => {
    hs.failNext({ method: 'GET', path: /\/sync$/ }, { status: 200, raw: '<html>bad gateway</html>' });
    const ask = hs.send(c.users.bob, c.general, 'm.room.message', mentionOfBot(c.bot.userId, 'how do we handle budget cuts mid-year?'));
    const reply = await hs.waitForEvent((e) => e.sender === c.bot.userId && threadOf(e) === ask && e.type === 'm.room.message', 40_000);
    expect(body(reply)).toMatch(/^On it/);
    await settle();
    expect(botReplies(ask)).toHaveLength(1);
  });

  it('answers a 1 MB mention (its text cut) and keeps the store small', async () => {
    const huge = `our onboarding plan ${'and more detail '.repeat(65_000)}`;
    const ask = hs.send(c.users.carol, c.general, 'm.room.message', mentionOfBot(c.bot.userId, huge));
    await hs.waitForEvent((e) => e.sender === c.bot.userId && threadOf(e) === ask && e.type === 'm.room.message', 30_000);
    await settle();
    const problem = await store.problems.findBySourceEvent('matrix', ask);
    expect(problem!.text.length).toBeLessThanOrEqual(20_000);
  });

  it('does not answer an edited mention twice, and learns the edit', async () => {
    const ask = hs.send(c.users.dave, c.general, 'm.room.message', mentionOfBot(c.bot.userId, 'how do we hire a first manager?'));
    await hs.waitForEvent((e) => e.sender === c.bot.userId && threadOf(e) === ask && e.type === 'm.room.message', 30_000);
    hs.send(c.users.dave, c.general, 'm.room.message', {
      msgtype: 'm.text',
      body: '* Co-Agent: how do we hire our first engineering manager?',
      'm.new_content': mentionOfBot(c.bot.userId, 'how do we hire our first engineering manager?'),
      'm.relates_to': { rel_type: 'm.replace', event_id: ask },
    });
    await eventually('the edit to be learned', async () =>
      (await store.documents.find('matrix', ask))?.text === 'how do we hire our first engineering manager?' ? true : undefined,
    );
    await settle();
    expect(botReplies(ask)).toHaveLength(1);
  });

  it('closes a request whose mention was redacted, and forgets the message', async () => {
    const ask = hs.send(c.users.alice, c.general, 'm.room.message', mentionOfBot(c.bot.userId, 'how do we give feedback on a bad hire?'));
    await hs.waitForEvent((e) => e.sender === c.bot.userId && threadOf(e) === ask && e.type === 'm.room.message', 30_000);
    hs.redact(c.users.alice, c.general, ask, 'posted by mistake');
    await eventually('the request to be closed', async () => ((await store.problems.findBySourceEvent('matrix', ask))?.status === 'closed' ? true : undefined));
    expect((await store.documents.find('matrix', ask))?.deletedAt).not.toBeNull();
    expect(h.app).toBeDefined();
  });

  it('slows down a flood of mentions with one polite reply, and keeps the rest for later', async () => {
    const asks = [
      'how do we plan a reorg?',
      'how do we set team goals?',
      'how do we run a retro?',
      'how do we write a job ad?',
      'how do we run a skip-level meeting?',
    ].map((q) => hs.send(c.users.bob, c.leadership, 'm.room.message', mentionOfBot(c.bot.userId, q)));
    await eventually('the last mention to be handled', async () => ((await store.documents.find('matrix', asks.at(-1)!)) ? true : undefined));
    await settle();
    const said = hs
      .timeline(c.leadership)
      .filter((e) => e.sender === c.bot.userId && e.type === 'm.room.message')
      .map(body);
    // bob had already asked once above: two more requests fit in the window of three.
    expect(said.filter((b) => b.startsWith('On it'))).toHaveLength(2);
    expect(said.filter((b) => b.includes('give people a moment') && b.includes('noted this request'))).toHaveLength(1);
    expect(said).toHaveLength(3);
    // The other three are recorded, their replies queued for when the window has passed.
    for (const ask of asks.slice(2)) {
      expect(await store.problems.findBySourceEvent('matrix', ask)).not.toBeNull();
      const queued = await store.outbox.get(`matrix:${ask}:reply`);
      expect(queued?.status).toBe('pending');
      expect(queued!.notBefore.getTime()).toBeGreaterThan(Date.now());
    }
  });

  it('answers a mention added by an edit soon after the message, once however often it is edited', async () => {
    const question = 'how do we keep remote standups short?';
    const plain = hs.sendText(c.users.carol, c.general, question);
    await eventually('the message to be learned', async () => ((await store.documents.find('matrix', plain)) ? true : undefined));
    const addMention = () =>
      hs.send(c.users.carol, c.general, 'm.room.message', {
        msgtype: 'm.text',
        body: `* Co-Agent: ${question}`,
        'm.new_content': mentionOfBot(c.bot.userId, question),
        'm.relates_to': { rel_type: 'm.replace', event_id: plain },
      });
    addMention();
    await hs.waitForEvent((e) => e.sender === c.bot.userId && threadOf(e) === plain && e.type === 'm.room.message', 30_000);
    addMention();
    const marker = hs.sendText(c.users.carol, c.general, 'thanks, that is all from me');
    await eventually('the edits and the next message to be handled', async () => ((await store.documents.find('matrix', marker)) ? true : undefined));
    await settle();
    expect(botReplies(plain)).toHaveLength(1);
    expect((await store.problems.findBySourceEvent('matrix', plain))?.text).toContain(question);
  });

  it('does nothing with reactions, edits and redactions of events it never saw, logs each, and answers a reply to one', async () => {
    // Their targets are unknown to this homeserver (as events from before the bot's history, or
    // from another server, are): Synapse refuses to send such relations, so they are injected.
    const stamp = Date.now();
    const ghost = (n: string) => `$never-seen-${n}-${stamp}`;
    const injected = (id: string, type: string, content: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
      type,
      event_id: `$injected-${id}-${stamp}`,
      sender: c.users.alice,
      origin_server_ts: Date.now(),
      content,
      ...extra,
    });
    hs.rewriteNext({ method: 'GET', path: /\/sync$/ }, (b) => {
      const room = (b['rooms'] as { join?: Record<string, { timeline: { events: unknown[] } }> }).join?.[c.general];
      if (!room) return undefined;
      room.timeline.events.unshift(
        injected('react', 'm.reaction', reaction(ghost('a'), '✅')),
        injected('edit', 'm.room.message', {
          msgtype: 'm.text',
          body: '* Co-Agent: how do we set up a mentoring scheme?',
          'm.new_content': mentionOfBot(c.bot.userId, 'how do we set up a mentoring scheme?'),
          'm.relates_to': { rel_type: 'm.replace', event_id: ghost('b') },
        }),
        injected('redact', 'm.room.redaction', { redacts: ghost('c') }, { redacts: ghost('c') }),
        injected('odd-key', 'm.reaction', { 'm.relates_to': { rel_type: 'm.annotation', event_id: c.history['onboarding'], key: 42 } }),
      );
      return b;
    });
    const before = hs.eventsBy(c.bot.userId).length;
    // A reply to an unknown event is allowed (no rel_type): it is read as a message of its own.
    const ask = hs.send(
      c.users.dave,
      c.general,
      'm.room.message',
      mentionOfBot(c.bot.userId, 'how do we set up a mentoring scheme for new leads?', { 'm.relates_to': { 'm.in_reply_to': { event_id: ghost('d') } } }),
    );
    await hs.waitForEvent((e) => e.sender === c.bot.userId && threadOf(e) === ask && e.type === 'm.room.message', 30_000);
    // (The bridge names queued events by room and event id.)
    await eventually('the injected events to be handled', () =>
      h.logs.some((l) => String(l['eventId']).endsWith(`$injected-odd-key-${stamp}`)) ? true : undefined,
    );
    await settle();
    expect(botReplies(ask)).toHaveLength(1);
    expect(hs.eventsBy(c.bot.userId).length).toBe(before + 1);
    const logged = (msg: string, target: string) => h.logs.some((l) => l.msg === msg && l['targetId'] === target);
    expect(logged('reaction to a message the bot has not learned; skipped', ghost('a'))).toBe(true);
    expect(logged('edit of a message the bot has not learned; skipped', ghost('b'))).toBe(true);
    expect(logged('redaction of a message the bot has not learned; nothing to forget', ghost('c'))).toBe(true);
    expect(
      h.logs.some(
        (l) =>
          l.msg === 'malformed Matrix event skipped' &&
          l['reason'] === 'm.reaction without a key' &&
          l['eventId'] === `${c.general} $injected-odd-key-${stamp}`,
      ),
    ).toBe(true);
    expect(await store.documents.find('matrix', ghost('b'))).toBeNull();
    expect((await store.inbox.counts('matrix')).failed).toBe(0);
  });

  it('records a reaction with a key of hundreds of characters, its key cut', async () => {
    const long = hs.send(c.users.dave, c.general, 'm.reaction', reaction(c.history['onboarding']!, `this helped a lot ${'really '.repeat(100)}`));
    await eventually('the reaction to be recorded', async () => {
      const all = await store.interactions.listBetween(new Date(0), new Date(Date.now() + 60_000));
      return all.find((i) => i.sourceEventId === long && i.kind === 'reaction');
    });
    expect((await store.inbox.counts('matrix')).failed).toBe(0);
  });

  it('ignores unknown event types and reads unknown msgtypes as text, without replying', async () => {
    const before = hs.eventsBy(c.bot.userId).length;
    hs.send(c.users.carol, c.general, 'org.example.custom', { anything: true });
    const poll = hs.send(c.users.carol, c.general, 'm.room.message', { msgtype: 'org.example.poll', body: 'Poll: which onboarding checklist do you use?' });
    const last = hs.sendText(c.users.carol, c.general, 'a normal message in a thread', inThread(poll));
    await eventually('the thread message to be learned', async () => ((await store.documents.find('matrix', last)) ? true : undefined));
    await settle();
    expect((await store.documents.find('matrix', poll))?.text).toBe('Poll: which onboarding checklist do you use?');
    expect(hs.eventsBy(c.bot.userId).length).toBe(before);
    expect((await store.inbox.counts('matrix')).failed).toBe(0);
    expect(hs.violations).toEqual([]);
  });

  it('neither learns nor answers what came with its departure from a room, and goes on elsewhere', async () => {
    // Sent in one go, the mention and the departure arrive in one sync, under rooms.leave.
    const lost = hs.send(c.users.alice, c.leadership, 'm.room.message', mentionOfBot(c.bot.userId, 'how do we run a leadership offsite?'));
    hs.leave(c.bot.userId, c.leadership);
    await eventually('the departure to be seen', () =>
      h.logs.find((l) => l.msg === 'the bot is no longer in a room; its last events are not read' && l['roomId'] === c.leadership),
    );
    expect(h.logs.find((l) => l.msg === 'the bot is no longer in a room; its last events are not read')?.['eventsNotRead']).toBeGreaterThanOrEqual(2);
    const ask = hs.send(c.users.carol, c.general, 'm.room.message', mentionOfBot(c.bot.userId, 'how do we plan an offsite for the whole team?'));
    await hs.waitForEvent((e) => e.sender === c.bot.userId && threadOf(e) === ask && e.type === 'm.room.message', 30_000);
    await settle();
    expect(await store.documents.find('matrix', lost)).toBeNull();
    expect(await store.problems.findBySourceEvent('matrix', lost)).toBeNull();
    expect(hs.timeline(c.leadership).filter((e) => e.sender === c.bot.userId && threadOf(e) === lost)).toEqual([]);
  });
});

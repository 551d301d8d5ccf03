// Both platforms at once: related topics link across them, a member links their Matrix and
// forum accounts with a one-time code, and a Matrix request mirrored to the forum collects a
// forum answer and gets the curated summary once solved.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../bridges/config.js';
import { createLogger } from '../../core/logging.js';
import { openStore, type Store } from '../../core/store/index.js';
import { start, type App } from '../../main.js';
import { startFakeForum, type FakeForum } from '../../scripts/stand-ins/discourse-forum/index.js';
import { startFakeHomeserver, type FakeHomeserver } from '../../scripts/stand-ins/matrix-homeserver/index.js';
import { buildForumCommunity, type ForumCommunity } from '../../scripts/support/discourse-community.js';
import { TEST_TIME_SCALE } from './discourse-world.js';
import { buildCommunity, inThread, mentionOfBot, type Community, body, threadOf } from '../../scripts/support/matrix-community.js';
import { eventually } from '../../scripts/support/service-io.js';
import { postgresDatabase } from './service-harness.js';
import { seedTags } from '../../scripts/support/service-config.js';

describe('Matrix and Discourse together', () => {
  let hs: FakeHomeserver;
  let forum: FakeForum;
  let m: Community;
  let f: ForumCommunity;
  let dir: string;
  let postgres: ReturnType<typeof postgresDatabase>;
  let app: App;
  let store: Store;
  const botPosts = () => forum.posts().filter((p) => p.userId === forum.user('coagent')?.id && !p.deletedAt);

  beforeAll(async () => {
    hs = await startFakeHomeserver({ syncTimeoutCapMs: 300 });
    forum = await startFakeForum({ timeScale: TEST_TIME_SCALE });
    m = buildCommunity(hs);
    f = buildForumCommunity(forum);
    dir = mkdtempSync(path.join(tmpdir(), 'co-agent-cross-'));
    // CO_AGENT_TEST_STORE=postgresql: a fresh PostgreSQL database, dropped afterwards.
    postgres = postgresDatabase();
    const file = path.join(dir, 'co-agent.yaml');
    writeFileSync(
      file,
      [
        'database:',
        `  path: ${JSON.stringify(path.join(dir, 'co-agent.db'))}`,
        ...(postgres ? [`  url: ${JSON.stringify(postgres.url)}`] : []),
        'engine:',
        '  workers: 1',
        'web:',
        '  port: 0',
        'matrix:',
        `  homeserverUrl: ${hs.url}`,
        '  space: "#community:localhost"',
        'discourse:',
        `  baseUrl: ${forum.url}`,
        '  pollSeconds: 1',
        '  mirror: on-request',
        '  mirrorCategory: general',
      ].join('\n'),
    );
    const config = loadConfig({
      file,
      env: { MATRIX_ACCESS_TOKEN: m.bot.accessToken, DISCOURSE_API_KEY: forum.adminApiKey, DISCOURSE_API_USERNAME: 'coagent', DISCOURSE_WEBHOOK_SECRET: 'x' },
    });
    config.log.level = 'warn';
    config.discourse!.clockScale = TEST_TIME_SCALE; // the bot's budget on the forum's faster minute
    await seedTags(config.database.url ?? config.database.path);
    app = await start(config, createLogger({ level: 'warn' }));
    store = await openStore({ path: config.database.url ?? config.database.path, logger: createLogger({ level: 'silent' }) });
    // Both histories learned (11 Matrix messages, 7 forum posts).
    await eventually('both histories', async () => ((await store.documents.listLive()).length >= 18 ? true : undefined), 60_000);
  });

  afterAll(async () => {
    await store?.close();
    await app?.stop();
    await hs?.close();
    await forum?.close();
    rmSync(dir, { recursive: true, force: true });
    postgres?.drop();
  });

  it('links related topics across platforms, and mirrors a request to the forum on request', async () => {
    const ask = hs.send(m.users.alice, m.general, 'm.room.message', mentionOfBot(m.bot.userId, 'how do we plan a budget when headcount is uncertain?'));
    const reply = await hs.waitForEvent((e) => e.sender === m.bot.userId && e.type === 'm.room.message' && threadOf(e) === ask, 90_000);
    expect(body(reply)).toContain(`${forum.url}/t/`); // a forum topic among the related ones
    expect(body(reply)).toContain(`/${f.topics.budget}/1`);

    hs.sendText(m.users.alice, m.general, '!coagent post-to-forum', inThread(ask));
    const mirror = await eventually('the forum topic', () => botPosts().find((p) => p.postNumber === 1 && p.raw.includes('headcount is uncertain')), 90_000);
    expect(forum.topic(mirror.topicId)?.categoryId).toBe(f.general);
    const announced = await hs.waitForEvent((e) => e.sender === m.bot.userId && threadOf(e) === ask && body(e).includes('posted this on the forum'), 90_000);
    expect(body(announced)).toContain(`/${mirror.topicId}`);

    // An answer on the forum counts for the Matrix request.
    forum.reply('carol', mirror.topicId, 'Model three scenarios and revisit them each quarter with finance.');
    const problem = (await store.problems.findBySourceEvent('matrix', ask))!;
    await eventually(
      'the forum answer as a response',
      async () => ((await store.responses.listForProblem(problem.id)).some((r) => r.platform === 'discourse') ? true : undefined),
      90_000,
    );

    // Solved in Matrix: the forum topic gets the curated answers.
    hs.sendText(m.users.alice, m.general, '!coagent solved', inThread(ask));
    const summary = await eventually(
      'the summary on the forum',
      () => botPosts().find((p) => p.topicId === mirror.topicId && p.raw.includes('Solved.')),
      90_000,
    );
    expect(summary.raw).toContain('Model three scenarios');
    expect(summary.raw).toContain('Carol Chen');
    await app.idle();
    expect(botPosts().filter((p) => p.topicId === mirror.topicId)).toHaveLength(2);
  });

  it('links a Matrix and a forum account with a one-time code', async () => {
    hs.sendText(m.users.bob, m.leadership, '!coagent link-discourse bob');
    const codeMessage = await hs.waitForEvent((e) => e.sender === m.bot.userId && e.room_id === m.leadership && body(e).includes('!coagent link '), 90_000);
    const code = /!coagent link ([A-Z0-9]{8})/.exec(body(codeMessage))![1]!;
    forum.reply('bob', f.topics.remote!, `!coagent link ${code}`);
    await eventually('the link confirmation', () => botPosts().find((p) => p.raw.startsWith('Linked')), 90_000);
    const member = (await store.members.findByIdentity({ platform: 'matrix', externalId: m.users.bob }))!;
    expect(member.identities.map((i) => i.platform).sort()).toEqual(['discourse', 'matrix']);
    expect(member.identities.find((i) => i.platform === 'discourse')).toMatchObject({ externalId: 'bob' });
    expect(hs.violations).toEqual([]);
    expect(forum.violations).toEqual([]);
  });
});

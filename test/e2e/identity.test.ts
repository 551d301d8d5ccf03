// One person, one member, through the real service on both stand-ins: the bot offers a likely
// pair once, as a direct message on the platform the member uses most; a 👍 answers it, and the
// code posted from the other account links them; a namesake says "not me" on the forum and is
// never asked again; an opted-out member is never offered; with identity.matchByEmail on, the
// forum's admin key gives e-mails, of which only hashes are kept; an admin merges two members with
// `npm run member` while the service runs, and what either account says next counts for one person.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../bridges/config.js';
import { emailHash } from '../../core/identity/emails.js';
import { createLogger } from '../../core/logging.js';
import { openStore, type Store } from '../../core/store/index.js';
import { start, type App } from '../../main.js';
import { memberCli } from '../../scripts/member.js';
import { startFakeForum, type FakeForum } from '../../scripts/stand-ins/discourse-forum/index.js';
import { startFakeHomeserver, type FakeHomeserver } from '../../scripts/stand-ins/matrix-homeserver/index.js';
import { body, reaction } from '../../scripts/stand-ins/matrix-homeserver/messages.js';
import { searchDatabase } from '../unit/concierge/search-database.js';
import { eventually } from '../../scripts/support/service-io.js';
import { postgresDatabase } from './service-harness.js';

describe('one person, one member, on both platforms', () => {
  let hs: FakeHomeserver;
  let forum: FakeForum;
  let dir: string;
  let postgres: ReturnType<typeof postgresDatabase>;
  let app: App;
  let store: Store;
  let configFile: string;
  const users: Record<string, string> = {};
  let bot: string;
  let general: string;
  let forumGeneral: number;
  const botForumPosts = () => forum.posts().filter((p) => p.userId === forum.user('coagent')?.id);

  beforeAll(async () => {
    hs = await startFakeHomeserver({ syncTimeoutCapMs: 300 });
    forum = await startFakeForum();
    const botSession = hs.registerUser('coagent', { displayName: 'Co-Agent' });
    hs.overrideRatelimit(botSession.userId);
    bot = botSession.userId;
    for (const [key, localpart, name] of [
      ['ana', 'ana.kowalska', 'Ana Kowalska'],
      ['luca', 'luca.ricci', 'Luca Ricci'],
      ['olga', 'olga.petrova', 'Olga Petrova'],
      ['cy', 'cy', 'Cyrus'],
    ] as const) {
      users[key] = hs.registerUser(localpart, { displayName: name }).userId;
    }
    const space = hs.createRoom(users.ana!, { name: 'Community', alias: 'community', space: true, public: true });
    general = hs.createRoom(users.ana!, { name: 'General', alias: 'general', public: true });
    hs.addSpaceChild(space, general, users.ana!);
    for (const u of Object.values(users)) if (u !== users.ana) for (const room of [space, general]) hs.join(u, room);
    // Ana and Luca talk on Matrix most; Olga opted out; Cyrus is "cy" everywhere.
    for (let i = 0; i < 3; i++) hs.sendText(users.ana!, general, `Ana's thought number ${i} on running retros with a remote team.`);
    for (let i = 0; i < 2; i++) hs.sendText(users.luca!, general, `Luca here, on planning quarter ${i + 1} with finance.`);
    hs.sendText(users.cy!, general, 'Cyrus on Matrix: hiring plans for next year.');

    forum.createUser('coagent', { name: 'Co-Agent', admin: true });
    forum.createUser('ana_k', { name: 'Ana Kowalska', email: 'Ana.Kowalska@Example.org' });
    // A different person who happens to share Luca's name, busier on the forum than Luca is on Matrix.
    forum.createUser('luca_r2', { name: 'Luca Ricci', email: 'luca.r@elsewhere.example' });
    forum.createUser('olga_p', { name: 'Olga Petrova' });
    forum.createUser('cy', { name: 'cy' });
    forumGeneral = forum.createCategory('General', { slug: 'general' });
    const past = new Date(Date.now() - 86_400_000);
    forum.createTopic('ana_k', {
      title: 'Retro formats that work remotely',
      raw: 'What retro formats work for a fully remote team of eight?',
      category: forumGeneral,
      createdAt: past,
    });
    for (let i = 0; i < 4; i++)
      forum.createTopic('luca_r2', {
        title: `Supplier audits, part ${i + 1}`,
        raw: `How do you prepare supplier audit number ${i + 1} for a new plant?`,
        category: forumGeneral,
        createdAt: past,
      });
    forum.createTopic('olga_p', {
      title: 'Quarterly planning cadence',
      raw: 'How often do you revisit the quarterly plan with finance?',
      category: forumGeneral,
      createdAt: past,
    });
    forum.createTopic('cy', {
      title: 'Hiring plan next year',
      raw: 'How do you size next year hiring plan for the support team?',
      category: forumGeneral,
      createdAt: past,
    });

    dir = mkdtempSync(path.join(tmpdir(), 'co-agent-identity-'));
    // CO_AGENT_TEST_STORE=postgresql: a fresh PostgreSQL database, dropped afterwards.
    postgres = postgresDatabase();
    configFile = path.join(dir, 'co-agent.yaml');
    writeFileSync(
      configFile,
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
        'identity:',
        '  matchByEmail: true',
      ].join('\n'),
    );
    const config = loadConfig({
      file: configFile,
      env: {
        MATRIX_ACCESS_TOKEN: botSession.accessToken,
        DISCOURSE_API_KEY: forum.adminApiKey,
        DISCOURSE_API_USERNAME: 'coagent',
        DISCOURSE_WEBHOOK_SECRET: 'x',
      },
    });
    app = await start(config, createLogger({ level: 'warn' }));
    store = await openStore({ path: config.database.url ?? config.database.path, logger: createLogger({ level: 'silent' }) });
    // Private messages reach the bot by webhook, as on a real forum.
    forum.addWebhook({ url: `http://127.0.0.1:${app.port}/webhooks/discourse`, secret: 'x' });
    await eventually('both histories', async () => ((await store.documents.listLive()).length >= 11 ? true : undefined), 60_000);
    // Olga opts out (live, so the bot acts on it).
    hs.sendText(users.olga!, general, '!coagent optout');
    await eventually('Olga opted out', async () =>
      (await store.members.findByIdentity({ platform: 'matrix', externalId: users.olga! }))?.optedOut ? true : undefined,
    );
    await app.idle();
  }, 120_000);

  afterAll(async () => {
    await store?.close();
    await app?.stop();
    await hs?.close();
    await forum?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
    postgres?.drop();
  });

  it('offers each likely pair once, where its member is most active, and never to an opted-out member', async () => {
    await app.tick();
    await app.idle();
    const pairs = await store.accountPairs.list();
    expect(pairs.map((p) => `${p.recipient?.externalId}: ${[p.a.externalId, p.b.externalId].sort().join(' ~ ')}`).sort()).toEqual(
      [`${users.ana}: ${[users.ana!, 'ana_k'].sort().join(' ~ ')}`, `luca_r2: ${[users.luca!, 'luca_r2'].sort().join(' ~ ')}`].sort(),
    );
    // Ana's on Matrix, in a direct chat the bot opened.
    const offer = await hs.waitForEvent((e) => e.sender === bot && body(e).includes('Is ana_k (Ana Kowalska) on the forum you too?'), 15_000);
    expect(body(offer)).toMatch(/not me/);
    // The namesake's on the forum, as a private message with its own title.
    const forumOffer = botForumPosts().find((p) => p.raw.includes('on Matrix you too?'))!;
    expect(forum.topic(forumOffer.topicId)).toMatchObject({ archetype: 'private_message', title: 'Co-Agent: is this account yours too?' });
    // A second round sends nothing new.
    await app.tick();
    await app.idle();
    expect((await store.accountPairs.list()).length).toBe(2);
  });

  it('a 👍 on the offer gives a code; posted from the forum account, it makes Ana one member', async () => {
    const offer = await hs.waitForEvent((e) => e.sender === bot && body(e).includes('Is ana_k'), 5_000);
    hs.join(users.ana!, offer.room_id);
    hs.send(users.ana!, offer.room_id, 'm.reaction', reaction(offer.event_id, '👍'));
    const codeMessage = await hs.waitForEvent((e) => e.sender === bot && e.room_id === offer.room_id && body(e).includes('!coagent link '), 90_000);
    const code = /!coagent link ([A-Z0-9]{8})/.exec(body(codeMessage))![1]!;
    expect((await store.members.findByIdentity({ platform: 'matrix', externalId: users.ana! }))!.identities).toHaveLength(1);
    forum.sendPrivateMessage('ana_k', ['coagent'], 'my code', `!coagent link ${code}`);
    await eventually('the link confirmation', () => botForumPosts().find((p) => p.raw.startsWith('Linked')), 90_000);
    const ana = (await store.members.findByIdentity({ platform: 'discourse', externalId: 'ana_k' }))!;
    expect(ana.identities.map((i) => i.externalId).sort()).toEqual([users.ana!, 'ana_k'].sort());
    expect((await store.accountPairs.get({ platform: 'matrix', externalId: users.ana! }, { platform: 'discourse', externalId: 'ana_k' }))?.status).toBe(
      'linked',
    );
  });

  it('"not me" from the namesake on the forum is recorded and never asked again', async () => {
    const forumOffer = botForumPosts().find((p) => p.raw.includes('on Matrix you too?'))!;
    // A stock forum refuses a 6-character private message; the offer asks for "not me, thanks" there.
    expect(forumOffer.raw).toContain('not me, thanks');
    forum.reply('luca_r2', forumOffer.topicId, 'not me, thanks');
    await eventually('the thanks', () => botForumPosts().find((p) => p.topicId === forumOffer.topicId && p.raw.startsWith('Thanks, noted')), 90_000);
    expect((await store.accountPairs.get({ platform: 'matrix', externalId: users.luca! }, { platform: 'discourse', externalId: 'luca_r2' }))?.status).toBe(
      'refused',
    );
    const before = botForumPosts().length;
    await app.tick();
    await app.idle();
    expect(botForumPosts().filter((p) => p.raw.includes('you too?'))).toHaveLength(1);
    expect(botForumPosts().length).toBe(before);
    // Two different people stay two members.
    expect((await store.members.findByIdentity({ platform: 'matrix', externalId: users.luca! }))!.id).not.toBe(
      (await store.members.findByIdentity({ platform: 'discourse', externalId: 'luca_r2' }))!.id,
    );
  });

  it('with matchByEmail on, keeps a hash of each forum e-mail the admin key gives, never the address', async () => {
    const accounts = await store.identities.accounts();
    expect(accounts.find((a) => a.externalId === 'ana_k')?.emailHash).toBe(emailHash('ana.kowalska@example.org'));
    expect(accounts.find((a) => a.externalId === 'luca_r2')?.emailHash).toBe(emailHash('luca.r@elsewhere.example'));
    expect(accounts.filter((a) => a.platform === 'matrix').every((a) => a.emailHash === null)).toBe(true);
    // In no table or column; on SQLite not even in the file's free pages.
    expect(searchDatabase(store.readerAddress, 'example.org')).toEqual([]);
    if (store.dialect === 'sqlite') expect(readFileSync(store.path).toString('latin1').toLowerCase()).not.toContain('example.org');
  });

  it('an admin merges two members while the service runs; both accounts then count for one person', async () => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await memberCli(['merge', users.cy!, 'cy', '--by', 'admin test'], {
      env: { CO_AGENT_CONFIG: configFile },
      out: (l) => out.push(l),
      err: (l) => err.push(l),
    });
    expect(err).toEqual([]);
    expect(code).toBe(0);
    const cy = (await store.members.findByIdentity({ platform: 'matrix', externalId: users.cy! }))!;
    expect(cy.identities.map((i) => i.externalId).sort()).toEqual([users.cy!, 'cy'].sort());
    // Both accounts speak after the merge: one member wrote both.
    const matrixEvent = hs.sendText(users.cy!, general, 'Cyrus again: we settled on two hires per quarter.');
    const { topicId } = forum.createTopic('cy', {
      title: 'Support hiring, follow-up',
      raw: 'We settled on two support hires per quarter. Thoughts?',
      category: forumGeneral,
    });
    const docs = await eventually(
      'both new messages',
      async () => {
        const found = [await store.documents.find('matrix', matrixEvent), await store.documents.find('discourse', `${topicId}/1`)];
        return found.every(Boolean) ? found : undefined;
      },
      90_000,
    );
    expect(docs.map((d) => d!.authorId)).toEqual([cy.id, cy.id]);
    expect(await store.members.get((await store.merges.list()).at(-1)!.mergedMemberId)).toBeNull();
    // Merging them again is refused with a sentence.
    const again: string[] = [];
    expect(await memberCli(['merge', users.cy!, 'cy'], { env: { CO_AGENT_CONFIG: configFile }, out: () => undefined, err: (l) => again.push(l) })).toBe(1);
    expect(again.join('\n')).toMatch(/same member/);
    expect(hs.violations.map((v) => JSON.stringify(v).slice(0, 300))).toEqual([]);
    expect(forum.violations.map((v) => JSON.stringify(v).slice(0, 300))).toEqual([]);
  });
});

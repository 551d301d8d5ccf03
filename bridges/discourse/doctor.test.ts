// `npm run doctor` for the forum, against the stand-in: each check finds what it should, one line
// per problem, a blocker for what stops the service, a transient blocker for a forum that does
// not answer.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../config.js';
import { blockers, formatFinding, type Finding } from '../../core/doctor/findings.js';
import { createLogger } from '../../core/logging.js';
import { startFakeForum, type FakeForum } from '../../scripts/stand-ins/discourse-forum/index.js';
import { discourseDoctor } from './doctor.js';

describe('the Discourse doctor', () => {
  let forum: FakeForum;
  let dir: string;

  beforeEach(async () => {
    forum = await startFakeForum({ timeScale: 0.01 });
    forum.createUser('coagent', { admin: true });
    forum.createUser('member');
    const people = forum.createCategory('People', { slug: 'people' });
    forum.createCategory('Hiring help', { slug: 'hiring', parent: people });
    forum.createCategory('Questions', { slug: 'questions' });
    forum.createCategory('Announcements', { slug: 'announcements', staffOnlyTopics: true });
    dir = mkdtempSync(path.join(tmpdir(), 'co-agent-doctor-'));
  });
  afterEach(async () => {
    await forum.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function check(lines: string[], env: Record<string, string> = {}, baseUrl = forum.url): Promise<Finding[]> {
    const file = path.join(dir, 'co-agent.yaml');
    writeFileSync(file, ['database:', `  path: ${JSON.stringify(path.join(dir, 'none.db'))}`, 'discourse:', `  baseUrl: ${baseUrl}`, ...lines].join('\n'));
    const config = loadConfig({
      file,
      env: { DISCOURSE_API_KEY: forum.adminApiKey, DISCOURSE_API_USERNAME: 'coagent', DISCOURSE_WEBHOOK_SECRET: 's', ...env },
    });
    return discourseDoctor({ config, logger: createLogger({ level: 'silent' }) })();
  }
  const lines = (findings: Finding[]) => findings.map(formatFinding);

  it('passes a good setup: admin bot, subcategory by parent/child and by slug, mirror category open to it', async () => {
    const findings = await check(['  helpCategories: [people/hiring, questions]', '  mirrorCategory: questions']);
    expect(blockers(findings)).toEqual([]);
    expect(lines(findings)).toEqual(
      expect.arrayContaining([
        'ok   discourse/api-key: the API key works and coagent is an admin',
        expect.stringMatching(/^ok {3}discourse\/categories: help category "people\/hiring" is people\/hiring \(id \d+\)$/),
        expect.stringMatching(/^ok {3}discourse\/mirror-category: mirrored topics go to questions/),
        expect.stringMatching(
          /^note discourse\/webhook: point a webhook .* tick Topic, Post, Like and Solved events; a private or loopback address is refused by Discourse unless its host is listed in the allowed_internal_hosts site setting$/,
        ),
        expect.stringMatching(/^note discourse\/webhook-retries: .*retry_web_hook_events/),
        expect.stringMatching(
          /^note discourse\/rate-limit: the bot makes at most 40 API requests a minute; a stock forum allows 60 .*DISCOURSE_MAX_ADMIN_API_REQS_PER_MINUTE/,
        ),
      ]),
    );
  });

  it('blocks on a category that does not exist, naming those that do, and on one slug shared by two categories', async () => {
    const engineering = forum.createCategory('Engineering', { slug: 'engineering' });
    forum.createCategory('Hiring engineers', { slug: 'hiring', parent: engineering }); // a second "hiring"
    const findings = await check(['  helpCategories: [help, hiring]']);
    expect(lines(blockers(findings))).toEqual([
      'FAIL discourse/categories: discourse.helpCategories: no category "help" on the forum (there are: people, people/hiring, questions, announcements, engineering, engineering/hiring)',
      'FAIL discourse/categories: discourse.helpCategories: several categories have the slug "hiring" (people/hiring, engineering/hiring): write it as parent/child',
    ]);
  });

  it('blocks on a mirror category the bot may not create topics in, warns on Uncategorized', async () => {
    forum.createUser('plainbot');
    const refused = await check(['  mirrorCategory: announcements'], { DISCOURSE_API_USERNAME: 'plainbot' });
    expect(lines(blockers(refused))).toEqual([
      'FAIL discourse/mirror-category: discourse.mirrorCategory: plainbot may not create topics in announcements; give it "Create" permission there or pick another category',
    ]);
    const uncategorized = await check(['  mirrorCategory: uncategorized']);
    expect(lines(uncategorized)).toContain(
      'warn discourse/mirror-category: discourse.mirrorCategory is Uncategorized, which a stock forum refuses (allow_uncategorized_topics is off): pick a real category unless you turned that setting on',
    );
  });

  it('says exactly what fails for a bot that is not an admin, and blocks privateMessages', async () => {
    const findings = await check(['  privateMessages: true'], { DISCOURSE_API_USERNAME: 'member' });
    expect(lines(findings).find((l) => l.startsWith('warn discourse/api-key'))).toMatch(
      /member is a regular user \(trust level 1\), not an admin.*at most 3 replies in a row.*5 seconds between posts/,
    );
    expect(lines(blockers(findings))).toEqual([expect.stringMatching(/^FAIL discourse\/private-messages: discourse.privateMessages needs an admin bot/)]);
  });

  it('blocks on a key the forum refuses and on an unknown bot user, with what to fix', async () => {
    expect(lines(blockers(await check([], { DISCOURSE_API_KEY: 'not-the-key' })))).toEqual([
      'FAIL discourse/api-key: the forum refused the API key for "coagent": check DISCOURSE_API_KEY (Admin > API > Keys) and DISCOURSE_API_USERNAME',
    ]);
    expect(lines(blockers(await check([], { DISCOURSE_API_USERNAME: 'nobody' })))).toEqual([
      expect.stringMatching(/^FAIL discourse\/api-key: (the forum refused the API key for "nobody"|there is no user "nobody")/),
    ]);
  });

  it('marks an unreachable forum as a transient blocker, and warns on a budget above the stock limit and on a missing secret', async () => {
    const down = await check([], {}, 'http://127.0.0.1:9');
    expect(down).toEqual([expect.objectContaining({ check: 'reachable', level: 'blocker', transient: true })]);
    const findings = await check(['  apiRequestsPerMinute: 90'], { DISCOURSE_WEBHOOK_SECRET: '' });
    expect(lines(findings)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^warn discourse\/rate-limit: discourse.apiRequestsPerMinute is 90, above a stock forum's 60/),
        expect.stringMatching(/^warn discourse\/webhook: DISCOURSE_WEBHOOK_SECRET is not set/),
      ]),
    );
  });
});

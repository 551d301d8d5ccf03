// For the bridge's own tests: the stand-in forum with a stock forum's rules (on a short clock),
// a real SQLite store in a temporary folder, and the real client, without the rest of the service.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { createLogger, type Logger } from '../../core/logging.js';
import { openStore, type Store } from '../../core/store/index.js';
import { startFakeForum, type FakeForum, type FakeForumOptions } from '../../scripts/stand-ins/discourse-forum/index.js';
import { DiscourseClient, RequestBudget } from './api/index.js';

export interface ForumFixture {
  forum: FakeForum;
  store: Store;
  client: DiscourseClient;
  logger: Logger;
  /** Log lines written through `logger`. */
  logs: Record<string, unknown>[];
  help: number;
  general: number;
  close(): Promise<void>;
}

export async function forumFixture(options: { forum?: FakeForumOptions; botAdmin?: boolean } = {}): Promise<ForumFixture> {
  const forum = await startFakeForum({ timeScale: 0.001, ...options.forum });
  forum.createUser('coagent', { name: 'Co-Agent', admin: options.botAdmin ?? true });
  for (const u of ['alice', 'bob', 'carol', 'dave']) forum.createUser(u);
  const help = forum.createCategory('Help', { slug: 'help' });
  const general = forum.createCategory('General', { slug: 'general' });
  const dir = mkdtempSync(path.join(tmpdir(), 'co-agent-discourse-bridge-'));
  const store = await openStore({ path: path.join(dir, 'test.db'), logger: createLogger({ level: 'silent' }) });
  const logs: Record<string, unknown>[] = [];
  const logger = createLogger(
    { level: 'debug' },
    new Writable({
      write(chunk: Buffer, _enc, done) {
        for (const line of chunk.toString().split('\n')) if (line.startsWith('{')) logs.push(JSON.parse(line) as Record<string, unknown>);
        done();
      },
    }),
  );
  const budget = new RequestBudget({ perMinute: 100_000 });
  const client = new DiscourseClient({
    baseUrl: forum.url,
    apiKey: forum.adminApiKey,
    apiUsername: 'coagent',
    logger,
    budget,
    retry: { baseDelayMs: 5, maxDelayMs: 20 },
  });
  return {
    forum,
    store,
    client,
    logger,
    logs,
    help,
    general,
    async close() {
      budget.close();
      await store.close();
      await forum.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

// The service's config file and tag vocabulary for a run against the fake homeserver's community.
// Shared by the e2e tests and the benches (which must not import test files), so it lives here.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { createLogger } from '../../core/logging.js';
import { openStore, type Store } from '../../core/store/index.js';
import { COMMUNITY_TAGS } from './matrix-community.js';

/** Writes co-agent.yaml in `dir` for a service on the homeserver's community Space; returns its path. */
export function writeServiceConfig(dir: string, homeserverUrl: string, extra = '', databaseUrl?: string): string {
  const file = path.join(dir, 'co-agent.yaml');
  writeFileSync(
    file,
    [
      'database:',
      `  path: ${JSON.stringify(path.join(dir, 'co-agent.db'))}`,
      ...(databaseUrl ? [`  url: ${JSON.stringify(databaseUrl)}`] : []),
      'log:',
      '  level: info',
      'engine:',
      '  workers: 1',
      'web:',
      '  port: 0',
      'matrix:',
      `  homeserverUrl: ${homeserverUrl}`,
      '  space: "#community:localhost"',
      '  backfill: 200',
      extra,
    ].join('\n'),
  );
  return file;
}

/** Tags the community defined (the dashboard's admin would; here the test or bench does it). */
export async function seedTags(dbPath: string): Promise<void> {
  const store: Store = await openStore({ path: dbPath, logger: createLogger({ level: 'silent' }) });
  try {
    for (const t of COMMUNITY_TAGS) await store.tags.upsert(t.name, t.description);
  } finally {
    await store.close();
  }
}

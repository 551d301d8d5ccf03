// `npm run member -- merge|split|show|merges|pairs` on a real database: what each prints, what it
// records (who and when), and the refusals with their exit codes.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../core/logging.js';
import { openStore, type Store } from '../../core/store/index.js';
import { memberCli } from '../../scripts/member.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const T = new Date('2026-05-04T09:00:00.000Z');

describe('npm run member', () => {
  let dir: string;
  let db: string;
  let env: NodeJS.ProcessEnv;
  beforeEach(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'co-agent-member-cli-'));
    db = path.join(dir, 'co-agent.db');
    writeFileSync(path.join(dir, 'co-agent.yaml'), `database:\n  path: ${JSON.stringify(db)}\n`);
    env = { CO_AGENT_CONFIG: path.join(dir, 'co-agent.yaml') };
    await withStore(async (store) => {
      const add = async (platform: 'matrix' | 'discourse', externalId: string, displayName: string) =>
        (await store.members.upsertByIdentity({ platform, externalId, displayName })).member;
      const ana = await add('matrix', '@ana.kowalska:example.org', 'Ana Kowalska');
      const anaForum = await add('discourse', 'ana_k', 'Ana Kowalska');
      const ben = await add('matrix', '@ben:example.org', 'Ben');
      await store.documents.upsert({
        platform: 'discourse',
        externalId: '5/1',
        threadId: '5',
        kind: 'topic',
        text: 'a question',
        authorId: anaForum.id,
        createdAt: T,
      });
      await store.interactions.record({
        fromMemberId: ben.id,
        toMemberId: anaForum.id,
        kind: 'reply',
        platform: 'discourse',
        mediated: false,
        sourceEventId: '5/2',
        occurredAt: T,
      });
      await store.interactions.record({
        fromMemberId: ana.id,
        toMemberId: anaForum.id,
        kind: 'mention',
        platform: 'matrix',
        mediated: false,
        sourceEventId: '$m',
        occurredAt: T,
      });
    });
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  async function withStore<T>(fn: (store: Store) => Promise<T>): Promise<T> {
    const store = await openStore({ path: db, logger: createLogger({ level: 'silent' }) });
    try {
      return await fn(store);
    } finally {
      await store.close();
    }
  }

  async function run(...argv: string[]) {
    const out: string[] = [];
    const err: string[] = [];
    const code = await memberCli(argv, { env, out: (l) => out.push(l), err: (l) => err.push(l) });
    return { code, out: out.join('\n'), err: err.join('\n') };
  }

  it('merges two members named by their accounts, recording who and when, and folds their history', async () => {
    const before = await withStore((s) => s.identities.accounts());
    const anaId = before.find((a) => a.externalId === 'ana_k')!.memberId;
    const { code, out, err } = await run('merge', '@ana.kowalska:example.org', 'ana_k', '--by', 'admin alice', '--reason', 'she asked us');
    expect(err).toBe('');
    expect(code).toBe(0);
    expect(out).toMatch(/^merged #2 Ana Kowalska \(discourse ana_k\) into #1: now #1 Ana Kowalska \(matrix @ana\.kowalska:example\.org, discourse ana_k\)/);
    expect(out).toContain('3 records moved; 1 removed because they were between the two accounts');
    expect(out).toMatch(/merge 1, by admin alice at \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC/);
    expect(out).toContain('to undo it: npm run member -- split discourse:ana_k');
    await withStore(async (store) => {
      expect(await store.members.get(anaId)).toBeNull();
      const [merge] = await store.merges.list();
      expect(merge).toMatchObject({ by: 'admin alice', reason: 'she asked us', keptMemberId: 1, mergedMemberId: 2 });
      expect(Math.abs(merge!.at.getTime() - Date.now())).toBeLessThan(60_000);
      // Ben's reply now reaches the one person; her mention of her own other account is gone.
      expect((await store.interactions.listBetween(new Date(0), new Date(T.getTime() + 1))).map((i) => [i.fromMemberId, i.toMemberId])).toEqual([[3, 1]]);
    });
    expect((await run('merges')).out).toMatch(/^merge 1: #2 Ana Kowalska \(discourse ana_k\) into #1; by admin alice at .+ \(she asked us\)$/);
    expect((await run('show', '1')).out).toContain('merge 1: #2 Ana Kowalska into #1, by admin alice');
  });

  it('refuses to merge a member with itself, or an unknown one, and changes nothing', async () => {
    await run('merge', '1', 'ana_k');
    const self = await run('merge', '@ana.kowalska:example.org', 'discourse:ana_k');
    expect(self).toMatchObject({ code: 1, out: '' });
    expect(self.err).toBe(
      'refused: @ana.kowalska:example.org and discourse:ana_k are the same member, #1 Ana Kowalska (matrix @ana.kowalska:example.org, discourse ana_k): nothing to merge.',
    );
    expect(await run('merge', '1', '#99')).toMatchObject({ code: 1, err: 'refused: no member #99.' });
    expect(await run('merge', '1', 'nobody_here')).toMatchObject({ code: 1, err: 'refused: no discourse account nobody_here.' });
    expect(await withStore((s) => s.merges.list())).toHaveLength(1);
  });

  it('splits a wrong merge by the account folded in, and says when there is nothing to split', async () => {
    await run('merge', '1', 'ana_k');
    const split = await run('split', 'ana_k', '--by', 'admin bob');
    expect(split.code).toBe(0);
    expect(split.out).toMatch(/^split merge 1: #2 Ana Kowalska \(discourse ana_k\) is a member of their own again, apart from #1/);
    expect(split.out).toContain('4 records put back as they were before the merge; of those recorded since, 0 went back by their platform and 0 stay with #1');
    expect(split.out).toMatch(/split by admin bob at .+ UTC; these accounts will not be offered as one person again/);
    await withStore(async (store) => {
      expect((await store.members.findByIdentity({ platform: 'discourse', externalId: 'ana_k' }))?.id).toBe(2);
      expect(await store.interactions.listBetween(new Date(0), new Date(T.getTime() + 1))).toHaveLength(2);
      expect((await store.merges.get(1))?.splitBy).toBe('admin bob');
    });
    expect(await run('split', 'ana_k')).toMatchObject({ code: 1, err: 'refused: no merge to undo for ana_k (see "npm run member -- merges").' });
    expect((await run('split', '--merge', '1')).err).toMatch(/^refused: merge 1 was split already, by admin bob at /);
  });

  it('lists pairs that are probably one person, and drops them once linked', async () => {
    expect((await run('pairs')).out).toBe(
      '#1 matrix @ana.kowalska:example.org ~ #2 discourse ana_k: the same name, a username made from the name; not offered',
    );
    await run('merge', '1', '2');
    expect((await run('pairs')).out).toBe('no unlinked pairs that look like one person');
  });

  it('answers usage mistakes with the usage and exit code 2', async () => {
    expect((await run()).code).toBe(2);
    const unknown = await run('frobnicate');
    expect(unknown.code).toBe(2);
    expect(unknown.err).toContain('unknown subcommand "frobnicate"');
    expect(unknown.err).toContain('merge <member> <member>');
    expect((await run('merge', '1')).code).toBe(2);
    expect((await run('merge', '1', '2', '--colour', 'red')).err).toMatch(/^unknown option --colour/);
  });

  it('runs as `npm run member` in its own process', () => {
    const child = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/member.ts', 'merge', '1', 'ana_k', '--database', db], {
      cwd: ROOT,
      encoding: 'utf8',
      env: { ...process.env, ...env },
    });
    expect(child.stderr).toBe('');
    expect(child.status).toBe(0);
    expect(child.stdout).toMatch(/^merged #2 Ana Kowalska/);
    const again = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/member.ts', 'merge', '1', 'ana_k', '--database', db], {
      cwd: ROOT,
      encoding: 'utf8',
      env: { ...process.env, ...env },
    });
    expect(again.status).toBe(1);
    expect(again.stderr).toMatch(/^refused: 1 and ana_k are the same member/);
  });
});

// `npm start` with no platform configured runs the sandbox: local stand-ins of Matrix and
// Discourse seeded with the synthetic community, the whole service against them, and a
// simulation of community life through the real bridges.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../core/logging.js';
import { PROBLEM_STATUSES } from '../../core/store/types.js';
import { openStore } from '../../core/store/index.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const WEEK = 7 * 86_400_000;

describe('npm start without platforms: the sandbox', () => {
  let dir: string | undefined;
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('learns the community history, plays two weeks through both platforms, prints the summary, stops cleanly, and continues', async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'co-agent-sandbox-'));
    const config = path.join(dir, 'co-agent.yaml');
    writeFileSync(
      config,
      ['database:', `  path: ${JSON.stringify(path.join(dir, 'data', 'co-agent.db'))}`, 'web:', '  port: 0', 'engine:', '  workers: 1'].join('\n'),
    );
    const startedAt = Date.now();
    const { child, exited, output } = startSandbox(config, ['--weeks', '2']);
    try {
      const deadline = Date.now() + 240_000;
      await finished(child, output, deadline);
      const { out, err } = output;
      // Progress for each week, then the summary, on standard error beside the JSON logs.
      expect(err).toMatch(/\[sandbox\] week {2}1\/2 \(from \d{4}-\d{2}-\d{2}\): \d+ asked the bot/);
      expect(err).toMatch(/\[sandbox\] week {2}2\/2/);
      const requests = Number(/requests to the bot +(\d+)/.exec(err)?.[1]);
      const solved = Number(/solved +(\d+) \(solve rate/.exec(err)?.[1]);
      expect(err).toMatch(/bypass rate +week 1: (\d+%|n\/a), week 2: (\d+%|n\/a)/);
      expect(err).toMatch(/the dashboard is at http:\/\/127\.0\.0\.1:\d+\/ \(log in with password \S+\)/);
      expect(err).toMatch(/stand-ins: Matrix homeserver http:\/\/127\.0\.0\.1:\d+, Discourse forum http:\/\/127\.0\.0\.1:\d+/);
      expect(out).not.toMatch(/"level":(50|60)/);
      // Every request a member made became a problem, and every problem was a member's request.
      expect(err.split('\n').filter((l) => /a request the bot never opened|a problem no member asked for/.test(l))).toEqual([]);
      // People, not accounts: the summary's figures are the database's.
      const people = /people +(\d+) known to the bot \(the community has 40\), with (\d+) accounts/.exec(err);
      const linkedPairs = Number(/linked pairs +(\d+) people known by accounts on both platforms/.exec(err)?.[1]);
      expect(err).toMatch(/link offers +\d+ sent: \d+ linked, \d+ accepted \(code not posted yet\), \d+ not answered, \d+ "not me"/);
      expect(err).toMatch(/probably the same person +\d+ pairs? not linked/);

      const store = await openStore({ path: path.join(dir, 'data', 'sandbox.db'), logger: createLogger({ level: 'silent' }) });
      try {
        const accounts = await store.identities.accounts();
        expect(new Set(accounts.map((a) => a.memberId)).size).toBe(Number(people?.[1]));
        expect(accounts.length).toBe(Number(people?.[2]));
        const both = new Map<number, Set<string>>();
        for (const a of accounts) both.set(a.memberId, (both.get(a.memberId) ?? new Set()).add(a.platform));
        expect([...both.values()].filter((p) => p.size === 2).length).toBe(linkedPairs);
        // Members who answered the bot's offer linked their accounts within the two weeks.
        expect(linkedPairs).toBeGreaterThan(5);
        expect((await store.tags.list()).length).toBe(15);
        const docs = await store.documents.listLive();
        expect(docs.some((d) => d.platform === 'matrix')).toBe(true);
        expect(docs.some((d) => d.platform === 'discourse')).toBe(true);
        // The two simulated weeks end about now; the history lies before them.
        const problems = await store.problems.listByStatus(PROBLEM_STATUSES);
        const simulated = problems.filter((p) => p.createdAt.getTime() >= startedAt - 2 * WEEK - 60_000);
        expect(simulated.length).toBe(requests);
        expect(requests).toBe([...err.matchAll(/: (\d+) asked the bot/g)].reduce((sum, m) => sum + Number(m[1]), 0));
        expect(requests).toBeGreaterThanOrEqual(8);
        expect(new Set(simulated.map((p) => p.platform))).toEqual(new Set(['matrix', 'discourse']));
        expect(Math.max(...simulated.map((p) => p.createdAt.getTime()))).toBeLessThanOrEqual(Date.now());
        expect(simulated.filter((p) => p.status === 'solved').length).toBe(solved);
        expect(solved).toBeGreaterThan(0);
        // Members answered through the bridges, and the bot tracked who helped whom.
        const responses = (await Promise.all(simulated.map((p) => store.responses.listForProblem(p.id)))).flat();
        expect(responses.length).toBeGreaterThan(0);
        const interactions = await store.interactions.listBetween(new Date(startedAt - 2 * WEEK - 60_000), new Date(Date.now() + 60_000));
        expect(interactions.some((i) => i.mediated)).toBe(true);
        const transitions = await store.problems.listTransitions(simulated.find((p) => p.status === 'solved')!.id);
        expect(transitions.map((t) => t.to)).toContain('solved');
      } finally {
        await store.close();
      }
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited, `the sandbox's exit code; its last log lines:\n${output.out.slice(-4000)}\n${output.err.slice(-1000)}`).toBe(0);
    expect(output.out).toContain('"msg":"stopped"');

    // A second run continues with the same database on fresh stand-ins, and still hears both platforms.
    const before = (await countProblems(dir)).length;
    const again = startSandbox(config, ['--continue', '--weeks', '2']);
    try {
      await finished(again.child, again.output, Date.now() + 240_000);
      const problems = await countProblems(dir);
      const added = problems.slice(before);
      expect(added.length).toBe(Number(/requests to the bot +(\d+)/.exec(again.output.err)?.[1]));
      // Every request the members made reached the bot: none was taken for one already handled.
      const asked = [...again.output.err.matchAll(/: (\d+) asked the bot/g)].reduce((sum, m) => sum + Number(m[1]), 0);
      expect(added.length).toBe(asked);
      expect(new Set(added.map((p) => p.platform))).toEqual(new Set(['matrix', 'discourse']));
      expect(added.every((p) => p.createdAt.getTime() >= Date.now() - 300_000)).toBe(true);
    } finally {
      again.child.kill('SIGTERM');
    }
    expect(await again.exited, `the second run's exit code; its last log lines:\n${again.output.out.slice(-4000)}\n${again.output.err.slice(-1000)}`).toBe(0);
    // Two sandbox runs, each with its own four-minute deadline above: about two minutes on a quiet machine.
  }, 300_000);
});

function startSandbox(config: string, args: string[]) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'main.ts', ...args], { cwd: ROOT, env: { ...process.env, CO_AGENT_CONFIG: config } });
  const output = { out: '', err: '' };
  child.stdout.on('data', (c: Buffer) => (output.out += c.toString()));
  child.stderr.on('data', (c: Buffer) => (output.err += c.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output, exited };
}

async function finished(child: ReturnType<typeof spawn>, output: { out: string; err: string }, deadline: number): Promise<void> {
  while (!output.out.includes('sandbox simulation finished')) {
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`the simulation did not finish:\n${output.err}\n${output.out.slice(-3000)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Every problem in the sandbox database, oldest first. */
async function countProblems(dir: string) {
  const store = await openStore({ path: path.join(dir, 'data', 'sandbox.db'), logger: createLogger({ level: 'silent' }) });
  try {
    return (await store.problems.listByStatus(PROBLEM_STATUSES)).sort((a, b) => a.id - b.id);
  } finally {
    await store.close();
  }
}

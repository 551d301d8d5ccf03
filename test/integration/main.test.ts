// Starts the real entry point as a child process, as `npm start` would, and talks HTTP to it.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildCommunity } from '../../scripts/support/matrix-community.js';
import { startFakeHomeserver } from '../../scripts/stand-ins/matrix-homeserver/index.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

interface Running {
  child: ChildProcessWithoutNullStreams;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function startMain(configFile: string, env: Record<string, string> = {}): Running {
  // node --import tsx (not the tsx CLI) so the signal reaches our process, not a wrapper.
  const child = spawn(process.execPath, ['--import', 'tsx', 'main.ts'], {
    cwd: ROOT,
    env: { ...process.env, CO_AGENT_CONFIG: configFile, ...env },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  return { child, stdout: () => stdout, stderr: () => stderr, exited };
}

const logLines = (text: string): Record<string, unknown>[] =>
  text
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Record<string, unknown>);

async function waitFor<T>(what: string, probe: () => T | undefined, running: Running, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (running.child.exitCode !== null) throw new Error(`exited before ${what}:\n${running.stdout()}\n${running.stderr()}`);
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}:\n${running.stdout()}\n${running.stderr()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** A config with Matrix against the fake homeserver, one embedding worker, no history read. */
function writeMatrixConfig(file: string, database: string, homeserverUrl: string): void {
  writeFileSync(
    file,
    [
      'database:',
      `  path: ${JSON.stringify(database)}`,
      'web:',
      '  host: 127.0.0.1',
      '  port: 0',
      'engine:',
      '  workers: 1',
      'matrix:',
      `  homeserverUrl: ${homeserverUrl}`,
      '  space: "#community:localhost"',
      '  backfill: 0',
    ].join('\n'),
  );
}

describe('main.ts', () => {
  let dir: string;
  let running: Running | undefined;
  beforeEach(() => (dir = mkdtempSync(path.join(tmpdir(), 'co-agent-main-'))));
  afterEach(async () => {
    if (running && running.child.exitCode === null && running.child.signalCode === null) {
      running.child.kill('SIGKILL');
      await running.exited;
    }
    running = undefined;
    rmSync(dir, { recursive: true, force: true });
  });

  it('starts, migrates the database, serves /healthz, and shuts down cleanly on SIGTERM', async () => {
    const config = path.join(dir, 'co-agent.yaml');
    const database = path.join(dir, 'data', 'co-agent.db');
    // With Matrix configured, against the fake homeserver: the token must never be logged.
    const hs = await startFakeHomeserver({ syncTimeoutCapMs: 300 });
    const token = buildCommunity(hs).bot.accessToken;
    writeMatrixConfig(config, database, hs.url);
    running = startMain(config, { MATRIX_ACCESS_TOKEN: token });
    const r = running;
    try {
      const ready = await waitFor('the ready log line', () => logLines(r.stdout()).find((l) => l.msg === 'ready'), r);
      const port = ready.port as number;
      expect(port).toBeGreaterThan(0);
      expect(existsSync(database)).toBe(true);

      const health = await fetch(`http://127.0.0.1:${port}/healthz`);
      expect(health.status).toBe(200);
      expect(health.headers.get('content-type')).toMatch(/^application\/json/);
      expect(await health.json()).toEqual({ status: 'ok' });
      expect((await fetch(`http://127.0.0.1:${port}/nope`)).status).toBe(404);
      expect((await fetch(`http://127.0.0.1:${port}/healthz`, { method: 'POST' })).status).toBe(404);

      r.child.kill('SIGTERM');
      const exit = await r.exited;
      expect(exit).toEqual({ code: 0, signal: null });
      const lines = logLines(r.stdout());
      expect(lines.map((l) => l.msg)).toEqual(expect.arrayContaining(['starting', 'store open', 'ready', 'shutting down', 'store closed', 'stopped']));
      expect(lines.map((l) => l.msg)).toContain('following the Space');
      // The start-up log shows the config, but never a secret.
      expect(r.stdout()).not.toContain(token);
      expect(lines.find((l) => l.msg === 'starting')).toMatchObject({ config: { matrix: { accessToken: '[redacted]' } } });
      expect(r.stderr()).toBe('');
      await expect(fetch(`http://127.0.0.1:${port}/healthz`)).rejects.toThrow();
    } finally {
      await hs.close();
    }
  });

  it('stops cleanly on a SIGTERM that arrives while it is still starting', async () => {
    const config = path.join(dir, 'co-agent.yaml');
    const hs = await startFakeHomeserver({ syncTimeoutCapMs: 300 });
    const token = buildCommunity(hs).bot.accessToken;
    writeMatrixConfig(config, path.join(dir, 'data', 'co-agent.db'), hs.url);
    running = startMain(config, { MATRIX_ACCESS_TOKEN: token });
    const r = running;
    try {
      // The store is open, the engine and the bridges are still on their way (the model alone takes seconds).
      await waitFor('the store to open', () => logLines(r.stdout()).find((l) => l.msg === 'store open'), r);
      expect(logLines(r.stdout()).map((l) => l.msg)).not.toContain('ready');
      r.child.kill('SIGTERM');
      expect(await r.exited).toEqual({ code: 0, signal: null });
      const messages = logLines(r.stdout()).map((l) => l.msg);
      expect(messages).toEqual(expect.arrayContaining(['shutting down', 'store closed', 'stopped']));
      expect(messages.indexOf('shutting down')).toBeLessThan(messages.indexOf('ready'));
    } finally {
      await hs.close();
    }
  });

  it('exits 1 with a message naming the bad key, and no stack trace, on a broken config', async () => {
    const config = path.join(dir, 'broken.yaml');
    writeFileSync(config, 'engine:\n  routing:\n    weeklyBudget: three\n');
    running = startMain(config);
    const exit = await running.exited;
    expect(exit.code).toBe(1);
    expect(running.stderr()).toContain('engine.routing.weeklyBudget: expected a positive integer, got "three"');
    expect(running.stderr()).not.toMatch(/\n\s+at /);
    expect(running.stdout()).toBe('');
  });

  it('exits 1 when the configured port is taken', async () => {
    const { createServer } = await import('node:net');
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as { port: number }).port;
    try {
      const config = path.join(dir, 'taken.yaml');
      writeFileSync(config, `database:\n  path: ${JSON.stringify(path.join(dir, 'x.db'))}\nweb:\n  port: ${port}\n`);
      running = startMain(config);
      const exit = await running.exited;
      expect(exit.code).toBe(1);
      const fatal = logLines(running.stdout()).find((l) => l.msg === 'start-up failed');
      expect(JSON.stringify(fatal)).toContain('EADDRINUSE');
      // The store opened before the server failed, and was closed again.
      expect(logLines(running.stdout()).map((l) => l.msg)).toContain('store closed');
    } finally {
      blocker.close();
    }
  });
});

// The real Co-Agent service for the browser tests and the page-load bench: either the sandbox
// (`main.ts --sandbox`, a child process, as a person starts it) or the service on a store a
// test prepared (in-process `start`, no platforms).
// Shared by the browser tests and the page-load bench (which must not import test files).
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../../../bridges/config.js';
import { createLogger } from '../../../core/logging.js';
import { start } from '../../../main.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

export interface Passwords {
  admin: string;
  viewer: string;
}

export interface RunningService {
  url: string;
  /** The service's output so far (for failure messages). */
  output(): string;
  stop(): Promise<void>;
}

export function tempDir(prefix: string): { dir: string; remove(): void } {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

function writeConfig(dir: string, dbPath: string, extra: readonly string[] = []): string {
  const file = path.join(dir, 'co-agent.yaml');
  writeFileSync(
    file,
    ['database:', `  path: ${JSON.stringify(dbPath)}`, 'log:', '  level: info', 'web:', '  port: 0', 'engine:', '  workers: 1', ...extra].join('\n'),
  );
  return file;
}

const env = (passwords: Passwords) => ({ DASHBOARD_PASSWORD: passwords.admin, DASHBOARD_VIEWER_PASSWORD: passwords.viewer });

/**
 * `npm start -- --sandbox --weeks N`: resolves once the simulated weeks have been played (or,
 * with 0 weeks, once the sandbox runs), with the dashboard's URL. A week takes about a minute
 * here; the timeout leaves room for a CI machine busy with other test files. `extraYaml`: more
 * top-level sections of the config file (the sandbox keeps them, e.g. concierge: mode: review).
 */
export async function startSandbox(
  dir: string,
  passwords: Passwords,
  weeks: number,
  options: { timeoutMs?: number; extraYaml?: readonly string[] } = {},
): Promise<RunningService> {
  const timeoutMs = options.timeoutMs ?? 210_000;
  mkdirSync(path.join(dir, 'data'), { recursive: true });
  const config = writeConfig(dir, path.join(dir, 'data', 'co-agent.db'), options.extraYaml);
  const child = spawn(process.execPath, ['--import', 'tsx', 'main.ts', '--sandbox', '--weeks', String(weeks), '--week-seconds', '0'], {
    cwd: ROOT,
    env: { ...process.env, CO_AGENT_CONFIG: config, ...env(passwords) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr.on('data', (c: Buffer) => (out += c.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode === null) child.kill('SIGTERM');
    await exited;
  };
  try {
    const done = weeks > 0 ? '"msg":"sandbox simulation finished"' : '"msg":"sandbox running';
    const deadline = Date.now() + timeoutMs;
    while (!out.includes(done)) {
      if (child.exitCode !== null) throw new Error(`the sandbox exited (${child.exitCode}):\n${out.slice(-4000)}`);
      if (Date.now() > deadline) throw new Error(`the sandbox did not get ready in ${timeoutMs} ms:\n${out.slice(-4000)}`);
      await new Promise((r) => setTimeout(r, 200));
    }
    const service = /"service":"(http:\/\/[^"]+)"/.exec(out)?.[1];
    if (!service) throw new Error(`no service URL in the sandbox's log:\n${out.slice(-4000)}`);
    return { url: service, output: () => out, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** The service (no platforms) on an existing database file. */
/** `extraYaml`: more top-level sections of the config file (e.g. concierge: mode: review). */
export async function startOnStore(dir: string, dbPath: string, passwords: Passwords, extraYaml: readonly string[] = []): Promise<RunningService> {
  const config = loadConfig({ file: writeConfig(dir, dbPath, extraYaml), env: env(passwords) });
  const lines: string[] = [];
  const app = await start(
    { ...config, log: { ...config.log, level: 'warn' } },
    createLogger({ level: 'warn' }, { write: (line: string) => void lines.push(line) }),
  );
  return { url: `http://127.0.0.1:${app.port}`, output: () => lines.join(''), stop: () => app.stop() };
}

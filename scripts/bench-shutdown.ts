// `npm run bench:shutdown`: how long the service takes to stop on SIGTERM under load. Starts the
// sandbox (its own process, like production), sends SIGTERM at moments of load, and prints the
// time from the signal to the process's exit, with its exit code:
//   - while it reads the community's history (engine indexing, forum backfill, Matrix history);
//   - while the simulation plays weeks (mentions, replies, invitations, calibration).
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../', import.meta.url));

async function stopAt(moment: string, when: RegExp, delayMs: number): Promise<string> {
  const dir = mkdtempSync(path.join(tmpdir(), 'co-agent-shutdown-'));
  try {
    writeFileSync(path.join(dir, 'co-agent.yaml'), 'web:\n  port: 0\n');
    const dist = path.join(ROOT, 'dist', 'main.js');
    const child = spawn(process.execPath, [dist, '--sandbox', '--weeks', '12'], {
      cwd: dir,
      env: { ...process.env, CO_AGENT_CONFIG: path.join(dir, 'co-agent.yaml') },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    let lastLog = '';
    child.stdout.on('data', (b: Buffer) => {
      lastLog = b.toString().trim().split('\n').pop() ?? lastLog;
    });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    await new Promise<void>((resolve, reject) => {
      child.stderr.on('data', (b: Buffer) => {
        stderr += b.toString();
        if (when.test(stderr)) resolve();
      });
      void exited.then(() => reject(new Error(`the service exited before "${when.source}":\n${stderr.slice(-2000)}`)));
    });
    await new Promise((r) => setTimeout(r, delayMs));
    const started = performance.now();
    child.kill('SIGTERM');
    const code = await exited;
    const ms = performance.now() - started;
    return `SIGTERM ${moment}: exit code ${String(code)} after ${(ms / 1000).toFixed(2)} s (last log: ${lastLog.slice(0, 100)})`;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

process.stdout.write('co-agent stop time under load (compiled sandbox: run `npm run build` first)\n');
process.stdout.write(`${await stopAt('while reading the history', /waiting for the service to read the community history/, 3000)}\n`);
process.stdout.write(`${await stopAt('while playing the weeks', /playing 12 weeks/, 5000)}\n`);

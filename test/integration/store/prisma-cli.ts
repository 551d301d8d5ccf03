// Runs the real Prisma CLI (the project's dev dependency) against a given database file.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const PRISMA_BIN = path.join(path.dirname(createRequire(import.meta.url).resolve('prisma/package.json')), 'build', 'index.js');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs `prisma <args>` with DATABASE_URL pointing at `databaseFile` (or a PostgreSQL URL) (prisma.config.ts hands
 * that to the better-sqlite3 adapter). Some Prisma 6 commands were seen to print their result
 * and then idle ~60 s on a timer of the WASM schema engine before exiting; the commands used
 * here (db push, migrate status, migrate diff) exit at once with Prisma 6.19.3, so we simply
 * wait for a normal exit, with a timeout that allows for that delay if it ever comes back.
 */
export function runPrisma(args: readonly string[], databaseFile: string, timeoutMs = 150_000): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [PRISMA_BIN, ...args], {
      cwd: REPO_ROOT,
      // A postgresql:// URL is passed as is (with --config prisma.postgresql.config.ts).
      env: {
        ...process.env,
        DATABASE_URL: /^postgres(ql)?:\/\//.test(databaseFile) ? databaseFile : `file:${databaseFile}`,
        PRISMA_HIDE_UPDATE_MESSAGE: '1',
        CI: '1',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`prisma ${args.join(' ')} did not exit within ${timeoutMs} ms\n${stdout}\n${stderr}`));
    }, timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

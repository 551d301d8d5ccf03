// How a running service says so: `<database>.pid` holds its process id while it runs. Tools that
// must not run beside it (restore) check that file and whether that process is alive; a file
// left by a crash names a dead process and does not block them.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export const pidFileOf = (databasePath: string): string => `${databasePath}.pid`;

/** The pid of the live service using this database, or undefined. */
export function runningServicePid(databasePath: string): number | undefined {
  let pid: number;
  try {
    pid = Number.parseInt(readFileSync(pidFileOf(databasePath), 'utf8').trim(), 10);
  } catch {
    return undefined;
  }
  if (!Number.isInteger(pid) || pid <= 0) return undefined;
  try {
    process.kill(pid, 0);
    return pid;
  } catch (error) {
    // EPERM: the process exists but belongs to another user; it is still running.
    return (error as NodeJS.ErrnoException).code === 'EPERM' ? pid : undefined;
  }
}

/** Writes this process's pid file; the returned function removes it (only if still ours). */
export function claimServicePidFile(databasePath: string): () => void {
  const file = pidFileOf(databasePath);
  // On PostgreSQL no database file made the directory.
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, `${process.pid}\n`);
  return () => {
    try {
      if (readFileSync(file, 'utf8').trim() === String(process.pid)) rmSync(file, { force: true });
    } catch {
      // Already gone.
    }
  };
}

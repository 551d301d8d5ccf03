// What an operator needs from the database: is it open, how far behind the inboxes are, and
// online backups and restores. The backup uses SQLite's backup API from its own connection and
// copies every page in one step: that step reads one snapshot (WAL mode: the service's writers
// are not blocked meanwhile), so the copy is consistent even while the service writes. (Copying in
// small steps would restart whenever the service writes between two steps, possibly forever.)
import { accessSync, constants, existsSync, renameSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Platform } from '../types.js';
import { StoreError, type StoreContext } from './context.js';
import Database from 'better-sqlite3';
import { runningServicePid } from './service-lock.js';
import { BUSY_TIMEOUT_MS, fromDbDate, type SqliteDatabase } from './sqlite.js';

export interface BackupResult {
  file: string;
  pages: number;
  bytes: number;
}

export interface OperationsRepository {
  /** True while the database connection is open and answers. */
  ping(): boolean;
  /** Seconds the oldest pending inbox event of each platform has waited (0 when none waits). */
  inboxLag(now: Date): Map<Platform, number>;
}

/** Checks the target before SQLite does, so the operator reads why rather than SQLITE_CANTOPEN. */
export function checkBackupTarget(file: string): string {
  const target = path.resolve(file);
  if (existsSync(target)) throw new StoreError(`backup target ${target} already exists; choose a new file name`);
  const dir = path.dirname(target);
  if (!existsSync(dir)) throw new StoreError(`cannot write the backup: directory ${dir} does not exist`);
  if (!statSync(dir).isDirectory()) throw new StoreError(`cannot write the backup: ${dir} is not a directory`);
  try {
    accessSync(dir, constants.W_OK);
  } catch {
    throw new StoreError(`cannot write the backup: directory ${dir} is not writable by this user`);
  }
  return target;
}

export function operationsRepository(ctx: StoreContext): OperationsRepository {
  return {
    ping() {
      if (!ctx.db.open) return false;
      try {
        return ctx.db.prepare('SELECT 1 AS ok').get() !== undefined;
      } catch {
        return false;
      }
    },
    inboxLag(now) {
      const rows = ctx.db.prepare("SELECT platform, MIN(receivedAt) AS oldest FROM InboxEvent WHERE status = 'pending' GROUP BY platform").all() as {
        platform: Platform;
        oldest: unknown;
      }[];
      return new Map(rows.map((r) => [r.platform, Math.max(0, (now.getTime() - fromDbDate(r.oldest).getTime()) / 1000)]));
    },
  };
}

async function backupWith(db: SqliteDatabase, file: string): Promise<BackupResult> {
  const target = checkBackupTarget(file);
  try {
    // The first step only counts pages; the second copies them all from one snapshot.
    const { totalPages } = await db.backup(target, { progress: () => 0x7fffffff });
    return { file: target, pages: totalPages, bytes: statSync(target).size };
  } catch (error) {
    rmSync(target, { force: true });
    throw new StoreError(`backup to ${target} failed: ${error instanceof Error ? error.message : String(error)}`);
  }
}

function openExisting(file: string, what: string): SqliteDatabase {
  if (!existsSync(file)) throw new StoreError(`${what} ${file} does not exist`);
  try {
    return new Database(file, { fileMustExist: true, timeout: BUSY_TIMEOUT_MS });
  } catch (error) {
    throw new StoreError(`cannot open ${what} ${file}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** `npm run backup`: an online copy of the database file at `databasePath`, safe while the service runs. */
export async function backupDatabaseFile(databasePath: string, file: string): Promise<BackupResult> {
  const db = openExisting(path.resolve(databasePath), 'database');
  try {
    return await backupWith(db, file);
  } finally {
    db.close();
  }
}

/**
 * `npm run restore`: replaces the database with a backup. Refused while a service uses the
 * database (its pid file names a live process): the running service would keep writing to the
 * file it has open and overwrite or corrupt the restored one.
 */
export async function restoreDatabaseFile(backupFile: string, databasePath: string): Promise<{ file: string; pages: number }> {
  const target = path.resolve(databasePath);
  const pid = runningServicePid(target);
  if (pid !== undefined) throw new StoreError(`refusing to restore: the service (pid ${pid}) is running on ${target}; stop it first`);
  const source = openExisting(path.resolve(backupFile), 'backup');
  const staging = `${target}.restoring`;
  try {
    const check = source.pragma('quick_check', { simple: true });
    if (check !== 'ok') throw new StoreError(`backup ${backupFile} is damaged (quick_check: ${String(check)})`);
    rmSync(staging, { force: true });
    const { totalPages } = await source.backup(staging, { progress: () => 0x7fffffff });
    // The old file's WAL and shared memory belong to the old database: left beside the restored
    // file, SQLite would replay them into it.
    for (const suffix of ['-wal', '-shm', '-journal']) rmSync(`${target}${suffix}`, { force: true });
    renameSync(staging, target);
    return { file: target, pages: totalPages };
  } catch (error) {
    rmSync(staging, { force: true });
    throw error instanceof StoreError ? error : new StoreError(`restore failed: ${error instanceof Error ? error.message : String(error)}`);
  } finally {
    source.close();
  }
}

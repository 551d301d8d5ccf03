// For the data-rights tests: where a string still occurs in the database, table by table, on
// SQLite (the file) or PostgreSQL (the store's readerAddress, a postgresql:// URL).
import Database from 'better-sqlite3';
import { PostgresSyncConnection } from '../../../core/store/postgres/sync-connection.js';

/** Every table and column (any type, read as text) where `needle` occurs, case-insensitively, with a count. */
export function searchDatabase(location: string, needle: string): string[] {
  return /^postgres(ql)?:/i.test(location) ? searchPostgres(location, needle) : searchSqlite(location, needle);
}

function searchSqlite(file: string, needle: string): string[] {
  const db = new Database(file, { readonly: true });
  try {
    const hits: string[] = [];
    const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]).map((t) => t.name);
    for (const table of tables) {
      for (const { name } of db.prepare(`PRAGMA table_info("${table}")`).all() as { name: string }[]) {
        const { n } = db.prepare(`SELECT COUNT(*) AS n FROM "${table}" WHERE instr(lower(CAST("${name}" AS TEXT)), lower(?)) > 0`).get(needle) as { n: number };
        if (n > 0) hits.push(`${table}.${name}: ${n}`);
      }
    }
    return hits;
  } finally {
    db.close();
  }
}

function searchPostgres(url: string, needle: string): string[] {
  const db = new PostgresSyncConnection(url, { readOnly: true });
  try {
    const hits: string[] = [];
    const columns = db
      .prepare(
        `SELECT table_name AS "table", column_name AS "column" FROM information_schema.columns
      WHERE table_schema = current_schema() ORDER BY table_name, ordinal_position`,
      )
      .all() as { table: string; column: string }[];
    for (const { table, column } of columns) {
      // bytea reads as its text escape (what a person would search a dump for).
      const { n } = db.prepare(`SELECT COUNT(*) AS n FROM "${table}" WHERE strpos(lower(CAST("${column}" AS TEXT)), lower(?)) > 0`).get(needle) as {
        n: number | string;
      };
      if (Number(n) > 0) hits.push(`${table}.${column}: ${n}`);
    }
    return hits;
  } finally {
    db.close();
  }
}

// For the data-rights tests: where a string still occurs in a database file, table by table.
import Database from 'better-sqlite3';

/** Every table and column (any type, read as text) where `needle` occurs, case-insensitively, with a count. */
export function searchDatabase(file: string, needle: string): string[] {
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

// Describes a SQLite database's schema as plain data, so two databases can be compared.
import Database from 'better-sqlite3';

export interface SchemaShape {
  tables: Record<
    string,
    {
      columns: { name: string; type: string; notnull: number; dflt_value: string | null; pk: number }[];
      indexes: { name: string; unique: number; columns: string[] }[];
      foreignKeys: { table: string; from: string; to: string; on_update: string; on_delete: string }[];
    }
  >;
}

export function describeSchema(file: string, options: { ignoreTables?: readonly string[] } = {}): SchemaShape {
  const db = new Database(file, { readonly: true });
  try {
    const ignore = new Set(options.ignoreTables ?? []);
    const names = db
      .prepare<[], { name: string }>(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`)
      .all()
      .map((r) => r.name)
      .filter((name) => !ignore.has(name));
    const tables: SchemaShape['tables'] = {};
    for (const name of names) {
      const columns = db
        .prepare(`SELECT name, type, "notnull", dflt_value, pk FROM pragma_table_info(?) ORDER BY cid`)
        .all(name) as SchemaShape['tables'][string]['columns'];
      const indexes = (db.prepare(`SELECT name, "unique" FROM pragma_index_list(?) ORDER BY name`).all(name) as { name: string; unique: number }[]).map(
        (index) => ({
          ...index,
          columns: (db.prepare(`SELECT name FROM pragma_index_info(?) ORDER BY seqno`).all(index.name) as { name: string }[]).map((c) => c.name),
        }),
      );
      const foreignKeys = (
        db
          .prepare(`SELECT "table", "from", "to", on_update, on_delete FROM pragma_foreign_key_list(?) ORDER BY id, seq`)
          .all(name) as SchemaShape['tables'][string]['foreignKeys']
      ).sort((a, b) => `${a.table}.${a.from}`.localeCompare(`${b.table}.${b.from}`));
      tables[name] = { columns, indexes, foreignKeys };
    }
    return { tables };
  } finally {
    db.close();
  }
}

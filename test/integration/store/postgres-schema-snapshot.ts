// Describes a PostgreSQL database's schema (public) as plain data, so two databases can be compared.
import pg from 'pg';

export interface PgSchemaShape {
  tables: Record<
    string,
    {
      columns: { name: string; type: string; nullable: string; default: string | null }[];
      indexes: { name: string; definition: string }[];
      constraints: { name: string; type: string; definition: string }[];
    }
  >;
}

export async function describePgSchema(url: string, options: { ignoreTables?: readonly string[] } = {}): Promise<PgSchemaShape> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const ignore = new Set(options.ignoreTables ?? []);
    const { rows: tableRows } = await client.query<{ name: string }>(
      `SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name`,
    );
    const tables: PgSchemaShape['tables'] = {};
    for (const { name } of tableRows.filter((r) => !ignore.has(r.name))) {
      const { rows: columns } = await client.query<PgSchemaShape['tables'][string]['columns'][number]>(
        `SELECT column_name AS name, format_type(a.atttypid, a.atttypmod) AS type, is_nullable AS nullable, column_default AS default
         FROM information_schema.columns c JOIN pg_attribute a ON a.attrelid = format('%I.%I', c.table_schema, c.table_name)::regclass AND a.attname = c.column_name
         WHERE c.table_schema = 'public' AND c.table_name = $1 ORDER BY c.ordinal_position`,
        [name],
      );
      const { rows: indexes } = await client.query<{ name: string; definition: string }>(
        `SELECT indexname AS name, indexdef AS definition FROM pg_indexes WHERE schemaname = 'public' AND tablename = $1 ORDER BY indexname`,
        [name],
      );
      const { rows: constraints } = await client.query<{ name: string; type: string; definition: string }>(
        `SELECT conname AS name, contype::text AS type, pg_get_constraintdef(oid) AS definition FROM pg_constraint
         WHERE conrelid = format('public.%I', $1::text)::regclass ORDER BY conname`,
        [name],
      );
      tables[name] = { columns, indexes, constraints };
    }
    return { tables };
  } finally {
    await client.end();
  }
}

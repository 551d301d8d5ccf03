// Moving a community from SQLite to PostgreSQL (npm run db:copy): every row of every table, read
// from one consistent snapshot of the SQLite file (a running service may keep writing), written
// in one PostgreSQL transaction (a failure leaves the target empty), then counted on both sides.
import Database from 'better-sqlite3';
import type pg from 'pg';
import type { Logger } from '../../logging.js';
import { DEFAULT_MIGRATIONS_DIR, readMigrations } from '../migrate.js';
import { BUSY_TIMEOUT_MS } from '../sqlite.js';
import { connectPostgres, redactUrl } from './connect.js';
import { applyPostgresMigrations } from './migrate.js';

export class CopyRefused extends Error {
  override readonly name = 'CopyRefused';
}

export interface TableCount {
  table: string;
  source: number;
  target: number;
}
export interface CopyResult {
  tables: TableCount[];
  rows: number;
}

interface Column {
  name: string;
  type: string;
}

/** Parameters per INSERT stay well under PostgreSQL's 65535. */
const MAX_PARAMS = 30_000;
const MAX_ROWS_PER_INSERT = 1000;

const q = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** Tables in an order where every row's foreign keys point at rows already copied. */
async function copyOrder(client: pg.Client, tables: readonly string[]): Promise<string[]> {
  const { rows } = await client.query<{ child: string; parent: string }>(
    `SELECT c.conrelid::regclass::text AS child, c.confrelid::regclass::text AS parent
     FROM pg_constraint c WHERE c.contype = 'f' AND c.connamespace = current_schema()::regnamespace`,
  );
  const unquote = (name: string) => name.replace(/^"|"$/g, '');
  const parents = new Map<string, Set<string>>(tables.map((t) => [t, new Set()]));
  for (const { child, parent } of rows) if (unquote(child) !== unquote(parent)) parents.get(unquote(child))?.add(unquote(parent));
  const ordered: string[] = [];
  const placed = new Set<string>();
  while (ordered.length < tables.length) {
    const next = tables.filter((t) => !placed.has(t) && [...(parents.get(t) ?? [])].every((p) => placed.has(p) || !parents.has(p)));
    if (next.length === 0) throw new Error(`foreign keys form a cycle among ${tables.filter((t) => !placed.has(t)).join(', ')}`);
    for (const t of next) {
      ordered.push(t);
      placed.add(t);
    }
  }
  return ordered;
}

/** A SQLite value as the PostgreSQL column wants it. */
function convert(value: unknown, type: string): unknown {
  if (value === null || value === undefined) return null;
  if (type === 'boolean') return Number(value) !== 0;
  if (type.startsWith('timestamp')) {
    if (typeof value === 'number' || typeof value === 'bigint') return new Date(Number(value)).toISOString();
    // CURRENT_TIMESTAMP's "YYYY-MM-DD HH:MM:SS" is UTC, as is every +00:00 date Prisma wrote.
    return String(value);
  }
  if (typeof value === 'bigint') return value.toString();
  return value;
}

export interface CopyOptions {
  from: string;
  to: string;
  logger?: Logger;
}

export async function copySqliteToPostgres(options: CopyOptions): Promise<CopyResult> {
  const source = new Database(options.from, { readonly: true, fileMustExist: true, timeout: BUSY_TIMEOUT_MS });
  // Integers beyond 2^53 would lose digits as numbers.
  source.defaultSafeIntegers(true);
  let target: pg.Client | undefined;
  try {
    // The source must be migrated to this code's newest schema, else its columns differ.
    const known = readMigrations(DEFAULT_MIGRATIONS_DIR).map((m) => m.name);
    const applied = new Set(
      (
        source.prepare('SELECT migration_name FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL').all() as {
          migration_name: string;
        }[]
      ).map((r) => r.migration_name),
    );
    const missing = known.filter((name) => !applied.has(name));
    if (missing.length > 0)
      throw new CopyRefused(
        `${options.from} lacks migrations ${missing.join(', ')}: start this version of Co-Agent on it once (it migrates at start), then copy`,
      );
    const unknown = [...applied].filter((name) => !known.includes(name));
    if (unknown.length > 0)
      throw new CopyRefused(`${options.from} has migrations this version does not know (${unknown.join(', ')}): copy with the version that made them`);

    target = await connectPostgres(options.to, options.logger ? { logger: options.logger } : {});
    await applyPostgresMigrations(target, options.logger ? { logger: options.logger } : {});

    const sourceTables = (
      source.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> '_prisma_migrations'`).all() as {
        name: string;
      }[]
    ).map((r) => r.name);
    const { rows: columnRows } = await target.query<{ table_name: string; column_name: string; data_type: string }>(
      `SELECT table_name, column_name, data_type FROM information_schema.columns
       WHERE table_schema = current_schema() AND table_name <> '_prisma_migrations' ORDER BY table_name, ordinal_position`,
    );
    const columns = new Map<string, Column[]>();
    for (const r of columnRows) columns.set(r.table_name, [...(columns.get(r.table_name) ?? []), { name: r.column_name, type: r.data_type }]);
    const onlyInSource = sourceTables.filter((t) => !columns.has(t));
    if (onlyInSource.length > 0)
      throw new CopyRefused(`tables ${onlyInSource.join(', ')} are not in the PostgreSQL schema: are the two migration chains out of step?`);
    const tables = await copyOrder(target, [...columns.keys()]);

    await target.query('BEGIN');
    // Two copies at once into one target would both see it empty: the second waits here.
    await target.query('LOCK TABLE "Member" IN EXCLUSIVE MODE');
    for (const table of tables) {
      const { rows } = await target.query<{ any: boolean }>(`SELECT EXISTS (SELECT 1 FROM ${q(table)}) AS any`);
      if (rows[0]?.any) throw new CopyRefused(`${redactUrl(options.to)} is not empty (table ${table} has rows): db:copy fills an empty database only`);
    }

    // One read transaction on the source: every table from the same moment, however busy it is.
    source.exec('BEGIN');
    const counts: TableCount[] = [];
    let total = 0;
    try {
      for (const table of tables) {
        const cols = columns.get(table) ?? [];
        const sourceCount = sourceTables.includes(table)
          ? Number(
              source
                .prepare(`SELECT count(*) FROM ${q(table)}`)
                .pluck()
                .get(),
            )
          : 0;
        if (sourceCount > 0) {
          const perInsert = Math.max(1, Math.min(MAX_ROWS_PER_INSERT, Math.floor(MAX_PARAMS / cols.length)));
          const list = cols.map((c) => q(c.name)).join(', ');
          let batch: unknown[][] = [];
          const flush = async () => {
            if (batch.length === 0) return;
            const values: unknown[] = [];
            const tuples = batch.map(
              (row) =>
                `(${row
                  .map((v) => {
                    values.push(v);
                    return `$${values.length}`;
                  })
                  .join(', ')})`,
            );
            await target?.query(`INSERT INTO ${q(table)} (${list}) VALUES ${tuples.join(', ')}`, values);
            batch = [];
          };
          for (const row of source
            .prepare(`SELECT ${list} FROM ${q(table)}`)
            .raw()
            .iterate() as IterableIterator<unknown[]>) {
            batch.push(row.map((v, i) => convert(v, cols[i]?.type ?? '')));
            if (batch.length >= perInsert) await flush();
          }
          await flush();
          // Serial ids go on after the highest copied one.
          if (cols.some((c) => c.name === 'id')) {
            await target.query(`SELECT setval(pg_get_serial_sequence($1, 'id'), max("id")) FROM ${q(table)} HAVING max("id") IS NOT NULL`, [q(table)]);
          }
        }
        const { rows } = await target.query<{ n: string }>(`SELECT count(*) AS n FROM ${q(table)}`);
        const targetCount = Number(rows[0]?.n ?? -1);
        counts.push({ table, source: sourceCount, target: targetCount });
        total += targetCount;
        options.logger?.info({ table, rows: targetCount }, 'copied table');
      }
    } finally {
      source.exec('COMMIT');
    }
    const wrong = counts.filter((c) => c.source !== c.target);
    if (wrong.length > 0)
      throw new Error(`counts differ after the copy (rolled back): ${wrong.map((c) => `${c.table} ${c.source} -> ${c.target}`).join(', ')}`);
    await target.query('COMMIT');
    return { tables: counts, rows: total };
  } catch (error) {
    await target?.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    await target?.end().catch(() => undefined);
    source.close();
  }
}

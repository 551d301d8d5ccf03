// Derives the PostgreSQL schema (prisma/postgresql/schema.prisma) from prisma/schema.prisma:
// the same models, with the datasource provider and the client's output swapped. The models are
// written once, in prisma/schema.prisma; this file is regenerated, never edited by hand.
//
//   npm run db:postgres-schema            (rewrites prisma/postgresql/schema.prisma)
//
// npm run db:migration runs it too, and a test fails when the checked-in copy is stale.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
export const SQLITE_SCHEMA = path.join(ROOT, 'prisma', 'schema.prisma');
export const POSTGRES_SCHEMA = path.join(ROOT, 'prisma', 'postgresql', 'schema.prisma');

const HEADER = [
  '// GENERATED from prisma/schema.prisma by `npm run db:postgres-schema`: do not edit. The same',
  '// models on PostgreSQL (Int -> integer, DateTime -> timestamp(3), Bytes -> bytea, Float -> double).',
].join('\n');

function replaceOnce(text: string, pattern: RegExp, replacement: string, what: string): string {
  if (!pattern.test(text)) throw new Error(`prisma/schema.prisma: cannot find ${what} to derive the PostgreSQL schema`);
  return text.replace(pattern, replacement);
}

/** The PostgreSQL schema for a given SQLite schema text. */
export function derivePostgresSchema(sqlite: string): string {
  let text = replaceOnce(sqlite, /(datasource db \{[^}]*provider\s*=\s*)"sqlite"/, '$1"postgresql"', 'the sqlite datasource provider');
  text = replaceOnce(text, /(datasource db \{[^}]*url\s*=\s*)"file:[^"]*"/, '$1"postgresql://localhost/co_agent"', 'the datasource url');
  text = replaceOnce(text, /(generator client \{[^}]*output\s*=\s*)"\.\.\/core\/store\/generated"/, '$1"../../core/store/generated-pg"', 'the client output');
  return `${HEADER}\n${text}`;
}

export function writePostgresSchema(): boolean {
  const next = derivePostgresSchema(readFileSync(SQLITE_SCHEMA, 'utf8'));
  let current = '';
  try {
    current = readFileSync(POSTGRES_SCHEMA, 'utf8');
  } catch {
    /* first time */
  }
  if (current === next) return false;
  writeFileSync(POSTGRES_SCHEMA, next);
  return true;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const changed = writePostgresSchema();
  console.log(changed ? 'wrote prisma/postgresql/schema.prisma' : 'prisma/postgresql/schema.prisma is up to date');
}

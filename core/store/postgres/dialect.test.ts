// The SQLite-to-PostgreSQL rewriting of the store's hand-written statements (no server needed).
import { describe, expect, it } from 'vitest';
import { translate, type SchemaInfo } from './dialect.js';

const schema: SchemaInfo = {
  mixedCaseNames: new Set(['Member', 'optedOut', 'recognitionDigest', 'displayName', 'InboxEvent', 'receivedAt', 'DocumentTag', 'Document', 'authorId']),
  booleanColumns: new Set(['optedOut', 'recognitionDigest', 'accepted']),
  serialIdTables: new Set(['Member', 'InboxEvent']),
};
const sql = (text: string) => translate(text, schema).text;

describe('SQLite to PostgreSQL statements', () => {
  it('numbers ? parameters, leaving a ? inside a string literal alone', () => {
    expect(sql(`SELECT instr(d."text", '?') > 0 FROM "Document" d WHERE d."id" = ? AND d."kind" = ?`)).toBe(
      `SELECT strpos(d."text", '?') > 0 FROM "Document" d WHERE d."id" = $1 AND d."kind" = $2`,
    );
  });

  it('turns INSERT OR IGNORE into ON CONFLICT DO NOTHING and returns the id of a serial table', () => {
    const t = translate('INSERT OR IGNORE INTO "InboxEvent" ("platform", "eventId") VALUES (?, ?)', schema);
    // (Spacing may change around what was rewritten; PostgreSQL does not mind.)
    expect(t.text.replace(/\s+/g, ' ')).toBe('INSERT INTO "InboxEvent" ("platform", "eventId") VALUES($1, $2) ON CONFLICT DO NOTHING RETURNING "id"');
    expect(t.returnsIdOf).toBe('InboxEvent');
    expect(sql('INSERT OR IGNORE INTO "ProcessedEvent" ("platform") VALUES (?)').replace(/\s+/g, ' ')).toBe(
      'INSERT INTO "ProcessedEvent" ("platform") VALUES($1) ON CONFLICT DO NOTHING',
    );
  });

  it('quotes unquoted mixed-case names and writes 0/1 booleans as false/true', () => {
    expect(sql('UPDATE Member SET displayName = ?, optedOut = 1, recognitionDigest = 0 WHERE id = ?')).toBe(
      'UPDATE "Member" SET "displayName" = $1, "optedOut" = true, "recognitionDigest" = false WHERE id = $2',
    );
  });

  it('rewrites IS ?, LIMIT -1, rowid, LIKE, two-argument max and group_concat', () => {
    expect(sql('DELETE FROM "S" WHERE "rowid" IN (SELECT "rowid" FROM "S" WHERE "staff" IS ? LIMIT -1 OFFSET ?)')).toBe(
      'DELETE FROM "S" WHERE ctid IN(SELECT ctid FROM "S" WHERE "staff" IS NOT DISTINCT FROM $1 LIMIT ALL OFFSET $2)',
    );
    expect(sql(`SELECT "x" FROM "T" WHERE "name" LIKE ? ESCAPE '\\'`)).toBe(`SELECT "x" FROM "T" WHERE "name" ILIKE $1 ESCAPE '\\'`);
    expect(sql('SELECT max(count(*), 1), max("a") FROM "T"')).toBe('SELECT GREATEST(count(*), 1), max("a") FROM "T"');
    expect(sql(`SELECT group_concat("name", char(31)), group_concat("id") FROM "T"`)).toBe(
      `SELECT string_agg(("name")::text, chr(31)), string_agg(("id")::text,',') FROM "T"`,
    );
  });

  it('binds @name parameters by name, each once', () => {
    const t = translate('INSERT INTO "DocumentTag" ("tagId") SELECT @into FROM "DocumentTag" WHERE "tagId" = @from OR "tagId" = @into', schema);
    expect(t.text).toBe('INSERT INTO "DocumentTag" ("tagId") SELECT $1 FROM "DocumentTag" WHERE "tagId" = $2 OR "tagId" = $1');
    expect(t.names).toEqual(['into', 'from']);
  });

  it('refuses what it cannot translate rather than guess', () => {
    expect(() => sql('INSERT OR REPLACE INTO "T" VALUES (?)')).toThrow(/unsupported on PostgreSQL: INSERT OR REPLACE/);
  });
});

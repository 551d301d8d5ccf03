// No figure in the docs may contradict the code: every configuration default that README.md or
// docs/*.md quotes is checked against the service's schema (core/config/schema.ts with the bridges'
// sections, composed in bridges/config.ts). The docs quote a default one way only, the full key in
// backticks followed by its default in brackets:
//
//   `dashboard.refreshSeconds` (default 30; 0 = every request)
//   `database.path` (default `./data/co-agent.db`)
//
// The value is the first word after "default" (or the text inside backticks), read as YAML, and
// must equal the schema's default for that key. Whatever follows it (units, remarks) is free.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { isDeepStrictEqual } from 'node:util';
import YAML from 'yaml';
import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { fileSchema } from '../../../bridges/config.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

interface JsonSchema {
  default?: unknown;
  properties?: Record<string, JsonSchema>;
  anyOf?: JsonSchema[];
}

/** A quoted default: where it is, the key, and the value as written. */
export interface Quote {
  file: string;
  line: number;
  key: string;
  written: string;
}

// `a.b.c` then whitespace (a line break too) then "(default " and the value: `...` or one word.
const QUOTE = /`([a-z][A-Za-z0-9]*(?:\.[A-Za-z0-9]+)+)`\s+\(default\s+(`[^`]*`|[^\s;,)]+)/g;

export function findQuotes(file: string, text: string): Quote[] {
  return [...text.matchAll(QUOTE)].map((m) => ({
    file,
    line: text.slice(0, m.index).split('\n').length,
    key: m[1] ?? '',
    written: m[2] ?? '',
  }));
}

const schemaRoot = z.toJSONSchema(fileSchema, { io: 'input' }) as JsonSchema;

/** The schema's node for a dotted key, or undefined when no such key exists. */
function nodeAt(key: string): JsonSchema | undefined {
  let node: JsonSchema | undefined = schemaRoot;
  for (const part of key.split('.')) {
    const withProperties: JsonSchema | undefined = node?.properties ? node : node?.anyOf?.find((n) => n.properties);
    node = withProperties?.properties?.[part];
    if (!node) return undefined;
  }
  return node;
}

/** Why a quote is wrong, or null when it matches the schema. */
export function checkQuote(quote: Quote): string | null {
  const where = `${quote.file}:${quote.line}: \`${quote.key}\` (default ${quote.written})`;
  const node = nodeAt(quote.key);
  if (!node) return `${where}: no such key in the config schema (core/config/schema.ts, bridges/*/config.ts)`;
  if (node.default === undefined) return `${where}: the schema gives this key no fixed default; describe it in words instead`;
  const text = quote.written.replace(/^`|`$/g, '');
  let value: unknown;
  try {
    value = YAML.parse(text);
  } catch {
    value = text;
  }
  if (isDeepStrictEqual(value, node.default)) return null;
  return `${where}: the schema's default is ${JSON.stringify(node.default)}`;
}

function docFiles(): string[] {
  const docs = readdirSync(path.join(ROOT, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .sort()
    .map((f) => path.join('docs', f));
  return ['README.md', ...docs];
}

describe('configuration defaults quoted in the docs', () => {
  const quotes = docFiles().flatMap((file) => findQuotes(file, readFileSync(path.join(ROOT, file), 'utf8')));

  it('are found (the convention is in use)', () => {
    // A guard against a regular expression that silently stops matching.
    expect(quotes.length).toBeGreaterThanOrEqual(20);
    expect(quotes.map((q) => q.key)).toEqual(expect.arrayContaining(['dashboard.refreshSeconds', 'discourse.apiRequestsPerMinute', 'matrix.catchUpLimit']));
  });

  it('each match the schema', () => {
    expect(quotes.map(checkQuote).filter((problem) => problem !== null)).toEqual([]);
  });

  it('a wrong figure, an unknown key and a computed default are each caught', () => {
    const bad = findQuotes(
      'x.md',
      [
        'Checked every `dashboard.refreshSeconds` (default 60; 0 = every request).',
        'Up to `matrix.catchUpLimit`\n(default 2000) events, on `web.host` (default `0.0.0.0`).',
        '`engine.workers` (default 2) and `engine.wrokers` (default 2).',
      ].join('\n'),
    );
    expect(bad.map((q) => q.key)).toEqual(['dashboard.refreshSeconds', 'matrix.catchUpLimit', 'web.host', 'engine.workers', 'engine.wrokers']);
    expect(bad.map(checkQuote)).toEqual([
      expect.stringContaining("the schema's default is 30"),
      null,
      expect.stringContaining('the schema\'s default is "127.0.0.1"'),
      expect.stringContaining('no fixed default'),
      expect.stringContaining('no such key'),
    ]);
  });
});

// Rewrites the store's SQLite SQL for PostgreSQL, so the repositories' hand-written statements
// (bulk paths, dashboard reads, merges) run on either database unchanged. It covers what those
// statements use, not SQLite's whole dialect; anything it cannot translate fails loudly in
// PostgreSQL rather than being guessed at.

/** What the translation needs to know about the database's tables (read from its catalog). */
export interface SchemaInfo {
  /** Every table and column name with capitals: an unquoted one is quoted (SQLite ignores case). */
  mixedCaseNames: ReadonlySet<string>;
  /** Boolean columns: SQLite's `= 1` / `= 0` on them becomes `= true` / `= false`. */
  booleanColumns: ReadonlySet<string>;
  /** Tables with a serial "id": an INSERT into them returns it (better-sqlite3's lastInsertRowid). */
  serialIdTables: ReadonlySet<string>;
}

export interface Translated {
  text: string;
  /** For `@name` parameters: the name of each $n, in order; empty for positional `?`. */
  names: string[];
  /** The table an INSERT writes to, when it returns its id. */
  returnsIdOf?: string;
}

type Token = { kind: 'word' | 'quoted' | 'string' | 'param' | 'named' | 'punct' | 'space'; text: string };

function tokenize(sql: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < sql.length) {
    const c = sql[i] as string;
    if (c === "'" || c === '"') {
      let j = i + 1;
      for (; j < sql.length; j += 1) {
        if (sql[j] === c) {
          if (sql[j + 1] === c) {
            j += 1;
            continue;
          }
          break;
        }
      }
      tokens.push({ kind: c === "'" ? 'string' : 'quoted', text: sql.slice(i, j + 1) });
      i = j + 1;
    } else if (c === '-' && sql[i + 1] === '-') {
      const end = sql.indexOf('\n', i);
      i = end === -1 ? sql.length : end;
    } else if (/\s/.test(c)) {
      let j = i;
      while (j < sql.length && /\s/.test(sql[j] as string)) j += 1;
      tokens.push({ kind: 'space', text: ' ' });
      i = j;
    } else if (c === '?') {
      tokens.push({ kind: 'param', text: c });
      i += 1;
    } else if (c === '@' && /[A-Za-z_]/.test(sql[i + 1] ?? '')) {
      let j = i + 1;
      while (j < sql.length && /\w/.test(sql[j] as string)) j += 1;
      tokens.push({ kind: 'named', text: sql.slice(i + 1, j) });
      i = j;
    } else if (/[A-Za-z_]/.test(c)) {
      let j = i;
      while (j < sql.length && /\w/.test(sql[j] as string)) j += 1;
      tokens.push({ kind: 'word', text: sql.slice(i, j) });
      i = j;
    } else {
      tokens.push({ kind: 'punct', text: c });
      i += 1;
    }
  }
  return tokens;
}

const unquote = (t: Token): string => (t.kind === 'quoted' ? t.text.slice(1, -1).replace(/""/g, '"') : t.text);
const isWord = (t: Token | undefined, word: string): boolean => t?.kind === 'word' && t.text.toUpperCase() === word;

/** Index of the token after the parenthesised group that starts at `open` (a '(' token). */
function closing(tokens: readonly Token[], open: number): number {
  let depth = 0;
  for (let i = open; i < tokens.length; i += 1) {
    const t = tokens[i] as Token;
    if (t.kind === 'punct' && t.text === '(') depth += 1;
    if (t.kind === 'punct' && t.text === ')') {
      depth -= 1;
      if (depth === 0) return i;
    }
  }
  throw new Error('unbalanced parentheses in SQL');
}

/** The top-level comma-separated arguments of the group between tokens open and close. */
function argumentsOf(tokens: readonly Token[], open: number, close: number): Token[][] {
  const args: Token[][] = [[]];
  let depth = 0;
  for (let i = open + 1; i < close; i += 1) {
    const t = tokens[i] as Token;
    if (t.kind === 'punct' && t.text === '(') depth += 1;
    if (t.kind === 'punct' && t.text === ')') depth -= 1;
    if (depth === 0 && t.kind === 'punct' && t.text === ',') args.push([]);
    else (args.at(-1) as Token[]).push(t);
  }
  return args;
}

const nextNonSpace = (tokens: readonly Token[], i: number): number => {
  let j = i;
  while (tokens[j]?.kind === 'space') j += 1;
  return j;
};

/** Rewrites function calls whose SQLite form PostgreSQL lacks. Recursive over nested calls. */
function rewriteCalls(tokens: Token[]): Token[] {
  const out: Token[] = [];
  for (let i = 0; i < tokens.length; i += 1) {
    const t = tokens[i] as Token;
    const open = nextNonSpace(tokens, i + 1);
    if (t.kind !== 'word' || tokens[open]?.text !== '(' || tokens[open]?.kind !== 'punct') {
      out.push(t);
      continue;
    }
    const name = t.text.toLowerCase();
    const close = closing(tokens, open);
    const args = argumentsOf(tokens, open, close).map(rewriteCalls);
    const join = (parts: Token[][]): Token[] => parts.flatMap((p, k) => (k === 0 ? p : [{ kind: 'punct', text: ',' } as Token, ...p]));
    const call = (fn: string, parts: Token[][]): Token[] => [
      { kind: 'word', text: fn },
      { kind: 'punct', text: '(' },
      ...join(parts),
      { kind: 'punct', text: ')' },
    ];
    if ((name === 'max' || name === 'min') && args.length > 1) out.push(...call(name === 'max' ? 'GREATEST' : 'LEAST', args));
    else if (name === 'instr') out.push(...call('strpos', args));
    else if (name === 'ifnull') out.push(...call('coalesce', args));
    else if (name === 'char') out.push(...call('chr', args));
    else if (name === 'group_concat') {
      const [value = [], separator = [{ kind: 'string', text: "','" } as Token]] = args;
      out.push(...call('string_agg', [[{ kind: 'punct', text: '(' }, ...value, { kind: 'punct', text: ')' }, { kind: 'word', text: '::text' }], separator]));
    } else out.push(...call(t.text, args));
    i = close;
  }
  return out;
}

export function translate(sql: string, schema: SchemaInfo): Translated {
  let tokens = tokenize(sql.trim().replace(/;\s*$/, ''));
  const names: string[] = [];
  let orIgnoreInsert = false;
  let returnsIdOf: string | undefined;

  // Statement shape: INSERT OR IGNORE / UPDATE OR IGNORE, and which table an INSERT fills.
  const first = nextNonSpace(tokens, 0);
  if (isWord(tokens[first], 'INSERT') || isWord(tokens[first], 'UPDATE')) {
    const or = nextNonSpace(tokens, first + 1);
    if (isWord(tokens[or], 'OR')) {
      const what = nextNonSpace(tokens, or + 1);
      if (!isWord(tokens[what], 'IGNORE')) throw new Error(`unsupported on PostgreSQL: ${tokens[first]?.text} OR ${tokens[what]?.text}`);
      // UPDATE OR IGNORE skips rows that would break a unique index; PostgreSQL has no
      // per-row equivalent, so such an UPDATE fails as a whole instead (see the report).
      orIgnoreInsert = isWord(tokens[first], 'INSERT');
      tokens.splice(or, what - or + 1);
    }
    if (isWord(tokens[first], 'INSERT')) {
      const into = nextNonSpace(tokens, first + 1);
      const table = tokens[nextNonSpace(tokens, into + 1)];
      const name = table ? unquote(table) : '';
      const hasReturning = tokens.some((t) => isWord(t, 'RETURNING'));
      if (!hasReturning && schema.serialIdTables.has(name)) returnsIdOf = name;
    }
  }

  tokens = rewriteCalls(tokens);
  let n = 0;
  const out: string[] = [];
  for (let i = 0; i < tokens.length; i += 1) {
    const t = tokens[i] as Token;
    if (t.kind === 'param') {
      n += 1;
      out.push(`$${n}`);
      continue;
    }
    if (t.kind === 'named') {
      let index = names.indexOf(t.text);
      if (index === -1) {
        names.push(t.text);
        index = names.length - 1;
      }
      out.push(`$${index + 1}`);
      continue;
    }
    if (t.kind === 'word') {
      const upper = t.text.toUpperCase();
      // "x IS ?" compares with NULL-safety in SQLite: IS NOT DISTINCT FROM.
      if (upper === 'IS') {
        const j = nextNonSpace(tokens, i + 1);
        const k = isWord(tokens[j], 'NOT') ? nextNonSpace(tokens, j + 1) : j;
        if (tokens[k]?.kind === 'param' || tokens[k]?.kind === 'named') {
          out.push(k === j ? 'IS NOT DISTINCT FROM ' : 'IS DISTINCT FROM ');
          i = k - 1;
          continue;
        }
      }
      // LIMIT -1 means no limit.
      if (upper === 'LIMIT') {
        const j = nextNonSpace(tokens, i + 1);
        if (tokens[j]?.text === '-' && tokens[j + 1]?.text === '1') {
          out.push('LIMIT ALL');
          i = j + 1;
          continue;
        }
      }
      // SQLite's LIKE ignores ASCII case; PostgreSQL's does not.
      if (upper === 'LIKE') {
        out.push('ILIKE');
        continue;
      }
      if (upper === 'REAL' && isWord(tokens[i - 2], 'AS')) {
        out.push('DOUBLE PRECISION');
        continue;
      }
      if (t.text === 'rowid') {
        out.push('ctid');
        continue;
      }
    }
    if (t.kind === 'quoted' && unquote(t) === 'rowid') {
      out.push('ctid');
      continue;
    }
    // Booleans: SQLite stores 0/1, and the statements compare and assign them so.
    if ((t.kind === 'word' || t.kind === 'quoted') && schema.booleanColumns.has(unquote(t))) {
      const eq = nextNonSpace(tokens, i + 1);
      const value = nextNonSpace(tokens, eq + 1);
      if (tokens[eq]?.text === '=' && (tokens[value]?.text === '0' || tokens[value]?.text === '1')) {
        out.push(`"${unquote(t)}" = ${tokens[value]?.text === '1' ? 'true' : 'false'}`);
        i = value;
        continue;
      }
    }
    if (t.kind === 'word' && schema.mixedCaseNames.has(t.text)) {
      out.push(`"${t.text}"`);
      continue;
    }
    out.push(t.text);
  }
  let text = out.join('');
  if (orIgnoreInsert) text = insertBeforeReturning(text, ' ON CONFLICT DO NOTHING');
  if (returnsIdOf) text += ' RETURNING "id"';
  return { text, names, ...(returnsIdOf ? { returnsIdOf } : {}) };
}

function insertBeforeReturning(text: string, clause: string): string {
  const match = /\sRETURNING\s/i.exec(text);
  return match ? `${text.slice(0, match.index)}${clause}${text.slice(match.index)}` : `${text}${clause}`;
}

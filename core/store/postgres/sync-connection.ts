// A synchronous PostgreSQL connection with the part of better-sqlite3's API the store uses
// (prepare / run / get / all / iterate / raw / pluck / transaction / pragma / exec), so the
// repositories' hand-written SQL paths run unchanged on PostgreSQL.
//
// Why synchronous: those paths (bulk writes, merges, erasure, the dashboard's reads) are written
// as synchronous better-sqlite3 transactions. A worker thread owns a pg client; each call posts
// the query to it and blocks on Atomics.wait until the answer is there (the answer is read with
// receiveMessageOnPort). A round trip to a local server takes well under a millisecond, about what
// better-sqlite3 costs for the same statement, and blocks the event loop the same way. Writes keep
// going through the store's write lock, as on SQLite, so this connection never waits on a lock
// held by Prisma's (asynchronous) connection; a lock_timeout turns any such wait into an error
// instead of a hang, as SQLite's busy timeout does.
import { createRequire } from 'node:module';
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import { translate, type SchemaInfo, type Translated } from './dialect.js';

const WORKER_SOURCE = `
const { workerData } = require('node:worker_threads');
const pg = require(workerData.pgPath);
const { port, signal, url, readOnly, lockTimeoutMs } = workerData;
const flag = new Int32Array(signal);
// Rows come back as SQLite gives them, so the repositories' row handling stays as it is:
// 64-bit integers and numerics as numbers, booleans as 1/0, timestamps as ISO text (+00:00).
const types = {
  getTypeParser(oid, format) {
    if (oid === 20 || oid === 1700) return (v) => Number(v);
    if (oid === 16) return (v) => (v === 't' ? 1 : 0);
    if (oid === 1114) return (v) => new Date(v.replace(' ', 'T') + 'Z').toISOString().replace('Z', '+00:00');
    if (oid === 1184) return (v) => new Date(v.replace(' ', 'T').replace(/([+-]\\d\\d)$/, '$1:00')).toISOString().replace('Z', '+00:00');
    return pg.types.getTypeParser(oid, format);
  },
};
pg.defaults.parseInputDatesAsUTC = true;
// One client at a time, opened on demand: a lost connection (server restart, network) is opened
// again for the next statement. Lost inside a transaction, the statements after it fail until the
// caller's ROLLBACK: they must not run outside the transaction they belong to.
let client = null;
let ready = null;
let inTransaction = false;
let lostInTransaction = false;
const drop = (c) => {
  if (client !== c) return;
  client = null;
  ready = null;
  if (inTransaction) lostInTransaction = true;
  c.end().catch(() => undefined);
};
const connect = () => {
  const c = new pg.Client({ connectionString: url, types, options: '-c TimeZone=UTC' });
  // Without a listener a lost connection would end the worker thread.
  c.on('error', () => drop(c));
  client = c;
  ready = c.connect()
    .then(() => c.query("SET lock_timeout = " + Number(lockTimeoutMs)))
    .then(() => readOnly ? c.query('SET default_transaction_read_only = on') : undefined);
  ready.catch(() => drop(c));
  return c;
};
// A SQLSTATE outside class 08 (connection exception) and 57P (operator intervention) is the
// statement's own error: the connection stays.
const connectionLost = (error) => !(typeof error.code === 'string' && /^[0-9A-Z]{5}$/.test(error.code) && !/^(08|57P)/.test(error.code));
// Each answer carries its request's id, so an answer that comes after its caller gave up waiting
// is recognised and dropped instead of being taken for the next query's answer.
const answer = (id, message) => {
  port.postMessage({ ...message, id });
  Atomics.store(flag, 0, 1);
  Atomics.notify(flag, 0);
};
port.on('message', async (request) => {
  try {
    if (request.close) { if (client) await client.end().catch(() => undefined); answer(request.id, { ok: true }); return; }
    const text = request.text;
    if (lostInTransaction) {
      if (text === 'ROLLBACK') { lostInTransaction = false; inTransaction = false; answer(request.id, { ok: true, rows: [], rowCount: 0 }); return; }
      answer(request.id, { ok: false, message: 'the connection to PostgreSQL was lost during this transaction, which was rolled back', code: '08006' });
      return;
    }
    const c = client ?? connect();
    await ready;
    const value = (v) => (v instanceof Uint8Array ? Buffer.from(v.buffer, v.byteOffset, v.byteLength) : typeof v === 'bigint' ? String(v) : Array.isArray(v) ? v.map(value) : v);
    const values = request.values.map(value);
    let result;
    try {
      result = await c.query({ text, values, rowMode: request.array ? 'array' : undefined });
    } catch (error) {
      if (connectionLost(error)) drop(c);
      throw error;
    }
    if (text === 'BEGIN') inTransaction = true;
    else if (text === 'COMMIT' || text === 'ROLLBACK') inTransaction = false;
    const last = Array.isArray(result) ? result.at(-1) : result;
    answer(request.id, { ok: true, rows: last.rows ?? [], rowCount: last.rowCount ?? 0 });
  } catch (error) {
    answer(request.id, { ok: false, message: error.message, code: error.code, detail: error.detail });
  }
});
`;

export class PostgresQueryError extends Error {
  override readonly name = 'PostgresQueryError';
  constructor(
    message: string,
    readonly code?: string,
    readonly detail?: string,
  ) {
    super(message);
  }
}

interface Answer {
  id: number;
  ok: boolean;
  rows?: unknown[];
  rowCount?: number;
  message?: string;
  code?: string;
  detail?: string;
}

export interface RunResult {
  changes: number;
  lastInsertRowid: number | bigint;
}

// Structured clone turns Buffers into plain Uint8Arrays; the store expects Buffers (embeddings).
function asBuffers(value: unknown): unknown {
  if (value instanceof Uint8Array && !Buffer.isBuffer(value)) return Buffer.from(value.buffer, value.byteOffset, value.byteLength);
  if (Array.isArray(value)) return value.map(asBuffers);
  if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) (value as Record<string, unknown>)[k] = asBuffers(v);
  }
  return value;
}

export class PostgresSyncConnection {
  readonly #worker: Worker;
  readonly #port: MessagePort;
  readonly #flag: Int32Array;
  readonly #timeoutMs: number;
  readonly #cache = new Map<string, Translated>();
  #schema: SchemaInfo = { mixedCaseNames: new Set(), booleanColumns: new Set(), serialIdTables: new Set() };
  #depth = 0;
  #sequence = 0;
  open = true;
  /** better-sqlite3 reports whether a transaction is open; so does this. */
  get inTransaction(): boolean {
    return this.#depth > 0;
  }

  constructor(url: string, options: { readOnly?: boolean; timeoutMs?: number; lockTimeoutMs?: number } = {}) {
    const signal = new SharedArrayBuffer(4);
    this.#flag = new Int32Array(signal);
    this.#timeoutMs = options.timeoutMs ?? 120_000;
    const { port1, port2 } = new MessageChannel();
    this.#port = port1;
    this.#worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: {
        port: port2,
        signal,
        url,
        readOnly: options.readOnly ?? false,
        lockTimeoutMs: options.lockTimeoutMs ?? 5000,
        pgPath: createRequire(import.meta.url).resolve('pg'),
      },
      transferList: [port2],
    });
    // The worker only ever waits for messages; it must not keep the process alive on its own.
    this.#worker.unref();
    port1.unref();
    this.#schema = this.#readSchema();
  }

  #request(text: string, values: readonly unknown[], array = false): { rows: unknown[]; rowCount: number } {
    if (!this.open) throw new TypeError('The database connection is not open');
    const id = ++this.#sequence;
    Atomics.store(this.#flag, 0, 0);
    this.#port.postMessage({ id, text, values, array });
    const message = this.#awaitAnswer(id);
    if (!message) throw new PostgresQueryError(`PostgreSQL did not answer within ${this.#timeoutMs} ms: ${text.slice(0, 200)}`);
    if (!message.ok) {
      throw new PostgresQueryError(
        `${message.message ?? 'query failed'}${message.detail ? ` (${message.detail})` : ''} [${text.slice(0, 300)}]`,
        message.code,
        message.detail,
      );
    }
    return { rows: asBuffers(message.rows ?? []) as unknown[], rowCount: message.rowCount ?? 0 };
  }

  /**
   * Blocks until the answer to request `id` is on the port, or the timeout passes (undefined).
   * A wake-up is not an answer: the worker's notify for the previous answer can land after this
   * request began to wait (the worker may be descheduled between setting the flag and notifying),
   * so the flag is checked again, and answers to earlier requests that timed out are skipped.
   */
  #awaitAnswer(id: number): Answer | undefined {
    const deadline = Date.now() + this.#timeoutMs;
    for (;;) {
      const left = deadline - Date.now();
      if (left <= 0) return undefined;
      if (Atomics.load(this.#flag, 0) === 0) {
        Atomics.wait(this.#flag, 0, 0, left);
        continue;
      }
      for (let m = receiveMessageOnPort(this.#port); m; m = receiveMessageOnPort(this.#port)) {
        const message = m.message as Answer;
        if (message.id === id) return message;
      }
      // The flag was set by a stale answer (just drained): wait for ours.
      Atomics.store(this.#flag, 0, 0);
      const late = receiveMessageOnPort(this.#port)?.message as Answer | undefined;
      if (late?.id === id) return late;
    }
  }

  #readSchema(): SchemaInfo {
    const { rows } = this.#request(
      `SELECT table_name, column_name, data_type, column_default FROM information_schema.columns
       WHERE table_schema = current_schema()`,
      [],
    );
    const info = { mixedCaseNames: new Set<string>(), booleanColumns: new Set<string>(), serialIdTables: new Set<string>() };
    for (const row of rows as { table_name: string; column_name: string; data_type: string; column_default: string | null }[]) {
      for (const name of [row.table_name, row.column_name]) if (name !== name.toLowerCase()) info.mixedCaseNames.add(name);
      if (row.data_type === 'boolean') info.booleanColumns.add(row.column_name);
      if (row.column_name === 'id' && row.column_default?.startsWith('nextval(')) info.serialIdTables.add(row.table_name);
    }
    return info;
  }

  /** Reads the catalog again (after migrations created tables). */
  refreshSchema(): void {
    this.#schema = this.#readSchema();
    this.#cache.clear();
  }

  translated(sql: string): Translated {
    let t = this.#cache.get(sql);
    if (!t) {
      t = translate(sql, this.#schema);
      this.#cache.set(sql, t);
    }
    return t;
  }

  query(sql: string, params: readonly unknown[], array = false): { rows: unknown[]; rowCount: number; translated: Translated } {
    const t = this.translated(sql);
    let values: unknown[] = [...params];
    if (t.names.length > 0) {
      const named = (params[0] ?? {}) as Record<string, unknown>;
      values = t.names.map((name) => named[name]);
    }
    return {
      ...this.#request(
        t.text,
        values.map((v) => (v === undefined ? null : v)),
        array,
      ),
      translated: t,
    };
  }

  prepare(sql: string): PostgresStatement {
    return new PostgresStatement(this, sql);
  }

  exec(sql: string): this {
    this.#request(sql, []);
    return this;
  }

  /** SQLite pragmas have no PostgreSQL meaning here (WAL, page size, foreign keys are always on). */
  pragma(_source: string): unknown[] {
    return [];
  }

  /** better-sqlite3's transaction(): a function running `fn` in a transaction (a savepoint when nested). */
  transaction<A extends unknown[], R>(
    fn: (...args: A) => R,
  ): ((...args: A) => R) & { immediate: (...args: A) => R; deferred: (...args: A) => R; exclusive: (...args: A) => R } {
    const run = (...args: A): R => {
      const depthBefore = this.#depth;
      const nested = depthBefore > 0;
      const savepoint = `co_agent_${this.#depth}`;
      this.#request(nested ? `SAVEPOINT ${savepoint}` : 'BEGIN', []);
      this.#depth += 1;
      try {
        const result = fn(...args);
        if (result instanceof Promise) throw new TypeError('Transaction function cannot return a promise');
        this.#depth -= 1;
        this.#request(nested ? `RELEASE SAVEPOINT ${savepoint}` : 'COMMIT', []);
        return result;
      } catch (error) {
        this.#depth = depthBefore;
        try {
          this.#request(nested ? `ROLLBACK TO SAVEPOINT ${savepoint}` : 'ROLLBACK', []);
          if (nested) this.#request(`RELEASE SAVEPOINT ${savepoint}`, []);
        } catch {
          /* the original error says more */
        }
        throw error;
      }
    };
    return Object.assign(run, { immediate: run, deferred: run, exclusive: run });
  }

  close(): this {
    if (!this.open) return this;
    try {
      Atomics.store(this.#flag, 0, 0);
      this.#port.postMessage({ id: ++this.#sequence, close: true });
      Atomics.wait(this.#flag, 0, 0, 5000);
    } finally {
      this.open = false;
      void this.#worker.terminate();
    }
    return this;
  }
}

export class PostgresStatement {
  #array = false;
  #pluck = false;

  constructor(
    private readonly db: PostgresSyncConnection,
    readonly source: string,
  ) {}

  raw(on = true): this {
    this.#array = on;
    if (on) this.#pluck = false;
    return this;
  }
  pluck(on = true): this {
    this.#pluck = on;
    if (on) this.#array = false;
    return this;
  }

  run(...params: unknown[]): RunResult {
    const { rows, rowCount, translated } = this.db.query(this.source, params, false);
    const id = translated.returnsIdOf ? (rows[0] as { id?: number } | undefined)?.id : undefined;
    return { changes: rowCount, lastInsertRowid: id ?? 0 };
  }

  all(...params: unknown[]): unknown[] {
    const { rows } = this.db.query(this.source, params, this.#array || this.#pluck);
    return this.#pluck ? (rows as unknown[][]).map((r) => r[0]) : rows;
  }

  get(...params: unknown[]): unknown {
    return this.all(...params)[0];
  }

  iterate(...params: unknown[]): IterableIterator<unknown> {
    return this.all(...params)[Symbol.iterator]();
  }
}

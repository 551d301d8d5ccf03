// @ts-check
/* eslint-disable @typescript-eslint/no-require-imports -- a CommonJS module: matrix-bot-sdk require()s it */
/* global Buffer */
// The crypto store: matrix-sdk-crypto-wasm keeps its state in IndexedDB only. In Node that is
// fake-indexeddb (in memory); every committed IndexedDB write transaction is mirrored here,
// synchronously, into one SQLite transaction (better-sqlite3), and the whole IndexedDB content is
// loaded back from SQLite before the OlmMachine opens it. So a kill -9 loses at most the
// transaction that was being committed, never an older one.
'use strict';

const fs = require('node:fs');
const path = require('node:path');
const v8 = require('node:v8');
const { randomBytes, randomUUID, scrypt, createHash, createHmac, createCipheriv, createDecipheriv, timingSafeEqual } = require('node:crypto');

/** Written in the meta table; a file without it is not ours. */
const FORMAT = 'co-agent-crypto-store/1';
/** Bytes derived from the passphrase: the wasm store key, the check, the record key, the key-id key. */
/** @type {Readonly<Record<'storeKey' | 'check' | 'recordKey' | 'idKey', readonly [number, number]>>} */
const DERIVED = { storeKey: [0, 32], check: [32, 64], recordKey: [64, 96], idKey: [96, 128] };
/** scrypt cost for the store passphrase (about 100 ms on one core). */
const SCRYPT = { N: 2 ** 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 };

class CryptoStoreError extends Error {
  /** @param {string} message @param {{ cause?: unknown }} [options] */
  constructor(message, options) {
    super(message, options);
    this.name = 'CryptoStoreError';
  }
}

/**
 * @typedef {{ keyPath: string | string[] | null, autoIncrement: boolean, indexes: Map<string, { keyPath: string | string[], unique: boolean, multiEntry: boolean }>, generated?: number }} StoreSchema
 * @typedef {{ version: number, stores: Map<string, StoreSchema> }} DbSchema
 * @typedef {{ k: 'put', store: string, req: IDBRequest, value: Buffer }
 *   | { k: 'delete', store: string, key: Buffer }
 *   | { k: 'deleteRange', store: string, range: IDBKeyRange }
 *   | { k: 'clear', store: string }
 *   | { k: 'createStore', store: string, keyPath: string | string[] | null, autoIncrement: boolean }
 *   | { k: 'deleteStore', store: string }
 *   | { k: 'createIndex', store: string, name: string, keyPath: string | string[], unique: boolean, multiEntry: boolean }
 *   | { k: 'deleteIndex', store: string, name: string }} Op
 * @typedef {{ mirror: Mirror, db: string, tx: IDBTransaction, ops: Op[], upgrade: boolean }} TxEntry
 */

// ---------------------------------------------------------------------------------------------
// Hooks on fake-indexeddb: installed once per process, they route writes to the mirror that owns
// the database (databases are named "<prefix>::<name>"; each open store has its own prefix).

/** @type {Map<string, Mirror>} */
const mirrors = new Map();
/** @type {WeakMap<IDBTransaction, TxEntry>} */
const tracked = new WeakMap();
/** @type {WeakMap<IDBDatabase, IDBTransaction>} */
const upgrades = new WeakMap();
/** @type {typeof import('fake-indexeddb') | undefined} */
let fidb;

/** @param {string} name */
function mirrorFor(name) {
  const at = name.indexOf('::');
  if (at < 0) return undefined;
  const mirror = mirrors.get(name.slice(0, at));
  return mirror && !mirror.closed ? { mirror, db: name.slice(at + 2) } : undefined;
}

/** @param {IDBTransaction} tx @param {Mirror} mirror @param {string} db */
function track(tx, mirror, db) {
  let entry = tracked.get(tx);
  if (!entry) {
    const created = { mirror, db, tx, ops: /** @type {Op[]} */ ([]), upgrade: false };
    tx.addEventListener('complete', () => mirror.commit(created));
    tracked.set(tx, created);
    entry = created;
  }
  return entry;
}

/** @param {IDBTransaction | null | undefined} tx @param {Op} op */
function record(tx, op) {
  const entry = tx ? tracked.get(tx) : undefined;
  if (entry) entry.ops.push(op);
}

/** A key as the bytes that identify it in SQLite (strings and numbers only; others go by range). */
function encodeKey(/** @type {unknown} */ key) {
  return v8.serialize(key);
}

/**
 * @template {object} T
 * @param {T} proto @param {string} name @param {(original: Function) => Function} wrapper
 */
function wrap(proto, name, wrapper) {
  const original = /** @type {Record<string, Function>} */ (/** @type {unknown} */ (proto))[name];
  if (typeof original !== 'function') throw new Error(`fake-indexeddb has no ${name}`);
  Object.defineProperty(proto, name, { value: wrapper(original), writable: true, configurable: true });
}

function installHooks() {
  if (fidb) return fidb;
  const lib = require('fake-indexeddb');
  const g = /** @type {Record<string, unknown>} */ (globalThis);
  if (g.indexedDB === undefined) {
    // Installs indexedDB, IDBKeyRange and the other IndexedDB globals the wasm library looks up.
    require(/** @type {string} */ ('fake-indexeddb/auto'));
  } else if (!(g.indexedDB instanceof lib.IDBFactory)) {
    throw new CryptoStoreError('crypto store: another IndexedDB implementation is installed in this process; the crypto store needs fake-indexeddb');
  }
  const { IDBFactory, IDBDatabase, IDBObjectStore, IDBCursor, IDBIndex, IDBKeyRange } = lib;

  wrap(
    IDBFactory.prototype,
    'open',
    (open) =>
      /** @this {IDBFactory} */ function (/** @type {string} */ name) {
        const request = /** @type {IDBOpenDBRequest} */ (open.apply(this, arguments));
        const owner = mirrorFor(String(name));
        if (owner) {
          // Runs before the opener's own onupgradeneeded handler (listeners go first in fake-indexeddb).
          request.addEventListener('upgradeneeded', () => {
            const tx = /** @type {IDBTransaction} */ (request.transaction);
            track(tx, owner.mirror, owner.db).upgrade = true;
            upgrades.set(request.result, tx);
          });
        }
        return request;
      },
  );
  wrap(
    IDBFactory.prototype,
    'deleteDatabase',
    (del) =>
      /** @this {IDBFactory} */ function (/** @type {string} */ name) {
        const request = /** @type {IDBOpenDBRequest} */ (del.apply(this, arguments));
        const owner = mirrorFor(String(name));
        if (owner) request.addEventListener('success', () => owner.mirror.dropDatabase(owner.db));
        return request;
      },
  );
  wrap(
    IDBDatabase.prototype,
    'transaction',
    (transaction) =>
      /** @this {IDBDatabase} */ function () {
        const tx = /** @type {IDBTransaction} */ (transaction.apply(this, arguments));
        const owner = mirrorFor(this.name);
        if (owner && tx.mode !== 'readonly') track(tx, owner.mirror, owner.db);
        return tx;
      },
  );
  wrap(
    IDBDatabase.prototype,
    'createObjectStore',
    (create) =>
      /** @this {IDBDatabase} */ function (/** @type {string} */ name) {
        const store = /** @type {IDBObjectStore} */ (create.apply(this, arguments));
        record(upgrades.get(this), { k: 'createStore', store: String(name), keyPath: store.keyPath, autoIncrement: store.autoIncrement });
        return store;
      },
  );
  wrap(
    IDBDatabase.prototype,
    'deleteObjectStore',
    (del) =>
      /** @this {IDBDatabase} */ function (/** @type {string} */ name) {
        const result = del.apply(this, arguments);
        record(upgrades.get(this), { k: 'deleteStore', store: String(name) });
        return result;
      },
  );
  wrap(
    IDBObjectStore.prototype,
    'createIndex',
    (create) =>
      /** @this {IDBObjectStore} */ function (/** @type {string} */ name) {
        const index = /** @type {IDBIndex} */ (create.apply(this, arguments));
        record(this.transaction, {
          k: 'createIndex',
          store: this.name,
          name: String(name),
          keyPath: index.keyPath,
          unique: index.unique,
          multiEntry: index.multiEntry,
        });
        return index;
      },
  );
  wrap(
    IDBObjectStore.prototype,
    'deleteIndex',
    (del) =>
      /** @this {IDBObjectStore} */ function (/** @type {string} */ name) {
        const result = del.apply(this, arguments);
        record(this.transaction, { k: 'deleteIndex', store: this.name, name: String(name) });
        return result;
      },
  );
  for (const method of ['put', 'add']) {
    wrap(
      IDBObjectStore.prototype,
      method,
      (write) =>
        /** @this {IDBObjectStore} */ function (/** @type {unknown} */ value) {
          const req = /** @type {IDBRequest} */ (write.apply(this, arguments));
          // IndexedDB clones the value now; so does the mirror. The key is read from the request
          // once the transaction commits (it may be generated or come from the key path).
          if (tracked.has(this.transaction)) record(this.transaction, { k: 'put', store: this.name, req, value: v8.serialize(value) });
          return req;
        },
    );
  }
  wrap(
    IDBObjectStore.prototype,
    'delete',
    (del) =>
      /** @this {IDBObjectStore} */ function (/** @type {unknown} */ query) {
        const req = del.apply(this, arguments);
        if (query instanceof IDBKeyRange) record(this.transaction, { k: 'deleteRange', store: this.name, range: query });
        else if (typeof query === 'string' || typeof query === 'number') record(this.transaction, { k: 'delete', store: this.name, key: encodeKey(query) });
        else record(this.transaction, { k: 'deleteRange', store: this.name, range: IDBKeyRange.only(query) });
        return req;
      },
  );
  wrap(
    IDBObjectStore.prototype,
    'clear',
    (clear) =>
      /** @this {IDBObjectStore} */ function () {
        const req = clear.apply(this, arguments);
        record(this.transaction, { k: 'clear', store: this.name });
        return req;
      },
  );
  /** @param {IDBCursor} cursor */
  const storeOf = (cursor) => (cursor.source instanceof IDBIndex ? cursor.source.objectStore : /** @type {IDBObjectStore} */ (cursor.source));
  wrap(
    IDBCursor.prototype,
    'update',
    (update) =>
      /** @this {IDBCursor} */ function (/** @type {unknown} */ value) {
        const req = /** @type {IDBRequest} */ (update.apply(this, arguments));
        const store = storeOf(this);
        if (tracked.has(store.transaction)) record(store.transaction, { k: 'put', store: store.name, req, value: v8.serialize(value) });
        return req;
      },
  );
  wrap(
    IDBCursor.prototype,
    'delete',
    (del) =>
      /** @this {IDBCursor} */ function () {
        const req = del.apply(this, arguments);
        const store = storeOf(this);
        record(store.transaction, { k: 'deleteRange', store: store.name, range: IDBKeyRange.only(this.primaryKey) });
        return req;
      },
  );
  fidb = lib;
  return lib;
}

// ---------------------------------------------------------------------------------------------

class Mirror {
  /**
   * @param {import('better-sqlite3').Database} sql @param {string} prefix @param {string} file
   * @param {{ recordKey: Buffer, idKey: Buffer } | undefined} seal keys that encrypt every record (a passphrase was given)
   */
  constructor(sql, prefix, file, seal) {
    this.sql = sql;
    /** @private */
    this.seal = seal;
    this.prefix = prefix;
    this.file = file;
    this.closed = false;
    /** The first write that could not be mirrored: the adapter refuses to go on after it. @type {Error | undefined} */
    this.error = undefined;
    /** @type {Map<string, DbSchema>} */
    this.schemas = new Map();
    for (const row of /** @type {{ db: string, schema: Buffer }[]} */ (sql.prepare('SELECT db, schema FROM idb_schema').all())) {
      this.schemas.set(row.db, v8.deserialize(row.schema));
    }
    this.put = sql.prepare('INSERT OR REPLACE INTO idb_record (db, store, id, key, value) VALUES (?, ?, ?, ?, ?)');
    this.del = sql.prepare('DELETE FROM idb_record WHERE db = ? AND store = ? AND id = ?');
    this.keys = sql.prepare('SELECT id, key FROM idb_record WHERE db = ? AND store = ?');
    this.clear = sql.prepare('DELETE FROM idb_record WHERE db = ? AND store = ?');
    this.saveSchema = sql.prepare('INSERT OR REPLACE INTO idb_schema (db, schema) VALUES (?, ?)');
  }

  /**
   * The record's id in SQLite: the encoded key, or with a passphrase its HMAC (so equal keys
   * find each other while nothing of the key is readable).
   * @param {Buffer} encodedKey
   */
  idOf(encodedKey) {
    return this.seal ? createHmac('sha256', this.seal.idKey).update(encodedKey).digest() : encodedKey;
  }

  /** AES-256-GCM with the record's place as associated data; identity without a passphrase. @param {Buffer} data @param {string} db @param {string} store */
  sealBytes(data, db, store) {
    if (!this.seal) return data;
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.seal.recordKey, iv);
    cipher.setAAD(Buffer.from(`${db}\0${store}`));
    const body = Buffer.concat([cipher.update(data), cipher.final()]);
    return Buffer.concat([iv, cipher.getAuthTag(), body]);
  }

  /** @param {Buffer} data @param {string} db @param {string} store */
  openBytes(data, db, store) {
    if (!this.seal) return data;
    const decipher = createDecipheriv('aes-256-gcm', this.seal.recordKey, data.subarray(0, 12));
    decipher.setAAD(Buffer.from(`${db}\0${store}`));
    decipher.setAuthTag(data.subarray(12, 28));
    try {
      return Buffer.concat([decipher.update(data.subarray(28)), decipher.final()]);
    } catch (error) {
      throw new CryptoStoreError(`crypto store ${this.file}: a record in ${db}/${store} does not decrypt (the file was altered or is damaged)`, {
        cause: error,
      });
    }
  }

  /** Mirrors one committed IndexedDB transaction as one SQLite transaction. @param {TxEntry} entry */
  commit(entry) {
    if (this.closed || this.error || (entry.ops.length === 0 && !entry.upgrade)) return;
    try {
      this.sql.transaction(() => this.apply(entry))();
    } catch (error) {
      this.error = new CryptoStoreError(
        `crypto store ${this.file}: a write could not be saved, so the store on disk is behind the crypto state in memory: ${error instanceof Error ? error.message : String(error)}`,
        { cause: error },
      );
    }
  }

  /** @param {TxEntry} entry */
  apply(entry) {
    const { db } = entry;
    let schema = this.schemas.get(db);
    if (!schema) {
      schema = { version: 0, stores: new Map() };
      this.schemas.set(db, schema);
    }
    for (const op of entry.ops) {
      switch (op.k) {
        case 'put': {
          const generator = schema.stores.get(op.store);
          if (generator?.autoIncrement && typeof op.req.result === 'number' && op.req.result > (generator.generated ?? 0)) {
            // The key generator never goes back, even when the records go: keep its high mark.
            generator.generated = op.req.result;
            entry.upgrade = true;
          }
          const key = encodeKey(op.req.result);
          this.put.run(db, op.store, this.idOf(key), this.sealBytes(key, db, op.store), this.sealBytes(op.value, db, op.store));
          break;
        }
        case 'delete':
          this.del.run(db, op.store, this.idOf(op.key));
          break;
        case 'deleteRange':
          for (const row of /** @type {{ id: Buffer, key: Buffer }[]} */ (this.keys.all(db, op.store))) {
            if (op.range.includes(v8.deserialize(this.openBytes(row.key, db, op.store)))) this.del.run(db, op.store, row.id);
          }
          break;
        case 'clear':
          this.clear.run(db, op.store);
          break;
        case 'createStore':
          schema.stores.set(op.store, { keyPath: op.keyPath, autoIncrement: op.autoIncrement, indexes: new Map() });
          break;
        case 'deleteStore':
          schema.stores.delete(op.store);
          this.clear.run(db, op.store);
          break;
        case 'createIndex':
          schema.stores.get(op.store)?.indexes.set(op.name, { keyPath: op.keyPath, unique: op.unique, multiEntry: op.multiEntry });
          break;
        case 'deleteIndex':
          schema.stores.get(op.store)?.indexes.delete(op.name);
          break;
      }
    }
    if (entry.upgrade) {
      if (entry.tx.mode === 'versionchange') schema.version = entry.tx.db.version;
      this.saveSchema.run(db, v8.serialize(schema));
    }
  }

  /** @param {string} db */
  dropDatabase(db) {
    if (this.closed || this.error) return;
    this.schemas.delete(db);
    this.sql.transaction(() => {
      this.sql.prepare('DELETE FROM idb_record WHERE db = ?').run(db);
      this.sql.prepare('DELETE FROM idb_schema WHERE db = ?').run(db);
    })();
  }

  /** Loads every mirrored database into (empty) fake-indexeddb databases named with this prefix. */
  async restore() {
    const lib = installHooks();
    const factory = /** @type {IDBFactory} */ (/** @type {Record<string, unknown>} */ (globalThis).indexedDB);
    const rows = this.sql.prepare('SELECT store, key, value FROM idb_record WHERE db = ?');
    for (const [name, schema] of this.schemas) {
      /** @type {IDBDatabase} */
      const db = await new Promise((resolve, reject) => {
        const request = factory.open(`${this.prefix}::${name}`, schema.version);
        request.onupgradeneeded = () => {
          for (const [storeName, store] of schema.stores) {
            const created = request.result.createObjectStore(storeName, { keyPath: store.keyPath, autoIncrement: store.autoIncrement });
            for (const [indexName, index] of store.indexes)
              created.createIndex(indexName, index.keyPath, { unique: index.unique, multiEntry: index.multiEntry });
          }
        };
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(request.error);
      });
      if (schema.stores.size > 0) {
        const tx = db.transaction([...schema.stores.keys()], 'readwrite');
        const done = new Promise((resolve, reject) => {
          tx.oncomplete = resolve;
          tx.onerror = () => reject(tx.error);
          tx.onabort = () => reject(tx.error);
        });
        for (const row of /** @type {Iterable<{ store: string, key: Buffer, value: Buffer }>} */ (rows.iterate(name))) {
          const store = schema.stores.get(row.store);
          if (!store) continue;
          const objectStore = tx.objectStore(row.store);
          const value = v8.deserialize(this.openBytes(row.value, name, row.store));
          if (store.keyPath === null) objectStore.put(value, v8.deserialize(this.openBytes(row.key, name, row.store)));
          else objectStore.put(value);
        }
        for (const [storeName, store] of schema.stores) {
          // Moves the key generator past every key it ever gave (put at the high mark, then remove).
          if (store.generated === undefined || store.keyPath !== null) continue;
          const objectStore = tx.objectStore(storeName);
          const high = store.generated;
          const probe = objectStore.get(high);
          probe.onsuccess = () => {
            if (probe.result === undefined) {
              objectStore.put(null, high);
              objectStore.delete(high);
            }
          };
        }
        await done;
      }
      db.close();
    }
    void lib;
  }

  /** Stops mirroring and frees the in-memory databases. */
  close() {
    if (this.closed) return;
    this.closed = true;
    mirrors.delete(this.prefix);
    try {
      this.sql.close();
    } finally {
      const factory = /** @type {IDBFactory | undefined} */ (/** @type {Record<string, unknown>} */ (globalThis).indexedDB);
      for (const name of this.schemas.keys()) factory?.deleteDatabase(`${this.prefix}::${name}`);
    }
  }
}

/** @param {unknown} error */
const reason = (error) => (error instanceof Error ? error.message : String(error));

/**
 * Opens (or creates) the SQLite crypto store for one bot device and loads it into IndexedDB.
 * Throws a CryptoStoreError with a clear message for a foreign file, another account's or
 * device's store, a missing or wrong passphrase, or a store open in another process.
 * @param {{ file: string, userId: string, deviceId: string, passphrase?: string | undefined }} options
 * @returns {Promise<{ storeName: string, storeKey: Uint8Array | undefined, mirror: Mirror, created: boolean }>}
 */
async function openCryptoStore({ file, userId, deviceId, passphrase }) {
  installHooks();
  const Database = require('better-sqlite3');
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const existed = fs.existsSync(file) && fs.statSync(file).size > 0;
  /** @type {import('better-sqlite3').Database} */
  let sql;
  try {
    sql = new Database(file, { timeout: 0 });
  } catch (error) {
    throw new CryptoStoreError(`crypto store ${file} cannot be opened: ${reason(error)}`, { cause: error });
  }
  try {
    try {
      sql.pragma('locking_mode = EXCLUSIVE');
      sql.pragma('journal_mode = WAL');
      sql.pragma('synchronous = NORMAL');
      // Takes the exclusive lock now, and keeps it until close: one process per store.
      sql.exec('BEGIN IMMEDIATE; COMMIT;');
    } catch (error) {
      const code = /** @type {{ code?: string }} */ (error).code;
      if (code === 'SQLITE_NOTADB')
        throw new CryptoStoreError(
          `crypto store ${file} is not a Co-Agent crypto store (not an SQLite database); move it away or point the bot at another file`,
          { cause: error },
        );
      if (code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED')
        throw new CryptoStoreError(`crypto store ${file} is in use by another process (only one bot process may use a device's store)`, { cause: error });
      throw error;
    }
    const tables = new Set(/** @type {{ name: string }[]} */ (sql.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all()).map((t) => t.name));
    const isOurs = tables.has('meta') && tables.has('idb_record') && tables.has('idb_schema');
    if (!isOurs && tables.size > 0) {
      throw new CryptoStoreError(
        `crypto store ${file} is an SQLite database but not a Co-Agent crypto store (tables: ${[...tables].slice(0, 5).join(', ')}); move it away or point the bot at another file`,
      );
    }
    const meta = new Map(isOurs ? /** @type {{ k: string, v: Buffer | string }[]} */ (sql.prepare('SELECT k, v FROM meta').all()).map((r) => [r.k, r.v]) : []);
    if (isOurs && meta.get('format') !== FORMAT) {
      throw new CryptoStoreError(`crypto store ${file} has format ${JSON.stringify(meta.get('format') ?? null)}, this version reads ${FORMAT}`);
    }
    const secret = passphrase === undefined || passphrase === '' ? undefined : passphrase;
    /** @type {Uint8Array | undefined} */
    let storeKey;
    /** @type {{ recordKey: Buffer, idKey: Buffer } | undefined} */
    let seal;
    if (isOurs) {
      if (meta.get('user_id') !== userId || meta.get('device_id') !== deviceId) {
        throw new CryptoStoreError(
          `crypto store ${file} belongs to ${String(meta.get('user_id'))} device ${String(meta.get('device_id'))}, not to ${userId} device ${deviceId}; it was made for another account or device (a new login makes a new device): move it away to start a new device`,
        );
      }
      const salt = meta.get('salt');
      const check = meta.get('check');
      if (Buffer.isBuffer(salt) && Buffer.isBuffer(check)) {
        if (secret === undefined) throw new CryptoStoreError(`crypto store ${file} is encrypted: set MATRIX_CRYPTO_STORE_PASSPHRASE to its passphrase`);
        const derived = await derive(secret, salt);
        if (!timingSafeEqual(checkOf(derived), check))
          throw new CryptoStoreError(`crypto store ${file}: wrong passphrase (MATRIX_CRYPTO_STORE_PASSPHRASE does not open this store)`);
        storeKey = new Uint8Array(part(derived, 'storeKey'));
        seal = { recordKey: part(derived, 'recordKey'), idKey: part(derived, 'idKey') };
      } else if (secret !== undefined) {
        throw new CryptoStoreError(
          `crypto store ${file} was created without a passphrase, but MATRIX_CRYPTO_STORE_PASSPHRASE is set; unset it, or move the store away to start a new, encrypted device`,
        );
      }
    } else {
      /** @type {[string, string | Buffer][]} */
      const rows = [
        ['format', FORMAT],
        ['user_id', userId],
        ['device_id', deviceId],
        ['created_at', new Date().toISOString()],
      ];
      if (secret !== undefined) {
        const salt = randomBytes(16);
        const derived = await derive(secret, salt);
        rows.push(['salt', salt], ['check', checkOf(derived)]);
        storeKey = new Uint8Array(part(derived, 'storeKey'));
        seal = { recordKey: part(derived, 'recordKey'), idKey: part(derived, 'idKey') };
      }
      sql.transaction(() => {
        sql.exec(`CREATE TABLE meta (k TEXT PRIMARY KEY, v BLOB NOT NULL);
          CREATE TABLE idb_schema (db TEXT PRIMARY KEY, schema BLOB NOT NULL);
          CREATE TABLE idb_record (db TEXT NOT NULL, store TEXT NOT NULL, id BLOB NOT NULL, key BLOB NOT NULL, value BLOB NOT NULL, PRIMARY KEY (db, store, id)) WITHOUT ROWID;`);
        const insert = sql.prepare('INSERT INTO meta (k, v) VALUES (?, ?)');
        for (const [k, v] of rows) insert.run(k, v);
      })();
    }
    const prefix = `co-agent-crypto-${randomUUID()}`;
    const mirror = new Mirror(sql, prefix, file, seal);
    try {
      await mirror.restore();
    } catch (error) {
      if (error instanceof CryptoStoreError) throw error;
      throw new CryptoStoreError(`crypto store ${file} could not be loaded (damaged?): ${reason(error)}`, { cause: error });
    }
    mirrors.set(prefix, mirror);
    return { storeName: prefix, storeKey, mirror, created: !existed || !isOurs };
  } catch (error) {
    sql.close();
    throw error;
  }
}

/** @param {string} passphrase @param {Buffer} salt @returns {Promise<Buffer>} */
function derive(passphrase, salt) {
  return new Promise((resolve, reject) => {
    scrypt(passphrase.normalize('NFC'), salt, DERIVED.idKey[1], SCRYPT, (error, key) => (error ? reject(error) : resolve(key)));
  });
}

/** @param {Buffer} derived @param {keyof typeof DERIVED} name */
function part(derived, name) {
  return derived.subarray(DERIVED[name][0], DERIVED[name][1]);
}

/** What the meta table keeps to recognise the passphrase: a hash of derived bytes used for nothing else. */
function checkOf(/** @type {Buffer} */ derived) {
  return createHash('sha256').update(part(derived, 'check')).digest();
}

module.exports = { openCryptoStore, CryptoStoreError, FORMAT };

// The IndexedDB-to-SQLite mirror on its own: every kind of write the IndexedDB API allows comes
// back after the store is closed and opened again, and an aborted transaction leaves nothing.
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

interface Mirror {
  close(): void;
  error: Error | undefined;
}
interface StoreModule {
  openCryptoStore(options: { file: string; userId: string; deviceId: string; passphrase?: string }): Promise<{ storeName: string; mirror: Mirror }>;
}
const { openCryptoStore } = createRequire(import.meta.url)('../../../bridges/matrix/crypto-wasm/store.cjs') as StoreModule;

const dirs: string[] = [];
const mirrors: Mirror[] = [];
afterEach(() => {
  for (const m of mirrors.splice(0)) m.close();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

// The IndexedDB API as far as this test uses it (the project's TypeScript has no DOM types).
type Handler = (() => void) | null;
interface Req<T = unknown> {
  result: T;
  error: unknown;
  onsuccess: Handler;
  onerror: Handler;
}
interface OpenReq extends Req<Db> {
  onupgradeneeded: Handler;
  transaction: Tx | null;
}
interface Tx {
  oncomplete: Handler;
  onabort: Handler;
  error: unknown;
  objectStore(name: string): Store;
  abort(): void;
}
interface Db {
  objectStoreNames: ArrayLike<string> & Iterable<string>;
  transaction(names: string[], mode: 'readonly' | 'readwrite'): Tx;
  createObjectStore(name: string, options?: { keyPath?: string; autoIncrement?: boolean }): Store;
  deleteObjectStore(name: string): void;
  close(): void;
}
interface Cursor {
  value: unknown;
  update(value: unknown): Req;
  delete(): Req;
  continue(): void;
}
interface Store {
  put(value: unknown, key?: unknown): Req;
  add(value: unknown, key?: unknown): Req;
  delete(query: unknown): Req;
  clear(): Req;
  getAll(): Req<unknown[]>;
  getAllKeys(): Req<unknown[]>;
  openCursor(): Req<Cursor | null>;
  createIndex(name: string, keyPath: string, options: { unique: boolean }): unknown;
  deleteIndex(name: string): void;
  index(name: string): { getKey(key: unknown): Req };
  indexNames: Iterable<string>;
}
const idb = (): { open(name: string, version: number): OpenReq } =>
  (globalThis as unknown as { indexedDB: { open(name: string, version: number): OpenReq } }).indexedDB;
const keyRange = (): { bound(lower: unknown, upper: unknown): unknown } =>
  (globalThis as unknown as { IDBKeyRange: { bound(lower: unknown, upper: unknown): unknown } }).IDBKeyRange;
const done = (request: Req | Tx): Promise<void> =>
  new Promise((resolve, reject) => {
    if ('oncomplete' in request) {
      request.oncomplete = () => resolve();
      request.onabort = () => reject(request.error ?? new Error('aborted'));
    } else {
      request.onsuccess = () => resolve();
      request.onerror = () => reject(request.error);
    }
  });
const result = <T>(request: Req<T>): Promise<T> => done(request).then(() => request.result);

async function openStore(file: string, passphrase?: string): Promise<string> {
  const store = await openCryptoStore({ file, userId: '@bot:example.org', deviceId: 'DEV', passphrase });
  mirrors.push(store.mirror);
  return store.storeName;
}

async function openDb(name: string, version: number, upgrade?: (db: Db, tx: Tx) => void): Promise<Db> {
  const request = idb().open(`${name}::test`, version);
  request.onupgradeneeded = () => upgrade?.(request.result, request.transaction as Tx);
  return result(request);
}

async function dump(db: Db): Promise<Record<string, unknown[]>> {
  const out: Record<string, unknown[]> = {};
  const tx = db.transaction([...db.objectStoreNames], 'readonly');
  for (const name of db.objectStoreNames) {
    const store = tx.objectStore(name);
    const [keys, values] = await Promise.all([result(store.getAllKeys()), result(store.getAll())]);
    out[name] = keys.map((k, i) => [k, values[i]]);
  }
  return out;
}

describe.each([
  ['without a passphrase', undefined],
  ['with a passphrase', 'mirror passphrase'],
])('the SQLite mirror of IndexedDB, %s', (_label, passphrase) => {
  it('brings back every committed write (put, add, delete by key and range, clear, cursor update and delete, indexes, generated keys) and nothing of an aborted one', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'co-agent-idb-'));
    dirs.push(dir);
    const file = join(dir, 'store.sqlite');
    const name = await openStore(file, passphrase);

    const db = await openDb(name, 2, (created) => {
      created.createObjectStore('plain');
      const inline = created.createObjectStore('inline', { keyPath: 'id' });
      inline.createIndex('by_room', 'room', { unique: false });
      created.createObjectStore('counter', { autoIncrement: true });
      created.createObjectStore('dropped');
    });
    let tx = db.transaction(['plain', 'inline', 'counter'], 'readwrite');
    const plain = tx.objectStore('plain');
    for (const key of ['a', 'b', 'c', 'd', 'e']) plain.put({ key, bytes: new Uint8Array([1, 2, 3]), map: new Map([[key, 1]]) }, key);
    plain.put('overwritten', 'a');
    plain.add(42, ['compound', 7]);
    plain.delete('b');
    plain.delete(keyRange().bound('c', 'd'));
    const inline = tx.objectStore('inline');
    for (const id of ['s1', 's2', 's3']) inline.put({ id, room: id === 's3' ? '!b' : '!a', text: `session ${id}` });
    const counter = tx.objectStore('counter');
    counter.add('first');
    counter.add('second');
    await done(tx);

    // Cursors: rewrite one record, delete another.
    tx = db.transaction(['inline'], 'readwrite');
    const cursorDone = new Promise<void>((resolve) => {
      const request = tx.objectStore('inline').openCursor();
      request.onsuccess = () => {
        const cursor = request.result;
        if (!cursor) return resolve();
        const value = cursor.value as { id: string; text: string };
        if (value.id === 's1') cursor.update({ ...value, text: 'rewritten by a cursor' });
        if (value.id === 's2') cursor.delete();
        cursor.continue();
      };
    });
    await cursorDone;
    await done(tx);

    // An aborted transaction: nothing of it may come back.
    tx = db.transaction(['plain'], 'readwrite');
    tx.objectStore('plain').put('never committed', 'zzz');
    tx.objectStore('plain').clear();
    tx.abort();
    await done(tx).catch(() => undefined);

    tx = db.transaction(['counter'], 'readwrite');
    tx.objectStore('counter').clear();
    await done(tx);
    db.close();

    // A schema upgrade that drops a store and an index.
    const upgraded = await openDb(name, 3, (opened, upgrade) => {
      opened.deleteObjectStore('dropped');
      upgrade.objectStore('inline').deleteIndex('by_room');
      upgrade.objectStore('inline').createIndex('by_text', 'text', { unique: true });
    });
    const before = await dump(upgraded);
    upgraded.close();
    for (const m of mirrors.splice(0)) m.close();

    const reopened = await openDb(await openStore(file, passphrase), 3);
    expect([...reopened.objectStoreNames].sort()).toEqual(['counter', 'inline', 'plain']);
    const after = await dump(reopened);
    expect(after).toEqual(before);
    expect(after).toEqual({
      counter: [],
      inline: [
        ['s1', { id: 's1', room: '!a', text: 'rewritten by a cursor' }],
        ['s3', { id: 's3', room: '!b', text: 'session s3' }],
      ],
      plain: [
        ['a', 'overwritten'],
        ['e', { key: 'e', bytes: new Uint8Array([1, 2, 3]), map: new Map([['e', 1]]) }],
        [['compound', 7], 42],
      ],
    });
    const tx2 = reopened.transaction(['inline'], 'readonly');
    expect([...tx2.objectStore('inline').indexNames]).toEqual(['by_text']);
    expect(await result(tx2.objectStore('inline').index('by_text').getKey('session s3'))).toBe('s3');
    // The key generator goes on after the restored records (it never reuses a key).
    const tx3 = reopened.transaction(['counter'], 'readwrite');
    const next = await result(tx3.objectStore('counter').add('third'));
    expect(next).toBeGreaterThan(2);
    reopened.close();
  });
});

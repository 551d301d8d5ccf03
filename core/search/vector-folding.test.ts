import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../random.js';
import { ExtraIdLists, SlotTable, hashBytes, hashWords } from './vector-folding.js';

describe('hashWords and hashBytes', () => {
  it('depend on every word, byte and the scale, and on nothing else', () => {
    const words = Uint32Array.from([1, 2, 3, 4, 5]);
    const h = hashWords(words, 0, 5);
    expect(hashWords(Uint32Array.from([9, 1, 2, 3, 4, 5]), 1, 5)).toBe(h); // position-independent
    for (let i = 0; i < 5; i++) {
      const changed = words.slice();
      changed[i] = changed[i]! ^ 0x80000000;
      expect(hashWords(changed, 0, 5)).not.toBe(h);
    }
    expect(hashWords(words, 0, 4)).not.toBe(h);
    // 7 bytes: one whole word and a tail of three; each byte counts, and so does the scale.
    const bytes = Int8Array.from([1, -2, 3, -4, 5, -6, 7]);
    const b = hashBytes(bytes, 0, 7, 1234);
    expect(hashBytes(Int8Array.from([0, 1, -2, 3, -4, 5, -6, 7]), 1, 7, 1234)).toBe(b);
    for (let i = 0; i < 7; i++) {
      const changed = bytes.slice();
      changed[i] = -changed[i]!;
      expect(hashBytes(changed, 0, 7, 1234)).not.toBe(b);
    }
    expect(hashBytes(bytes, 0, 7, 1235)).not.toBe(b);
    expect(b).toBeGreaterThanOrEqual(0); // unsigned, as the table stores them
    expect(h).toBeGreaterThanOrEqual(0);
  });
});

describe('SlotTable', () => {
  it('finds every slot by its hash through random inserts, deletes, moves and resizes, with crowded hashes', () => {
    // Hashes from a small set, many equal and many sharing low bits, so probe runs are long and
    // wrap around the table's end: a deletion that breaks a run loses slots after it.
    const random = mulberry32(31);
    const hashPool = Array.from({ length: 40 }, (_, i) => (i < 20 ? i * 64 : 0xffffffff - i) >>> 0);
    let capacity = 8;
    const table = new SlotTable(capacity);
    const model: number[] = []; // model[slot] = a key; slots are dense like the index's
    const hashOfKey = (key: number): number => hashPool[key % hashPool.length]!;
    let nextKey = 0;
    const problems: string[] = [];
    for (let step = 0; step < 20_000; step++) {
      if (model.length === 0 || random() < 0.5) {
        if (model.length === capacity) table.resize((capacity *= 2));
        const key = nextKey++;
        table.insert(model.length, hashOfKey(key));
        model.push(key);
      } else {
        // Free a random slot and move the last into it, as VectorIndex does.
        const slot = Math.floor(random() * model.length);
        table.delete(slot);
        const last = model.length - 1;
        if (slot !== last) {
          table.move(last, slot);
          model[slot] = model[last]!;
        }
        model.pop();
        if (capacity > 8 && model.length < capacity / 4) table.resize((capacity = Math.max(8, Math.ceil(model.length * 1.5))));
      }
      if (step % 97 === 0) {
        if (table.size !== model.length) problems.push(`${step}: size ${table.size}, expected ${model.length}`);
        model.forEach((key, slot) => {
          if (table.hashOf(slot) !== hashOfKey(key)) problems.push(`${step}: slot ${slot} has the wrong hash`);
          const found = table.find(hashOfKey(key), (s) => model[s] === key);
          if (found !== slot) problems.push(`${step}: key ${key} found at ${found}, expected ${slot}`);
        });
        if (table.find(hashPool[3]!, () => false) !== -1) problems.push(`${step}: found a slot nobody matched`);
      }
    }
    expect(problems).toEqual([]);
    expect(table.byteLength).toBe(capacity * 4 + 4 * 2 ** Math.ceil(Math.log2(2 * capacity)));
  });

  it('returns the first match in probe order, and takes all slots again after a reset', () => {
    const table = new SlotTable(4);
    table.insert(0, 5);
    table.insert(1, 5);
    table.insert(2, 6);
    expect(table.find(5, () => true)).toBe(0);
    expect(table.find(5, (s) => s === 1)).toBe(1);
    expect(table.find(7, () => true)).toBe(-1);
    table.reset(3, (slot) => 100 + slot);
    expect(table.size).toBe(3);
    expect(table.find(5, () => true)).toBe(-1);
    expect(table.find(102, () => true)).toBe(2);
    expect(() => table.delete(3)).toThrow(/not in the table/);
  });
});

describe('ExtraIdLists', () => {
  it('keeps ids with their marks and a count of marked ones, grows by doubling and counts its bytes', () => {
    const lists = new ExtraIdLists();
    expect(lists.of(3)).toBeUndefined();
    for (let i = 0; i < 5; i++) lists.add(3, 100 + i, i % 2 === 0);
    lists.add(7, 9, false);
    const list = lists.of(3)!;
    expect([...list.ids.subarray(0, list.length)]).toEqual([100, 101, 102, 103, 104]);
    expect(list.marked).toBe(3);
    expect(lists.byteLength).toBe(8 * 9 + 2 * 9); // 2 -> 4 -> 8 places, and 2 for slot 7
    lists.remove(3, 100); // the last takes its place, with its mark
    expect([...list.ids.subarray(0, list.length)]).toEqual([104, 101, 102, 103]);
    expect([...list.marks.subarray(0, list.length)]).toEqual([1, 0, 1, 0]);
    expect(list.marked).toBe(2);
    expect(lists.move(3, 5)).toBe(list);
    expect(lists.of(3)).toBeUndefined();
    for (const id of [101, 102, 103]) expect(lists.remove(5, id)).toBe(list);
    expect(lists.remove(5, 104)).toBeUndefined(); // emptied: dropped with its bytes
    expect(lists.of(5)).toBeUndefined();
    expect(lists.byteLength).toBe(2 * 9);
    expect(lists.move(5, 6)).toBeUndefined();
  });
});

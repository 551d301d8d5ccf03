import { describe, expect, it } from 'vitest';
import { wellFormed, wellFormedDeep } from './well-formed.js';

describe('wellFormed', () => {
  it('replaces lone high and low surrogates and keeps pairs', () => {
    expect(wellFormed('a\ud800b')).toBe('a\ufffdb');
    expect(wellFormed('\udc00x')).toBe('\ufffdx');
    expect(wellFormed('end\ud83d')).toBe('end\ufffd');
    expect(wellFormed('ok 👍 ✅')).toBe('ok 👍 ✅');
  });
});

describe('wellFormedDeep', () => {
  it('cleans strings and keys at any depth, leaving other values alone', () => {
    const input = { name: 'x\ud800', list: [1, 'y\udc00', null, true, { ['k\ud800']: 'v' }], n: 3 };
    expect(wellFormedDeep(input)).toEqual({ name: 'x\ufffd', list: [1, 'y\ufffd', null, true, { 'k\ufffd': 'v' }], n: 3 });
    // The input is not modified.
    expect(input.name).toBe('x\ud800');
  });

  it('returns clean input as the same object, without copying', () => {
    const input = { a: { b: ['c', 'd'] }, e: 'f' };
    expect(wellFormedDeep(input)).toBe(input);
  });

  it('copies only the branches that changed', () => {
    const clean = { b: 'c' };
    const out = wellFormedDeep({ clean, dirty: { s: '\ud800' } });
    expect(out.clean).toBe(clean);
    expect(out.dirty.s).toBe('\ufffd');
  });

  it('handles nesting far deeper than the call stack allows', () => {
    let deep: unknown = '\ud800';
    for (let i = 0; i < 100_000; i++) deep = [deep];
    let out = wellFormedDeep(deep) as unknown;
    for (let i = 0; i < 100_000; i++) out = (out as unknown[])[0];
    expect(out).toBe('\ufffd');
  });

  it('keeps a __proto__ key from JSON as an own property instead of changing the prototype', () => {
    const parsed = JSON.parse('{"__proto__": {"x": "\\ud800"}}') as Record<string, unknown>;
    const out = wellFormedDeep(parsed) as Record<string, unknown>;
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(out, '__proto__')?.value).toEqual({ x: '\ufffd' });
  });

  it('passes strings and primitives through', () => {
    expect(wellFormedDeep('\ud800')).toBe('\ufffd');
    expect(wellFormedDeep(5)).toBe(5);
    expect(wellFormedDeep(null)).toBe(null);
  });
});

import { describe, expect, it } from 'vitest';
import { brokerScores } from './betweenness.js';

describe('brokerScores', () => {
  it('gives the middle of a path the top score and its ends none', () => {
    const s = brokerScores(
      ['a', 'b', 'c', 'd'],
      [
        ['a', 'b'],
        ['b', 'c'],
        ['c', 'd'],
      ],
    );
    // b lies on a-c and a-d; c on b-d and a-d: 2 each.
    expect(Object.fromEntries(s)).toEqual({ a: 0, b: 1, c: 1, d: 0 });
  });

  it('finds the hub of a star and the bridge between two groups', () => {
    expect(
      brokerScores(
        ['hub', 'x', 'y', 'z'],
        [
          ['hub', 'x'],
          ['hub', 'y'],
          ['hub', 'z'],
        ],
      ).get('hub'),
    ).toBe(1);
    // Two triangles joined by one link: the two ends of that link broker.
    const s = brokerScores(
      ['a1', 'a2', 'a3', 'b1', 'b2', 'b3'],
      [
        ['a1', 'a2'],
        ['a2', 'a3'],
        ['a1', 'a3'],
        ['b1', 'b2'],
        ['b2', 'b3'],
        ['b1', 'b3'],
        ['a3', 'b1'],
      ],
    );
    expect(s.get('a3')).toBe(1);
    expect(s.get('b1')).toBe(1);
    expect(s.get('a1')).toBe(0);
  });

  it('splits credit between equally short paths', () => {
    // A square: each pair of opposite corners has two shortest paths.
    const s = brokerScores(
      ['a', 'b', 'c', 'd'],
      [
        ['a', 'b'],
        ['b', 'c'],
        ['c', 'd'],
        ['d', 'a'],
      ],
    );
    expect([...s.values()]).toEqual([1, 1, 1, 1]);
  });

  it('gives 0 everywhere to graphs without brokers, and ignores unknown nodes and loops', () => {
    expect([
      ...brokerScores(
        ['a', 'b', 'c'],
        [
          ['a', 'b'],
          ['b', 'c'],
          ['a', 'c'],
        ],
      ).values(),
    ]).toEqual([0, 0, 0]);
    expect([
      ...brokerScores(
        ['a', 'b'],
        [
          ['a', 'zz'],
          ['a', 'a'],
        ],
      ).values(),
    ]).toEqual([0, 0]);
    expect(brokerScores([], []).size).toBe(0);
  });
});

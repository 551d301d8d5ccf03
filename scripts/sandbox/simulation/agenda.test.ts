import { describe, expect, it } from 'vitest';
import { Agenda } from './agenda.js';

describe('the simulation agenda', () => {
  it('gives items back in time order, ties in the order they were added, and only when due', () => {
    const agenda = new Agenda<string>();
    agenda.add(30, 'c');
    agenda.add(10, 'a');
    agenda.add(30, 'd');
    agenda.add(20, 'b');
    expect(agenda.peekTime()).toBe(10);
    expect(agenda.takeDue(5)).toBeUndefined();
    const out: string[] = [];
    for (let next = agenda.takeDue(30); next; next = agenda.takeDue(30)) out.push(next.item);
    expect(out).toEqual(['a', 'b', 'c', 'd']);
    expect(agenda.size).toBe(0);
  });
});

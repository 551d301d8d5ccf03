import { afterEach, describe, expect, it } from 'vitest';
import { installSimClock, type SimClock } from './sim-clock.js';

describe('the simulated clock', () => {
  let clock: SimClock | undefined;
  afterEach(() => {
    clock?.uninstall();
    clock = undefined;
  });

  it('starts where it is told, only moves forward, and leaves explicit dates alone', () => {
    const before = new Date();
    const start = Date.UTC(2026, 0, 5, 9);
    clock = installSimClock(start);
    expect(Math.abs(Date.now() - start)).toBeLessThan(1000);
    expect(Math.abs(new Date().getTime() - start)).toBeLessThan(1000);
    clock.advanceTo(start + 7 * 86_400_000 + 0.25);
    expect(Number.isInteger(Date.now())).toBe(true);
    expect(new Date().getTime()).toBeGreaterThanOrEqual(start + 7 * 86_400_000);
    clock.advanceTo(start);
    expect(Date.now()).toBeGreaterThanOrEqual(start + 7 * 86_400_000);
    expect(new Date('2020-01-01T00:00:00Z').toISOString()).toBe('2020-01-01T00:00:00.000Z');
    expect(new Date(0).getTime()).toBe(0);
    expect(Date.UTC(2020, 0, 1)).toBe(1577836800000);
    expect(before instanceof Date).toBe(true);
    expect(new Date() instanceof Date).toBe(true);
    expect(typeof (Date as unknown as () => string)()).toBe('string');
    clock.uninstall();
    clock = undefined;
    expect(Math.abs(Date.now() - before.getTime())).toBeLessThan(60_000);
  });
});

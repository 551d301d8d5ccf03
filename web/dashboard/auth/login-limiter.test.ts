import { describe, expect, it } from 'vitest';
import { LoginLimiter, type LoginLimits } from './login-limiter.js';

const MIN = 60_000;
type Role = 'admin' | 'viewer';

function limiter(limits: Partial<LoginLimits> = {}) {
  const clock = { now: 0 };
  const warnings: { fields: Record<string, unknown>; message: string }[] = [];
  const l = new LoginLimiter<Role>({
    perClient: 3,
    perRole: 10,
    maxWaitMs: 60 * MIN,
    failuresPerMinute: 100,
    ...limits,
    now: () => clock.now,
    warn: (fields, message) => warnings.push({ fields, message }),
  });
  return { l, clock, warnings };
}

describe('LoginLimiter', () => {
  it('lets a client fail perClient times, then makes it wait a minute, then twice as long after each further failure', () => {
    const { l, clock } = limiter();
    for (let i = 0; i < 3; i++) {
      expect(l.retryAfter('1.2.3.4', 'admin')).toBe(0);
      l.failed('1.2.3.4', ['admin']);
    }
    expect(l.retryAfter('1.2.3.4', 'admin')).toBe(60);
    expect(l.retryAfter('5.6.7.8', 'admin')).toBe(0);
    clock.now += 45_500;
    expect(l.retryAfter('1.2.3.4', 'admin')).toBe(15);
    const waits: number[] = [];
    for (let i = 0; i < 4; i++) {
      clock.now += l.retryAfter('1.2.3.4', 'admin') * 1000;
      l.failed('1.2.3.4', ['admin']);
      waits.push(l.retryAfter('1.2.3.4', 'admin'));
    }
    expect(waits).toEqual([120, 240, 480, 960]);
  });

  it("never clears a role's count on another role's success, and clears only the client's own count for its role", () => {
    const { l } = limiter();
    for (let i = 0; i < 3; i++) l.failed('c', ['admin', 'viewer']);
    l.succeeded('c', 'viewer');
    expect(l.retryAfter('c', 'viewer')).toBe(0);
    expect(l.retryAfter('c', 'admin')).toBe(60);
    l.failed('d', ['admin']);
    l.failed('d', ['admin']);
    l.succeeded('d', 'admin');
    l.failed('d', ['admin']);
    l.failed('d', ['admin']);
    expect(l.retryAfter('d', 'admin')).toBe(0);
  });

  it('stops trying a role for everyone after perRole failures from all clients together, and warns', () => {
    const { l, warnings } = limiter({ perClient: 5, perRole: 10 });
    for (let i = 0; i < 10; i++) l.failed(`10.0.0.${i}`, ['admin']);
    expect(l.retryAfter('192.0.2.1', 'admin')).toBe(60);
    expect(l.retryAfter('192.0.2.1', 'viewer')).toBe(0);
    expect(warnings).toEqual([{ fields: { role: 'admin', failures: 10, waitSeconds: 60 }, message: expect.stringContaining('locked for everyone') }]);
  });

  it('pauses every login for the rest of the minute beyond the ceiling, warning once', () => {
    const { l, clock, warnings } = limiter({ perClient: 100, perRole: 100, failuresPerMinute: 4 });
    for (let i = 0; i < 4; i++) {
      clock.now += 1000;
      l.failed(`10.0.0.${i}`, ['viewer']);
    }
    expect(l.retryAfter('192.0.2.1', 'admin')).toBe(57);
    l.failed('10.0.0.9', ['viewer']);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]!.message).toContain('ceiling');
    clock.now += 57_000;
    expect(l.retryAfter('192.0.2.1', 'admin')).toBe(0);
  });
});

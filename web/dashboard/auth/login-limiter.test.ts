import { describe, expect, it } from 'vitest';
import { LoginLimiter } from './login-limiter.js';

describe('LoginLimiter', () => {
  it('allows `limit` failures a minute per address, then says how long to wait', () => {
    let now = 0;
    const limiter = new LoginLimiter({ limit: 3, now: () => now });
    for (let i = 0; i < 3; i++) {
      expect(limiter.retryAfter('1.2.3.4')).toBe(0);
      limiter.failed('1.2.3.4');
    }
    expect(limiter.retryAfter('1.2.3.4')).toBe(60);
    expect(limiter.retryAfter('5.6.7.8')).toBe(0);
    now = 45_500;
    expect(limiter.retryAfter('1.2.3.4')).toBe(15);
    now = 60_000;
    expect(limiter.retryAfter('1.2.3.4')).toBe(0);
  });

  it('forgets an address\'s failures after a successful login', () => {
    const limiter = new LoginLimiter({ limit: 2 });
    limiter.failed('a');
    limiter.failed('a');
    expect(limiter.retryAfter('a')).toBeGreaterThan(0);
    limiter.succeeded('a');
    expect(limiter.retryAfter('a')).toBe(0);
  });
});

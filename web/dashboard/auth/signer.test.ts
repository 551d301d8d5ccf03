import { describe, expect, it } from 'vitest';
import { Signer } from './signer.js';

describe('Signer', () => {
  const s = new Signer('a server secret of enough length....');

  it('signs purpose and parts unambiguously, and verifies only the same', () => {
    const mac = s.sign('p', 'a', 'b');
    expect(mac).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(s.verify(mac, 'p', 'a', 'b')).toBe(true);
    expect(s.verify(mac, 'q', 'a', 'b')).toBe(false);
    expect(s.sign('p', 'ab')).not.toBe(s.sign('p', 'a', 'b'));
    expect(s.verify(undefined, 'p')).toBe(false);
  });

  it('derives keys of its own per purpose and parts', () => {
    const admin = s.derive('session-key', 'admin', 'pw');
    expect(admin.sign('x')).toBe(s.derive('session-key', 'admin', 'pw').sign('x'));
    expect(admin.sign('x')).not.toBe(s.derive('session-key', 'admin', 'pw2').sign('x'));
    expect(admin.sign('x')).not.toBe(s.sign('x'));
  });
});

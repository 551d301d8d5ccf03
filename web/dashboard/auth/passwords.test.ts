import { describe, expect, it } from 'vitest';
import { Passwords, sameToken } from './passwords.js';

describe('Passwords', () => {
  it('tells the role a password opens, or null', () => {
    const p = new Passwords('admin-secret', 'viewer-secret');
    expect(p.roleFor('admin-secret')).toBe('admin');
    expect(p.roleFor('viewer-secret')).toBe('viewer');
    expect(p.roleFor('admin-secret ')).toBeNull();
    expect(p.roleFor('')).toBeNull();
    expect(p.roleFor('x'.repeat(10_000))).toBeNull();
  });

  it('has no viewer without a viewer password', () => {
    const p = new Passwords('admin-secret');
    expect(p.roleFor('')).toBeNull();
    expect(p.roleFor('admin-secret')).toBe('admin');
  });
});

describe('sameToken', () => {
  it('is true only for two equal, present tokens', () => {
    expect(sameToken('abc', 'abc')).toBe(true);
    expect(sameToken('abc', 'abd')).toBe(false);
    expect(sameToken('abc', 'abcd')).toBe(false);
    expect(sameToken(undefined, undefined)).toBe(false);
    expect(sameToken('', '')).toBe(false);
  });
});

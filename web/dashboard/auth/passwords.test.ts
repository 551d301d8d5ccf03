import { describe, expect, it } from 'vitest';
import { Passwords } from './passwords.js';

describe('Passwords', () => {
  it('tells the role a password opens, or null', () => {
    const p = new Passwords('admin-secret', 'viewer-secret');
    expect(p.roles).toEqual(['admin', 'viewer']);
    expect(p.roleFor('admin-secret')).toBe('admin');
    expect(p.roleFor('viewer-secret')).toBe('viewer');
    expect(p.roleFor('admin-secret ')).toBeNull();
    expect(p.roleFor('')).toBeNull();
    expect(p.roleFor('x'.repeat(10_000))).toBeNull();
  });

  it('opens only the roles asked for', () => {
    const p = new Passwords('admin-secret', 'viewer-secret');
    expect(p.roleFor('admin-secret', ['viewer'])).toBeNull();
    expect(p.roleFor('viewer-secret', ['viewer'])).toBe('viewer');
    expect(p.roleFor('viewer-secret', [])).toBeNull();
  });

  it('has no viewer without a viewer password', () => {
    const p = new Passwords('admin-secret');
    expect(p.roles).toEqual(['admin']);
    expect(p.roleFor('')).toBeNull();
    expect(p.roleFor('admin-secret')).toBe('admin');
  });
});

import { describe, expect, it } from 'vitest';
import { parseCookies, serializeCookie } from './cookies.js';

describe('cookies', () => {
  it('reads name=value pairs, the first of a repeated name, skipping malformed ones', () => {
    const c = parseCookies('a=1; b="two"; a=3; broken; =x; c=%E2%9C%93; d=%E0%A4%A');
    expect(Object.fromEntries(c)).toEqual({ a: '1', b: 'two', c: '✓' });
    expect(parseCookies(undefined).size).toBe(0);
  });

  it('writes HttpOnly, SameSite=Strict cookies, Secure and Max-Age when asked', () => {
    expect(serializeCookie('s', 'a b', { path: '/', secure: false })).toBe('s=a%20b; Path=/; HttpOnly; SameSite=Strict');
    expect(serializeCookie('s', '', { path: '/login', maxAge: 0, secure: true })).toBe('s=; Path=/login; HttpOnly; SameSite=Strict; Max-Age=0; Secure');
  });
});

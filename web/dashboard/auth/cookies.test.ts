import { describe, expect, it } from 'vitest';
import { cookieName, parseCookies, serializeCookie } from './cookies.js';

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

  it('names cookies with the __Host- prefix over HTTPS, and writes those only Secure with Path=/', () => {
    expect(cookieName('s', false)).toBe('s');
    expect(cookieName('s', true)).toBe('__Host-s');
    expect(serializeCookie('__Host-s', 'v', { path: '/', secure: true })).toBe('__Host-s=v; Path=/; HttpOnly; SameSite=Strict; Secure');
    expect(() => serializeCookie('__Host-s', 'v', { path: '/', secure: false })).toThrow(/Secure/);
    expect(() => serializeCookie('__Host-s', 'v', { path: '/login', secure: true })).toThrow(/Path/);
  });
});

import { describe, expect, it } from 'vitest';
import { LOGIN_FORM_MS, LoginCsrf } from './login-csrf.js';
import { Signer } from './signer.js';
import { randomToken } from './tokens.js';

describe('LoginCsrf', () => {
  const clock = { now: 1_800_000_000_000 };
  const csrf = new LoginCsrf(new Signer('a server secret of enough length....'), () => clock.now);

  it("accepts the token it issued for the browser's nonce, within the hour", () => {
    const nonce = csrf.nonce(undefined);
    const token = csrf.token(nonce);
    expect(csrf.check(nonce, token)).toBe(true);
    clock.now += LOGIN_FORM_MS;
    expect(csrf.check(nonce, token)).toBe(true);
    clock.now += 1000;
    expect(csrf.check(nonce, token)).toBe(false);
  });

  it('keeps a nonce the browser holds, and replaces one that is not of its shape', () => {
    const held = randomToken();
    expect(csrf.nonce(held)).toBe(held);
    expect(csrf.nonce('short')).not.toBe('short');
  });

  it("refuses what the client could make itself: a chosen pair, another nonce's token, a changed time, another server's token", () => {
    const nonce = randomToken();
    const token = csrf.token(nonce);
    const [issued, mac] = token.split('.');
    expect(csrf.check(nonce, nonce)).toBe(false);
    expect(csrf.check(randomToken(), token)).toBe(false);
    expect(csrf.check(nonce, `${(parseInt(issued!, 36) + 1).toString(36)}.${mac}`)).toBe(false);
    expect(csrf.check(nonce, new LoginCsrf(new Signer('another server secret............'), () => clock.now).token(nonce))).toBe(false);
    expect(csrf.check(nonce, `${issued}.${mac}.x`)).toBe(false);
    expect(csrf.check(undefined, token)).toBe(false);
    expect(csrf.check(nonce, undefined)).toBe(false);
    expect(csrf.check(nonce, 'x'.repeat(5000))).toBe(false);
  });

  it('refuses a token issued in the future (beyond a minute of clock leeway)', () => {
    const nonce = randomToken();
    const later = new LoginCsrf(new Signer('a server secret of enough length....'), () => clock.now + 120_000);
    expect(csrf.check(nonce, later.token(nonce))).toBe(false);
  });
});

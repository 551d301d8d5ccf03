// The login form's CSRF token, bound to the server and to the browser: the browser keeps a
// random nonce in a cookie, the form carries the time it was issued and the server's HMAC of
// nonce and time. A client may choose its cookie but cannot make a token that goes with it,
// and a form is good for LOGIN_FORM_MS.
import { realTime, type Clock } from './clock.js';
import { randomToken, TOKEN } from './tokens.js';
import type { Signer } from './signer.js';

export const LOGIN_FORM_MS = 3_600_000;
const PURPOSE = 'login-csrf';

export class LoginCsrf {
  readonly #signer: Signer;
  readonly #now: Clock;

  constructor(signer: Signer, now: Clock = realTime) {
    this.#signer = signer;
    this.#now = now;
  }

  /**
   * The nonce the browser already holds, if it is one of ours in shape, else a new one: a
   * request made beside the form (the browser's own /favicon.ico, a second tab) must not
   * change the cookie under an open form.
   */
  nonce(held: string | undefined): string {
    return held && TOKEN.test(held) ? held : randomToken();
  }

  /** The form's token for this nonce: `<issued, seconds in base 36>.<MAC>`. */
  token(nonce: string): string {
    const issued = Math.floor(this.#now() / 1000).toString(36);
    return `${issued}.${this.#signer.sign(PURPOSE, nonce, issued)}`;
  }

  /** True for a token this server issued for this nonce within the last hour. */
  check(nonce: string | undefined, token: string | undefined): boolean {
    if (!nonce || !token || token.length > 100) return false;
    const [issued = '', mac, ...rest] = token.split('.');
    if (rest.length > 0 || !/^[0-9a-z]{1,10}$/.test(issued)) return false;
    const ageMs = this.#now() - parseInt(issued, 36) * 1000;
    // A minute of leeway for a clock that moved back a little across a restart.
    if (ageMs > LOGIN_FORM_MS || ageMs < -60_000) return false;
    return this.#signer.verify(mac, PURPOSE, nonce, issued);
  }
}

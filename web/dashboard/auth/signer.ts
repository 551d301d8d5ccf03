// HMAC-SHA256 under the dashboard's secret, for what the server hands out and must recognise
// later (login form tokens, session CSRF tokens, the keys sessions are stored under). Every
// use names its purpose, so a value made for one cannot pass for another.
import { createHmac } from 'node:crypto';
import { sameToken } from './tokens.js';

export class Signer {
  readonly #key: Buffer;

  constructor(secret: string | Buffer) {
    this.#key = Buffer.isBuffer(secret) ? secret : Buffer.from(secret, 'utf8');
  }

  /** URL-safe MAC of the purpose and the parts (encoded unambiguously). */
  sign(purpose: string, ...parts: string[]): string {
    return createHmac('sha256', this.#key)
      .update(JSON.stringify([purpose, ...parts]))
      .digest('base64url');
  }

  /** Constant-time check of a MAC made by sign() with the same purpose and parts. */
  verify(mac: string | undefined, purpose: string, ...parts: string[]): boolean {
    return sameToken(mac, this.sign(purpose, ...parts));
  }

  /** A signer with a key of its own, derived from this one, the purpose and the parts. */
  derive(purpose: string, ...parts: string[]): Signer {
    return new Signer(
      createHmac('sha256', this.#key)
        .update(JSON.stringify(['derive', purpose, ...parts]))
        .digest(),
    );
  }
}

// A password guesser over real HTTP for the login's brute-force tests: it keeps the cookies a
// browser would, fetches the login form when it has none, and posts guesses as fast as the
// server answers, from a chosen local address (all of 127.0.0.0/8 is loopback on Linux, so
// each address is a distinct client to the server).
import http from 'node:http';

export interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export interface GuesserOptions {
  /** The address the guesser connects from (default 127.0.0.1). */
  localAddress?: string;
}

export class Guesser {
  readonly #base: URL;
  readonly #agent: http.Agent;
  readonly #cookies = new Map<string, string>();
  #csrf: string | undefined;

  constructor(base: string, options: GuesserOptions = {}) {
    this.#base = new URL(base);
    this.#agent = new http.Agent({ keepAlive: true, maxSockets: 1, localAddress: options.localAddress ?? '127.0.0.1' });
  }

  /** The Cookie header the guesser sends. */
  get cookie(): string {
    return [...this.#cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }

  /** One request; cookies set by the answer are kept (and deleted ones dropped). */
  request(method: string, path: string, options: { headers?: Record<string, string>; body?: string } = {}): Promise<Answer> {
    return new Promise((resolve, reject) => {
      const headers: Record<string, string> = { ...(this.cookie ? { cookie: this.cookie } : {}), ...options.headers };
      if (options.body !== undefined) {
        headers['content-type'] = 'application/x-www-form-urlencoded';
        headers['content-length'] = String(Buffer.byteLength(options.body));
      }
      const req = http.request(new URL(path, this.#base), { method, agent: this.#agent, headers }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => {
          this.#keepCookies(res.headers['set-cookie'] ?? []);
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body });
        });
      });
      req.on('error', reject);
      req.end(options.body);
    });
  }

  /**
   * Posts the login form with this password, fetching the form first when no login cookie is
   * held. A session from an earlier login is dropped first, as a guesser has no use for it.
   */
  async login(password: string, headers: Record<string, string> = {}): Promise<Answer> {
    for (const name of [...this.#cookies.keys()]) if (name.includes('session')) this.#cookies.delete(name);
    if (!this.#csrf || ![...this.#cookies.keys()].some((name) => name.includes('login'))) {
      const form = await this.request('GET', '/login', { headers });
      this.#csrf = /name="csrf" value="([^"]+)"/.exec(form.body)?.[1];
      if (form.status !== 200 || !this.#csrf) throw new Error(`GET /login answered ${form.status}`);
    }
    const answer = await this.request('POST', '/login', { headers, body: new URLSearchParams({ csrf: this.#csrf, password }).toString() });
    if (answer.status !== 403 || !answer.body.includes('form expired')) return answer;
    // An hour-old form: take the new token the refusal carries and post again, as a person would.
    this.#csrf = /name="csrf" value="([^"]+)"/.exec(answer.body)?.[1];
    return this.request('POST', '/login', { headers, body: new URLSearchParams({ csrf: this.#csrf ?? '', password }).toString() });
  }

  close(): void {
    this.#agent.destroy();
  }

  #keepCookies(setCookies: readonly string[]): void {
    for (const line of setCookies) {
      const [pair = '', ...attributes] = line.split(';');
      const eq = pair.indexOf('=');
      if (eq <= 0) continue;
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      const deleted = value === '' || attributes.some((a) => /^\s*max-age=0\s*$/i.test(a));
      if (deleted) this.#cookies.delete(name);
      else this.#cookies.set(name, value);
    }
  }
}

/**
 * Wrong guesses the server answered as guesses (401) before its first 429, out of at most
 * `max`; `between` runs after each guess (e.g. a viewer login from the same client).
 */
export async function guessesBefore429(
  guesser: Guesser,
  max: number,
  options: {
    headers?: () => Record<string, string>;
    between?: () => Promise<void>;
  } = {},
): Promise<number> {
  for (let i = 0; i < max; i++) {
    const answer = await guesser.login(`wrong guess ${i}`, options.headers?.() ?? {});
    if (answer.status === 429) return i;
    if (answer.status !== 401) throw new Error(`guess ${i}: expected 401 or 429, got ${answer.status}`);
    await options.between?.();
  }
  return max;
}

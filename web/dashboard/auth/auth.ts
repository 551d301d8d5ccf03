// Login, logout and the guard in front of every other dashboard route. Sessions are random ids
// in an HttpOnly, SameSite=Strict cookie (Secure and __Host- over HTTPS), kept in the database
// (sessions.ts); forms carry a CSRF token: the login form one the server signed for the
// browser's nonce cookie (login-csrf.ts), everything after login the session's own token.
// Wrong passwords are limited per client, per role and overall (login-limiter.ts).
import { Router, type Request, type RequestHandler, type Response } from 'express';
import type { Logger } from '../../../core/logging.js';
import type { Role } from '../api-types.js';
import { clientKey } from './client-address.js';
import { cookieName, parseCookies, serializeCookie } from './cookies.js';
import { LOGIN_FORM_MS, type LoginCsrf } from './login-csrf.js';
import type { LoginLimiter } from './login-limiter.js';
import { LOGIN_CSS, loginPage } from './login-page.js';
import type { Passwords } from './passwords.js';
import type { Session, SessionStore } from './sessions.js';
import type { StaffDirectory } from './staff.js';
import { sameToken } from './tokens.js';

export type { Session } from './sessions.js';

/** Cookie names over plain HTTP; over HTTPS they carry the __Host- prefix (cookies.ts). */
export const SESSION_COOKIE = 'coagent_session';
export const LOGIN_CSRF_COOKIE = 'coagent_login';

/** What wrong passwords are counted against: a shared role's password, or a staff account ("staff:?" for unknown names). */
export type LoginTarget = Role | `staff:${string}`;

export interface AuthOptions {
  passwords: Passwords;
  sessions: SessionStore;
  /** Named staff accounts (logins with a name and a password). */
  staff?: StaffDirectory;
  limiter: LoginLimiter<LoginTarget>;
  loginCsrf: LoginCsrf;
  logger: Logger;
  /** Called after a successful login (e.g. to prepare the first page's data). */
  onLogin?: (session: Session) => void;
}

export interface Auth {
  /** GET/POST /login, GET /login.css, POST /logout. */
  router: Router;
  /** Without a live session: a redirect to /login for page navigations, 401 JSON for the rest (API, export, assets). */
  requireSession: RequestHandler;
  /** 403 for an unsafe method (POST, ...) without the session's CSRF token (header X-CSRF-Token or form field csrf). */
  requireCsrf: RequestHandler;
  /** The session a request passed the guard with. */
  sessionOf(req: Request): Session;
}

const isApi = (req: Request): boolean => /^\/(api|export)(\/|$)/.test(req.path);
/** A page the person asked for (not a script, image or fetch): only these are sent to /login. */
const isNavigation = (req: Request): boolean => {
  const mode = req.get('sec-fetch-mode');
  return mode ? mode === 'navigate' : (req.get('accept') ?? '').includes('text/html');
};
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

const field = (req: Request, name: string): string | undefined => {
  const body = req.body as Record<string, unknown> | undefined;
  const value = body && Object.hasOwn(body, name) ? body[name] : undefined;
  return typeof value === 'string' ? value : undefined;
};
const cookie = (req: Request, base: string): string | undefined => parseCookies(req.headers.cookie).get(cookieName(base, req.secure));

export function createAuth(options: AuthOptions): Auth {
  const { passwords, sessions, limiter, loginCsrf, logger } = options;
  const bySession = new WeakMap<Request, Session>();

  const setCookie = (req: Request, res: Response, base: string, value: string, maxAge?: number) => {
    res.append(
      'Set-Cookie',
      serializeCookie(cookieName(base, req.secure), value, { path: '/', secure: req.secure, ...(maxAge === undefined ? {} : { maxAge }) }),
    );
  };

  /** The login form, signed for the nonce the browser holds (or a new one). */
  const showLogin = (req: Request, res: Response, status: number, message?: string) => {
    const nonce = loginCsrf.nonce(cookie(req, LOGIN_CSRF_COOKIE));
    setCookie(req, res, LOGIN_CSRF_COOKIE, nonce, LOGIN_FORM_MS / 1000);
    res
      .status(status)
      .set('Cache-Control', 'no-store')
      .type('html')
      .send(loginPage({ csrf: loginCsrf.token(nonce), message, names: (options.staff?.size ?? 0) > 0 }));
  };

  const tooMany = (req: Request, res: Response, seconds: number) => {
    res.set('Retry-After', String(seconds));
    showLogin(req, res, 429, `Too many failed attempts. Try again in ${seconds} seconds.`);
  };

  const router = Router();
  // Browsers ask for it on their own, logged in or not; there is none.
  router.get('/favicon.ico', (_req, res) => {
    res.status(204).end();
  });
  router.get('/login.css', (_req, res) => {
    res.type('css').set('Cache-Control', 'public, max-age=3600').send(LOGIN_CSS);
  });

  router.get('/login', async (req, res) => {
    const current = await sessions.find(cookie(req, SESSION_COOKIE));
    if (current && current !== 'expired') return res.redirect(303, '/');
    showLogin(req, res, 200, req.query.expired === '1' || current === 'expired' ? 'Your session expired. Please log in again.' : undefined);
  });

  const staffLogin = async (req: Request, res: Response, name: string) => {
    const client = clientKey(req.ip);
    const known = options.staff?.find(name);
    const target: LoginTarget = known ? `staff:${known.name}` : 'staff:?';
    const wait = limiter.retryAfter(client, target);
    if (wait > 0) return tooMany(req, res, wait);
    if (!loginCsrf.check(cookie(req, LOGIN_CSRF_COOKIE), field(req, 'csrf'))) {
      return showLogin(req, res, 403, 'The login form expired. Please try again.');
    }
    const account = await options.staff!.verify(name, field(req, 'password') ?? '');
    if (!account) {
      limiter.failed(client, [target]);
      logger.warn({ client: req.ip }, 'dashboard staff login failed');
      return showLogin(req, res, 401, 'Wrong name or password.');
    }
    limiter.succeeded(client, target);
    const { id, session, evicted } = await sessions.createForStaff(account);
    setCookie(req, res, SESSION_COOKIE, id);
    setCookie(req, res, LOGIN_CSRF_COOKIE, '', 0);
    logger.info({ staff: account.name, role: account.role, ...(evicted > 0 ? { evicted } : {}) }, 'dashboard login');
    options.onLogin?.(session);
    res.redirect(303, '/');
  };

  router.post('/login', async (req, res) => {
    // With a name, it is a staff account's login; without, a shared role password's.
    const name = (field(req, 'name') ?? '').trim();
    if (name !== '' && options.staff && options.staff.size > 0) return staffLogin(req, res, name);
    const client = clientKey(req.ip);
    const roles = passwords.roles;
    const waits = new Map(roles.map((role) => [role, limiter.retryAfter(client, role)]));
    // A role whose count is over is not tried at all: its password cannot be guessed now.
    const open = roles.filter((role) => waits.get(role) === 0);
    const soonest = () => Math.min(...roles.map((role) => limiter.retryAfter(client, role)).filter((s) => s > 0));
    if (open.length === 0) return tooMany(req, res, soonest());
    if (!loginCsrf.check(cookie(req, LOGIN_CSRF_COOKIE), field(req, 'csrf'))) {
      return showLogin(req, res, 403, 'The login form expired. Please try again.');
    }
    const role = passwords.roleFor(field(req, 'password') ?? '', open);
    if (!role) {
      limiter.failed(client, open);
      logger.warn({ client: req.ip }, 'dashboard login failed');
      // With some role paused, the right password for it would have failed too: say so.
      if (open.length < roles.length) return tooMany(req, res, soonest());
      return showLogin(req, res, 401, 'Wrong password.');
    }
    limiter.succeeded(client, role);
    // A new id at every login: a session id planted before login is never promoted.
    const { id, session, evicted } = await sessions.create(role);
    setCookie(req, res, SESSION_COOKIE, id);
    setCookie(req, res, LOGIN_CSRF_COOKIE, '', 0);
    logger.info({ role, ...(evicted > 0 ? { evicted } : {}) }, 'dashboard login');
    options.onLogin?.(session);
    res.redirect(303, '/');
  });

  const requireSession: RequestHandler = async (req, res, next) => {
    const session = await sessions.find(cookie(req, SESSION_COOKIE));
    if (session && session !== 'expired') {
      bySession.set(req, session);
      return next();
    }
    if (session === 'expired') setCookie(req, res, SESSION_COOKIE, '', 0);
    if (isApi(req) || !SAFE_METHODS.has(req.method) || !isNavigation(req)) {
      return res
        .status(401)
        .set('Cache-Control', 'no-store')
        .json({ error: session === 'expired' ? 'session expired: log in again' : 'login required' });
    }
    res.redirect(303, session === 'expired' ? '/login?expired=1' : '/login');
  };

  const requireCsrf: RequestHandler = (req, res, next) => {
    if (SAFE_METHODS.has(req.method)) return next();
    const session = bySession.get(req);
    if (session && sameToken(req.get('x-csrf-token') ?? field(req, 'csrf'), session.csrf)) return next();
    res.status(403).json({ error: 'missing or wrong CSRF token' });
  };

  router.post('/logout', requireSession, requireCsrf, async (req, res) => {
    await sessions.destroy(bySession.get(req)!);
    setCookie(req, res, SESSION_COOKIE, '', 0);
    res.redirect(303, '/login');
  });

  return {
    router,
    requireSession,
    requireCsrf,
    sessionOf: (req) => {
      const session = bySession.get(req);
      if (!session) throw new Error('no session on this request: is the route behind requireSession?');
      return session;
    },
  };
}

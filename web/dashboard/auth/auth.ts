// Login, logout and the guard in front of every other dashboard route. Sessions are random ids
// in an HttpOnly, SameSite=Strict cookie (Secure over HTTPS); forms carry a CSRF token: the
// login form a double-submit cookie, everything after login the session's own token.
import { Router, type Request, type RequestHandler, type Response } from 'express';
import type { Logger } from '../../../core/logging.js';
import { parseCookies, serializeCookie } from './cookies.js';
import type { LoginLimiter } from './login-limiter.js';
import { LOGIN_CSS, loginPage } from './login-page.js';
import { sameToken, type Passwords } from './passwords.js';
import { randomToken, type Session, type SessionStore } from './sessions.js';

export const SESSION_COOKIE = 'coagent_session';
export const LOGIN_CSRF_COOKIE = 'coagent_login';
const LOGIN_FORM_SECONDS = 3600;

export interface AuthOptions {
  passwords: Passwords;
  sessions: SessionStore;
  limiter: LoginLimiter;
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
const TOKEN = /^[A-Za-z0-9_-]{43}$/;
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
const field = (req: Request, name: string): string | undefined => {
  const value = (req.body as Record<string, unknown> | undefined)?.[name];
  return typeof value === 'string' ? value : undefined;
};

export function createAuth(options: AuthOptions): Auth {
  const { passwords, sessions, limiter, logger } = options;
  const bySession = new WeakMap<Request, Session>();
  const sessionCookie = (req: Request, value: string, maxAge?: number) =>
    serializeCookie(SESSION_COOKIE, value, { path: '/', secure: req.secure, ...(maxAge === undefined ? {} : { maxAge }) });

  /**
   * The login form with its double-submit token: the one the browser already holds, if any, so
   * a request made beside the form (the browser's own /favicon.ico, a second tab) cannot
   * replace the cookie and make the form's token stale.
   */
  const showLogin = (req: Request, res: Response, status: number, message?: string) => {
    const held = parseCookies(req.headers.cookie).get(LOGIN_CSRF_COOKIE);
    const csrf = held && TOKEN.test(held) ? held : randomToken();
    res.append('Set-Cookie', serializeCookie(LOGIN_CSRF_COOKIE, csrf, { path: '/login', maxAge: LOGIN_FORM_SECONDS, secure: req.secure }));
    res.status(status).set('Cache-Control', 'no-store').type('html').send(loginPage({ csrf, message }));
  };
  const liveSession = (req: Request): Session | 'expired' | undefined =>
    sessions.touch(parseCookies(req.headers.cookie).get(SESSION_COOKIE));

  const router = Router();
  // Browsers ask for it on their own, logged in or not; there is none.
  router.get('/favicon.ico', (_req, res) => {
    res.status(204).end();
  });
  router.get('/login.css', (_req, res) => {
    res.type('css').set('Cache-Control', 'public, max-age=3600').send(LOGIN_CSS);
  });
  router.get('/login', (req, res) => {
    const current = liveSession(req);
    if (current && current !== 'expired') return res.redirect(303, '/');
    showLogin(req, res, 200, req.query.expired === '1' || current === 'expired' ? 'Your session expired. Please log in again.' : undefined);
  });
  router.post('/login', (req, res) => {
    const client = req.ip ?? 'unknown';
    const wait = limiter.retryAfter(client);
    if (wait > 0) {
      res.set('Retry-After', String(wait));
      return showLogin(req, res, 429, `Too many failed attempts. Try again in ${wait} seconds.`);
    }
    if (!sameToken(field(req, 'csrf'), parseCookies(req.headers.cookie).get(LOGIN_CSRF_COOKIE))) {
      return showLogin(req, res, 403, 'The login form expired. Please try again.');
    }
    const role = passwords.roleFor(field(req, 'password') ?? '');
    if (!role) {
      limiter.failed(client);
      logger.warn({ client }, 'dashboard login failed');
      return showLogin(req, res, 401, 'Wrong password.');
    }
    limiter.succeeded(client);
    // A new id at every login: a session id planted before login is never promoted.
    const session = sessions.create(role);
    res.append('Set-Cookie', sessionCookie(req, session.id));
    res.append('Set-Cookie', serializeCookie(LOGIN_CSRF_COOKIE, '', { path: '/login', maxAge: 0, secure: req.secure }));
    logger.info({ role }, 'dashboard login');
    options.onLogin?.(session);
    res.redirect(303, '/');
  });

  const requireSession: RequestHandler = (req, res, next) => {
    const session = liveSession(req);
    if (session && session !== 'expired') {
      bySession.set(req, session);
      return next();
    }
    if (session === 'expired') res.append('Set-Cookie', sessionCookie(req, '', 0));
    if (isApi(req) || !SAFE_METHODS.has(req.method) || !isNavigation(req)) {
      return res.status(401).set('Cache-Control', 'no-store')
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

  router.post('/logout', requireSession, requireCsrf, (req, res) => {
    sessions.destroy(bySession.get(req)!.id);
    res.append('Set-Cookie', sessionCookie(req, '', 0));
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

// Headers on every response of the HTTP server (dashboard, /healthz, webhooks, errors):
// scripts, styles and everything else only from this origin (no inline scripts: the pages
// load their JS from files), never inside a frame, no content-type guessing, no referrer
// leaking problem URLs. And nothing is cached unless a route says it may be (static files
// do): API answers, exports and errors are private and current.
import type { RequestHandler } from 'express';

export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "img-src 'self' data:",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

export const securityHeaders: RequestHandler = (_req, res, next) => {
  res.set({
    'Content-Security-Policy': CONTENT_SECURITY_POLICY,
    'X-Content-Type-Options': 'nosniff',
    'X-Frame-Options': 'DENY',
    'Referrer-Policy': 'no-referrer',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cache-Control': 'no-store',
  });
  next();
};

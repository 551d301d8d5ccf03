// No input a client sends makes the dashboard answer 500: every Object.prototype name and a
// set of awkward strings as a path segment under every route, as a query key and value, with
// and without a session, by GET, HEAD and POST (with the session's CSRF token, so the request
// reaches the routes behind the guard).
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, openDashboardServer, type DashboardServer } from './dashboard-server.js';
import { Guesser } from './login-guesser.js';

const AWKWARD = [
  ...Object.getOwnPropertyNames(Object.prototype),
  ...Object.getOwnPropertyNames(Function.prototype),
  ...Object.getOwnPropertyNames(Array.prototype),
  'prototype',
  'then',
  '',
  '.',
  '..',
  '%2e%2e',
  '%2e',
  '..%2f..%2fpackage.json',
  '%2F',
  '%5C',
  '%00',
  '%',
  '%ZZ',
  '%E0%A4%A',
  '%C0%AE',
  '%F0%9F%92%A9',
  '%E2%80%AE',
  '%EF%BF%BF',
  '%ED%A0%80',
  'null',
  'undefined',
  'NaN',
  'Infinity',
  '-1',
  '0',
  '1.5',
  '1e400',
  '99999999999999999999999',
  '0x10',
  '[]',
  '{}',
  '%5B%5D',
  ';',
  ',',
  '~',
  '*',
  '$',
  "'",
  '%22',
  '%3Cscript%3E',
  'a'.repeat(4000),
  'chart.umd.min.js',
  'dashboard.css',
  'problems.csv',
];
const UNIQUE = [...new Set(AWKWARD)];
const encoded = (segment: string) => (/%/.test(segment) ? segment : encodeURIComponent(segment));
const PREFIXES = [
  '',
  'vendor/',
  'assets/',
  'assets/js/',
  'assets/js/pages/',
  'api/',
  'api/problems/',
  'export/',
  'problems/',
  'login/',
  'logout/',
  'dashboard/',
];

describe('the dashboard under odd paths and parameters', () => {
  let d: DashboardServer;
  let admin: Guesser;
  let anonymous: Guesser;
  let csrf: string;
  const statuses = new Map<number, number>();
  const failures: string[] = [];

  const check = async (who: Guesser, method: string, path: string, headers: Record<string, string> = {}) => {
    const answer = await who.request(method, path, { headers, ...(method === 'POST' ? { body: 'x=1' } : {}) });
    statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
    if (answer.status >= 500) failures.push(`${method} ${path.slice(0, 80)} -> ${answer.status} ${answer.body.slice(0, 80)}`);
  };

  beforeAll(async () => {
    d = await openDashboardServer();
    await d.start();
    admin = new Guesser(d.base);
    expect((await admin.login(ADMIN_PASSWORD)).status).toBe(303);
    const page = await admin.request('GET', '/', { headers: { accept: 'text/html', 'sec-fetch-mode': 'navigate' } });
    csrf = /name="csrf" value="([^"]+)"/.exec(page.body)?.[1] ?? '';
    expect(csrf).not.toBe('');
    anonymous = new Guesser(d.base);
  });
  beforeEach(() => {
    failures.length = 0;
  });
  afterAll(async () => {
    admin.close();
    anonymous.close();
    await d.close();
  });

  it('never answers 5xx to a path segment', async () => {
    for (const prefix of PREFIXES) {
      for (const segment of UNIQUE) {
        const path = `/${prefix}${encoded(segment)}`;
        await check(admin, 'GET', path);
        await check(admin, 'HEAD', path);
        await check(admin, 'POST', path, { 'x-csrf-token': csrf });
        await check(anonymous, 'GET', path, { accept: 'text/html', 'sec-fetch-mode': 'navigate' });
        await check(anonymous, 'POST', path);
      }
    }
    expect(failures).toEqual([]);
    // The requests reached the routes: pages and files were served, unknown ones refused.
    expect(statuses.get(200)).toBeGreaterThan(0);
    expect(statuses.get(404)).toBeGreaterThan(0);
  });

  it('never answers 5xx to a query key or value', async () => {
    for (const route of ['/api/overview', '/api/problems', '/api/problems/1', '/api/network', '/export/problems.csv', '/', '/problems', '/login']) {
      for (const segment of UNIQUE) {
        const value = encoded(segment);
        await check(admin, 'GET', `${route}?${value}=1`);
        await check(admin, 'GET', `${route}?period=${value}`);
        await check(admin, 'GET', `${route}?from=${value}&to=${value}`);
        await check(admin, 'GET', `${route}?period=4w&period=${value}`);
      }
    }
    expect(failures).toEqual([]);
    expect(statuses.get(400)).toBeGreaterThan(0);
  });

  it('never answers 5xx to odd login forms', async () => {
    for (const segment of UNIQUE) {
      const value = encoded(segment);
      for (const body of [`password=${value}`, `csrf=${value}&password=x`, `${value}=1`, `csrf=${value}&csrf=${value}&password=${value}&password=x`]) {
        const answer = await anonymous.request('POST', '/login', { body });
        if (answer.status >= 500) failures.push(`POST /login ${body.slice(0, 60)} -> ${answer.status}`);
      }
    }
    expect(failures).toEqual([]);
  });
});

// CSV exports over real HTTP: RFC 4180 quoting, the spreadsheet-formula guard, opted-out
// members anonymised, the text for the admin only, and long exports read page by page.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loginToDashboard } from '../../scripts/bench/dashboard-client.js';
import { memberId } from '../../core/types.js';
import { OPTED_OUT_LABEL } from '../../web/dashboard/api-types.js';
import { buildDashboardHistory, FORMULA_NAME, NOW, P2_TEXT, XSS_NAME, type DashboardHistory } from './dashboard-history.js';
import { ADMIN_PASSWORD, openDashboardServer, VIEWER_PASSWORD, type DashboardServer } from './dashboard-server.js';

/** A strict RFC 4180 reader: CRLF rows, quoted fields with doubled quotes. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let i = 0;
  while (i < text.length) {
    let value = '';
    if (text[i] === '"') {
      i += 1;
      for (;;) {
        const q = text.indexOf('"', i);
        if (q < 0) throw new Error('unterminated quoted field');
        value += text.slice(i, q);
        if (text[q + 1] === '"') {
          value += '"';
          i = q + 2;
        } else {
          i = q + 1;
          break;
        }
      }
    } else {
      const end = text.slice(i).search(/,|\r\n/);
      value = end < 0 ? text.slice(i) : text.slice(i, i + end);
      if (/["\n\r]/.test(value)) throw new Error(`unquoted field with a quote or line break: ${value}`);
      i += value.length;
    }
    row.push(value);
    if (text.startsWith('\r\n', i)) {
      rows.push(row);
      row = [];
      i += 2;
    } else if (text[i] === ',') i += 1;
    else if (i < text.length) throw new Error(`unexpected character at ${i}`);
  }
  if (row.length > 0) rows.push(row);
  return rows;
}

describe('dashboard CSV export', () => {
  let d: DashboardServer;
  let h: DashboardHistory;
  let admin: string;
  let viewer: string;
  const csv = async (url: string, cookie: string) => {
    const res = await fetch(`${d.base}${url}`, { headers: { cookie } });
    expect(res.status, url).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="(problems|interactions)-\d{4}-\d{2}-\d{2}-\d{4}-\d{2}-\d{2}\.csv"$/);
    const text = await res.text();
    expect(text.endsWith('\r\n')).toBe(true);
    return parseCsv(text);
  };

  beforeAll(async () => {
    d = await openDashboardServer();
    h = await buildDashboardHistory(d.store);
    await d.start({}, () => NOW);
    admin = (await loginToDashboard(d.base, ADMIN_PASSWORD)).cookie;
    viewer = (await loginToDashboard(d.base, VIEWER_PASSWORD)).cookie;
  });
  afterAll(async () => d.close());

  it('problems.csv: quoted as RFC 4180 says, formulas defused, opted-out responders anonymised, text for the admin', async () => {
    const [header, ...rows] = await csv('/export/problems.csv?period=4w', admin);
    expect(header).toEqual([
      'id',
      'created_at',
      'platform',
      'status',
      'tags',
      'originator',
      'solved_at',
      'time_to_first_response_ms',
      'responders',
      'title',
      'text',
    ]);
    expect(rows.map((r) => r[0])).toEqual([String(h.p1), String(h.p2), String(h.p4)]);
    const p2 = rows[1]!;
    // The text begins with "=": a spreadsheet would run it, so it starts with a quote mark; its
    // quotes, comma and line break survive the round trip.
    expect(p2[10]).toBe(`'${P2_TEXT}`);
    expect(p2[9]).toBe(`'${P2_TEXT.split('\n')[0]}`);
    expect(p2[8]).toBe(`${XSS_NAME}; ${OPTED_OUT_LABEL}`);
    expect(p2.slice(0, 8)).toEqual([String(h.p2), '2025-03-05T08:00:00.000Z', 'discourse', 'answered', 'hiring', 'Ben', '', String(4 * 3_600_000)]);
    expect(rows[0]![6]).toBe('2025-03-04T09:00:00.000Z');
    expect(JSON.stringify(rows)).not.toContain('Dee');
  });

  it('problems.csv for a viewer: no text column, titles by number only', async () => {
    const [header, ...rows] = await csv('/export/problems.csv?period=4w', viewer);
    expect(header).not.toContain('text');
    expect(rows.map((r) => r[9])).toEqual([`Problem #${h.p1}`, `Problem #${h.p2}`, `Problem #${h.p4}`]);
    expect(JSON.stringify(rows)).not.toContain('HYPERLINK');
  });

  it('interactions.csv: every interaction of the period in time order, the opted-out member anonymised', async () => {
    const [header, ...rows] = await csv('/export/interactions.csv?period=4w', admin);
    expect(header).toEqual(['id', 'occurred_at', 'platform', 'kind', 'mediated', 'from', 'to', 'problem_id']);
    expect(rows.map((r) => [r[1], r[3], r[4], r[5], r[6]])).toEqual([
      ['2025-03-03T10:30:00.000Z', 'answer', 'true', 'Ben', 'Ada'],
      ['2025-03-05T12:00:00.000Z', 'answer', 'false', XSS_NAME, 'Ben'],
      ['2025-03-06T09:00:00.000Z', 'reply', 'false', 'Ada', 'Ben'],
      // "@Cy" would be a formula in a spreadsheet.
      ['2025-03-07T10:00:00.000Z', 'mention', 'false', `'${FORMULA_NAME}`, OPTED_OUT_LABEL],
      ['2025-03-08T10:00:00.000Z', 'reply', 'false', 'Ada', `'${FORMULA_NAME}`],
    ]);
    expect(rows[0]![7]).toBe(String(h.p1));
    expect(rows[2]![7]).toBe('');
  });

  it('streams a long export completely and in order, page after page', async () => {
    const start = Date.parse('2025-01-06T00:00:00Z');
    const n = 4500;
    // Out of time order on purpose: ids and times disagree.
    await d.store.bulk.addInteractions(
      Array.from({ length: n }, (_, k) => ({
        fromMemberId: memberId(h.ada),
        toMemberId: memberId(h.eve),
        kind: 'reply' as const,
        platform: 'discourse' as const,
        mediated: false,
        occurredAt: new Date(start + ((k * 7919) % n) * 1000),
      })),
    );
    const [, ...rows] = await csv('/export/interactions.csv?from=2025-01-06&to=2025-01-06', admin);
    expect(rows).toHaveLength(n);
    const times = rows.map((r) => Date.parse(r[1]!));
    expect(times.every((t, k) => k === 0 || t >= times[k - 1]!)).toBe(true);
    expect(new Set(rows.map((r) => r[0])).size).toBe(n);
  });
});

import { describe, expect, it } from 'vitest';
import { blockers, formatFinding, runDoctors, type PlatformDoctor } from './findings.js';

describe('doctor findings', () => {
  it('formats one line per finding with its level', () => {
    expect(formatFinding({ platform: 'discourse', check: 'categories', level: 'blocker', message: 'category "help" not found' })).toBe(
      'FAIL discourse/categories: category "help" not found',
    );
    expect(formatFinding({ platform: 'matrix', check: 'login', level: 'ok', message: 'logged in' })).toBe('ok   matrix/login: logged in');
  });

  it('runs every doctor, turning one that throws into a blocker without hiding the others', async () => {
    const doctors = new Map<string, PlatformDoctor>([
      ['a', () => Promise.reject(new Error('boom'))],
      ['b', () => Promise.resolve([{ platform: 'b', check: 'x', level: 'warning', message: 'w' }])],
    ]);
    const findings = await runDoctors(doctors);
    expect(findings.map((f) => `${f.platform}:${f.level}`)).toEqual(['a:blocker', 'b:warning']);
    expect(blockers(findings)).toHaveLength(1);
    expect(findings[0]!.message).toContain('boom');
  });
});

import { describe, expect, it } from 'vitest';
import { memberId } from '../types.js';
import { likelyPairs, reasonsFor, type Account } from './matching.js';
import { compactHandle, handleOf, handlesFromName, normaliseName } from './names.js';

let next = 1;
const account = (platform: Account['platform'], externalId: string, name: string, extra: Partial<Account> = {}): Account => ({
  memberId: memberId(next++),
  platform,
  externalId,
  name,
  ...extra,
});

describe('names', () => {
  it('compares names without case, accents or punctuation', () => {
    expect(normaliseName('  José  Dela-Cruz ')).toBe('jose dela cruz');
    expect(normaliseName('ŁUKASZ Ødegård')).toBe('lukasz odegard');
    expect(normaliseName('Zoë O’Brien')).toBe('zoe o brien');
    // Other scripts are compared as they are written, marks aside.
    expect(normaliseName('Андрій Шевченко')).toBe(normaliseName('андріи шевченко'));
  });

  it("reads the handle a person chose from each platform's id, without the number a platform adds", () => {
    expect(handleOf('matrix', '@andriy.shevchenko:localhost')).toBe('andriy.shevchenko');
    expect(handleOf('discourse', 'andriy_s')).toBe('andriy_s');
    expect(compactHandle('luca_r2')).toBe('lucar');
    expect(compactHandle('Andriy.Shevchenko')).toBe('andriyshevchenko');
  });

  it('knows the usernames people make from a full name, and none from a single word', () => {
    const made = handlesFromName(['andriy', 'shevchenko']);
    for (const h of ['andriyshevchenko', 'andriys', 'ashevchenko', 'shevchenkoandriy', 'shevchenkoa']) expect(made.has(h), h).toBe(true);
    expect(made.has('andriy')).toBe(false);
    expect(handlesFromName(['maricel', 'dela', 'cruz']).has('mariceld')).toBe(true);
    expect(handlesFromName(['alex']).size).toBe(0);
  });
});

describe('likely pairs', () => {
  it('matches the same full name, a username made from the name, and the same username', () => {
    const m = account('matrix', '@andriy.shevchenko:localhost', 'Andriy Shevchenko');
    expect(reasonsFor(m, account('discourse', 'andriy_s', 'Andriy Shevchenko'))).toEqual(['same-name', 'username-from-name']);
    expect(reasonsFor(m, account('discourse', 'asorokin', 'Andriy S.'))).toEqual([]);
    expect(reasonsFor(account('matrix', '@ksenia:example.org', 'K'), account('discourse', 'ksenia', 'ksenia'))).toEqual(['same-username']);
    expect(reasonsFor(account('matrix', '@jsmith:example.org', 'Jo'), account('discourse', 'john_h', 'John Smith'))).toEqual(['username-from-name']);
  });

  it('does not match on a single first name or a short handle', () => {
    expect(reasonsFor(account('matrix', '@al:example.org', 'Alex'), account('discourse', 'al', 'Alex'))).toEqual([]);
  });

  it('uses e-mails only when asked to', () => {
    const x = account('matrix', '@k:example.org', 'K', { emailHash: 'abc' });
    const y = account('discourse', 'zed', 'Zed', { emailHash: 'abc' });
    expect(reasonsFor(x, y)).toEqual([]);
    expect(reasonsFor(x, y, { email: true })).toEqual(['same-email']);
    expect(likelyPairs([x, y])).toEqual([]);
    expect(likelyPairs([x, y], { email: true }).map((p) => p.reasons)).toEqual([['same-email']]);
  });

  it('pairs only accounts on different platforms of different members, strongest first', () => {
    const lucaM = account('matrix', '@luca.ricci:localhost', 'Luca Ricci');
    const lucaF = account('discourse', 'luca_r', 'Luca Ricci');
    const otherLuca = account('discourse', 'luca_r2', 'Luca Ricci');
    const lucaMatrix2 = account('matrix', '@luca.r:localhost', 'Someone');
    const pairs = likelyPairs([lucaM, lucaF, otherLuca, lucaMatrix2]);
    const named = pairs.map((p) => `${p.a.externalId} ~ ${p.b.externalId}`);
    // Two forum accounts are never a pair, however alike.
    expect(named.some((n) => n.includes('luca_r ~ luca_r2') || n.includes('luca_r2 ~ luca_r'))).toBe(false);
    expect(named).toContain('@luca.ricci:localhost ~ luca_r');
    expect(named).toContain('@luca.ricci:localhost ~ luca_r2');
    expect(pairs[0]!.strength).toBeGreaterThanOrEqual(pairs.at(-1)!.strength);
    // Each pair once, whichever way round.
    expect(new Set(named).size).toBe(named.length);
  });

  it('leaves out a member who already has an account on the other platform', () => {
    const lucaM = account('matrix', '@luca.ricci:localhost', 'Luca Ricci');
    const lucaF = { ...account('discourse', 'luca_r', 'Luca Ricci'), memberId: lucaM.memberId };
    const otherLuca = account('discourse', 'luca_r2', 'Luca Ricci');
    expect(likelyPairs([lucaM, lucaF, otherLuca])).toEqual([]);
  });
});

import { describe, expect, it } from 'vitest';
import { hashPassword, parseStaff, StaffDirectory, verifyPassword } from './staff.js';

// A cheap cost keeps the test quick; the cost travels inside the hash.
const CHEAP = { log2N: 10, r: 8, p: 1 };

describe('staff accounts', () => {
  it('hashes with scrypt and a fresh salt, and verifies only the right password', async () => {
    const [a, b] = [await hashPassword('correct horse', CHEAP), await hashPassword('correct horse', CHEAP)];
    expect(a).toMatch(/^scrypt\$10\$8\$1\$[\w-]{22}\$[\w-]{43}$/);
    expect(a).not.toBe(b);
    await expect(verifyPassword('correct horse', a)).resolves.toBe(true);
    await expect(verifyPassword('correct horsf', a)).resolves.toBe(false);
    await expect(verifyPassword('correct horse', 'plain-text')).resolves.toBe(false);
  });

  it('reads DASHBOARD_STAFF and refuses malformed entries without echoing the hash', async () => {
    const hash = await hashPassword('pw for marie', CHEAP);
    expect(parseStaff(`marie:concierge:${hash}, vera:viewer:${hash}`)).toEqual([
      { name: 'marie', role: 'concierge', hash },
      { name: 'vera', role: 'viewer', hash },
    ]);
    expect(parseStaff(undefined)).toEqual([]);
    expect(() => parseStaff(`marie:owner:${hash}`)).toThrow('the role must be one of admin, concierge, viewer');
    expect(() => parseStaff('marie:admin:secret123')).toThrow('password hash must come from `npm run staff-password`');
    expect(() => parseStaff(`marie:admin:${hash},Marie:viewer:${hash}`)).toThrow('Marie is listed twice');
    const thrown = (() => {
      try {
        parseStaff(`bad name:admin:${hash}`);
        return null;
      } catch (error) {
        return String(error);
      }
    })();
    expect(thrown).toContain('entry 1: the name must be');
    expect(thrown).not.toContain(hash);
  });

  it('finds an account by name in any case, and refuses a wrong password or an unknown name', async () => {
    const directory = new StaffDirectory([{ name: 'Marie', role: 'admin', hash: await hashPassword('pw for marie', CHEAP) }]);
    await expect(directory.verify('marie', 'pw for marie')).resolves.toMatchObject({ name: 'Marie', role: 'admin' });
    await expect(directory.verify('Marie', 'wrong')).resolves.toBeNull();
    await expect(directory.verify('nobody', 'pw for marie')).resolves.toBeNull();
  });
});

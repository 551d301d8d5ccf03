// Named staff accounts, so what is done on the console is recorded under a person's name rather
// than a shared password. Accounts come from the environment (DASHBOARD_STAFF), one per entry
// "name:role:hash", entries separated by commas or new lines; the hash is scrypt from Node's
// crypto (`npm run staff-password` makes one), so neither the environment nor a log holds a
// password. Roles: admin and concierge act on the console, viewer only reads.
import { randomBytes, scrypt as scryptCallback, timingSafeEqual, type ScryptOptions } from 'node:crypto';

export const STAFF_ROLES = ['admin', 'concierge', 'viewer'] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];

export interface StaffAccount {
  name: string;
  role: StaffRole;
  /** scrypt$<log2 N>$<r>$<p>$<salt>$<key>, base64url. */
  hash: string;
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$/;
const HASH = /^scrypt\$(\d{1,2})\$(\d{1,2})\$(\d{1,2})\$([A-Za-z0-9_-]{16,})\$([A-Za-z0-9_-]{32,})$/;
/** 2^15 x 8 x 1: about 32 MB and a few tens of ms a login, OWASP's floor for scrypt. */
const DEFAULT_COST = { log2N: 15, r: 8, p: 1 };
const KEY_BYTES = 32;

const scrypt = (password: string, salt: Buffer, length: number, options: ScryptOptions): Promise<Buffer> =>
  new Promise((resolve, reject) => scryptCallback(password, salt, length, options, (error, key) => (error ? reject(error) : resolve(key))));
const maxmem = (N: number, r: number) => 256 * N * r;

export async function hashPassword(password: string, cost = DEFAULT_COST): Promise<string> {
  const salt = randomBytes(16);
  const N = 2 ** cost.log2N;
  const key = await scrypt(password, salt, KEY_BYTES, { N, r: cost.r, p: cost.p, maxmem: maxmem(N, cost.r) });
  return `scrypt$${cost.log2N}$${cost.r}$${cost.p}$${salt.toString('base64url')}$${key.toString('base64url')}`;
}

export async function verifyPassword(password: string, hash: string): Promise<boolean> {
  const m = HASH.exec(hash);
  if (!m) return false;
  const [log2N, r, p] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const expected = Buffer.from(m[5]!, 'base64url');
  const N = 2 ** log2N;
  const key = await scrypt(password, Buffer.from(m[4]!, 'base64url'), expected.length, { N, r, p, maxmem: maxmem(N, r) });
  return timingSafeEqual(key, expected);
}

/** The accounts in DASHBOARD_STAFF; throws with the entry's position (never its hash) when one is malformed. */
export function parseStaff(value: string | undefined): StaffAccount[] {
  if (!value?.trim()) return [];
  const accounts: StaffAccount[] = [];
  value
    .split(/[,\n]/)
    .map((e) => e.trim())
    .filter(Boolean)
    .forEach((entry, i) => {
      const [name = '', role = '', ...rest] = entry.split(':');
      const hash = rest.join(':');
      if (!NAME.test(name)) throw new Error(`DASHBOARD_STAFF entry ${i + 1}: the name must be 1-32 letters, digits, ".", "_" or "-"`);
      if (!(STAFF_ROLES as readonly string[]).includes(role))
        throw new Error(`DASHBOARD_STAFF entry ${i + 1} (${name}): the role must be one of ${STAFF_ROLES.join(', ')}`);
      if (!HASH.test(hash)) throw new Error(`DASHBOARD_STAFF entry ${i + 1} (${name}): the password hash must come from \`npm run staff-password\``);
      if (accounts.some((a) => a.name.toLowerCase() === name.toLowerCase())) throw new Error(`DASHBOARD_STAFF entry ${i + 1}: ${name} is listed twice`);
      accounts.push({ name, role: role as StaffRole, hash });
    });
  return accounts;
}

export class StaffDirectory {
  readonly #byName: ReadonlyMap<string, StaffAccount>;
  /** Compared against for unknown names, so a wrong name costs what a wrong password does. */
  readonly #decoy: Promise<string>;

  constructor(readonly accounts: readonly StaffAccount[]) {
    this.#byName = new Map(accounts.map((a) => [a.name.toLowerCase(), a]));
    this.#decoy = accounts[0] ? Promise.resolve(accounts[0].hash) : hashPassword(randomBytes(16).toString('hex'));
  }

  get size(): number {
    return this.#byName.size;
  }

  /** The account, when the name (any case) and password match. */
  async verify(name: string, password: string): Promise<StaffAccount | null> {
    const account = this.#byName.get(name.toLowerCase());
    const ok = await verifyPassword(password, account?.hash ?? (await this.#decoy));
    return account && ok ? account : null;
  }

  find(name: string): StaffAccount | undefined {
    return this.#byName.get(name.toLowerCase());
  }
}

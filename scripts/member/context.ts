// What every `npm run member` subcommand gets: the store, where to print, who is acting, and how
// to read the member or account a person typed.
import type { IdentitySettings } from '../../core/identity/settings.js';
import type { IdentityRef, Member, Store } from '../../core/store/index.js';
import { memberId } from '../../core/types.js';

export interface CliContext {
  store: Store;
  /** Results, to standard output. */
  out(line: string): void;
  /** Refusals and mistakes, to standard error. */
  err(line: string): void;
  /** Who runs the command, recorded with merges and splits. */
  by: string;
  identity: IdentitySettings;
}

/** A subcommand: its words after the subcommand's name, and the exit code it ends with. */
export interface Subcommand {
  usage: string;
  run(ctx: CliContext, args: readonly string[], flags: ReadonlyMap<string, string>): Promise<number>;
}

export class UsageError extends Error {}

/**
 * How a person names a member: its id (`12` or `#12`), a Matrix id (`@ana:example.org`), a
 * forum username (`ana_k`), or either with its platform (`matrix:@ana:example.org`, `discourse:ana_k`).
 */
export function accountRef(text: string): IdentityRef | null {
  const typed = /^(matrix|discourse|forum):(.+)$/i.exec(text);
  if (typed)
    return typed[1]!.toLowerCase() === 'matrix'
      ? { platform: 'matrix', externalId: typed[2]! }
      : { platform: 'discourse', externalId: typed[2]!.toLowerCase() };
  if (text.startsWith('@') && text.includes(':')) return { platform: 'matrix', externalId: text };
  if (/^#?\d+$/.test(text)) return null;
  return { platform: 'discourse', externalId: text.replace(/^@/, '').toLowerCase() };
}

/** The member a reference names, or a sentence saying why there is none. */
export async function resolveMember(ctx: CliContext, text: string): Promise<Member | string> {
  const account = accountRef(text);
  if (!account) {
    const id = Number(text.replace(/^#/, ''));
    return (await ctx.store.members.get(memberId(id))) ?? `no member #${id}`;
  }
  return (await ctx.store.members.findByIdentity(account)) ?? `no ${account.platform} account ${account.externalId}`;
}

/** "#3 Ana Kowalska (matrix @ana:example.org, discourse ana_k)". */
export const describeMember = (m: Member): string => `#${m.id} ${m.displayName} (${m.identities.map((i) => `${i.platform} ${i.externalId}`).join(', ')})`;

export const when = (d: Date): string => `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`;

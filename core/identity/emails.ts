// E-mail matching, only with `identity.matchByEmail` on and where a platform gives e-mails to the
// bot (a forum admin key). Addresses are never stored: each is hashed at once, and only the hash
// is kept and compared. Switching the setting off forgets every hash.
import { createHash } from 'node:crypto';
import type { ConciergeContext } from '../concierge/context.js';
import type { Platform, Result } from '../types.js';
import { identitySettings } from './settings.js';

/** A platform's way to read an account's e-mail (the Discourse bridge with an admin key). */
export interface EmailDirectory {
  readonly platform: Platform;
  /** The account's confirmed primary e-mail, null when it has none; an error when the platform refuses. */
  emailOf(externalId: string): Promise<Result<string | null, { message: string; permanent: boolean }>>;
}

/** The form an e-mail is kept in: a hash of the trimmed, lower-cased address. */
export const emailHash = (email: string): string => createHash('sha256').update(`co-agent e-mail\u0000${email.trim().toLowerCase()}`).digest('hex');

/** Directories that refused for good (no admin key): not asked again by this process. */
const refused = new WeakSet<EmailDirectory>();

/** One scheduled round: hash the e-mails of a few accounts not asked yet, or forget them all when matching is off. */
export async function collectEmailHashes(ctx: ConciergeContext, now: Date): Promise<number> {
  const settings = identitySettings(ctx.settings);
  if (!settings.matchByEmail) {
    await ctx.store.identities.clearEmailHashes();
    return 0;
  }
  let checked = 0;
  for (const directory of ctx.emailDirectories ?? []) {
    if (refused.has(directory)) continue;
    for (const account of await ctx.store.identities.withoutEmailCheck(directory.platform, settings.emailChecksPerRound)) {
      const found = await directory.emailOf(account.externalId);
      if (!found.ok) {
        if (found.error.permanent) {
          refused.add(directory);
          ctx.logger.warn(
            { platform: directory.platform, error: found.error.message },
            'the platform does not give e-mails to the bot; matching by e-mail is off for it',
          );
        }
        break;
      }
      await ctx.store.identities.setEmailHash(account, found.value ? emailHash(found.value) : null, now);
      checked += 1;
    }
  }
  return checked;
}

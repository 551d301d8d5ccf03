// The forum's side of e-mail matching: with an admin API key the bot may read an account's e-mail
// (Discourse logs each look-up as a staff action). Used only with `identity.matchByEmail` on;
// core hashes the address at once and never stores it.
import type { EmailDirectory } from '../../core/identity/emails.js';
import { err, ok } from '../../core/types.js';
import { DiscourseApiError, type DiscourseClient } from './api/index.js';

export function forumEmailDirectory(client: DiscourseClient): EmailDirectory {
  return {
    platform: 'discourse',
    async emailOf(username) {
      try {
        const { email } = await client.userEmails(username);
        return ok(email.trim() === '' ? null : email);
      } catch (error) {
        if (error instanceof DiscourseApiError && error.status === 404) return ok(null);
        // 403: the key is not an admin's; no other account will give its e-mail either.
        const permanent = error instanceof DiscourseApiError && (error.status === 403 || error.status === 401);
        return err({ message: error instanceof Error ? error.message : String(error), permanent });
      }
    },
  };
}

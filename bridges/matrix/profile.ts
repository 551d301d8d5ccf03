// Matrix as core sees it: threads, direct rooms, any reaction, no tags; accounts are user ids
// (`@name:server`), compared exactly.
import type { PlatformProfile } from '../../core/platforms.js';

/** How concierge.admins names a Matrix account: the whole user id. */
const ADMIN_ID = /^@[^:\s]+:\S+$/;

export const matrixProfile: PlatformProfile = {
  id: 'matrix',
  name: 'Matrix',
  place: 'the chat',
  capabilities: { threads: true, directMessages: true, reactions: 'any', tags: false, minDirectMessageChars: 0 },
  claims: (account) => ADMIN_ID.test(account),
  normalize: (account) => account,
  handle: (externalId) => externalId.replace(/^@/, '').replace(/:.*$/, ''),
  link: {
    argument: '<user id>',
    // User ids start with "@", written or not.
    parse: (word) => {
      const bare = word.replace(/^@/, '');
      return bare ? `@${bare}` : null;
    },
  },
};

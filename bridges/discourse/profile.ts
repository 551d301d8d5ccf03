// Discourse as core sees it: topics (no threads inside them), private messages (10 characters at
// least on a stock forum), likes as the only reaction, tags; accounts are usernames, which the
// forum compares case-insensitively and people may write with an "@".
import type { PlatformProfile } from '../../core/platforms.js';

const username = (account: string): string => account.replace(/^@/, '');

export const discourseProfile: PlatformProfile = {
  id: 'discourse',
  name: 'the forum',
  place: 'the forum',
  capabilities: { threads: false, directMessages: true, reactions: 'likes', tags: true, minDirectMessageChars: 10 },
  // A username never has a colon (a Matrix id always does).
  claims: (account) => !account.includes(':'),
  normalize: (account) => username(account).toLowerCase(),
  handle: (externalId) => externalId,
  link: {
    argument: '<username>',
    help: 'link your forum account',
    parse: (word) => username(word) || null,
  },
};

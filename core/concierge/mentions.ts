// Removes the ways a message can address the bot ("@coagent", "Co-Agent:", its full id), so
// what remains is the request itself.
import type { ActorRef } from '../inbound.js';

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export function stripBotMention(text: string, bot: ActorRef): string {
  const localpart = bot.externalId.replace(/^@/, '').split(':')[0] ?? '';
  const names = [bot.externalId, `@${localpart}`, bot.displayName ?? '', localpart]
    .filter((n) => n.length > 1)
    .sort((a, b) => b.length - a.length)
    .map(escape);
  // A name counts only as a whole word (not the start of an e-mail address), optionally followed
  // by ":" or "," as clients write it.
  const pattern = new RegExp(`(^|[\\s(])(?:${names.join('|')})(?![\\w@-])[:,]?`, 'gi');
  return text
    .replace(pattern, '$1')
    .replace(/[ \t]{2,}/g, ' ')
    .trim();
}

export const wordCount = (text: string): number => text.split(/\s+/).filter(Boolean).length;

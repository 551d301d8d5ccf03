// What the bot says, independent of how a platform formats it: the core writes rich text with
// mentions and links as parts, and each bridge renders them (Matrix pills and HTML, forum
// Markdown with @username).
import type { ActorRef } from '../inbound.js';

export type Segment = string | { mention: ActorRef; name: string } | { link: string; label: string } | { bold: string } | { code: string };

/** Lines of segments; a bridge joins lines with its own line break. */
export type RichText = Segment[][];

/** Plain text of rich text, as a fallback body or for logs and tests. */
export function plainText(text: RichText): string {
  return text.map((line) => line.map(plainSegment).join('')).join('\n');
}

function plainSegment(s: Segment): string {
  if (typeof s === 'string') return s;
  if ('mention' in s) return s.name;
  if ('link' in s) return `${s.label} (${s.link})`;
  if ('bold' in s) return s.bold;
  return s.code;
}

/** Every account a text mentions, once each. */
export function mentionedActors(text: RichText): ActorRef[] {
  const seen = new Map<string, ActorRef>();
  for (const line of text) {
    for (const s of line) {
      if (typeof s === 'object' && 'mention' in s) seen.set(`${s.mention.platform}:${s.mention.externalId}`, s.mention);
    }
  }
  return [...seen.values()];
}

// Renders the core's rich text as a Matrix message: a plain body, an HTML formatted_body with
// pills for mentions and links, and m.mentions so clients notify exactly the people named.
import type { RichText, Segment } from '../../core/concierge/rich-text.js';
import { plainText, mentionedActors } from '../../core/concierge/rich-text.js';

export interface MatrixMessageContent {
  msgtype: 'm.notice' | 'm.text';
  body: string;
  format: 'org.matrix.custom.html';
  formatted_body: string;
  'm.mentions': { user_ids: string[] };
  [key: string]: unknown;
}

/** matrix.to link to a user: what a pill points at. */
export const permalinkForUser = (userId: string): string => `https://matrix.to/#/${encodeURIComponent(userId)}`;

const escapeHtml = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');

function htmlSegment(s: Segment): string {
  if (typeof s === 'string') return escapeHtml(s);
  if ('mention' in s) return `<a href="${escapeHtml(permalinkForUser(s.mention.externalId))}">${escapeHtml(s.name)}</a>`;
  if ('link' in s) return /^https?:\/\//i.test(s.link) ? `<a href="${escapeHtml(s.link)}">${escapeHtml(s.label)}</a>` : escapeHtml(s.label);
  if ('bold' in s) return `<strong>${escapeHtml(s.bold)}</strong>`;
  return `<code>${escapeHtml(s.code)}</code>`;
}

/** Bots send m.notice, which clients and other bots know not to answer automatically. */
export function renderMessage(text: RichText, msgtype: 'm.notice' | 'm.text' = 'm.notice'): MatrixMessageContent {
  return {
    msgtype,
    body: plainText(text),
    format: 'org.matrix.custom.html',
    formatted_body: text.map((line) => line.map(htmlSegment).join('')).join('<br>'),
    'm.mentions': {
      user_ids: mentionedActors(text)
        .filter((a) => a.platform === 'matrix')
        .map((a) => a.externalId),
    },
  };
}

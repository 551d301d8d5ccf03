// Renders the core's rich text as Discourse Markdown: @username mentions, [links](url), bold and
// code. Plain text is escaped so a member's name or a topic title cannot inject markup.
import type { RichText, Segment } from '../../core/concierge/rich-text.js';

const escapeMarkdown = (s: string): string => s.replace(/([\\`*_[\]<>#|~])/g, '\\$1').replace(/@(?=\w)/g, '@\u200b');

function segment(s: Segment): string {
  if (typeof s === 'string') return escapeMarkdown(s);
  if ('mention' in s) return s.mention.platform === 'discourse' ? `@${s.mention.externalId}` : `**${escapeMarkdown(s.name)}**`;
  if ('link' in s)
    return /^https?:\/\//i.test(s.link)
      ? `[${escapeMarkdown(s.label)}](${s.link.replace(/[()\s]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`)})`
      : escapeMarkdown(s.label);
  if ('bold' in s) return `**${escapeMarkdown(s.bold)}**`;
  return `\`${s.code.replace(/`/g, "'")}\``;
}

/** One paragraph per line, so every client shows the line breaks. */
export function renderMarkdown(text: RichText): string {
  return text.map((line) => line.map(segment).join('')).join('\n\n');
}

// Matrix plain-text reply fallback: "> <@user:server> quoted" lines, then a blank line.

/** `s` without the quoted parent message a Matrix reply starts with, if it has one. */
export function stripPlainReplyFallback(s: string): string {
  if (!s.startsWith('> <@') && !s.startsWith('> * <@')) return s;
  let i = 0;
  while (i < s.length && s[i] === '>') {
    const nl = s.indexOf('\n', i);
    if (nl === -1) return '';
    i = nl + 1;
  }
  if (s[i] === '\n') i++;
  return s.slice(i);
}

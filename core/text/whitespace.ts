// Invisible characters and runs of whitespace: the last step of every cleaning pass.

// Whitespace classes for normalizeWhitespace: 0 text, 1 horizontal space or control character,
// 2 newline, 3 invisible (zero-width and bidi controls: no meaning, but they split words for the
// tokenizer). U+200D (zero-width joiner) counts as text: it glues emoji sequences together.
export function charClass(c: number): number {
  if (c > 32 && c < 127) return 0;
  if (c === 10) return 2;
  if (c <= 32 || (c >= 0x7f && c <= 0x9f)) return 1;
  if (c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x202f || c === 0x205f || c === 0x3000) return 1;
  if (
    c === 0xad ||
    c === 0x200b ||
    c === 0x200c ||
    c === 0x200e ||
    c === 0x200f ||
    (c >= 0x202a && c <= 0x202e) ||
    (c >= 0x2060 && c <= 0x2064) ||
    (c >= 0x2066 && c <= 0x2069) ||
    c === 0xfeff
  )
    return 3;
  return 0;
}

/**
 * One pass: drops invisible characters, turns runs of spaces into one space, trims lines, keeps
 * at most one blank line, trims the ends. Stretches that need no change are copied as one
 * slice, so ordinary text makes few pieces (chained regexes allocate a match per newline and
 * took ~0.3 s on a megabyte of blank lines).
 */
export function normalizeWhitespace(s: string): string {
  const parts: string[] = [];
  let copyFrom = 0;
  let emitted = false;
  let i = 0;
  while (i < s.length) {
    if (charClass(s.charCodeAt(i)) === 0) {
      emitted = true;
      i++;
      continue;
    }
    const start = i;
    let spaces = false;
    let newlines = 0;
    while (i < s.length) {
      const kind = charClass(s.charCodeAt(i));
      if (kind === 0) break;
      if (kind === 1) spaces = true;
      else if (kind === 2) newlines++;
      i++;
    }
    const atEdge = !emitted || i === s.length;
    const replacement = atEdge ? '' : newlines > 1 ? '\n\n' : newlines === 1 ? '\n' : spaces ? ' ' : '';
    if (i - start === replacement.length && s.startsWith(replacement, start)) continue;
    if (start > copyFrom) parts.push(s.slice(copyFrom, start));
    if (replacement) parts.push(replacement);
    copyFrom = i;
  }
  if (copyFrom === 0) return s;
  if (copyFrom < s.length) parts.push(s.slice(copyFrom));
  return parts.join('');
}

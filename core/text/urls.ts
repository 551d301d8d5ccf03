// URLs reduced to their host: "https://www.github.com/org/repo/issues/1" -> "github.com".

// Bounded-free but linear: one character class, then a literal.
const URL_RE = /\b(?:https?|ftp):\/\/[^\s<>"'`]+/gi;

export function shortenUrls(s: string): string {
  return s.replace(URL_RE, (url) => {
    let trail = '';
    let end = url.length;
    while (end > 0 && '.,;:!?)]}'.includes(url[end - 1]!)) end--;
    trail = url.slice(end);
    const rest = url.slice(url.indexOf('//') + 2, end);
    let hostEnd = rest.length;
    for (const stop of ['/', '?', '#']) {
      const k = rest.indexOf(stop);
      if (k !== -1 && k < hostEnd) hostEnd = k;
    }
    let host = rest.slice(0, hostEnd);
    host = host
      .slice(host.lastIndexOf('@') + 1)
      .replace(/:\d{1,5}$/, '')
      .replace(/^www\./i, '');
    return host + trail;
  });
}

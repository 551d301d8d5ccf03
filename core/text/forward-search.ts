// Forward searches shared by the HTML and Markdown scanners.

/**
 * Finds the next occurrence of a needle at or after `from`, remembering the last answer per
 * needle so that repeated forward searches (one per '<' in hostile input) cost linear time.
 */
export class Finder {
  private readonly memo = new Map<string, [from: number, at: number]>();
  /** The same memo for findClosing, per element name. */
  readonly closing = new Map<string, [from: number, at: number]>();
  constructor(private readonly s: string) {}

  next(needle: string, from: number): number {
    let m = this.memo.get(needle);
    if (!m) {
      m = [-1, -1];
      this.memo.set(needle, m);
    } else if (m[0] !== -1 && from >= m[0] && (m[1] === -1 || from <= m[1])) {
      return m[1];
    }
    m[0] = from;
    m[1] = this.s.indexOf(needle, from);
    return m[1];
  }
}

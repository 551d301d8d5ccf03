// The console's POST answers as the page sees them: lets a test wait for exactly the requests a
// double-click made, then check each status.
import type { Page, Response as PageResponse } from 'playwright-core';

/** Resolves once the page got `n` answers from the console's POST route for `kind`. */
export function consoleAnswers(page: Page, kind: string, n: number): Promise<PageResponse[]> {
  const seen: PageResponse[] = [];
  return new Promise((resolve) => {
    const listener = (response: PageResponse) => {
      if (response.request().method() !== 'POST' || !response.url().endsWith(`/console/${kind}`)) return;
      seen.push(response);
      if (seen.length === n) {
        page.off('response', listener);
        resolve(seen);
      }
    };
    page.on('response', listener);
  });
}

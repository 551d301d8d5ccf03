import { describe, expect, it } from 'vitest';
import { codeMarker } from './code-blocks.js';

describe('codeMarker', () => {
  it('prefers identifier-like tokens and skips keywords', () => {
    expect(codeMarker('function foo() { return fetchUserData(user_id); }\nclass HttpClientError extends Error {}', 'JavaScript')).toBe(
      '[code javascript: fetchUserData user_id HttpClientError]',
    );
  });

  it('gives a bare marker for code without identifiers and ignores junk languages', () => {
    expect(codeMarker('1 + 2 = 3; {}', 'plaintext')).toBe('[code]');
  });
});

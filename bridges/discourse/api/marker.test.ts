import { describe, expect, it } from 'vitest';
import { DISCOURSE_MAX_RAW_LENGTH, TRUNCATION_NOTE, hasMarker, markerFor, withMarker } from './marker.js';

describe('idempotency marker', () => {
  it('appends an HTML comment with the key at the end of raw', () => {
    const raw = withMarker('Hello **world**\n', 'act:42');
    expect(raw).toBe('Hello **world**\n\n<!-- co-agent:act:42 -->');
    expect(hasMarker(raw, 'act:42')).toBe(true);
    expect(hasMarker(raw, 'act:4')).toBe(false);
    expect(hasMarker(raw, 'act:421')).toBe(false);
  });

  it('hashes keys that could break out of the comment, stably', () => {
    for (const key of ['a-->b', 'two words', '<script>', 'x--y', 'ends-']) {
      const marker = markerFor(key);
      expect(marker).toMatch(/^<!-- co-agent:sha256-[0-9a-f]{32} -->$/);
      expect(markerFor(key)).toBe(marker);
    }
    expect(markerFor('a-->b')).not.toBe(markerFor('x--y'));
    expect(() => markerFor('')).toThrow(TypeError);
  });

  it('keeps raw within the limit by cutting the visible text, never the marker', () => {
    const long = 'x'.repeat(DISCOURSE_MAX_RAW_LENGTH + 500);
    const raw = withMarker(long, 'k1');
    expect(raw.length).toBeLessThanOrEqual(DISCOURSE_MAX_RAW_LENGTH);
    expect(raw.endsWith('<!-- co-agent:k1 -->')).toBe(true);
    expect(raw).toContain(TRUNCATION_NOTE);
    expect(raw.startsWith('x'.repeat(30_000))).toBe(true);
  });

  it('leaves text that fits untouched, and does not split a surrogate pair when cutting', () => {
    const fits = withMarker('short', 'k', 100);
    expect(fits).not.toContain(TRUNCATION_NOTE);
    const tail = `\n\n${TRUNCATION_NOTE}\n\n${markerFor('k')}`;
    const room = 80 - tail.length;
    const text = 'a'.repeat(room - 1) + '😀'.repeat(40); // the cut lands inside the first emoji
    const cut = withMarker(text, 'k', 80);
    expect(cut.length).toBeLessThanOrEqual(80);
    // The half emoji is dropped whole rather than leaving a lone high surrogate.
    expect(cut).toBe('a'.repeat(room - 1) + tail);
  });
});

// Background slices shrink while request work is in progress (core/foreground.ts), so a mention's
// many awaits are not each held up by a whole slice of retraining.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { beginForeground, foregroundActive, inForeground, outsideForeground } from '../../../core/foreground.js';
import { FOREGROUND_SLICE_MS, SLICE_MS, timeSlices, yieldToLoop } from '../../../core/engine/steps.js';

describe('time slices beside request work', () => {
  afterEach(() => vi.restoreAllMocks());

  it('are SLICE_MS long when idle and FOREGROUND_SLICE_MS long while a request is handled', async () => {
    let now = 1_000;
    vi.spyOn(performance, 'now').mockImplementation(() => now);
    const due = timeSlices(SLICE_MS);
    now += FOREGROUND_SLICE_MS + 1;
    expect(due()).toBe(false); // nothing in the foreground: the slice goes on
    let inside: boolean | undefined;
    await inForeground(async () => {
      inside = due();
    });
    expect(inside).toBe(true); // a request is waiting: the slice ends after a couple of ms
    now += FOREGROUND_SLICE_MS + 1;
    expect(due()).toBe(false); // done: long slices again
    now += SLICE_MS;
    expect(due()).toBe(true);
  });

  it('counts nested and concurrent request work, and ends it when the work throws', async () => {
    expect(foregroundActive()).toBe(false);
    let release!: () => void;
    const held = inForeground(() => new Promise<void>((resolve) => (release = resolve)));
    await expect(
      inForeground(async () => {
        expect(foregroundActive()).toBe(true);
        throw new Error('handler failed');
      }),
    ).rejects.toThrow('handler failed');
    expect(foregroundActive()).toBe(true); // the first one is still running
    release();
    await held;
    expect(foregroundActive()).toBe(false);
  });

  it('ends work begun with beginForeground once, however often its end is called', () => {
    const endA = beginForeground();
    const endB = beginForeground();
    endA();
    endA();
    expect(foregroundActive()).toBe(true); // B is still running: A's second end did not count
    endB();
    expect(foregroundActive()).toBe(false);
  });

  it("makes background pauses wait for request work to end, but never a request's own work, nor work it sets off to the background", async () => {
    const order: string[] = [];
    const end = beginForeground();
    const background = yieldToLoop().then(() => order.push('background resumed'));
    let setOff: Promise<unknown> | undefined;
    await inForeground(async () => {
      await yieldToLoop();
      order.push('request work paused and resumed');
      setOff = outsideForeground(() => yieldToLoop().then(() => order.push('work the request set off resumed')));
    });
    // Two more turns of the loop: a pause that did not wait would have resumed by now.
    for (let turn = 0; turn < 2; turn++) await new Promise((resolve) => setImmediate(resolve));
    expect(order).toEqual(['request work paused and resumed']); // both background pauses still wait
    end();
    await Promise.all([background, setOff]);
    expect(order.sort()).toEqual(['background resumed', 'request work paused and resumed', 'work the request set off resumed']);
    expect(foregroundActive()).toBe(false);
  });
});

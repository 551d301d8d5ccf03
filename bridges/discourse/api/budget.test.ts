// The shared request budget: a rolling minute of slots, most urgent calls first, and a pause for
// everyone when the forum answers 429. Run on Vitest's fake clock (timers and performance.now),
// so a minute passes at once.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { RequestBudget, type Priority } from './budget.js';

describe('RequestBudget', () => {
  let budget: RequestBudget | undefined;
  beforeEach(() => vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] }));
  afterEach(() => {
    budget?.close();
    vi.useRealTimers();
  });

  it('grants `perMinute` slots in any rolling minute, then waits for the oldest to expire', async () => {
    budget = new RequestBudget({ perMinute: 3 });
    const granted: number[] = [];
    for (let i = 0; i < 5; i++) void budget.acquire('catch-up').then(() => granted.push(i));
    await vi.advanceTimersByTimeAsync(0);
    expect(granted).toEqual([0, 1, 2]);
    await vi.advanceTimersByTimeAsync(59_000);
    expect(granted).toEqual([0, 1, 2]);
    await vi.advanceTimersByTimeAsync(1_001);
    expect(granted).toEqual([0, 1, 2, 3, 4]);
    expect(budget.stats()).toMatchObject({ used: 2, granted: 5 });
  });

  it('serves replies before catch-up before backfill, first come first served within a priority', async () => {
    budget = new RequestBudget({ perMinute: 1 });
    await budget.acquire('backfill'); // uses the only slot
    const order: string[] = [];
    const ask = (p: Priority, name: string) => void budget!.acquire(p).then(() => order.push(name));
    ask('backfill', 'b1');
    ask('catch-up', 'c1');
    ask('reply', 'r1');
    ask('backfill', 'b2');
    ask('reply', 'r2');
    expect(budget.stats().waiting).toEqual({ reply: 2, 'catch-up': 1, backfill: 2 });
    await vi.advanceTimersByTimeAsync(60_001);
    expect(order).toEqual(['r1']);
    await vi.advanceTimersByTimeAsync(4 * 60_000);
    expect(order).toEqual(['r1', 'r2', 'c1', 'b1', 'b2']);
  });

  it('keeps a few slots of every minute for replies, however busy polling and history are', async () => {
    budget = new RequestBudget({ perMinute: 40 });
    expect(budget.replyReserve).toBe(5);
    let background = 0;
    for (let i = 0; i < 100; i++)
      void budget.acquire(i % 2 ? 'catch-up' : 'backfill').then(
        () => {
          background += 1;
        },
        () => undefined,
      ); // the rest is refused at close
    await vi.advanceTimersByTimeAsync(1_000);
    expect(background).toBe(35);
    const replies: number[] = [];
    for (let i = 0; i < 6; i++) void budget.acquire('reply').then(() => replies.push(i));
    await vi.advanceTimersByTimeAsync(0);
    expect(replies).toEqual([0, 1, 2, 3, 4]); // at once, not after the burst's minute
    await vi.advanceTimersByTimeAsync(59_001);
    expect(replies).toEqual([0, 1, 2, 3, 4, 5]);
    expect(() => new RequestBudget({ perMinute: 4, replyReserve: 4 })).toThrow(RangeError);
  });

  it('pauses every caller for the wait a 429 asked for', async () => {
    budget = new RequestBudget({ perMinute: 40 });
    budget.pauseFor(3_000);
    let done = false;
    void budget.acquire('reply').then(() => {
      done = true;
    });
    await vi.advanceTimersByTimeAsync(2_900);
    expect(done).toBe(false);
    await vi.advanceTimersByTimeAsync(200);
    expect(done).toBe(true);
    expect(budget.stats().pauses).toBe(1);
  });

  it('refuses waiting calls when closed, and bad sizes up front', async () => {
    budget = new RequestBudget({ perMinute: 1 });
    await budget.acquire('reply');
    const waiting = budget.acquire('reply');
    budget.close();
    await expect(waiting).rejects.toThrow(/closed/);
    expect(() => new RequestBudget({ perMinute: 0 })).toThrow(RangeError);
  });
});

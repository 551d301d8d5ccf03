// The bridge's own /sync loop: a stop does not wait for the homeserver's long-poll to end (up to
// 30 s, past an orchestrator's grace period), yet never cuts a response's storing short.
import { describe, expect, it } from 'vitest';
import type { MatrixClient } from 'matrix-bot-sdk';
import { createLogger } from '../../core/logging.js';
import { SyncLoop, type SyncResponse } from './sync-client.js';

const logger = createLogger({ level: 'silent' });

function loopWith(doRequest: () => Promise<unknown>, process: (r: SyncResponse) => Promise<void> = async () => undefined) {
  const requests: number[] = [];
  const client = {
    doRequest: () => {
      requests.push(requests.length);
      return doRequest();
    },
  } as unknown as MatrixClient;
  const loop = new SyncLoop({ client, filter: {}, logger, readToken: async () => 's1', process });
  return { loop, requests };
}

describe('SyncLoop', () => {
  it('stops while a long-poll is in flight without waiting for it, and processes nothing after', async () => {
    let answer: (value: unknown) => void = () => undefined;
    const processed: string[] = [];
    const { loop, requests } = loopWith(
      () =>
        new Promise((resolve) => {
          answer = resolve;
        }),
      async (r) => {
        processed.push(r.next_batch);
      },
    );
    loop.start();
    while (requests.length === 0) await new Promise((r) => setTimeout(r, 1));
    // With the old loop this await never settled: the request below is never answered first.
    await loop.stop();
    answer({ next_batch: 's2' });
    await new Promise((r) => setTimeout(r, 10));
    expect(processed).toEqual([]);
    expect(requests).toHaveLength(1);
  });

  it('lets a response being stored finish before stop resolves', async () => {
    let release: () => void = () => undefined;
    const stored: string[] = [];
    let calls = 0;
    const { loop } = loopWith(
      async () => (calls++ === 0 ? { next_batch: 's2' } : new Promise(() => undefined)),
      (r) =>
        new Promise<void>((resolve) => {
          release = () => {
            stored.push(r.next_batch);
            resolve();
          };
        }),
    );
    loop.start();
    while (calls === 0) await new Promise((r) => setTimeout(r, 1));
    await new Promise((r) => setTimeout(r, 5));
    let stopped = false;
    const stopping = loop.stop().then(() => {
      stopped = true;
    });
    await new Promise((r) => setTimeout(r, 10));
    expect(stopped).toBe(false);
    release();
    await stopping;
    expect(stored).toEqual(['s2']);
  });
});

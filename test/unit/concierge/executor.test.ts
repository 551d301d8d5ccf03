// The executor against a real outbox and a fake platform port.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { DeliveryError, KeyedAction, OutboundAction, PlatformOutbound } from '../../../core/concierge/actions.js';
import { bodyOf } from '../../../core/concierge/actions.js';
import { ActionExecutor } from '../../../core/concierge/executor.js';
import { textReply } from '../../../core/concierge/replies.js';
import type { Store } from '../../../core/store/index.js';
import { openTempStore } from '../../integration/store/helpers.js';
import { err, ok, type Result } from '../../../core/types.js';
import { silentLogger } from './fixture.js';

type Outcome = Result<unknown, DeliveryError>;

/** A port that answers from a script (then succeeds), recording every call. */
class FakePort implements PlatformOutbound {
  readonly platform = 'matrix' as const;
  readonly calls: { action: OutboundAction; key: string }[] = [];
  constructor(private readonly script: Outcome[] = []) {}
  async perform(action: OutboundAction, key: string): Promise<Outcome> {
    this.calls.push({ action, key });
    return this.script.shift() ?? ok({ eventId: `$sent-${this.calls.length}` });
  }
}

const post = (key: string, text = 'hello'): KeyedAction => ({
  key,
  action: { kind: 'post', platform: 'matrix', containerId: '!room:example.org', threadId: '$root', body: textReply(text) },
});

describe('ActionExecutor', () => {
  let store: Store;
  let done: () => Promise<void>;
  let executor: ActionExecutor | undefined;

  beforeEach(async () => {
    // SQLite, or with CO_AGENT_TEST_STORE=postgresql a fresh PostgreSQL database.
    ({ store, done } = await openTempStore());
  });
  afterEach(async () => {
    await executor?.stop();
    executor = undefined;
    await done();
  });

  const start = (
    port: FakePort,
    options: { maxAttempts?: number; mayPerform?: () => boolean; baseDelayMs?: number; maxDelayMs?: number } = {},
  ): ActionExecutor => {
    executor = new ActionExecutor({ store, ports: [port], logger: silentLogger, baseDelayMs: 10, maxDelayMs: 50, ...options });
    executor.start();
    return executor;
  };
  const settled = (key: string) =>
    vi.waitFor(
      async () => {
        const row = await store.outbox.get(key);
        expect(row?.status).not.toBe('pending');
        return row!;
      },
      { timeout: 5_000, interval: 20 },
    );

  it('performs an action with its key as the transaction id and stores the result', async () => {
    const port = new FakePort();
    const action = post('matrix:$e1:reply');
    await start(port).submit([action]);
    const row = await settled(action.key);
    expect(row).toMatchObject({ status: 'done', attempts: 1, lastError: null });
    expect(JSON.parse(row.result!)).toEqual({ eventId: '$sent-1' });
    expect(port.calls).toEqual([{ action: action.action, key: action.key }]);
  });

  it('sends nothing while it may not (an instance that lost the failover lease), and everything once it may', async () => {
    const port = new FakePort();
    let may = true;
    const first = post('matrix:$m1:reply');
    const exec = start(port, { mayPerform: () => may });
    await exec.submit([first]);
    await settled(first.key);
    may = false;
    const held = [post('matrix:$m2:reply'), post('matrix:$m3:reply')];
    await exec.submit(held);
    await exec.idle();
    expect(port.calls.map((c) => c.key)).toEqual([first.key]);
    for (const a of held) expect((await store.outbox.get(a.key))?.status).toBe('pending');
    // The rows stay pending in the shared outbox, unattempted, for whichever instance may send.
    for (const a of held) expect((await store.outbox.get(a.key))?.attempts).toBe(0);
    may = true;
    for (const a of held) await settled(a.key);
    expect(port.calls.map((c) => c.key)).toEqual([first.key, ...held.map((a) => a.key)]);
  });

  it('retries a retryable failure after the wait the platform asked for', async () => {
    const port = new FakePort([err({ message: 'rate limited', retryable: true, retryAfterMs: 10 })]);
    const action = post('matrix:$e2:reply');
    await start(port).submit([action]);
    const row = await settled(action.key);
    expect(row).toMatchObject({ status: 'done', attempts: 2, lastError: 'rate limited' });
    expect(JSON.parse(row.result!)).toEqual({ eventId: '$sent-2' });
    expect(port.calls.map((c) => c.key)).toEqual([action.key, action.key]);
  });

  it('retries a port that throws', async () => {
    const port = new FakePort();
    const perform = port.perform.bind(port);
    let thrown = false;
    port.perform = async (action, key) => {
      if (!thrown) {
        thrown = true;
        port.calls.push({ action, key });
        throw new Error('socket hang up');
      }
      return perform(action, key);
    };
    const action = post('matrix:$e3:reply');
    await start(port).submit([action]);
    expect(await settled(action.key)).toMatchObject({ status: 'done', attempts: 2, lastError: 'socket hang up' });
  });

  it('parks a non-retryable failure as failed at once', async () => {
    const port = new FakePort([err({ message: 'forbidden', retryable: false })]);
    const action = post('matrix:$e4:reply');
    await start(port).submit([action]);
    const row = await settled(action.key);
    expect(row).toMatchObject({ status: 'failed', attempts: 1, lastError: 'forbidden', result: null });
    await executor!.idle();
    expect(port.calls).toHaveLength(1);
    expect(await store.outbox.counts('matrix')).toEqual({ pending: 0, done: 0, failed: 1 });
  });

  it('schedules a retry between half and all of the backoff step (jitter), in the outbox', async () => {
    const port = new FakePort([err({ message: 'homeserver unreachable', retryable: true })]);
    const action = post('matrix:$e8:reply');
    const before = Date.now();
    const ex = start(port, { baseDelayMs: 60_000, maxDelayMs: 300_000 });
    await ex.submit([action]);
    const row = await vi.waitFor(
      async () => {
        const r = await store.outbox.get(action.key);
        expect(r?.attempts).toBe(1);
        return r!;
      },
      { timeout: 5_000, interval: 20 },
    );
    expect(row.status).toBe('pending');
    const wait = row.notBefore.getTime() - before;
    expect(wait).toBeGreaterThanOrEqual(30_000 - 1_000);
    expect(wait).toBeLessThanOrEqual(60_000 + 5_000);
    expect(port.calls).toHaveLength(1);
  });

  it('gives up after maxAttempts retryable failures', async () => {
    const failure = err({ message: 'server error', retryable: true, retryAfterMs: 5 });
    const port = new FakePort([failure, failure, failure]);
    const action = post('matrix:$e5:reply');
    await start(port, { maxAttempts: 2 }).submit([action]);
    expect(await settled(action.key)).toMatchObject({ status: 'failed', attempts: 2 });
    expect(port.calls).toHaveLength(2);
  });

  it('performs an action submitted twice under one key only once', async () => {
    const port = new FakePort();
    const ex = start(port);
    await ex.submit([post('matrix:$e6:reply', 'first'), post('matrix:$e6:reply', 'second')]);
    await ex.submit([post('matrix:$e6:reply', 'third')]);
    await settled('matrix:$e6:reply');
    await ex.submit([post('matrix:$e6:reply', 'fourth')]);
    await ex.idle();
    expect(port.calls.map((c) => c.key)).toEqual(['matrix:$e6:reply']);
    expect(bodyOf(port.calls[0]!.action)).toEqual(textReply('first'));
    expect(await store.outbox.counts('matrix')).toEqual({ pending: 0, done: 1, failed: 0 });
  });

  it('sends each action to the port of its platform only', async () => {
    const port = new FakePort();
    const ex = start(port);
    await ex.submit([
      { key: 'discourse:1:reply', action: { kind: 'direct', platform: 'discourse', to: { platform: 'discourse', externalId: 'bob' }, body: textReply('hi') } },
    ]);
    await ex.submit([post('matrix:$e7:reply')]);
    await settled('matrix:$e7:reply');
    expect(port.calls.map((c) => c.key)).toEqual(['matrix:$e7:reply']);
    expect((await store.outbox.get('discourse:1:reply'))?.status).toBe('pending');
  });
});

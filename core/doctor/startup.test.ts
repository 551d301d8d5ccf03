// The checks at start: logged one line each; a blocker stops the start with what to fix; a
// platform that does not answer is waited for, as long as it takes, and nothing else blocks.
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../logging.js';
import type { Finding, PlatformDoctor } from './findings.js';
import { checkBeforeStart, StartupBlocked } from './startup.js';

function collect() {
  const lines: { level: number; msg: string }[] = [];
  const logger = createLogger(
    { level: 'debug' },
    new Writable({
      write(chunk: Buffer, _enc, done) {
        for (const l of chunk.toString().split('\n')) if (l.startsWith('{')) lines.push(JSON.parse(l) as { level: number; msg: string });
        done();
      },
    }),
  );
  return { lines, logger };
}

const finding = (check: string, level: Finding['level'], message: string, transient?: boolean): Finding => ({
  platform: 'forum',
  check,
  level,
  message,
  ...(transient ? { transient } : {}),
});

describe('checkBeforeStart', () => {
  it('logs every finding and returns when nothing blocks', async () => {
    const { lines, logger } = collect();
    const doctors = new Map<string, PlatformDoctor>([['forum', async () => [finding('key', 'ok', 'fine'), finding('hook', 'warning', 'no secret')]]]);
    expect(await checkBeforeStart(doctors, logger)).toHaveLength(2);
    expect(lines.map((l) => [l.level, l.msg])).toEqual([
      [30, 'ok   forum/key: fine'],
      [40, 'warn forum/hook: no secret'],
    ]);
  });

  it('stops the start on a blocker, saying what to fix', async () => {
    const { lines, logger } = collect();
    const doctors = new Map<string, PlatformDoctor>([['forum', async () => [finding('categories', 'blocker', 'no category "help"')]]]);
    const error = await checkBeforeStart(doctors, logger).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StartupBlocked);
    expect((error as Error).message).toContain('FAIL forum/categories: no category "help"');
    expect(lines.at(-1)).toMatchObject({ level: 50, msg: 'FAIL forum/categories: no category "help"' });
  });

  it('waits while a platform does not answer, then goes on', async () => {
    const { lines, logger } = collect();
    let calls = 0;
    const waits: number[] = [];
    const doctors = new Map<string, PlatformDoctor>([
      ['forum', async () => (++calls < 4 ? [finding('reachable', 'blocker', 'no answer', true)] : [finding('key', 'ok', 'fine')])],
    ]);
    await checkBeforeStart(doctors, logger, {
      retryDelaysMs: [10, 20],
      sleep: async (ms) => {
        waits.push(ms);
      },
    });
    expect(waits).toEqual([10, 20, 20]);
    expect(lines.filter((l) => l.msg.includes('checking again'))).toHaveLength(3);
    expect(lines.at(-1)?.msg).toBe('ok   forum/key: fine');
  });

  it('does not wait when a real blocker comes with an unreachable platform', async () => {
    const { logger } = collect();
    const doctors = new Map<string, PlatformDoctor>([
      ['forum', async () => [finding('reachable', 'blocker', 'no answer', true)]],
      ['chat', async () => [{ platform: 'chat', check: 'token', level: 'blocker', message: 'token refused' }]],
    ]);
    await expect(checkBeforeStart(doctors, logger, { sleep: () => Promise.reject(new Error('must not wait')) })).rejects.toBeInstanceOf(StartupBlocked);
  });
});

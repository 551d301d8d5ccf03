import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger, eventLogger } from './logging.js';

function capture() {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  return { stream, lines };
}

describe('logging', () => {
  it('redacts secrets at the top level and nested', () => {
    const { stream, lines } = capture();
    const logger = createLogger({ level: 'info' }, stream);
    logger.info(
      {
        accessToken: 'a1',
        password: 'p1',
        config: { matrix: { accessToken: 'a2' }, discourse: { apiKey: 'k1', webhookSecret: 'w1' } },
        request: { headers: { authorization: 'Bearer x', 'api-key': 'k2', accept: 'json' } },
      },
      'hello',
    );
    const text = JSON.stringify(lines);
    for (const secret of ['a1', 'p1', 'a2', 'k1', 'w1', 'Bearer x', 'k2']) expect(text).not.toContain(`"${secret}"`);
    expect(lines[0]).toMatchObject({
      msg: 'hello',
      accessToken: '[redacted]',
      config: { matrix: { accessToken: '[redacted]' } },
      request: { headers: { accept: 'json', 'api-key': '[redacted]' } },
    });
  });

  it('gives each event a child logger that names it', () => {
    const { stream, lines } = capture();
    const logger = createLogger({ level: 'debug' }, stream);
    const log = eventLogger(logger, { platform: 'discourse', eventId: 'hook-42' });
    log.debug({ step: 'tagging' }, 'tagged');
    log.info({ apiKey: 'k' }, 'done');
    logger.info('unrelated');
    expect(lines.map((l) => [l.msg, l.platform, l.eventId])).toEqual([
      ['tagged', 'discourse', 'hook-42'],
      ['done', 'discourse', 'hook-42'],
      ['unrelated', undefined, undefined],
    ]);
    expect(lines[1]?.apiKey).toBe('[redacted]');
  });

  it('respects the configured level', () => {
    const { stream, lines } = capture();
    const logger = createLogger({ level: 'warn' }, stream);
    logger.info('quiet');
    logger.warn('loud');
    expect(lines.map((l) => l.msg)).toEqual(['loud']);
  });
});

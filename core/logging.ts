// Structured logging (pino). One root logger per process, built from config; every incoming
// platform event gets its own child so all its lines carry the same platform and event id.
import { pino, type DestinationStream, type Logger as PinoLogger } from 'pino';

export type Logger = PinoLogger;
export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
export const LOG_LEVELS: readonly LogLevel[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

export interface LogConfig {
  level: LogLevel;
}

/** Keys whose values are secrets wherever they appear (up to a few levels deep) in a logged object. */
export const SECRET_KEYS: readonly string[] = [
  'accessToken',
  'access_token',
  'apiKey',
  'api_key',
  'password',
  'secret',
  'webhookSecret',
  'token',
  'authorization',
  'cookie',
];

// pino compiles explicit redaction paths (fast), so list each key at the top level and a few
// levels down; deeper secrets must not be logged in the first place. HTTP header names that
// are not identifiers (Discourse's `Api-Key`, lower-cased by Node) are listed by hand.
const REDACT_DEPTH = 4;
export const REDACT_PATHS: readonly string[] = [
  ...SECRET_KEYS.flatMap((key) => Array.from({ length: REDACT_DEPTH + 1 }, (_, depth) => `${'*.'.repeat(depth)}${key}`)),
  'headers["api-key"]',
  '*.headers["api-key"]',
];

/**
 * Creates the process's root logger. `destination` defaults to stdout; tests pass a stream to
 * read the lines back.
 */
export function createLogger(config: LogConfig, destination?: DestinationStream): Logger {
  return pino(
    {
      level: config.level,
      base: { name: 'co-agent' },
      redact: { paths: [...REDACT_PATHS], censor: '[redacted]' },
    },
    destination ?? pino.destination({ dest: 1, sync: true }),
  );
}

export interface EventRef {
  platform: string;
  eventId: string;
}

/** A child logger for one platform event: every line it writes names the event. */
export function eventLogger(logger: Logger, event: EventRef): Logger {
  return logger.child({ platform: event.platform, eventId: event.eventId });
}

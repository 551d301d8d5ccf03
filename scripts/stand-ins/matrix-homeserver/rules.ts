// Rules a real homeserver (Synapse 1.67, default settings) applies to what clients send, which
// the bot must cope with: the message rate limit and its admin override, and refusals of
// malformed content. Sources are named in README.md ("Rules of a real homeserver").
import { MatrixHttpError, type HomeserverState, type JsonObject } from './state.js';

export interface RateLimitOptions {
  /** Messages per second a user may send on average (Synapse `rc_message.per_second`: 0.2). */
  perSecond?: number;
  /** Messages a user may send at once (Synapse `rc_message.burst_count`: 10). */
  burst?: number;
  /** Time runs this many times faster for the limiter (tests stay fast; 1 is real time). */
  timeScale?: number;
  /** false: no limit at all (a homeserver configured without one). */
  enabled?: boolean;
  /** The limiter's clock in ms (tests that must not depend on how fast they run freeze it). */
  clock?: () => number;
}

interface Limit {
  perSecond: number;
  burst: number;
}

/**
 * Synapse's Ratelimiter: a bucket per user that drains at `perSecond`; an action is allowed
 * while the bucket holds fewer than `burst`, else 429 M_LIMIT_EXCEEDED with retry_after_ms.
 * A per-user override of 0/0 (the admin API) means no limit.
 */
export class MessageRateLimiter {
  readonly #default: Limit;
  readonly #timeScale: number;
  readonly #enabled: boolean;
  readonly #clock: () => number;
  readonly #buckets = new Map<string, { level: number; at: number }>();
  readonly overrides = new Map<string, Limit>();

  constructor(options: RateLimitOptions = {}) {
    this.#default = { perSecond: options.perSecond ?? 0.2, burst: options.burst ?? 10 };
    this.#timeScale = options.timeScale ?? 1;
    this.#enabled = options.enabled ?? true;
    this.#clock = options.clock ?? Date.now;
  }

  check(userId: string, now = this.#clock()): void {
    if (!this.#enabled) return;
    const limit = this.overrides.get(userId) ?? this.#default;
    if (limit.perSecond === 0) return;
    const bucket = this.#buckets.get(userId) ?? { level: 0, at: now };
    const elapsed = ((now - bucket.at) / 1000) * this.#timeScale;
    const level = Math.max(0, bucket.level - elapsed * limit.perSecond);
    if (level + 1 > limit.burst) {
      const waitMs = Math.ceil((((level + 1 - limit.burst) / limit.perSecond) * 1000) / this.#timeScale);
      this.#buckets.set(userId, { level, at: now });
      throw new MatrixHttpError(429, 'M_LIMIT_EXCEEDED', 'Too Many Requests', { retry_after_ms: Math.max(1, waitMs) });
    }
    this.#buckets.set(userId, { level: level + 1, at: now });
  }
}

/** Synapse's refusals of locally sent content (400 M_UNKNOWN... as Synapse answers them). */
export function refuseMalformed(hs: HomeserverState, roomId: string, type: string, content: JsonObject): void {
  if (type === 'm.room.message') {
    if (typeof content['msgtype'] !== 'string') throw new MatrixHttpError(400, 'M_UNKNOWN', "'msgtype' not in content");
    if (content['body'] !== undefined && typeof content['body'] !== 'string') throw new MatrixHttpError(400, 'M_UNKNOWN', "'body' not a string type");
  }
  const relation = content['m.relates_to'];
  if (typeof relation === 'object' && relation !== null && typeof (relation as JsonObject)['rel_type'] === 'string') {
    const parent = (relation as JsonObject)['event_id'];
    const known = typeof parent === 'string' && hs.room(roomId).events.some((e) => e.event_id === parent);
    if (!known) throw new MatrixHttpError(400, 'M_UNKNOWN', 'Unknown parent event.');
  }
}

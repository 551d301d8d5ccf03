// Platforms stamp events with their own clocks, which may disagree with ours (a homeserver or
// forum whose clock runs ahead, a client-supplied timestamp). Times from the future would make
// answers look older than requests and skew every duration on the dashboard, so they are
// pulled back to our clock; ordinary lags (history, downtime) are kept as they are.
import type { InboundEvent } from '../inbound.js';

/** How far ahead of our clock a platform's timestamp may be before it is not believed. */
export const MAX_CLOCK_SKEW_MS = 2 * 60_000;

/** The event, with its time replaced by `now` when it is missing or in the future. */
export function withBelievableTime<E extends InboundEvent>(event: E, now: Date): E {
  const t = event.createdAt?.getTime();
  if (typeof t === 'number' && Number.isFinite(t) && t <= now.getTime() + MAX_CLOCK_SKEW_MS) return event;
  return { ...event, createdAt: now };
}

/** A response cannot come before the request it answers, whatever the platforms' clocks say. */
export const notBefore = (at: Date, earliest: Date): Date => (at.getTime() < earliest.getTime() ? earliest : at);

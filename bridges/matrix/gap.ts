// A room with more new events than the sync filter's timeline limit comes back `limited`: the
// events between the last one seen and the timeline are only reachable by paging /messages
// backwards from `prev_batch`. They are fetched here (at most `cap`, newest first), so after a
// downtime nothing in the gap goes unanswered or unlearned.
import type { MatrixClient } from 'matrix-bot-sdk';
import type { Logger } from '../../core/logging.js';
import { isOwnJoin } from './own-join.js';

const PAGE = 100;
type Json = Record<string, unknown>;

/**
 * The gap's events, oldest first. `lastSeen` is the room's last event before the gap. A room
 * without one was joined (by `self`) but never synced before a stop: the gap then reaches back
 * to the bot's join, which is returned too, with the rest of its page before it, so the caller
 * tells pre-join history from what came after exactly as in a newly joined room's first sync.
 */
export async function fillGap(
  client: MatrixClient,
  roomId: string,
  prevBatch: string,
  lastSeen: string | null,
  cap: number,
  logger: Logger,
  self: string,
): Promise<Json[]> {
  const started = Date.now();
  const gap: Json[] = [];
  let from = prevBatch;
  let reached = false;
  let oldest: Json | undefined;
  while (gap.length < cap && !reached) {
    const page = (await client.doRequest('GET', `/_matrix/client/v3/rooms/${encodeURIComponent(roomId)}/messages`, {
      dir: 'b',
      from,
      limit: Math.min(PAGE, cap - gap.length),
    })) as { chunk?: unknown; end?: unknown } | null;
    const chunk = Array.isArray(page?.chunk) ? (page.chunk as unknown[]) : [];
    for (const e of chunk) {
      if (typeof e !== 'object' || e === null) continue;
      if (lastSeen !== null && (e as Json)['event_id'] === lastSeen) {
        reached = true;
        break;
      }
      // Without a last seen event the page with the join is kept whole: its older events are
      // what a first sync would have shown as history.
      if (lastSeen === null && isOwnJoin(e as Json, self)) reached = true;
      gap.push(e as Json);
      oldest = e as Json;
    }
    if (reached || chunk.length === 0 || typeof page?.end !== 'string' || page.end === from) break;
    from = page.end;
  }
  gap.reverse();
  if (lastSeen === null && !reached) {
    // The join is further back than the cap (or not there: a room joined before this bridge
    // kept positions). Its events may have been answered already: nothing is taken from here.
    logger.warn(
      { roomId, fetched: gap.length, cap },
      "limited sync for a room without a last seen event: the bot's join not found within the catch-up limit; gap not filled",
    );
    return [];
  }
  if (reached || gap.length < cap) {
    logger.info(
      { roomId, gap: gap.length, ms: Date.now() - started, ...(lastSeen === null ? { since: 'join' } : {}) },
      'limited sync: gap filled from /messages',
    );
  } else {
    // What lies between the last seen event and the oldest one fetched is not read.
    logger.warn(
      { roomId, fetched: gap.length, cap, skippedAfter: lastSeen, skippedBefore: oldest?.['event_id'], skippedBeforeTs: oldest?.['origin_server_ts'] },
      'limited sync: catch-up limit reached; older missed events skipped',
    );
  }
  return gap;
}

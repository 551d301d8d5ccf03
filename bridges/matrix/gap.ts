// A room with more new events than the sync filter's timeline limit comes back `limited`: the
// events between the last one seen and the timeline are only reachable by paging /messages
// backwards from `prev_batch`. They are fetched here (at most `cap`, newest first), so after a
// downtime nothing in the gap goes unanswered or unlearned.
import type { MatrixClient } from 'matrix-bot-sdk';
import type { Logger } from '../../core/logging.js';

const PAGE = 100;
type Json = Record<string, unknown>;

/** The gap's events, oldest first. `lastSeen` is the room's last event before the gap. */
export async function fillGap(client: MatrixClient, roomId: string, prevBatch: string, lastSeen: string | null, cap: number, logger: Logger): Promise<Json[]> {
  if (lastSeen === null) {
    // Nothing of this room was seen before (it was joined before this bridge kept positions):
    // there is no end to page back to, and its history is the backfill's business.
    logger.info({ roomId }, 'limited sync for a room without a last seen event; gap not filled');
    return [];
  }
  const started = Date.now();
  const gap: Json[] = [];
  let from = prevBatch;
  let reached = false;
  let oldest: Json | undefined;
  while (gap.length < cap) {
    const page = (await client.doRequest('GET', `/_matrix/client/v3/rooms/${encodeURIComponent(roomId)}/messages`, {
      dir: 'b', from, limit: Math.min(PAGE, cap - gap.length),
    })) as { chunk?: unknown; end?: unknown } | null;
    const chunk = Array.isArray(page?.chunk) ? (page.chunk as unknown[]) : [];
    for (const e of chunk) {
      if (typeof e !== 'object' || e === null) continue;
      if ((e as Json)['event_id'] === lastSeen) {
        reached = true;
        break;
      }
      gap.push(e as Json);
      oldest = e as Json;
    }
    if (reached || chunk.length === 0 || typeof page?.end !== 'string' || page.end === from) break;
    from = page.end;
  }
  gap.reverse();
  if (reached || gap.length < cap) {
    logger.info({ roomId, gap: gap.length, ms: Date.now() - started }, 'limited sync: gap filled from /messages');
  } else {
    // What lies between the last seen event and the oldest one fetched is not read.
    logger.warn({ roomId, fetched: gap.length, cap, skippedAfter: lastSeen, skippedBefore: oldest?.['event_id'], skippedBeforeTs: oldest?.['origin_server_ts'] },
      'limited sync: catch-up limit reached; older missed events skipped');
  }
  return gap;
}

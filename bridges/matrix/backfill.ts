// History for a room the bot just joined: pages back through /messages to the bot's own join,
// then up to a depth before it, so the engine knows past topics and who answered what from day
// one. The events before the join are queued oldest first as history (learned from, never
// answered), behind live events.
import type { MatrixClient } from 'matrix-bot-sdk';
import type { Logger } from '../../core/logging.js';
import type { Store } from '../../core/store/index.js';
import { withRetry } from './errors.js';
import { isOwnJoin } from './own-join.js';
import { queuedEvent } from './queue-payload.js';

const PAGE = 100;

export interface BackfillLimits {
  /** Events before the bot's join read as history (matrix.backfill); 0 reads none. */
  depth: number;
  /**
   * Events after the join passed over while looking for it (matrix.catchUpLimit): they are the
   * live events /sync and the gap filler deliver, never history. Many of them are there when
   * the service stopped between joining a room and reading its history.
   */
  afterJoin: number;
}

export async function backfillRoom(client: MatrixClient, store: Store, roomId: string, limits: BackfillLimits, logger: Logger): Promise<number> {
  const cursorKey = `backfilled:${roomId}`;
  if (limits.depth === 0 || (await store.cursors.get('matrix', cursorKey))) return 0;
  const bot = await client.getUserId();
  const history: Record<string, unknown>[] = [];
  let passedOver = 0;
  let joinFound = false;
  let from: string | undefined;
  // Newest first: first the events since the join (passed over), then the join, then history.
  pages: while (history.length < limits.depth && (joinFound || passedOver <= limits.afterJoin)) {
    const wanted = joinFound ? limits.depth - history.length : PAGE;
    const page = (await withRetry(() =>
      client.doRequest('GET', `/_matrix/client/v3/rooms/${encodeURIComponent(roomId)}/messages`, {
        dir: 'b',
        limit: Math.min(PAGE, wanted),
        ...(from ? { from } : {}),
      }),
    )) as { chunk?: unknown; end?: unknown } | null;
    const chunk = Array.isArray(page?.chunk) ? (page.chunk as unknown[]) : [];
    for (const e of chunk) {
      if (!e || typeof e !== 'object' || typeof (e as { event_id?: unknown }).event_id !== 'string') continue;
      const event = e as Record<string, unknown>;
      if (joinFound) {
        history.push(event);
        if (history.length >= limits.depth) break pages;
      } else if (isOwnJoin(event, bot)) {
        joinFound = true;
      } else {
        passedOver += 1;
      }
    }
    if (chunk.length === 0 || typeof page?.end !== 'string' || page.end === from) break;
    from = page.end;
  }
  if (!joinFound) {
    // Everything read came after the join (or the join is out of reach): none of it is history,
    // and queueing it as history would leave its mentions unanswered.
    logger.warn({ roomId, passedOver, limit: limits.afterJoin }, "did not find the bot's join within the room's newest events: no history read for this room");
    await store.cursors.set('matrix', cursorKey, new Date().toISOString());
    return 0;
  }
  history.reverse();
  const added = await store.inbox.enqueue(
    'matrix',
    history.map((event) => queuedEvent(roomId, event, true)),
  );
  await store.cursors.set('matrix', cursorKey, new Date().toISOString());
  logger.info({ roomId, read: history.length, passedOver, queued: added }, 'read room history');
  return added;
}

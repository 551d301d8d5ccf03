// History for a room the bot just joined: pages back through /messages up to a depth, so the
// engine knows past topics and who answered what from day one. The events are queued oldest
// first as history (learned from, never answered), behind live events.
import type { MatrixClient } from 'matrix-bot-sdk';
import type { Logger } from '../../core/logging.js';
import type { Store } from '../../core/store/index.js';
import { withRetry } from './errors.js';
import { isOwnJoin } from './own-join.js';
import { queuedEvent } from './queue-payload.js';

const PAGE = 100;

export async function backfillRoom(client: MatrixClient, store: Store, roomId: string, depth: number, logger: Logger): Promise<number> {
  const cursorKey = `backfilled:${roomId}`;
  if (depth === 0 || (await store.cursors.get('matrix', cursorKey))) return 0;
  const events: Record<string, unknown>[] = [];
  let from: string | undefined;
  while (events.length < depth) {
    const page = await withRetry(() => client.doRequest('GET', `/_matrix/client/v3/rooms/${encodeURIComponent(roomId)}/messages`, {
      dir: 'b', limit: Math.min(PAGE, depth - events.length), ...(from ? { from } : {}),
    })) as { chunk?: unknown; end?: unknown } | null;
    const chunk = Array.isArray(page?.chunk) ? (page.chunk as unknown[]) : [];
    for (const e of chunk) if (e && typeof e === 'object' && typeof (e as { event_id?: unknown }).event_id === 'string') events.push(e as Record<string, unknown>);
    if (chunk.length === 0 || typeof page?.end !== 'string' || page.end === from) break;
    from = page.end;
  }
  events.reverse();
  // Only what came before the bot joined is history; anything after its join reaches it through
  // /sync as live, and must not be queued here first, as history, never to be answered.
  const bot = await client.getUserId();
  const joined = events.findLastIndex((e) => isOwnJoin(e, bot));
  if (joined >= 0) events.splice(joined);
  const added = await store.inbox.enqueue('matrix', events.map((event) => queuedEvent(roomId, event, true)));
  await store.cursors.set('matrix', cursorKey, new Date().toISOString());
  logger.info({ roomId, read: events.length, queued: added }, 'read room history');
  return added;
}

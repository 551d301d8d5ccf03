// The weekly step of the scheduler: once per ISO week (UTC), for the week that just ended, the
// recognition digests of members who asked for them and introductions of members who keep
// helping with the same things. The actions are keyed per member (or pair) and week, so a
// crash mid-way repeats nothing; a cursor records the finished week, so the minute-by-minute
// tick does the work once.
import type { KeyedAction } from './actions.js';
import type { ConciergeContext } from './context.js';
import { isoWeekOf } from './iso-week.js';
import { kindredIntroductions } from './kindred.js';
import { recognitionDigests } from './recognition.js';

const DAY = 86_400_000;
const CURSOR = 'concierge:weekly';

/** Runs the weekly work for the week before `now` unless it was done; submits its actions. */
export async function weeklyStep(ctx: ConciergeContext, now: Date): Promise<void> {
  // The cursor lives with the first platform the bot runs on (cursors are kept per platform).
  const platform = [...ctx.bots.keys()][0];
  if (!platform) return;
  const week = isoWeekOf(new Date(isoWeekOf(now).start.getTime() - DAY));
  if ((await ctx.store.cursors.get(platform, CURSOR)) === week.label) return;
  const actions: KeyedAction[] = [...(await recognitionDigests(ctx, week)), ...(await kindredIntroductions(ctx, now))];
  await ctx.submit(actions);
  await ctx.store.cursors.set(platform, CURSOR, week.label);
}

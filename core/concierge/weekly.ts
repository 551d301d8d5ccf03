// The weekly step of the scheduler: once per ISO week (UTC), for the week that just ended, the
// recognition digests of members who asked for them and introductions of members who keep
// helping with the same things. The actions are keyed per member (or pair) and week, so a
// crash mid-way repeats nothing; a cursor records the finished week, so the minute-by-minute
// tick does the work once.
import type { KeyedAction } from './actions.js';
import type { ConciergeContext } from './context.js';
import { kindredIntroductions } from './kindred.js';
import { recognitionDigests } from './recognition.js';

const DAY = 86_400_000;
const CURSOR = 'concierge:weekly';

export interface IsoWeek {
  /** e.g. "2025-W23". */
  label: string;
  /** Monday 00:00 UTC. */
  start: Date;
  /** The next Monday 00:00 UTC. */
  end: Date;
}

/** The ISO week (Monday to Sunday, UTC) that contains `at`. */
export function isoWeekOf(at: Date): IsoWeek {
  const day = new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate()));
  const start = new Date(day.getTime() - ((day.getUTCDay() + 6) % 7) * DAY);
  // The ISO year is the year of the week's Thursday; week 1 holds the year's first Thursday.
  const thursday = new Date(start.getTime() + 3 * DAY);
  const year = thursday.getUTCFullYear();
  const week = Math.floor((thursday.getTime() - Date.UTC(year, 0, 1)) / (7 * DAY)) + 1;
  return { label: `${year}-W${String(week).padStart(2, '0')}`, start, end: new Date(start.getTime() + 7 * DAY) };
}

/** Runs the weekly work for the week before `now` unless it was done; submits its actions. */
export async function weeklyStep(ctx: ConciergeContext, now: Date): Promise<void> {
  // The cursor lives with the first platform the bot runs on (cursors are kept per platform).
  const platform = [...ctx.bots.keys()][0];
  if (!platform) return;
  const week = isoWeekOf(new Date(isoWeekOf(now).start.getTime() - DAY));
  if ((await ctx.store.cursors.get(platform, CURSOR)) === week.label) return;
  const actions: KeyedAction[] = [
    ...(await recognitionDigests(ctx, week)),
    ...(await kindredIntroductions(ctx, now)),
  ];
  await ctx.submit(actions);
  await ctx.store.cursors.set(platform, CURSOR, week.label);
}

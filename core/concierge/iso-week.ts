// The ISO week (UTC) the weekly step works on. Its own module because both the weekly step and
// the introductions it runs (kindred.ts) need it: kept in weekly.ts it made an import cycle.

const DAY = 86_400_000;

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

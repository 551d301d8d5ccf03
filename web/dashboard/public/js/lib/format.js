// Numbers as a busy manager reads them: counts, percentages, durations, dates, changes.
const count = new Intl.NumberFormat('en', { maximumFractionDigits: 0 });
const day = new Intl.DateTimeFormat('en', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });
const dayTime = new Intl.DateTimeFormat('en', {
  day: 'numeric',
  month: 'short',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  timeZone: 'UTC',
  timeZoneName: 'short',
});

export const NONE = '–';

export function formatCount(n) {
  return n === null || n === undefined ? NONE : count.format(n);
}

export function formatPercent(rate) {
  return rate === null || rate === undefined ? NONE : `${Math.round(rate * 100)}%`;
}

/** 95000 -> "1.6 min", 5400000 -> "1.5 h". */
export function formatDuration(ms) {
  if (ms === null || ms === undefined) return NONE;
  const minutes = ms / 60_000;
  if (minutes < 1) return `${Math.round(ms / 1000)} s`;
  if (minutes < 60) return `${round1(minutes)} min`;
  const hours = minutes / 60;
  if (hours < 48) return `${round1(hours)} h`;
  return `${round1(hours / 24)} d`;
}

export function formatDay(iso) {
  return iso ? day.format(new Date(iso.length === 10 ? `${iso}T00:00:00Z` : iso)) : NONE;
}

export function formatDayTime(iso) {
  return iso ? dayTime.format(new Date(iso)) : NONE;
}

/** "Week of 3 Mar 2025" labels are long; charts use "3 Mar". */
export function formatWeek(weekStart) {
  return new Intl.DateTimeFormat('en', { day: 'numeric', month: 'short', timeZone: 'UTC' }).format(new Date(`${weekStart}T00:00:00Z`));
}

/** A signed change in the metric's own unit: "+3", "−12%"-points, "+1.5 h". */
export function formatChange(change, kind) {
  if (change === null || change === undefined) return NONE;
  if (change === 0) return '±0';
  const sign = change > 0 ? '+' : '−';
  const size = Math.abs(change);
  if (kind === 'rate') return `${sign}${Math.round(size * 100)} pts`;
  if (kind === 'duration') return `${sign}${formatDuration(size)}`;
  return `${sign}${count.format(size)}`;
}

function round1(x) {
  return Math.round(x * 10) / 10;
}

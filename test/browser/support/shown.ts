// How the pages print numbers (web/dashboard/public/js/lib/format.js), to compare what a page
// shows with what the API answered.
const count = new Intl.NumberFormat('en', { maximumFractionDigits: 0 });

export const shownCount = (n: number | null): string => (n === null ? '–' : count.format(n));
export const shownPercent = (rate: number | null): string => (rate === null ? '–' : `${Math.round(rate * 100)}%`);

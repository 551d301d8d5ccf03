// Dashboard metrics: pure functions over plain records (see connections.ts for the definitions).
export * from './connections.js';
export { isoWeekStart, previousPeriod, utcDateKey, weeksOf } from './weeks.js';

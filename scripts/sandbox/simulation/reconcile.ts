// After the simulated weeks: every request a member made of the bot should be a problem in the
// service's database, and every problem there should be a request a member made. The sandbox
// prints both differences, so a lost request (or one the bot made up) names itself.
import type { Problem } from '../../../core/store/index.js';
import type { Place } from './stage.js';

export interface AskedRequest {
  place: Place;
  /** Simulated time it was asked (ms). */
  askedAt: number;
  who: string;
}

export interface Reconciliation {
  /** Requests members made that the service never opened. */
  notOpened: string[];
  /** Problems the service opened in the period that no member's request explains. */
  notAsked: string[];
}

const placeKey = (place: Place): string => (place.platform === 'matrix' ? `matrix:${place.root}` : `discourse:${place.topicId}`);

export function reconcile(asked: readonly AskedRequest[], problems: readonly Problem[], period: { from: Date; to: Date }): Reconciliation {
  // A request asked just before the end may be opened a moment after it: it was not lost.
  const openedKeys = new Set(problems.filter((p) => p.createdAt >= period.from).map((p) => `${p.platform}:${p.threadId}`));
  const opened = problems.filter((p) => p.createdAt >= period.from && p.createdAt < period.to);
  const askedKeys = new Set(asked.map((a) => placeKey(a.place)));
  const when = (ms: number) => new Date(ms).toISOString().slice(0, 16);
  return {
    notOpened: asked.filter((a) => !openedKeys.has(placeKey(a.place))).map((a) => `${placeKey(a.place)} asked by ${a.who} at ${when(a.askedAt)}`),
    notAsked: opened
      .filter((p) => !askedKeys.has(`${p.platform}:${p.threadId}`))
      .map(
        (p) =>
          `problem ${p.id} (${p.platform}:${p.threadId}, event ${p.sourceEventId}, opened ${when(p.createdAt.getTime())}): ${JSON.stringify(p.text.slice(0, 100))}`,
      ),
  };
}

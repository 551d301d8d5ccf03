/**
 * Unassisted resolutions: help requests members resolved without calling the bot, kind (b) of
 * bypass (defined in bypass.ts), given explicitly or derived from the platforms' threads.
 */
import type { DocumentKind, MemberId, Platform } from '../types.js';
import type { ProblemRecord, UnassistedResolution } from './records.js';
import { inPeriod, isValidDate, type Period } from './weeks.js';

/** Valid, de-duplicated unassisted resolutions, minus self-resolutions (in the period, if given). */
export function cleanResolutions(resolutions: readonly UnassistedResolution[], period?: Period): UnassistedResolution[] {
  const seen = new Set<string>();
  const out: UnassistedResolution[] = [];
  const valid = resolutions.filter((r) => isValidDate(r.at)).sort((x, y) => x.at.getTime() - y.at.getTime());
  for (const r of valid) {
    if (period && !inPeriod(r.at, period)) continue;
    if (r.requesterId != null && r.requesterId === r.helperId) continue;
    const keys: string[] = [];
    if (r.id !== undefined) keys.push(`id:${r.id}`);
    if (r.threadId != null) keys.push(`thread:${r.platform ?? ''}:${r.threadId}`);
    if (keys.some((k) => seen.has(k))) continue;
    for (const k of keys) seen.add(k);
    out.push(r);
  }
  return out;
}

/** A document as far as resolution detection needs it (a StoredDocument fits). */
export interface ThreadDocument {
  platform: Platform;
  threadId: string;
  kind: DocumentKind;
  text?: string;
  authorId?: MemberId | null;
  accepted: boolean;
  score?: number;
  createdAt: Date;
}

/**
 * Help requests resolved without the bot, from documents: a thread with no Problem (matched by
 * platform + threadId) whose first document is a request (kind question/topic, or its text has
 * a "?") and where another member's document is accepted or scored above 0. Dated by the first
 * such document; one resolution per thread.
 */
export function unassistedResolutionsFromThreads(documents: readonly ThreadDocument[], problems: readonly ProblemRecord[]): UnassistedResolution[] {
  const withProblem = new Set(problems.filter((p) => p.platform && p.threadId != null).map((p) => `${p.platform}:${p.threadId}`));
  const threads = new Map<string, ThreadDocument[]>();
  for (const d of documents) {
    if (!isValidDate(d.createdAt)) continue;
    const key = `${d.platform}:${d.threadId}`;
    if (withProblem.has(key)) continue;
    const list = threads.get(key) ?? [];
    list.push(d);
    threads.set(key, list);
  }
  const out: UnassistedResolution[] = [];
  for (const docs of threads.values()) {
    docs.sort((x, y) => x.createdAt.getTime() - y.createdAt.getTime());
    const [root] = docs;
    if (!root || root.authorId == null) continue;
    const isRequest = root.kind === 'question' || root.kind === 'topic' || (root.text ?? '').includes('?');
    if (!isRequest) continue;
    const answer = docs.find((d) => d !== root && d.authorId != null && d.authorId !== root.authorId && (d.accepted || (d.score ?? 0) > 0));
    if (!answer) continue;
    out.push({ at: answer.createdAt, requesterId: root.authorId, helperId: answer.authorId ?? null, platform: root.platform, threadId: root.threadId });
  }
  return out.sort((x, y) => x.at.getTime() - y.at.getTime());
}

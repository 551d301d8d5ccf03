// Which threads a help request's own analysis must not return. The knowledge base keys threads
// as `platform:threadId` (threadKey); the platforms' bare ids (a Matrix event id, a forum topic
// id) never match it, which once made every request its own first "related topic".
import { threadKey } from './knowledge-base.js';
import type { Platform } from '../types.js';

export interface ThreadRef {
  platform: Platform;
  threadId: string;
}

/** Knowledge-base thread keys of the given threads (the request's own, and the one it points at). */
export function excludedThreads(...threads: readonly ThreadRef[]): ReadonlySet<string> {
  return new Set(threads.map((t) => threadKey(t)));
}

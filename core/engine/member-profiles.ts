// What the community's history says about each member as a helper, kept current as documents
// arrive: how much and how lately they answered, in which tags, for whom, how quickly, how their
// answers were received, and the centre of the topics they answered. Routing's features read it.
import type { DocumentId, MemberId } from '../types.js';
import type { IndexedDocument, KnowledgeBase } from './knowledge-base.js';

const DAY_MS = 86_400_000;

/**
 * Days after a question before its answers' acceptance and votes count as evidence: on a forum
 * they settle over weeks, and using them earlier would credit a member with what happened after
 * the moment being replayed. Replays (training, evaluation) hold outcomes back this long.
 */
export const OUTCOME_DELAY_DAYS = 30;

export interface MemberProfile {
  /** Replies to other members' threads. */
  answers: number;
  /** Threads they opened. */
  asked: number;
  lastAnswer: number;
  /** Threads answered (keys), each counted once for tags and the topic centre. */
  threads: Set<string>;
  /** Sum of the opening posts' vectors of the threads answered. */
  centre: Float32Array | undefined;
  /** Threads answered per tag. */
  tags: Map<string, number>;
  /** Threads answered per asker. */
  askers: Map<MemberId, number>;
  /** Answers posted within a day of the thread's start. */
  quick: number;
  /** Time of each thread answered, with the thread's tags, oldest first. */
  answered: [number, readonly string[]][];
  /** Answers whose outcome (accepted, score) is known, and what it was. */
  judged: number;
  accepted: number;
  /** Sum of max(0, score) over judged answers. */
  votes: number;
}

const emptyProfile = (): MemberProfile => ({
  answers: 0,
  asked: 0,
  lastAnswer: Number.NEGATIVE_INFINITY,
  threads: new Set(),
  centre: undefined,
  tags: new Map(),
  answered: [],
  askers: new Map(),
  quick: 0,
  judged: 0,
  accepted: 0,
  votes: 0,
});

export class MemberProfiles {
  private readonly profiles = new Map<MemberId, MemberProfile>();
  /** Threads answered per tag, all members together. */
  readonly tagAnswers = new Map<string, number>();
  private readonly judgedDocs = new Set<DocumentId>();

  constructor(private readonly kb: KnowledgeBase) {}

  get(m: MemberId): MemberProfile | undefined {
    return this.profiles.get(m);
  }

  members(): IterableIterator<[MemberId, MemberProfile]> {
    return this.profiles.entries();
  }

  private profile(m: MemberId): MemberProfile {
    let p = this.profiles.get(m);
    if (!p) this.profiles.set(m, (p = emptyProfile()));
    return p;
  }

  /**
   * Learns from a document just added to the knowledge base. `withOutcome` false keeps its
   * accepted flag and score out until revealOutcome (replays: outcomes are only known later).
   */
  observe(doc: IndexedDocument, withOutcome = true): void {
    if (doc.authorId === undefined) return;
    const p = this.profile(doc.authorId);
    if (doc.isRoot) {
      p.asked++;
      return;
    }
    const thread = this.kb.threads.get(doc.thread);
    const root = thread ? this.kb.representative(thread) : undefined;
    if (root?.id === doc.id || (root && root.authorId === doc.authorId)) return; // talking in their own thread
    p.answers++;
    p.lastAnswer = Math.max(p.lastAnswer, doc.time);
    if (root && doc.time - root.time <= DAY_MS) p.quick++;
    if (withOutcome) this.revealOutcome(doc.id, doc.accepted, doc.score);
    if (p.threads.has(doc.thread)) return;
    p.threads.add(doc.thread);
    if (!root) return;
    p.answered.push([doc.time, root.tags]);
    for (const t of root.tags) {
      p.tags.set(t, (p.tags.get(t) ?? 0) + 1);
      this.tagAnswers.set(t, (this.tagAnswers.get(t) ?? 0) + 1);
    }
    if (root.authorId !== undefined) p.askers.set(root.authorId, (p.askers.get(root.authorId) ?? 0) + 1);
    const centre = p.centre ?? new Float32Array(this.kb.dims);
    if (this.kb.addVectorInto(root.id, centre)) p.centre = centre;
  }

  /** An answer's outcome became known: it was accepted or not, and its score. Counted once. */
  revealOutcome(id: DocumentId, accepted: boolean, score: number): void {
    if (this.judgedDocs.has(id)) return;
    const doc = this.kb.get(id);
    if (!doc || doc.authorId === undefined || doc.isRoot) return;
    const p = this.profiles.get(doc.authorId);
    if (!p) return;
    this.judgedDocs.add(id);
    p.judged++;
    if (accepted) p.accepted++;
    p.votes += Math.max(0, score);
  }

  /**
   * Recounts a member from their documents still in the knowledge base (call after removing one
   * of theirs: a removed post, or an opt-out). Sums such as the topic centre cannot subtract
   * exactly, and a rebuild is cheap next to how rarely documents are removed.
   */
  recount(author: MemberId): void {
    const p = this.profiles.get(author);
    if (p) for (const [t, n] of p.tags) this.tagAnswers.set(t, (this.tagAnswers.get(t) ?? 0) - n);
    this.profiles.delete(author);
    for (const d of this.kb.docs.values()) {
      if (d.authorId !== author) continue;
      this.judgedDocs.delete(d.id);
      this.observe(d);
    }
  }
}

// Replays a community's history in time order to learn routing from it: at each question the
// candidates' features are taken as they were at that moment (only earlier documents, and an
// answer's accepted flag and score only once its question is OUTCOME_DELAY_DAYS old), and the
// members who then answered are what the ranker learns to put first. The engine's background
// calibration and the evaluation harness both drive this class, so what is measured is what
// runs.
import type { DocumentId, KnowledgeDocument, MemberId } from '../types.js';
import { KnowledgeBase, type PreparedQuery } from './knowledge-base.js';
import { MemberProfiles, OUTCOME_DELAY_DAYS } from './member-profiles.js';
import { matchThreads, routingCandidates, routingFeatures } from './routing-features.js';
import { RoutingLearner, type RoutingLearnerOptions } from './routing-learner.js';

const DAY_MS = 86_400_000;

export { OUTCOME_DELAY_DAYS };

/** Documents retrieved from each index per question (the engine's default). */
const CANDIDATES = 100;

/** What a replayed question's candidates looked like when it was asked. */
export interface ReplayedQuestion {
  members: MemberId[];
  rows: Float32Array[];
  prepared: PreparedQuery;
}

interface PendingOutcome {
  questionTime: number;
  id: DocumentId;
  accepted: boolean;
  score: number;
}

export class RoutingReplay {
  readonly kb: KnowledgeBase;
  readonly profiles: MemberProfiles;
  readonly learner: RoutingLearner;
  private readonly outcomes: PendingOutcome[] = [];
  private now = Number.NEGATIVE_INFINITY;

  constructor(dims: number, options: RoutingLearnerOptions = {}) {
    this.kb = new KnowledgeBase(dims);
    this.profiles = new MemberProfiles(this.kb);
    this.learner = new RoutingLearner(options);
  }

  /** Moves the clock: reveals outcomes that are old enough and lets the learner refit. */
  advance(now: number): void {
    if (now < this.now) return;
    this.now = now;
    let revealed = 0;
    while (revealed < this.outcomes.length && this.outcomes[revealed]!.questionTime <= now - OUTCOME_DELAY_DAYS * DAY_MS) {
      const o = this.outcomes[revealed++]!;
      this.profiles.revealOutcome(o.id, o.accepted, o.score);
    }
    this.outcomes.splice(0, revealed);
    this.learner.update(now);
  }

  /**
   * Adds the next document (documents must come in time order). For a question, returns its
   * candidates' features as they were when it was asked, and records them for learning.
   */
  add(doc: KnowledgeDocument, vector: Float32Array): ReplayedQuestion | undefined {
    const time = doc.createdAt.getTime();
    this.advance(time);
    let asked: ReplayedQuestion | undefined;
    const rootKind = doc.kind === 'question' || doc.kind === 'topic' || !this.kb.threads.has(`${doc.platform}:${doc.threadId}`);
    if (rootKind) {
      const prepared = this.kb.prepare({ vector, text: doc.title ? `${doc.title}\n\n${doc.text}` : doc.text }, CANDIDATES);
      const threads = matchThreads(this.kb, prepared, { before: time });
      const members = routingCandidates(this.profiles, doc.authorId);
      const rows = routingFeatures(this.kb, this.profiles, prepared, threads, { now: time, tags: doc.tags, askerId: doc.authorId }, members);
      asked = { members, rows, prepared };
      this.learner.record(`${doc.platform}:${doc.threadId}`, time, doc.authorId, members, rows);
    }
    // Outcomes wait until their question is old enough; the knowledge base never holds them.
    const added = this.kb.add({ ...doc, accepted: false, score: 0 }, vector);
    this.profiles.observe(added, false);
    if (!added.isRoot && added.authorId !== undefined) {
      this.learner.answered(added.thread, added.authorId);
      const root = this.kb.representative(this.kb.threads.get(added.thread)!);
      const outcome = { questionTime: root?.time ?? time, id: added.id, accepted: doc.accepted, score: doc.score };
      // Kept in question order; answers mostly come in that order, so this is nearly an append.
      let at = this.outcomes.length;
      while (at > 0 && this.outcomes[at - 1]!.questionTime > outcome.questionTime) at--;
      this.outcomes.splice(at, 0, outcome);
    }
    return asked;
  }
}

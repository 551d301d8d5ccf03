import { describe, expect, it } from 'vitest';
import { scoreRow } from '../../../core/engine/linear-ranker.js';
import { mulberry32 } from '../../../core/random.js';
import { OUTCOME_DELAY_DAYS, RoutingReplay } from '../../../core/engine/routing-replay.js';
import { documentId, memberId, type KnowledgeDocument, type MemberId } from '../../../core/types.js';
import { FAKE_DIMS, fakeVector } from './fake-vectors.js';

const DAY = 86_400_000;
const start = Date.UTC(2025, 0, 1);
const alice = memberId(1); // answers equity questions
const bob = memberId(2); // answers hiring questions
const carol = memberId(3); // answers a little of everything, and most often
const askers = [memberId(10), memberId(11), memberId(12), memberId(13)];

const TOPICS = {
  equity: {
    title: 'Equity split and vesting between cofounders',
    text: 'How should cofounders split equity shares and set vesting with a cliff?',
    tag: 'equity',
    expert: alice,
  },
  hiring: { title: 'Hiring our first engineers', text: 'How do we interview engineers and set salaries for the first hires?', tag: 'hiring', expert: bob },
};

let nextId = 1;
function doc(partial: Partial<KnowledgeDocument> & Pick<KnowledgeDocument, 'threadId' | 'text' | 'createdAt'>): KnowledgeDocument {
  return { id: documentId(nextId++), platform: 'discourse', kind: 'answer', tags: [], accepted: false, score: 0, ...partial };
}

/** Two questions a day for `days` days; each answered by its topic's expert and, at random half the time, by carol first. */
function community(days: number): RoutingReplay {
  const replay = new RoutingReplay(FAKE_DIMS, { minGroups: 20 });
  const random = mulberry32(7);
  for (let d = 0; d < days; d++) {
    for (const [i, topic] of Object.values(TOPICS).entries()) {
      const thread = `q${d}-${i}`;
      const at = start + d * DAY + i * 1000;
      const question = doc({
        threadId: thread,
        kind: 'question',
        title: `${topic.title} (${d})`,
        text: topic.text,
        authorId: askers[(d + i) % askers.length],
        createdAt: new Date(at),
        tags: [topic.tag],
      });
      replay.add(question, fakeVector(`${question.title} ${question.text}`));
      const answerers: MemberId[] = random() < 0.5 ? [carol, topic.expert] : [topic.expert];
      answerers.forEach((m, k) => {
        const text = `${topic.text} My advice from experience ${k}.`;
        replay.add(
          doc({ threadId: thread, text, authorId: m, createdAt: new Date(at + (k + 1) * 3_600_000), accepted: m === topic.expert, score: 3 }),
          fakeVector(text),
        );
      });
    }
  }
  return replay;
}

describe('RoutingReplay', () => {
  it('learns from who answered earlier questions to ask the topical expert first', () => {
    nextId = 1;
    const replay = community(60);
    expect(replay.learner.learned).toBe(true);
    expect(replay.learner.trainingGroups).toBeGreaterThan(50);
    for (const topic of Object.values(TOPICS)) {
      const q = doc({
        threadId: `new-${topic.tag}`,
        kind: 'question',
        title: topic.title,
        text: topic.text,
        authorId: askers[0],
        createdAt: new Date(start + 61 * DAY),
        tags: [topic.tag],
      });
      const asked = replay.add(q, fakeVector(`${q.title} ${q.text}`))!;
      const ranker = replay.learner.ranker;
      const ranked = asked.members
        .map((m, i) => ({ m, s: scoreRow(ranker, asked.rows[i]!) }))
        .sort((a, b) => b.s - a.s)
        .map((x) => x.m);
      // Carol answers as often as each expert, and on both topics; the expert of this topic comes first.
      expect(ranked[0]).toBe(topic.expert);
      expect(ranked).not.toContain(askers[0]);
    }
  });

  it('counts an accepted answer only once its question is old enough', () => {
    nextId = 1;
    const replay = new RoutingReplay(FAKE_DIMS);
    const at = start;
    replay.add(
      doc({ threadId: 't', kind: 'question', title: 'Equity', text: TOPICS.equity.text, authorId: askers[0], createdAt: new Date(at) }),
      fakeVector('equity'),
    );
    replay.add(
      doc({ threadId: 't', text: 'Vest with a cliff.', authorId: alice, createdAt: new Date(at + DAY), accepted: true, score: 7 }),
      fakeVector('vest'),
    );
    // The knowledge base never holds the outcome; the profile learns it after the delay.
    expect([...replay.kb.docs.values()].some((d) => d.accepted || d.score !== 0)).toBe(false);
    replay.advance(at + (OUTCOME_DELAY_DAYS - 1) * DAY);
    expect(replay.profiles.get(alice)).toMatchObject({ answers: 1, judged: 0, accepted: 0 });
    replay.advance(at + OUTCOME_DELAY_DAYS * DAY);
    expect(replay.profiles.get(alice)).toMatchObject({ answers: 1, judged: 1, accepted: 1, votes: 7 });
  });
});

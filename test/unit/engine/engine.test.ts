import { beforeEach, describe, expect, it } from 'vitest';
import { ADD_WINDOW, Engine, PARALLEL_TERMS_FROM } from '../../../core/engine/engine.js';
import { ParallelTerms } from '../../../core/search/parallel-terms.js';
import { documentId, memberId, type KnowledgeDocument } from '../../../core/types.js';
import { FakeVectors } from './fake-vectors.js';

const day = (n: number): Date => new Date(Date.UTC(2025, 0, 1) + n * 86_400_000);
let nextId = 1;
function doc(partial: Partial<KnowledgeDocument> & Pick<KnowledgeDocument, 'threadId' | 'text'>): KnowledgeDocument {
  return { id: documentId(nextId++), platform: 'discourse', kind: 'question', createdAt: day(nextId), tags: [], accepted: false, score: 0, ...partial };
}

const alice = memberId(1);
const bob = memberId(2);
const carol = memberId(3);
const dave = memberId(4);

async function community(): Promise<Engine> {
  const engine = await Engine.create(new FakeVectors(), { similar: { maxResults: 5, minScore: 0.3, lexicalWeight: 0.35 } });
  await engine.defineTags([
    { name: 'equity', description: 'shares, vesting and splitting ownership between founders' },
    { name: 'hiring', description: 'recruiting engineers, interviews, salaries' },
    { name: 'pricing', description: 'setting prices and plans for customers' },
  ]);
  await engine.addDocuments([
    doc({
      threadId: 't1',
      title: 'How to split equity between cofounders',
      text: 'Two cofounders, one joined later. How should we split equity and vesting?',
      authorId: dave,
      tags: ['equity'],
    }),
    doc({ threadId: 't1', kind: 'answer', text: 'Use vesting with a cliff and split equity by contribution.', authorId: alice, accepted: true, score: 5 }),
    doc({ threadId: 't1', kind: 'answer', text: 'We split equity equally and regretted it; vesting saved us.', authorId: bob }),
    doc({
      threadId: 't2',
      title: 'Equity vesting for a late cofounder',
      text: 'Our third cofounder wants equity without vesting.',
      authorId: dave,
      tags: ['equity'],
    }),
    doc({ threadId: 't2', kind: 'answer', text: 'Insist on vesting for every cofounder, including equity grants.', authorId: alice }),
    doc({
      threadId: 't3',
      title: 'Hiring our first engineers',
      text: 'How do we interview and pay salaries for the first engineers?',
      authorId: dave,
      tags: ['hiring'],
    }),
    doc({ threadId: 't3', kind: 'answer', text: 'Interview engineers with a paid project; salaries per market.', authorId: carol }),
  ]);
  return engine;
}

describe('Engine', () => {
  let engine: Engine;
  beforeEach(async () => {
    nextId = 1;
    engine = await community();
  });

  it('tags from history and from tag names', async () => {
    const a = await engine.analyze({ text: 'How much equity and what vesting should a new cofounder get?', now: day(100) });
    expect(a.tags[0]?.tag).toBe('equity');
    expect(a.tags[0]!.confidence).toBeGreaterThan(0.3);
    expect(a.tags.map((t) => t.tag)).not.toContain('pricing');
  });

  it('links similar threads once each, and drops weak matches', async () => {
    const a = await engine.analyze({ text: 'Splitting equity and vesting with a cofounder', now: day(100) });
    const threads = a.similar.map((s) => s.threadKey);
    expect(new Set(threads).size).toBe(threads.length);
    expect(threads.slice(0, 2).sort()).toEqual(['discourse:t1', 'discourse:t2']);
    expect(threads).not.toContain('discourse:t3');
    const unrelated = await engine.analyze({ text: 'Which wine goes with fish?', now: day(100) });
    expect(unrelated.similar).toEqual([]);
  });

  it('ranks the members who answered similar problems, with a readable reason', async () => {
    const a = await engine.analyze({ text: 'Equity split and vesting for cofounders?', originatorId: dave, now: day(100) });
    const ranked = a.members.recommended.map((r) => r.memberId);
    expect(ranked[0]).toBe(alice);
    expect(ranked).not.toContain(dave);
    expect(ranked.indexOf(bob)).toBeLessThan(ranked.indexOf(carol) === -1 ? Infinity : ranked.indexOf(carol));
    expect(a.members.recommended[0]!.reason).toMatch(/^answered ".*split equity.*" \(accepted answer\) and 1 other related topic$/i);
  });

  it('lets feedback and recent invitations move members: helpful up, ignored and busy down', async () => {
    const problem = { text: 'Equity split and vesting for cofounders?', originatorId: dave, now: day(100) };
    const base = await engine.analyze(problem);
    const score = (a: typeof base, m: typeof alice) => a.members.recommended.find((r) => r.memberId === m)?.score ?? Number.NEGATIVE_INFINITY;
    expect(score(base, alice)).toBeGreaterThan(score(base, bob));
    // Alice was asked three times this week and ignored two invitations; bob was thanked often.
    // Scores are log-odds: feedback multiplies the odds (bob's by 1.5, alice's by under a half).
    const shaped = await engine.analyze({ ...problem, standing: (m) => (m === alice ? { recent: 3, ignored: 2 } : m === bob ? { helpful: 5 } : {}) });
    expect(score(shaped, alice) - score(base, alice)).toBeLessThan(Math.log(0.5));
    expect(score(shaped, bob) - score(base, bob)).toBeCloseTo(Math.log(1.5), 6);
    expect(shaped.members.recommended[0]!.memberId).toBe(bob);
  });

  it('skips members who opted out or are over budget, and says why', async () => {
    const a = await engine.analyze({
      text: 'Equity split and vesting for cofounders?',
      originatorId: dave,
      now: day(100),
      standing: (m) => (m === alice ? { ineligible: 'opted-out' } : m === bob ? { ineligible: 'over-budget' } : undefined),
    });
    const ranked = a.members.recommended.map((r) => r.memberId);
    expect(ranked).not.toContain(alice);
    expect(ranked).not.toContain(bob);
    expect(a.members.skipped).toEqual([
      { memberId: alice, why: 'opted-out' },
      { memberId: bob, why: 'over-budget' },
    ]);
  });

  it('does not suggest the problem its own thread', async () => {
    const a = await engine.analyze({ text: 'How to split equity between cofounders', excludeThreads: new Set(['discourse:t1']), now: day(100) });
    expect(a.similar.map((s) => s.threadKey)).not.toContain('discourse:t1');
  });

  it('detects help requests; a bot mention always counts', async () => {
    expect((await engine.analyze({ text: 'Any advice on hiring our first engineers? We are stuck.', now: day(100) })).help.isHelpRequest).toBe(true);
    expect((await engine.analyze({ text: 'Thanks everyone!', now: day(100) })).help.isHelpRequest).toBe(false);
    const mention = await engine.analyze({ text: 'Thanks everyone!', mentionsBot: true, now: day(100) });
    expect(mention.help).toMatchObject({ isHelpRequest: true, confidence: 1 });
  });

  it('survives empty, huge, emoji-only and non-English problems', async () => {
    for (const text of ['', '   ', '🎉🙏🎉', 'Wie teile ich Anteile zwischen Gründern auf?', 'equity '.repeat(150_000)]) {
      const a = await engine.analyze({ text, now: day(100) });
      expect(Array.isArray(a.tags)).toBe(true);
      expect(a.help.confidence).toBeGreaterThanOrEqual(0);
      expect(a.help.confidence).toBeLessThanOrEqual(1);
    }
  });

  it('forgets removed documents', async () => {
    for (const d of [...engine.kb.docs.values()].filter((d) => d.thread === 'discourse:t2')) engine.removeDocument(d.id);
    const a = await engine.analyze({ text: 'Equity vesting for a late cofounder', now: day(100) });
    expect(a.similar.map((s) => s.threadKey)).not.toContain('discourse:t2');
  });
});

describe('Engine.addDocuments on a long history', () => {
  it('indexes it a window at a time, reporting progress over the whole history', async () => {
    const vectors = new FakeVectors();
    const engine = await Engine.create(vectors);
    const callsBefore = vectors.calls;
    const history = Array.from({ length: 4_500 }, (_, i) => doc({ threadId: `t${i}`, text: `topic ${i % 97} about budget number ${i}` }));
    const seen: [number, number][] = [];
    await engine.addDocuments(history, (done, total) => seen.push([done, total]));
    expect(engine.kb.size).toBe(4_500);
    expect(vectors.calls - callsBefore).toBe(Math.ceil(4_500 / ADD_WINDOW));
    expect(seen.at(-1)).toEqual([4_500, 4_500]);
    expect(seen.every(([done], i) => i === 0 || done >= seen[i - 1]![0])).toBe(true);
    expect(engine.kb.vectors.byteLength).toBeLessThan(4_500 * 64 * 4 * 1.2);
  });

  it('tokenizes a history of PARALLEL_TERMS_FROM documents or more on a worker thread, to the same index', async () => {
    const words = ['budget', 'hiring', 'vesting', 'pricing', 'churn', 'roadmap', 'équipe', "don't", 'plans'];
    const history = Array.from({ length: PARALLEL_TERMS_FROM + 700 }, (_, i) =>
      doc({ threadId: `p${i % 3000}`, title: i % 4 ? undefined : `Question ${i % 89}`, text: `${words[i % 9]} ${words[(i * 5) % 9]} topic${i % 1013} n${i}` }),
    );
    // Re-adding a document (same id) inside one call: its old terms are removed first.
    history.push({ ...history[5]!, text: 'replaced text about churn' });
    const workers = ParallelTerms.started;
    const parallel = await Engine.create(new FakeVectors());
    await parallel.addDocuments(history);
    expect(ParallelTerms.started).toBe(workers + 1);
    const here = await Engine.create(new FakeVectors());
    for (let from = 0; from < history.length; from += PARALLEL_TERMS_FROM / 2) await here.addDocuments(history.slice(from, from + PARALLEL_TERMS_FROM / 2));
    expect(ParallelTerms.started).toBe(workers + 1);
    expect(parallel.kb.size).toBe(PARALLEL_TERMS_FROM + 700);
    expect(parallel.kb.lexical.postingCount).toBe(here.kb.lexical.postingCount);
    for (const q of ['budget hiring', 'équipe plans', 'topic17 churn', 'question 5', 'n12345', 'replaced', "don't vesting"])
      expect(parallel.kb.lexical.search(q, 20)).toEqual(here.kb.lexical.search(q, 20));
  });
});

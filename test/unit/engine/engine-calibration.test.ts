// The engine fitting itself on its community's history: in the background, again as the history
// grows, stoppable, with operator overrides winning; and routing on declared interests alone.
import { describe, expect, it } from 'vitest';
import { CalibrationStopped, Engine, MIN_DOCUMENTS_TO_CALIBRATE } from '../../../core/engine/engine.js';
import type { EngineCalibration } from '../../../core/engine/calibration.js';
import { documentId, memberId, type KnowledgeDocument } from '../../../core/types.js';
import { FakeVectors } from './fake-vectors.js';

const DAY = 86_400_000;
const start = Date.UTC(2025, 0, 1);
const TOPICS = [
  { tag: 'equity', words: 'equity vesting cofounder shares cliff dilution', expert: memberId(1) },
  { tag: 'hiring', words: 'hiring interview engineer salary recruiter offer', expert: memberId(2) },
  { tag: 'pricing', words: 'pricing plans discount subscription churn invoice', expert: memberId(3) },
];

let nextId = 1;
/**
 * `days` days of questions (one per topic a day, each also mentioning another topic, as real
 * questions stray), each answered by its topic's expert.
 */
function history(days: number, from = 0): KnowledgeDocument[] {
  const docs: KnowledgeDocument[] = [];
  for (let d = from; d < from + days; d++) {
    TOPICS.forEach((t, i) => {
      const w = t.words.split(' ');
      const other = TOPICS[(i + 1 + (d % 2)) % TOPICS.length]!.words.split(' ');
      const at = start + d * DAY + i * 60_000;
      const base = { platform: 'discourse' as const, threadId: `q${d}-${i}`, accepted: false, score: 0 };
      docs.push({
        ...base,
        id: documentId(nextId++),
        kind: 'question',
        title: `${w[d % 6]} and ${w[(d + 1) % 6]}`,
        text: `Question about ${w[(d + 2) % 6]} ${other[d % 6]} ${other[(d + 3) % 6]}`,
        authorId: memberId(10 + (d % 5)),
        createdAt: new Date(at),
        tags: [t.tag],
      });
      docs.push({
        ...base,
        id: documentId(nextId++),
        kind: 'answer',
        text: `Advice on ${w[(d + 4) % 6]}`,
        authorId: t.expert,
        createdAt: new Date(at + 3_600_000),
        tags: [],
        accepted: true,
        score: 2,
      });
    });
  }
  return docs;
}

describe('Engine calibration', () => {
  it('fits routing, tagging and similar topics on the history, stores it, and refits once the history grew by a tenth', async () => {
    nextId = 1;
    const engine = await Engine.create(new FakeVectors(), { autoCalibrate: false });
    const saved: EngineCalibration[] = [];
    engine.onCalibrated = (c) => void saved.push(c);
    expect(engine.calibrationDue).toBe(false); // no history yet
    await engine.addDocuments(history(60));
    expect(engine.kb.size).toBeGreaterThan(MIN_DOCUMENTS_TO_CALIBRATE);
    expect(engine.calibrationDue).toBe(true);

    // It gives the event loop back often: no stretch between two pauses is long.
    let last = performance.now();
    let longest = 0;
    const c = (await engine.calibrate(async () => {
      longest = Math.max(longest, performance.now() - last);
      await new Promise((resolve) => setImmediate(resolve));
      last = performance.now();
    }))!;
    expect(longest).toBeLessThan(500);
    expect(saved).toEqual([c]);
    expect(engine.calibration).toBe(c);
    expect(c.documents).toBe(360);
    expect(c.routing?.trainingQuestions).toBeGreaterThan(100);
    expect(c.tagging?.maxTags).toBe(1); // one tag per question in this community
    expect(c.similar?.queries).toBeGreaterThan(20);
    expect(engine.calibrationDue).toBe(false);
    expect(engine.effectiveSettings().tagging.maxTags).toBe(1);

    await engine.addDocuments(history(5, 60)); // +30 documents: under a tenth
    expect(engine.calibrationDue).toBe(false);
    await engine.addDocuments(history(2, 65));
    expect(engine.calibrationDue).toBe(true);
  });

  it('calibrates in the background by itself when enabled, and stops when asked', async () => {
    nextId = 1;
    const engine = await Engine.create(new FakeVectors(), { autoCalibrate: true });
    const saved: EngineCalibration[] = [];
    const errors: unknown[] = [];
    engine.onCalibrated = (c) => void saved.push(c);
    engine.onCalibrationError = (e) => errors.push(e);
    await engine.addDocuments(history(60));
    // It runs in small steps after the documents are in; the call itself returned at once.
    expect(saved).toEqual([]);
    await engine.stop();
    expect(saved).toEqual([]);
    expect(errors).toEqual([]);
    await expect(engine.calibrate()).rejects.toBeInstanceOf(CalibrationStopped);
  });

  it('quiet() waits for a background calibration that settled() does not wait for', async () => {
    nextId = 1;
    const engine = await Engine.create(new FakeVectors(), { autoCalibrate: true });
    const saved: EngineCalibration[] = [];
    engine.onCalibrated = (c) => void saved.push(c);
    await engine.addDocuments(history(60));
    await engine.settled();
    expect(saved).toEqual([]); // still calibrating: settled() covers tag training only
    await engine.quiet();
    expect(saved).toHaveLength(1);
    expect(engine.calibration).toBe(saved[0]);
    await engine.stop();
  });

  it('keeps what the operator fixed over what it learned', async () => {
    nextId = 1;
    const engine = await Engine.create(new FakeVectors(), { overrides: { similarMinScore: 0.7, tagMinConfidence: 0.05 } });
    await engine.addDocuments(history(60));
    await engine.calibrate(async () => undefined);
    const s = engine.effectiveSettings();
    expect(s.similar.minScore).toBe(0.7);
    expect(s.tagging.minConfidence).toBe(0.05);
    expect(s.similar.lexicalWeight).toBe(engine.calibration!.similar!.lexicalWeight);
  });
});

describe('Engine routing in a new community', () => {
  it('asks members whose declared interests match the problem, with no history at all', async () => {
    const engine = await Engine.create(new FakeVectors());
    await engine.setInterests(memberId(7), 'pricing plans, discounts and subscription churn');
    await engine.setInterests(memberId(8), 'hiring engineers, interviews and salary offers');
    const a = await engine.analyze({ text: 'What discount should our subscription pricing plans give?', originatorId: memberId(1), now: new Date(start) });
    expect(a.members.recommended[0]?.memberId).toBe(memberId(7));
    expect(a.members.recommended[0]?.reason).toMatch(/^said they can help with "pricing plans/);
    const b = await engine.analyze({ text: 'How do we interview engineers and make salary offers?', originatorId: memberId(1), now: new Date(start) });
    expect(b.members.recommended[0]?.memberId).toBe(memberId(8));
    // Their own problem: never asked.
    const own = await engine.analyze({ text: 'What discount should our subscription pricing plans give?', originatorId: memberId(7), now: new Date(start) });
    expect(own.members.recommended.map((r) => r.memberId)).not.toContain(memberId(7));
  });
});

import { describe, expect, it } from 'vitest';
import type { Feedback, FeedbackId, ResponseId } from '../store/types.js';
import { memberId, problemId } from '../types.js';
import {
  DEFAULT_CURATION_WEIGHTS,
  FEATURES,
  concreteKinds,
  cosine,
  feedbackValue,
  likesValue,
  originatorFeedbackFor,
  rankResponses,
  specificity,
  type CandidateResponse,
} from './curation.js';

const v = (...xs: number[]): Float32Array => Float32Array.from(xs);
const SUBSTANTIAL =
  'Incorporate in Delaware only if you plan to raise from US investors. Otherwise register in your home state: ' +
  'it costs about $300 a year less, you avoid a registered agent, and you file one tax return instead of two. ' +
  'You can convert later when a term sheet asks for it; lawyers do it routinely for a few thousand dollars.';

const ids = (ranked: { response: CandidateResponse<string> }[]): string[] => ranked.map((r) => r.response.id);

describe('rankResponses', () => {
  it('puts the response the asker marked as solved first, even against likes and length', () => {
    const ranked = rankResponses({ vector: v(1, 0) }, [
      { id: 'popular', text: SUBSTANTIAL, vector: v(1, 0), likes: 12, trackRecord: 3 },
      { id: 'solved', text: 'Use a registered agent service; mine costs $50 a year.', vector: v(0.6, 0.8), feedback: { solved: true } },
    ]);
    expect(ids(ranked)).toEqual(['solved', 'popular']);
    expect(ranked[0]!.reasons[0]).toBe('you marked it as the solution');
    expect(ranked.map((r) => r.rank)).toEqual([1, 2]);
  });

  it('ranks a substantial answer above a bare "+1" or "thanks"', () => {
    const ranked = rankResponses({ vector: v(1, 0) }, [
      { id: 'plus1', text: '+1', vector: v(1, 0), createdAt: new Date(1) },
      { id: 'thanks', text: 'Thanks!', vector: v(1, 0), createdAt: new Date(2) },
      { id: 'answer', text: SUBSTANTIAL, vector: v(0.8, 0.6), createdAt: new Date(3) },
    ]);
    expect(ranked[0]!.response.id).toBe('answer');
    expect(ranked[2]!.contributions.specificity).toBeLessThan(0);
  });

  it('prefers the more relevant of two otherwise equal responses', () => {
    const text = 'Talk to ten customers before writing any code; ask what they pay for today.';
    const ranked = rankResponses({ vector: v(1, 0) }, [
      { id: 'tangent', text, vector: v(0, 1) },
      { id: 'onTopic', text, vector: v(0.9, 0.1) },
    ]);
    expect(ids(ranked)).toEqual(['onTopic', 'tangent']);
    expect(ranked[0]!.contributions.relevance).toBeGreaterThan(ranked[1]!.contributions.relevance);
  });

  it('uses the responder track record and likes to separate equal texts', () => {
    const text = 'Use a SAFE with a valuation cap; the YC template is standard and cheap to review.';
    const byTrack = rankResponses({}, [
      { id: 'newcomer', text, trackRecord: 0 },
      { id: 'veteran', text, trackRecord: 4 },
    ]);
    expect(ids(byTrack)).toEqual(['veteran', 'newcomer']);
    expect(byTrack[0]!.reasons).toContain('its author has solved similar problems before');
    const byLikes = rankResponses({}, [
      { id: 'downvoted', text, likes: -2 },
      { id: 'liked', text, likes: 3 },
      { id: 'plain', text },
    ]);
    expect(ids(byLikes)).toEqual(['liked', 'plain', 'downvoted']);
  });

  it('breaks ties by time (earlier first), then by input order', () => {
    const text = 'Same words exactly.';
    expect(
      ids(
        rankResponses({}, [
          { id: 'late', text, createdAt: new Date(2000) },
          { id: 'early', text, createdAt: new Date(1000) },
        ]),
      ),
    ).toEqual(['early', 'late']);
    expect(
      ids(
        rankResponses({}, [
          { id: 'a', text },
          { id: 'b', text },
        ]),
      ),
    ).toEqual(['a', 'b']);
  });

  it('reports contributions that sum to the score and follow the weights', () => {
    const [r] = rankResponses({ vector: v(1, 0) }, [
      { id: 'x', text: SUBSTANTIAL, vector: v(0.6, 0.8), likes: 2, trackRecord: 1, feedback: { thanked: true } },
    ]);
    const sum = FEATURES.reduce((s, k) => s + r!.contributions[k], 0);
    expect(r!.score).toBeCloseTo(sum, 12);
    expect(r!.contributions.relevance).toBeCloseTo(DEFAULT_CURATION_WEIGHTS.relevance * 0.6, 6);
    expect(r!.contributions.likes).toBeCloseTo(DEFAULT_CURATION_WEIGHTS.likes * Math.log(3), 12);
    expect(r!.contributions.trackRecord).toBeCloseTo(DEFAULT_CURATION_WEIGHTS.trackRecord * Math.log(2), 12);
    expect(r!.contributions.feedback).toBeCloseTo(DEFAULT_CURATION_WEIGHTS.feedback * 0.4, 12);
  });

  it('lets a zero weight switch a feature off', () => {
    const rs: CandidateResponse<string>[] = [
      { id: 'short', text: 'Ask your accountant.', likes: 30 },
      { id: 'long', text: SUBSTANTIAL },
    ];
    expect(rankResponses({}, rs)[0]!.response.id).toBe('short');
    expect(rankResponses({}, rs, { weights: { likes: 0 } })[0]!.response.id).toBe('long');
  });
});

describe('features', () => {
  it('scores specificity by length band, concreteness and bare acknowledgements', () => {
    expect(specificity('+1')).toBe(-1);
    expect(specificity('thank you so much!!')).toBe(-1);
    expect(specificity('👍')).toBe(-1);
    expect(specificity('')).toBe(-1);
    const short = specificity('Try a different bank.');
    const long = specificity(SUBSTANTIAL);
    expect(short).toBeGreaterThanOrEqual(0);
    expect(long).toBeGreaterThan(short);
    const wall = specificity(Array.from({ length: 4000 }, () => 'word').join(' '));
    expect(wall).toBeLessThan(specificity(Array.from({ length: 500 }, () => 'word').join(' ')));
    expect(wall).toBeGreaterThan(0);
  });

  it('finds concrete content in HTML, Markdown and plain text', () => {
    expect(concreteKinds('<ol><li>Open an account</li></ol>')).toContain('steps');
    expect(concreteKinds('1. Open an account\n2. Deposit')).toContain('steps');
    expect(concreteKinds('It costs $300 a year')).toContain('numbers');
    expect(concreteKinds('See https://example.org/guide')).toContain('links');
    expect(concreteKinds('Run `npm ci` first')).toContain('code');
    expect(concreteKinds('Just be patient and keep going')).toEqual([]);
  });

  it('computes cosine, likes and feedback values', () => {
    expect(cosine(v(1, 0), v(0, 1))).toBe(0);
    expect(cosine(v(2, 0), v(3, 0))).toBeCloseTo(1, 12);
    expect(cosine(v(0, 0), v(1, 0))).toBe(0);
    expect(likesValue(0)).toBe(0);
    expect(likesValue(-3)).toBeCloseTo(-likesValue(3), 12);
    expect(feedbackValue(undefined)).toBe(0);
    expect(feedbackValue({ solved: true })).toBe(1);
    expect(feedbackValue({ reactions: 10 })).toBeCloseTo(0.6, 12);
    expect(feedbackValue({ rating: -5 })).toBeCloseTo(-0.5, 12);
  });
});

describe('originatorFeedbackFor', () => {
  const asker = memberId(1);
  const helper = memberId(2);
  const other = memberId(3);
  const problem = problemId(7);
  const response = { id: 11 as ResponseId, problemId: problem, memberId: helper };
  let next = 1;
  const fb = (f: Partial<Feedback> & Pick<Feedback, 'kind' | 'fromMemberId'>): Feedback => ({
    id: next++ as FeedbackId,
    problemId: problem,
    responseId: null,
    toMemberId: null,
    value: 1,
    sourceEventId: null,
    createdAt: new Date(0),
    ...f,
  });

  it("counts the asker's feedback on the response or its author for this problem, and nobody else's", () => {
    const out = originatorFeedbackFor(response, asker, [
      fb({ kind: 'reaction', fromMemberId: asker, responseId: response.id }),
      fb({ kind: 'reaction', fromMemberId: asker, responseId: response.id }),
      fb({ kind: 'reaction', fromMemberId: other, responseId: response.id }),
      fb({ kind: 'solved', fromMemberId: asker, toMemberId: helper }),
      fb({ kind: 'thanks', fromMemberId: asker, toMemberId: other }),
      fb({ kind: 'thanks', fromMemberId: asker, toMemberId: helper, problemId: problemId(8) }),
      fb({ kind: 'rating', fromMemberId: asker, responseId: response.id, value: -1 }),
      fb({ kind: 'reaction', fromMemberId: asker, responseId: 12 as ResponseId }),
    ]);
    expect(out).toEqual({ solved: true, thanked: false, reactions: 2, rating: -1 });
  });
});

// Curation: which of the responses to a problem should the person who asked read first? The
// digest sent to them lists the responses in this order, each with the reasons it ranks there.
//
// A response's score is a weighted sum of five features; each feature's contribution is kept so
// the digest can say why (e.g. "you marked it solved", "well liked", "gives concrete steps"):
//
//   score = W_FEEDBACK    x feedback      what the asker said about it (solved, thanks, reactions, ratings)
//         + W_LIKES       x likes         what everyone else said (likes, votes), with diminishing returns
//         + W_TRACK       x trackRecord   how often the responder's help was accepted on similar past problems
//         + W_RELEVANCE   x relevance     cosine between the problem's and the response's vectors
//         + W_SPECIFICITY x specificity   substance: a sensible length, concrete steps, numbers, links, code
//
// The function is pure: the caller supplies vectors, feedback and the responder's track record
// (computed from history before the problem, e.g. by counting their accepted answers among the
// problem's nearest past threads), so the same ranking can be replayed in the evaluation.
import type { Feedback, ProblemResponse } from '../store/types.js';
import { cleanText } from '../text/clean.js';

/** What the person who asked said about one response (see originatorFeedbackFor). */
export interface OriginatorFeedback {
  /** They marked it as the solution (✅, "solved", an accepted answer). */
  solved?: boolean;
  /** They thanked its author for it. */
  thanked?: boolean;
  /** Helpful reactions they left on it (👍, ❤️ ...). */
  reactions?: number;
  /** Sum of their explicit ratings: positive helpful, negative unhelpful. */
  rating?: number;
}

export interface CandidateResponse<Id = unknown> {
  id: Id;
  /** The response as posted (plain text, Markdown or HTML). */
  text: string;
  /** Unit vector of the response's text, same model as the problem's; absent: relevance 0. */
  vector?: Float32Array | undefined;
  /** When it was posted; breaks ties (earlier first). */
  createdAt?: Date | undefined;
  /** Likes or net votes from anyone but the asker. */
  likes?: number | undefined;
  feedback?: OriginatorFeedback | undefined;
  /**
   * The responder's record on problems like this one, from history before this problem: e.g.
   * their accepted or helpful answers among its nearest past threads (weights allowed, >= 0).
   */
  trackRecord?: number | undefined;
  /**
   * The engine's learned estimate of how helpful this answer is from what it is and who wrote
   * it (core/engine/answer-ranker.ts), in log-odds. When given it replaces the hand-set track
   * record, relevance and specificity terms (its value is reported as the specificity part);
   * the asker's feedback and likes still count on top.
   */
  prior?: number | undefined;
}

export const FEATURES = ['feedback', 'likes', 'trackRecord', 'relevance', 'specificity'] as const;
export type CurationFeature = (typeof FEATURES)[number];
export type CurationWeights = Record<CurationFeature, number>;

/**
 * The asker's own verdict outweighs everything else: a response they marked solved ranks first
 * unless another one was also marked (feedback is scaled so "solved" alone is worth 1).
 */
export const W_FEEDBACK = 4;
/** Likes: log-scaled, so 1 like is a clear signal and 20 likes are not 20 times stronger. */
export const W_LIKES = 0.6;
/** Track record: log1p of accepted answers on similar past problems; a little goes a long way. */
export const W_TRACK = 0.4;
/**
 * Relevance: the raw cosine. Responses to one problem differ by about 0.1-0.2 in cosine, so a
 * clearly on-topic answer gains a tenth or two over a tangent: enough to order otherwise similar
 * answers, not to beat a substantial one (on startups-se a higher weight ranked worse).
 */
export const W_RELEVANCE = 1;
/** Specificity in [-1, 1]: a bare "+1" loses a whole point, a substantial, concrete answer gains one. */
export const W_SPECIFICITY = 1;

export const DEFAULT_CURATION_WEIGHTS: CurationWeights = {
  feedback: W_FEEDBACK,
  likes: W_LIKES,
  trackRecord: W_TRACK,
  relevance: W_RELEVANCE,
  specificity: W_SPECIFICITY,
};

/** Relative weights inside the feedback feature (before W_FEEDBACK). */
const SOLVED = 1;
const THANKED = 0.4;
const PER_REACTION = 0.2;
const MAX_REACTIONS = 3;
const PER_RATING = 0.25;
const MAX_RATING = 2;

/** Length band, in words of readable text: below MIN it is a remark, above MAX a wall of text. */
const MIN_WORDS = 3;
const FULL_WORDS = 200;
const LONG_WORDS = 1000;
const SPECIFIC_SHARE_LENGTH = 0.9;
const SPECIFIC_SHARE_CONCRETE = 0.1;

export interface CurationOptions {
  weights?: Partial<CurationWeights>;
}

export interface RankedResponse<Id = unknown> {
  response: CandidateResponse<Id>;
  /** 1 is the response to read first. */
  rank: number;
  score: number;
  /** Weighted contribution of each feature; they sum to `score`. */
  contributions: CurationWeights;
  /** Why it ranks here, in words a person can read, strongest first (may be empty). */
  reasons: string[];
}

/** Orders a problem's responses by how likely each is to help the person who asked. */
export function rankResponses<Id>(
  problem: { vector?: Float32Array | undefined },
  responses: readonly CandidateResponse<Id>[],
  options: CurationOptions = {},
): RankedResponse<Id>[] {
  const weights: CurationWeights = { ...DEFAULT_CURATION_WEIGHTS, ...options.weights };
  const scored = responses.map((response, index) => {
    const f = features(problem, response);
    const contributions = Object.fromEntries(FEATURES.map((k) => [k, weights[k] * f[k]])) as CurationWeights;
    if (response.prior !== undefined) Object.assign(contributions, { trackRecord: 0, relevance: 0, specificity: response.prior });
    const score = FEATURES.reduce((s, k) => s + contributions[k], 0);
    return { response, index, score, contributions, reasons: reasonsFor(response, f, contributions) };
  });
  scored.sort(
    (a, b) => b.score - a.score || (a.response.createdAt?.getTime() ?? Infinity) - (b.response.createdAt?.getTime() ?? Infinity) || a.index - b.index,
  );
  return scored.map(({ response, score, contributions, reasons }, i) => ({ response, rank: i + 1, score, contributions, reasons }));
}

/** Unweighted feature values of one response. */
export function features(problem: { vector?: Float32Array | undefined }, r: CandidateResponse): CurationWeights {
  return {
    feedback: feedbackValue(r.feedback),
    likes: likesValue(r.likes ?? 0),
    trackRecord: Math.log1p(Math.max(0, r.trackRecord ?? 0)),
    relevance: problem.vector && r.vector ? Math.max(0, cosine(problem.vector, r.vector)) : 0,
    specificity: specificity(r.text),
  };
}

/** The asker's verdict, about 0..1.5: solved 1, thanks 0.4, reactions 0.2 each (up to 3), ratings. */
export function feedbackValue(f: OriginatorFeedback | undefined): number {
  if (!f) return 0;
  const rating = Math.max(-MAX_RATING, Math.min(MAX_RATING, f.rating ?? 0));
  return (f.solved ? SOLVED : 0) + (f.thanked ? THANKED : 0) + PER_REACTION * Math.min(MAX_REACTIONS, Math.max(0, f.reactions ?? 0)) + PER_RATING * rating;
}

/** sign(likes) x ln(1 + |likes|): net downvotes count against, with the same diminishing returns. */
export function likesValue(likes: number): number {
  return Math.sign(likes) * Math.log1p(Math.abs(likes));
}

export function cosine(a: Float32Array, b: Float32Array): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    dot += a[i]! * b[i]!;
    na += a[i]! * a[i]!;
    nb += b[i]! * b[i]!;
  }
  return na > 0 && nb > 0 ? dot / Math.sqrt(na * nb) : 0;
}

/** Replies that carry no content of their own: agreement, thanks, emoji, "+1". */
const BARE =
  /^(?:\+1|-1|me too|same(?: here)?|agreed?|this|thanks?(?: you)?(?: so much| a lot)?|thx|ty|great|nice|cool|ok(?:ay)?|lol|yes|no|good (?:idea|point|question)|\p{Extended_Pictographic}+)[\s.!?\p{Extended_Pictographic}]*$/iu;

/** Concrete content, looked for in the text as posted (HTML, Markdown or plain). */
const CONCRETE: readonly { name: string; test: RegExp }[] = [
  { name: 'steps', test: /<(?:ol|ul|li)[\s>]|(?:^|\n)[ \t]*(?:\d{1,2}[.)]|[-*•])[ \t]+\S/i },
  { name: 'numbers', test: /(?:[$€£%]\s?\d|\d[\d,.]*\s?(?:%|k\b|m\b|hours?|days?|weeks?|months?|years?|usd|eur|dollars?))|\b\d{2,}\b/i },
  { name: 'links', test: /https?:\/\/|href=|\bwww\.|\b[a-z0-9-]+\.(?:com|org|net|io|gov|edu)\b/i },
  { name: 'code', test: /<(?:code|pre)[\s>]|```|`[^`\n]+`|\[code\b/i },
];

/** The kinds of concrete content a response contains ("steps", "numbers", "links", "code"). */
export function concreteKinds(text: string): string[] {
  return CONCRETE.filter((c) => c.test.test(text)).map((c) => c.name);
}

/** Words of readable text (markup removed). */
export function wordCount(text: string): number {
  return cleanText(text, 'auto')
    .split(/\s+/)
    .filter((w) => /[\p{L}\p{N}]/u.test(w)).length;
}

/**
 * Substance in [-1, 1]. A bare acknowledgement is -1. Otherwise 90% length (0 at 3 words or
 * fewer, rising on a log scale to 1 at 200 words, flat to 1000, then slowly down to 0.5 for walls
 * of text) and 10% concreteness (a quarter per kind: steps, numbers, links, code). Length is
 * the stronger signal: on startups-se the longer answer is the accepted one more often than the
 * earliest is, while concrete markers alone barely beat random order (advice is often prose).
 */
export function specificity(text: string): number {
  const plain = cleanText(text, 'auto').trim();
  if (plain === '' || BARE.test(plain)) return -1;
  const words = wordCount(text);
  let length: number;
  if (words <= MIN_WORDS) length = 0;
  else if (words < FULL_WORDS) length = Math.log(words / MIN_WORDS) / Math.log(FULL_WORDS / MIN_WORDS);
  else if (words <= LONG_WORDS) length = 1;
  else length = Math.max(0.5, 1 - (0.5 * Math.log(words / LONG_WORDS)) / Math.log(4));
  const concrete = concreteKinds(text).length / CONCRETE.length;
  return SPECIFIC_SHARE_LENGTH * length + SPECIFIC_SHARE_CONCRETE * concrete;
}

function reasonsFor(r: CandidateResponse, f: CurationWeights, c: CurationWeights): string[] {
  const out: { text: string; weight: number }[] = [];
  const fb = r.feedback;
  if (fb?.solved) out.push({ text: 'you marked it as the solution', weight: c.feedback });
  else if (c.feedback > 0) out.push({ text: fb?.thanked ? 'you thanked its author' : 'you reacted to it', weight: c.feedback });
  if ((r.likes ?? 0) > 0) out.push({ text: `${r.likes} like${r.likes === 1 ? '' : 's'}`, weight: c.likes });
  if ((r.trackRecord ?? 0) >= 1) out.push({ text: 'its author has solved similar problems before', weight: c.trackRecord });
  if (f.relevance >= 0.5) out.push({ text: 'closely on topic', weight: c.relevance / 2 });
  if (f.specificity >= 0.75) {
    const kinds = concreteKinds(r.text);
    out.push({ text: kinds.length ? `specific (${kinds.join(', ')})` : 'a substantial answer', weight: c.specificity });
  }
  return out
    .filter((x) => x.weight > 0)
    .sort((a, b) => b.weight - a.weight)
    .map((x) => x.text);
}

/**
 * Sums up what the originator said about one response from the store's feedback: feedback on
 * the response itself, or on its author for this problem (a "solved" or "thanks @member" that
 * names no response). Feedback from anyone else is ignored here (it counts as likes).
 */
export function originatorFeedbackFor(
  response: Pick<ProblemResponse, 'id' | 'problemId' | 'memberId'>,
  originatorId: ProblemResponse['memberId'],
  feedback: readonly Feedback[],
): OriginatorFeedback {
  const out: Required<OriginatorFeedback> = { solved: false, thanked: false, reactions: 0, rating: 0 };
  for (const f of feedback) {
    if (f.fromMemberId !== originatorId) continue;
    const about = f.responseId === response.id || (f.responseId === null && f.problemId === response.problemId && f.toMemberId === response.memberId);
    if (!about) continue;
    if (f.kind === 'solved') out.solved = true;
    else if (f.kind === 'thanks') out.thanked = true;
    else if (f.kind === 'reaction') out.reactions += 1;
    else out.rating += f.value;
  }
  return out;
}

import { describe, expect, it } from 'vitest';
import type {
  Feedback,
  Interaction,
  InteractionKind,
  Invitation,
  InvitationStatus,
  Member,
  Problem,
  ProblemResponse,
  ProblemStatus,
  StoredDocument,
} from '../../../core/store/types.js';
import { memberId, problemId, type MemberId, type Platform } from '../../../core/types.js';
import { bypassContacts, bypassRate } from '../../../core/metrics/bypass.js';
import { communitySummary } from '../../../core/metrics/community-summary.js';
import { cleanInteractions, directContacts, interactionCounts } from '../../../core/metrics/interactions.js';
import { acceptanceRate, activeHelpers, invitationsPerHelper } from '../../../core/metrics/invitations.js';
import { averageClustering, networkDensity, networkMetrics, reciprocity } from '../../../core/metrics/network.js';
import { median, medianTimeToFirstResponse, solveRate, timeToFirstResponse } from '../../../core/metrics/problems.js';
import type {
  ConnectionHistory,
  FeedbackRecord,
  InteractionRecord,
  InvitationRecord,
  ProblemRecord,
  ResponseRecord,
  UnassistedResolution,
} from '../../../core/metrics/records.js';
import { unassistedResolutionsFromThreads } from '../../../core/metrics/resolutions.js';
import { newTies, newTiesPerWeek, tiesFormed } from '../../../core/metrics/ties.js';
import { weeklyConnectionSeries } from '../../../core/metrics/weekly-series.js';

// ---------------------------------------------------------------------------------------------
// The community: five members; Erin is a member who never interacts.
const alice = memberId(1);
const bob = memberId(2);
const carol = memberId(3);
const dave = memberId(4);
const erin = memberId(5);

const at = (s: string): Date => new Date(`2025-03-${s}Z`);
const HOUR = 3_600_000;

// Three ISO weeks: W1 Mon 03-03, W2 Mon 03-10, W3 Mon 03-17.
const W1 = { from: at('03T00:00'), to: at('10T00:00') };
const W2 = { from: at('10T00:00'), to: at('17T00:00') };
const W3 = { from: at('17T00:00'), to: at('24T00:00') };
const ALL = { from: W1.from, to: W3.to };

let nextId = 1;
function act(
  when: string,
  from: MemberId,
  to: MemberId,
  kind: InteractionKind,
  mediated: boolean,
  extra: { platform?: Platform; sourceEventId?: string; id?: number } = {},
): InteractionRecord {
  return {
    id: extra.id ?? nextId++,
    fromMemberId: from,
    toMemberId: to,
    kind,
    platform: extra.platform ?? 'matrix',
    mediated,
    problemId: null,
    sourceEventId: extra.sourceEventId ?? null,
    occurredAt: at(when),
  };
}

// #1/#2: the bot invited Bob to Alice's problem; his answer is also a reply (one event).  -> tie A-B, concierge
const i1 = act('03T10:00', bob, alice, 'answer', true, { sourceEventId: 'e1' });
const i2 = act('03T10:00', bob, alice, 'reply', true, { sourceEventId: 'e1' });
// #3: Carol replies to Alice on her own.                                                 -> tie A-C, direct
const i3 = act('04T09:00', carol, alice, 'reply', false);
// #4: Alice messages Bob directly, after the bot introduced them.                         bypass (W1)
const i4 = act('05T12:00', alice, bob, 'direct-message', false);
// #5: Carol, invited, mentions Dave.                                                      -> tie C-D, concierge
const i5 = act('11T14:00', carol, dave, 'mention', true);
// #6: Dave messages Carol; #7 is the same event delivered twice.                          bypass (W2)
const i6 = act('12T08:00', dave, carol, 'direct-message', false, { sourceEventId: 'e6' });
const i7 = { ...i6, id: 999 };
// #8: Alice replying to herself: ignored.
const i8 = act('13T08:00', alice, alice, 'reply', false);
// #9: Bob messages Alice.                                                                  bypass (W3)
const i9 = act('18T09:00', bob, alice, 'direct-message', false);
// #10: Bob replies to Carol on the forum.                                                -> tie B-C, direct
const i10 = act('18T11:00', bob, carol, 'reply', false, { platform: 'discourse' });
// #11: Alice, invited, answers Dave's problem on the forum.                              -> tie A-D, concierge
const i11 = act('19T09:00', alice, dave, 'answer', true, { platform: 'discourse' });
// #12: Dave replies to Carol without the bot.                                              bypass (W3)
const i12 = act('20T10:00', dave, carol, 'reply', false);

// Handed over out of order, with the duplicate and the self-interaction.
const interactions = [i12, i7, i3, i11, i1, i8, i6, i2, i10, i5, i9, i4];

function problem(id: number, originator: MemberId, created: string, status: ProblemStatus, solved: string | null): ProblemRecord {
  return { id: problemId(id), originatorId: originator, status, createdAt: at(created), solvedAt: solved ? at(solved) : null };
}
const problems: ProblemRecord[] = [
  problem(1, alice, '03T09:00', 'solved', '04T12:00'), // solved in W1
  problem(2, carol, '11T09:00', 'answered', null), // never solved
  problem(3, dave, '17T10:00', 'solved', '19T00:00'), // solved in W3
  problem(4, bob, '20T10:00', 'opened', null), // no response at all
];

const response = (id: number, p: number, m: MemberId, when: string): ResponseRecord => ({ id, problemId: problemId(p), memberId: m, createdAt: at(when) });
const responses: ResponseRecord[] = [
  response(1, 1, alice, '03T09:30'), // the originator: does not count
  response(3, 1, carol, '03T11:00'),
  response(2, 1, bob, '03T10:00'), // P1 first response: 1 h
  response(4, 2, dave, '11T13:00'), // P2: 4 h
  response(5, 3, alice, '19T10:00'), // P3: 48 h
];

const invite = (id: number, p: number, m: MemberId, status: InvitationStatus, sent: string | null): InvitationRecord => ({
  id,
  problemId: problemId(p),
  memberId: m,
  status,
  createdAt: at(sent ?? '20T10:00'),
  sentAt: sent ? at(sent) : null,
  respondedAt: null,
});
const invitations: InvitationRecord[] = [
  invite(1, 1, bob, 'answered', '03T09:05'),
  invite(2, 1, dave, 'ignored', '03T09:05'),
  invite(3, 2, dave, 'accepted', '11T09:05'),
  invite(4, 2, erin, 'declined', '11T09:05'),
  invite(5, 3, alice, 'answered', '17T10:05'),
  invite(6, 4, carol, 'sent', '20T10:05'),
  invite(7, 4, dave, 'pending', null), // never sent
  invite(6, 4, carol, 'sent', '20T10:05'), // duplicate of #6
];

const unassisted: UnassistedResolution[] = [
  { at: at('12T15:00'), requesterId: bob, helperId: carol, platform: 'discourse', threadId: 't9' },
  { at: at('12T16:00'), requesterId: bob, helperId: carol, platform: 'discourse', threadId: 't9' }, // duplicate thread
  { at: at('19T12:00'), requesterId: dave, helperId: dave, platform: 'matrix', threadId: 'r1' }, // self-resolution
];

const history: ConnectionHistory = {
  interactions,
  problems,
  responses,
  invitations,
  unassistedResolutions: unassisted,
  members: [alice, bob, carol, dave, erin].map((id) => ({ id })),
};

// ---------------------------------------------------------------------------------------------

describe('inputs', () => {
  it("accepts the store's records as they are (checked by the compiler)", () => {
    type Accepts<T, U extends T> = U;
    const checks:
      | [
          Accepts<InteractionRecord, Interaction>,
          Accepts<ProblemRecord, Problem>,
          Accepts<ResponseRecord, ProblemResponse>,
          Accepts<InvitationRecord, Invitation>,
          Accepts<FeedbackRecord, Feedback>,
          Accepts<{ id: MemberId }, Member>,
          Accepts<Parameters<typeof unassistedResolutionsFromThreads>[0][number], StoredDocument>,
        ]
      | null = null;
    expect(checks).toBeNull();
  });
});

describe('cleaning', () => {
  it('drops self-interactions and duplicates and sorts by time', () => {
    // 12 records - the duplicate #7 - the self-interaction #8 = 10, in time order.
    expect(cleanInteractions(interactions).map((i) => i.id)).toEqual([i1.id, i2.id, i3.id, i4.id, i5.id, i6.id, i9.id, i10.id, i11.id, i12.id]);
  });

  it('treats records repeating the same id, or identical without id and event, as one', () => {
    const bare = { fromMemberId: alice, toMemberId: bob, kind: 'reaction' as const, platform: 'matrix' as const, mediated: false, occurredAt: at('05T00:00') };
    expect(cleanInteractions([bare, { ...bare }, i4, { ...i4 }])).toHaveLength(2);
    expect(cleanInteractions([{ ...bare, occurredAt: new Date('nonsense') }])).toEqual([]);
  });
});

describe('interactionCounts', () => {
  it('counts by kind and platform, mediated vs direct', () => {
    const c = interactionCounts(interactions, ALL);
    // mediated: #1 #2 #5 #11 = 4; direct: #3 #4 #6 #9 #10 #12 = 6.
    expect([c.total, c.mediated, c.direct]).toEqual([10, 4, 6]);
    expect(c.byKind.answer).toEqual({ total: 2, mediated: 2, direct: 0 }); // #1 #11
    expect(c.byKind.reply).toEqual({ total: 4, mediated: 1, direct: 3 }); // #2 | #3 #10 #12
    expect(c.byKind.mention).toEqual({ total: 1, mediated: 1, direct: 0 }); // #5
    expect(c.byKind['direct-message']).toEqual({ total: 3, mediated: 0, direct: 3 }); // #4 #6 #9
    expect(c.byKind.reaction).toEqual({ total: 0, mediated: 0, direct: 0 });
    expect(c.byPlatform.discourse).toEqual({ total: 2, mediated: 1, direct: 1 }); // #11 | #10
    expect(c.byPlatform.matrix).toEqual({ total: 8, mediated: 3, direct: 5 });
  });

  it('restricts to the period', () => {
    // W2: #5 (mediated) and #6 (direct); #7 is its duplicate, #8 a self-interaction.
    expect(interactionCounts(interactions, W2)).toMatchObject({ total: 2, mediated: 1, direct: 1 });
  });

  it('lists direct contacts', () => {
    expect(directContacts(interactions).map((i) => i.id)).toEqual([i3.id, i4.id, i6.id, i9.id, i10.id, i12.id]);
    expect(directContacts(interactions, W3).map((i) => i.id)).toEqual([i9.id, i10.id, i12.id]);
  });
});

describe('ties', () => {
  it('takes the first interaction of each unordered pair, whatever the input order', () => {
    const ties = tiesFormed(interactions);
    expect(ties.map((t) => [t.a, t.b, t.kind, t.formedAt.toISOString().slice(5, 16)])).toEqual([
      [alice, bob, 'concierge', '03-03T10:00'],
      [alice, carol, 'direct', '03-04T09:00'],
      [carol, dave, 'concierge', '03-11T14:00'],
      [bob, carol, 'direct', '03-18T11:00'],
      [alice, dave, 'concierge', '03-19T09:00'],
    ]);
  });

  it('counts new ties in a period', () => {
    expect(newTies(interactions, ALL)).toEqual({ total: 5, concierge: 3, direct: 2 });
    expect(newTies(interactions, W3)).toEqual({ total: 2, concierge: 1, direct: 1 });
    // A pair that met before the period forms no new tie in it: A-B met in W1, talk again in W3.
    expect(newTies([i9], W3)).toEqual({ total: 1, concierge: 0, direct: 1 });
    expect(newTies([i1, i9], W3)).toEqual({ total: 0, concierge: 0, direct: 0 });
  });

  it('lists new ties per ISO week, zero-filled', () => {
    // From Monday 02-24 (an empty week) to the end of W3.
    const weeks = newTiesPerWeek(interactions, { from: new Date('2025-02-24T00:00:00Z'), to: W3.to });
    expect(weeks.map((w) => [w.week, w.concierge, w.direct, w.total])).toEqual([
      ['2025-02-24', 0, 0, 0],
      ['2025-03-03', 1, 1, 2], // A-B concierge, A-C direct
      ['2025-03-10', 1, 0, 1], // C-D concierge
      ['2025-03-17', 1, 1, 2], // A-D concierge, B-C direct
    ]);
  });

  it('lets the mediated record win a tie formed by one event at one instant', () => {
    const direct = act('03T10:00', bob, alice, 'direct-message', false, { id: 0 });
    const mediated = act('03T10:00', bob, alice, 'answer', true, { id: 0 });
    const noIds = [direct, mediated].map(({ id: _id, ...rest }) => rest);
    expect(tiesFormed(noIds)[0]?.kind).toBe('concierge');
  });
});

describe('bypasses', () => {
  it('finds direct contacts on concierge-made pairs after the tie', () => {
    // #4 (A-B), #6 (C-D), #9 (A-B), #12 (C-D); #3 and #10 are on direct ties.
    expect(bypassContacts(interactions).map((i) => i.id)).toEqual([i4.id, i6.id, i9.id, i12.id]);
    expect(bypassContacts(interactions, W3).map((i) => i.id)).toEqual([i9.id, i12.id]);
  });

  it('does not count a direct record at the very instant of the tie', () => {
    const sameEvent = act('03T10:00', bob, alice, 'direct-message', false);
    expect(bypassContacts([i1, sameEvent])).toEqual([]);
  });

  it('computes the bypass rate per week', () => {
    // W1: bypasses #4 = 1; opportunities: A-B interactions #1 #2 #4 = 3, + P1 solved = 4 -> 1/4.
    expect(bypassRate(history, W1)).toEqual({
      bypassContacts: 1,
      unassistedResolutions: 0,
      bypasses: 1,
      conciergePairInteractions: 3,
      assistedResolutions: 1,
      opportunities: 4,
      rate: 0.25,
    });
    // W2: #6 + the forum thread t9 = 2; opportunities: #5 #6 + t9 = 3 -> 2/3.
    expect(bypassRate(history, W2)).toMatchObject({ bypasses: 2, unassistedResolutions: 1, opportunities: 3, rate: 2 / 3 });
    // W3: #9 #12 = 2 (the self-resolution does not count); opportunities: #9 #11 #12 + P3 solved = 4 -> 1/2.
    expect(bypassRate(history, W3)).toMatchObject({ bypasses: 2, conciergePairInteractions: 3, assistedResolutions: 1, opportunities: 4, rate: 0.5 });
    // All three weeks: (4 + 1) / (8 + 2 + 1).
    expect(bypassRate(history, ALL).rate).toBe(5 / 11);
  });

  it('derives unassisted resolutions from threads the bot was not called in', () => {
    const doc = (
      platform: Platform,
      threadId: string,
      author: MemberId,
      when: string,
      o: { kind?: 'question' | 'message' | 'post'; text?: string; accepted?: boolean; score?: number } = {},
    ) => ({
      platform,
      threadId,
      kind: o.kind ?? 'post',
      text: o.text ?? '',
      authorId: author,
      accepted: o.accepted ?? false,
      score: o.score ?? 0,
      createdAt: at(when),
    });
    const docs = [
      doc('discourse', 't1', carol, '06T10:00', { accepted: true }), // resolves t1
      doc('discourse', 't1', bob, '06T09:00', { kind: 'question' }), // t1 root: a question
      doc('discourse', 't2', alice, '07T09:00', { kind: 'question' }), // t2 has a Problem
      doc('discourse', 't2', bob, '07T10:00', { accepted: true }),
      doc('matrix', 't3', dave, '08T09:00', { kind: 'message', text: 'hello all' }), // not a request
      doc('matrix', 't3', carol, '08T10:00', { accepted: true }),
      doc('matrix', 't4', dave, '09T09:00', { kind: 'message', text: 'how?' }),
      doc('matrix', 't4', dave, '09T10:00', { accepted: true }), // answered by the asker
      doc('discourse', 't5', alice, '10T09:00', { text: 'Any advice on budgets?' }),
      doc('discourse', 't5', bob, '10T10:00'), // no score: not a resolution
      doc('discourse', 't5', erin, '10T11:00', { score: 2 }), // liked: resolves t5
    ];
    const withProblem = [{ ...problem(9, alice, '07T09:00', 'opened', null), platform: 'discourse' as const, threadId: 't2' }];
    expect(unassistedResolutionsFromThreads(docs, withProblem)).toEqual([
      { at: at('06T10:00'), requesterId: bob, helperId: carol, platform: 'discourse', threadId: 't1' },
      { at: at('10T11:00'), requesterId: alice, helperId: erin, platform: 'discourse', threadId: 't5' },
    ]);
  });
});

describe('network shape', () => {
  it('computes reciprocity, density and clustering', () => {
    // Directed pairs: B>A A>B C>A C>D D>C B>C A>D = 7; reciprocated: A<->B and C<->D = 4.
    // Undirected: A-B A-C C-D B-C A-D = 5 of 4*3/2 = 6.
    // Clustering: A {B,C,D}: B-C, C-D linked -> 2/3; B {A,C} -> 1; C {A,B,D}: A-B, A-D -> 2/3; D {A,C} -> 1.
    //   mean (2/3 + 1 + 2/3 + 1) / 4 = 5/6. Erin, with no interactions, is not in the graph.
    expect(networkMetrics(interactions, ALL)).toEqual({
      activeMembers: 4,
      directedPairs: 7,
      reciprocatedPairs: 4,
      reciprocity: 4 / 7,
      linkedPairs: 5,
      possiblePairs: 6,
      density: 5 / 6,
      clustering: expect.closeTo(5 / 6, 12),
    });
    expect(reciprocity(interactions)).toBe(4 / 7);
    expect(networkDensity(interactions)).toBe(5 / 6);
    expect(averageClustering(interactions)).toBeCloseTo(5 / 6, 12);
  });

  it('counts members with one neighbour as 0 in clustering', () => {
    // W1: A-B (both ways), A-C. A {B,C}: B-C not linked -> 0; B and C have one neighbour -> 0.
    expect(networkMetrics(interactions, W1)).toMatchObject({ reciprocity: 2 / 3, density: 2 / 3, clustering: 0 });
    // A triangle: every member 1.
    const triangle = [act('05T00:00', alice, bob, 'reply', false), act('05T01:00', bob, carol, 'reply', false), act('05T02:00', carol, alice, 'reply', false)];
    expect(networkMetrics(triangle)).toMatchObject({ reciprocity: 0, density: 1, clustering: 1 });
  });
});

describe('problems', () => {
  it('measures time to first response by someone else', () => {
    expect(timeToFirstResponse(problems, responses).map((f) => [f.problemId, f.ms])).toEqual([
      [1, 1 * HOUR], // Bob at 10:00 (Alice's own 09:30 does not count)
      [2, 4 * HOUR],
      [3, 48 * HOUR],
      [4, null],
    ]);
    // Median of 1 h, 4 h, 48 h (P4 unanswered is left out).
    expect(medianTimeToFirstResponse(problems, responses, ALL)).toBe(4 * HOUR);
    // W1 only: P1.
    expect(medianTimeToFirstResponse(problems, responses, W1)).toBe(1 * HOUR);
    // An even count: the mean of the middle two.
    expect(median([4, 1, 3, 10])).toBe(3.5);
  });

  it('counts a response dated before the problem as immediate', () => {
    const early = [response(9, 4, carol, '20T09:00')];
    expect(timeToFirstResponse(problems, early, W3).map((f) => f.ms)).toEqual([null, 0]); // P3 unanswered here, P4 0
  });

  it('computes the solve rate of problems opened in the period', () => {
    // All: P1, P3 solved of 4 opened.
    expect(solveRate(problems, ALL)).toEqual({ opened: 4, solved: 2, rate: 0.5 });
    // W2: P2 opened, never solved.
    expect(solveRate(problems, W2)).toEqual({ opened: 1, solved: 0, rate: 0 });
    // P3 solved at 03-19 00:00 does not count in a period ending exactly then.
    expect(solveRate(problems, { from: W3.from, to: at('19T00:00') })).toEqual({ opened: 1, solved: 0, rate: 0 });
  });

  it('takes the originator\'s "solved" feedback, or the status, when there is no solvedAt', () => {
    const p5 = problem(5, erin, '05T09:00', 'answered', null);
    const p6 = { ...problem(6, bob, '05T10:00', 'solved', null) };
    const p7 = problem(7, carol, '05T11:00', 'answered', null);
    const feedback: FeedbackRecord[] = [
      { problemId: problemId(5), fromMemberId: erin, kind: 'solved', createdAt: at('06T09:00') },
      { problemId: problemId(7), fromMemberId: dave, kind: 'solved', createdAt: at('06T09:00') }, // not the originator
      { problemId: problemId(7), fromMemberId: carol, kind: 'thanks', createdAt: at('06T09:00') },
    ];
    expect(solveRate([p5, p6, p7], W1, feedback)).toEqual({ opened: 3, solved: 2, rate: 2 / 3 });
  });
});

describe('helpers and invitations', () => {
  it('finds active helpers', () => {
    // All: responses by Bob, Carol, Dave, Alice (not Alice's own on P1); answers by Bob and Alice.
    expect(activeHelpers(history, ALL)).toEqual([alice, bob, carol, dave]);
    expect(activeHelpers(history, W1)).toEqual([bob, carol]);
    expect(activeHelpers(history, W2)).toEqual([dave]);
  });

  it('computes invitations per helper', () => {
    // Sent (not pending, duplicate once): #1-#6 = 6, over 4 helpers.
    expect(invitationsPerHelper(history, ALL)).toEqual({ invitationsSent: 6, activeHelpers: 4, perHelper: 1.5 });
    // W2: #3 #4 over Dave alone.
    expect(invitationsPerHelper(history, W2)).toEqual({ invitationsSent: 2, activeHelpers: 1, perHelper: 2 });
  });

  it('computes the acceptance rate', () => {
    // answered #1 #5, accepted #3 of 6 sent; declined #4, ignored #2 and awaiting #6 count as not accepted.
    expect(acceptanceRate(invitations, ALL)).toEqual({ sent: 6, accepted: 1, answered: 2, declined: 1, ignored: 1, awaiting: 1, rate: 0.5 });
    expect(acceptanceRate(invitations, W1)).toMatchObject({ sent: 2, rate: 0.5 });
  });

  it('keeps the most advanced status of a duplicated invitation', () => {
    const twice = [invite(1, 1, bob, 'sent', '03T09:05'), invite(1, 1, bob, 'answered', '03T09:05')];
    expect(acceptanceRate(twice)).toMatchObject({ sent: 1, answered: 1, awaiting: 0, rate: 1 });
  });
});

describe('weeklyConnectionSeries', () => {
  it('bundles the headline chart numbers per week', () => {
    const series = weeklyConnectionSeries(history, ALL);
    expect(
      series.map((w) => [w.week, w.newTiesConcierge, w.newTiesDirect, w.directContacts, w.bypassContacts, w.unassistedResolutions, w.bypasses, w.bypassRate]),
    ).toEqual([
      ['2025-03-03', 1, 1, 2, 1, 0, 1, 0.25], // direct #3 #4
      ['2025-03-10', 1, 0, 1, 1, 1, 2, 2 / 3], // direct #6
      ['2025-03-17', 1, 1, 3, 2, 0, 2, 0.5], // direct #9 #10 #12
    ]);
  });
});

describe('communitySummary', () => {
  it('summarises a week against the one before', () => {
    const s = communitySummary(history, W3);
    // W3: #9 #10 #11 #12; ties B-C, A-D; P3 solved of P3, P4; median 48 h (P3); helper Alice; bypasses #9 #12.
    expect(s).toMatchObject({
      interactions: { total: 4, mediated: 1, direct: 3 },
      newTies: { total: 2, concierge: 1, direct: 1 },
      activeMembers: 4,
      members: 5,
      solveRate: 0.5,
      problemsOpened: 2,
      problemsSolved: 1,
      medianTimeToFirstResponseMs: 48 * HOUR,
      activeHelpers: 1,
      bypasses: 2,
      bypassRate: 0.5,
    });
    // W2: #5 #6; tie C-D; P2 unsolved; median 4 h; helper Dave; bypasses #6 + t9, rate 2/3.
    expect(s.previous).toMatchObject({
      interactions: { total: 2 },
      newTies: { total: 1 },
      activeMembers: 2,
      solveRate: 0,
      medianTimeToFirstResponseMs: 4 * HOUR,
      activeHelpers: 1,
      bypasses: 2,
      bypassRate: 2 / 3,
    });
    expect(s.change).toMatchObject({
      interactions: 2,
      newTies: 1,
      activeMembers: 2,
      solveRate: 0.5,
      medianTimeToFirstResponseMs: 44 * HOUR,
      activeHelpers: 0,
      bypasses: 0,
    });
    expect(s.change?.bypassRate).toBeCloseTo(0.5 - 2 / 3, 12);
  });

  it('can leave the comparison out', () => {
    const s = communitySummary(history, W1, { compare: false });
    expect([s.previous, s.change]).toEqual([null, null]);
  });
});

describe('empty inputs', () => {
  it('returns zeros and nulls, never NaN', () => {
    const empty: ConnectionHistory = { interactions: [] };
    expect(interactionCounts([]).total).toBe(0);
    expect(tiesFormed([])).toEqual([]);
    expect(directContacts([])).toEqual([]);
    expect(bypassRate(empty, ALL)).toEqual({
      bypassContacts: 0,
      unassistedResolutions: 0,
      bypasses: 0,
      conciergePairInteractions: 0,
      assistedResolutions: 0,
      opportunities: 0,
      rate: null,
    });
    expect(networkMetrics([])).toEqual({
      activeMembers: 0,
      directedPairs: 0,
      reciprocatedPairs: 0,
      reciprocity: null,
      linkedPairs: 0,
      possiblePairs: 0,
      density: null,
      clustering: null,
    });
    expect(timeToFirstResponse([], [])).toEqual([]);
    expect(medianTimeToFirstResponse([], [])).toBeNull();
    expect(solveRate([], ALL)).toEqual({ opened: 0, solved: 0, rate: null });
    expect(activeHelpers(empty, ALL)).toEqual([]);
    expect(invitationsPerHelper(empty, ALL)).toEqual({ invitationsSent: 0, activeHelpers: 0, perHelper: null });
    expect(acceptanceRate([])).toMatchObject({ sent: 0, rate: null });
    expect(weeklyConnectionSeries(empty, W1)).toEqual([
      {
        weekStart: W1.from,
        week: '2025-03-03',
        newTiesConcierge: 0,
        newTiesDirect: 0,
        directContacts: 0,
        bypassContacts: 0,
        unassistedResolutions: 0,
        bypasses: 0,
        bypassRate: null,
      },
    ]);
    const s = communitySummary(empty, W1);
    expect(s).toMatchObject({ members: null, solveRate: null, medianTimeToFirstResponseMs: null, bypassRate: null, activeMembers: 0 });
    expect(s.change).toMatchObject({ interactions: 0, solveRate: null, bypassRate: null });
    expect(weeklyConnectionSeries(history, { from: W1.to, to: W1.from })).toEqual([]);
  });

  it('gives a single member talking to themself no graph', () => {
    expect(networkMetrics([i8])).toMatchObject({ activeMembers: 0, density: null, clustering: null });
    expect(newTies([i8], ALL).total).toBe(0);
  });
});

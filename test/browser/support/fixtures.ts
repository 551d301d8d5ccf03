// Fixed API answers for the stub: a small community with 12 weeks of activity, and an empty one.
// Names and texts are parameters so a test can plant an XSS payload in them.
import type { MetricValue, ProblemListItem, WeeklyProblems } from '../../../web/dashboard/api-types.js';
import type { StubAnswers } from './stub-api.js';

const PERIOD = { from: '2026-09-07', to: '2026-11-29' };
const WEEKS = Array.from({ length: 12 }, (_, i) => new Date(Date.UTC(2026, 8, 7 + 7 * i)).toISOString().slice(0, 10));

const metric = (value: number | null, previous: number | null): MetricValue => ({
  value,
  previous,
  change: value === null || previous === null ? null : value - previous,
});

export interface FixtureOptions {
  /** The first member's display name. */
  memberName?: string;
  /** The first problem's title and text. */
  problemText?: string;
}

export function communityAnswers(options: FixtureOptions = {}): StubAnswers {
  const names = [options.memberName ?? 'Ada Keller', 'Ben Osei', 'Chiara Rossi', 'Dev Patel', 'Eva Lind', 'Femi Adeyemi', 'Gus Moreau', 'Hana Sato'];
  const trend: WeeklyProblems[] = WEEKS.map((weekStart, i) => ({ weekStart, opened: 5 + (i % 4), solved: 3 + (i % 3) }));
  const title = options.problemText ?? 'Supplier audit checklist for a new plant';
  const items: ProblemListItem[] = [1, 2, 3].map((id) => ({
    id,
    title: id === 1 ? title : `Problem ${id}`,
    status: id === 1 ? 'solved' : 'invited',
    tags: ['quality'],
    platform: 'matrix',
    createdAt: `${WEEKS[11]}T0${id}:00:00.000Z`,
    timeToFirstResponseMs: id * 1_800_000,
    responders: id === 1 ? [names[0]!] : [],
  }));
  const accounts = (i: number) => [
    { platform: 'matrix' as const, account: `@member${i + 1}:localhost` },
    ...(i < 3 ? [{ platform: 'discourse' as const, account: `member${i + 1}` }] : []),
  ];
  // The first member looks like a ninth member's forum account: flagged, not linked.
  const probablySamePerson = [
    {
      a: { id: 1, name: names[0]!, accounts: accounts(0) },
      b: { id: 9, name: names[0]!, accounts: [{ platform: 'discourse' as const, account: 'ada_k' }] },
      reasons: ['the same name', 'a username made from the name'],
      offer: 'offered' as const,
    },
  ];
  return {
    overview: {
      people: { people: 9, accounts: 12, linkedPeople: 3, probablySamePerson: 1 },
      period: PERIOD,
      metrics: {
        problemsOpened: metric(78, 70),
        problemsSolved: metric(48, 40),
        solveRate: metric(0.62, 0.57),
        medianTimeToFirstResponseMs: metric(2_700_000, 3_600_000),
        activeHelpers: metric(14, 11),
        newTiesConcierge: metric(21, 18),
        newTiesDirect: metric(9, 4),
        bypassRate: metric(0.31, 0.22),
      },
      trend,
      notObservable: 'Direct messages and rooms the bot is not in are not observable.',
    },
    connections: {
      period: PERIOD,
      weeks: WEEKS.map((weekStart, i) => ({
        weekStart,
        conciergeTies: 2 + (i % 3),
        directTies: Math.floor(i / 3),
        bypassRate: i === 0 ? null : i / 30,
        interactions: 20 + i,
      })),
    },
    network: {
      period: PERIOD,
      nodes: names.map((label, i) => ({
        id: String(i + 1),
        label,
        activity: i === 7 ? 0 : 10 - i,
        brokerScore: i === 1 ? 0.8 : 0.2,
        isolated: i === 7,
        accounts: accounts(i),
      })),
      edges: [
        [1, 2, 'concierge'],
        [2, 3, 'direct'],
        [2, 4, 'concierge'],
        [3, 5, 'direct'],
        [4, 6, 'concierge'],
        [1, 3, 'direct'],
        [5, 7, 'concierge'],
      ].map(([s, t, kind]) => ({ source: String(s), target: String(t), kind: kind as 'concierge' | 'direct', weight: 3 })),
      optedOutMembers: 2,
      probablySamePerson,
      summary: { activeMembers: 7, density: 0.33, reciprocity: 0.5, clustering: 0.12 },
    },
    problems: { period: PERIOD, total: items.length, items },
    problem: {
      id: 1,
      title,
      text: `${title}\n\nWe need one before the audit next month.`,
      status: 'solved',
      tags: ['quality'],
      platform: 'matrix',
      createdAt: items[0]!.createdAt,
      solvedAt: `${WEEKS[11]}T09:00:00.000Z`,
      originator: names[2]!,
      links: { matrix: 'https://matrix.to/#/!room:localhost/$event', forum: 'javascript:alert(1)' },
      timeline: [
        { at: `${WEEKS[11]}T01:00:00.000Z`, from: null, to: 'opened', cause: 'button' },
        { at: `${WEEKS[11]}T01:00:02.000Z`, from: 'opened', to: 'invited', cause: 'routing' },
        { at: `${WEEKS[11]}T09:00:00.000Z`, from: 'invited', to: 'solved', cause: 'reaction' },
      ],
      responses: [{ member: names[0]!, at: `${WEEKS[11]}T02:00:00.000Z`, link: null }],
    },
    helpers: {
      period: PERIOD,
      helpers: names.map((name, i) => ({
        id: i + 1,
        name,
        accounts: accounts(i),
        invited: i === 0 ? 30 : 8 - i,
        accepted: i === 0 ? 12 : 3,
        declined: 1,
        ignored: i === 0 ? 10 : 1,
        helpfulAnswers: 4 - (i % 4),
      })),
      optedOutMembers: 2,
      probablySamePerson,
    },
    tags: {
      period: PERIOD,
      tags: ['quality', 'logistics', 'hr'].map((tag, i) => ({
        tag,
        total: 30 - 5 * i,
        solved: 20 - 5 * i,
        solveRate: (20 - 5 * i) / (30 - 5 * i),
        weeks: trend,
      })),
    },
  };
}

export function emptyAnswers(): StubAnswers {
  const weeks = WEEKS.map((weekStart) => ({ weekStart, opened: 0, solved: 0 }));
  const none = metric(null, null);
  return {
    overview: {
      people: { people: 0, accounts: 0, linkedPeople: 0, probablySamePerson: 0 },
      period: PERIOD,
      trend: weeks,
      notObservable: 'Direct messages and rooms the bot is not in are not observable.',
      metrics: {
        problemsOpened: metric(0, 0),
        problemsSolved: metric(0, 0),
        solveRate: none,
        medianTimeToFirstResponseMs: none,
        activeHelpers: metric(0, 0),
        newTiesConcierge: metric(0, 0),
        newTiesDirect: metric(0, 0),
        bypassRate: none,
      },
    },
    connections: { period: PERIOD, weeks: WEEKS.map((weekStart) => ({ weekStart, conciergeTies: 0, directTies: 0, bypassRate: null, interactions: 0 })) },
    network: { period: PERIOD, nodes: [], edges: [], optedOutMembers: 0, probablySamePerson: [] },
    problems: { period: PERIOD, total: 0, items: [] },
    problem: {
      id: 1,
      title: '',
      text: null,
      status: 'opened',
      tags: [],
      platform: 'matrix',
      createdAt: PERIOD.from,
      solvedAt: null,
      originator: '',
      links: {},
      timeline: [],
      responses: [],
    },
    helpers: { period: PERIOD, helpers: [], optedOutMembers: 0, probablySamePerson: [] },
    tags: { period: PERIOD, tags: [] },
  };
}

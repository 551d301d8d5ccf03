// The dashboard's JSON contract: the single source of truth shared by the API handlers
// (web/dashboard/api/) and the pages (web/dashboard/pages/, web/dashboard/public/).
// Types and a few constants, with no imports, so client code can share it as it is.
//
// Conventions:
// - Every /api/* endpoint takes `period` (4w | 12w | 26w | 52w | all; default 12w) or
//   `from` and `to` as YYYY-MM-DD (both required together; `to` is inclusive, whole UTC days).
//   A preset period covers that many ISO weeks up to and including the current week; `all`
//   starts with the week of the first recorded activity.
// - Bad parameters answer 400 with ApiError; no session answers 401 with ApiError; unknown
//   problem ids answer 404 with ApiError.
// - Instants are ISO 8601 strings (UTC, e.g. "2025-03-04T10:15:00.000Z"); days and week
//   starts are "YYYY-MM-DD" (weeks start on Monday, UTC).
// - Durations are milliseconds. Rates are fractions in [0, 1]. null means "not defined"
//   (e.g. a rate with nothing to divide by), never 0.
// - Members who opted out never appear by name or as graph nodes: they are counted in
//   `optedOutMembers`, and where a name would stand (responders, CSV) it reads OPTED_OUT_LABEL.
// - A member is a person: accounts on several platforms that are linked (or merged by an admin)
//   are one member, listed once with `accounts`; `probablySamePerson` flags members that look
//   like one person but are not linked.
// - Names and texts are returned as plain strings, unescaped: the pages must insert them as
//   text (textContent), never as HTML.

export type Role = 'admin' | 'viewer';

export const PERIOD_PRESETS = ['4w', '12w', '26w', '52w', 'all'] as const;
export type PeriodPreset = (typeof PERIOD_PRESETS)[number];

/** Shown wherever an opted-out member's name would be. */
export const OPTED_OUT_LABEL = '(opted-out member)';

export interface ApiError {
  error: string;
}

/** The period a response covers: `from` and `to` inclusive, YYYY-MM-DD. */
export interface PeriodRange {
  from: string;
  to: string;
}

/** A headline number over the period, the same over the previous period of equal length, and value - previous. */
export interface MetricValue {
  value: number | null;
  previous: number | null;
  change: number | null;
}

// GET /api/me
export interface MeResponse {
  role: Role;
}

/** One of a person's accounts: a Matrix user id or a forum username. */
export interface AccountRef {
  platform: Platform;
  account: string;
}

/** A person (a member) with every account they are known by. */
export interface PersonRef {
  id: number;
  name: string;
  accounts: AccountRef[];
}

/**
 * Two members whose accounts look like one person's, not linked, and nobody said they are two
 * people (a member's "not me", an admin's split). Members who opted out are never in one.
 */
export interface ProbablySamePerson {
  a: PersonRef;
  b: PersonRef;
  /** Why, in words: "the same name", "a username made from the name", "the same username", "the same e-mail address". */
  reasons: string[];
  /** The offer to link them: not offered yet, offered, accepted (the code not posted yet), or ignored. */
  offer: 'not offered' | 'offered' | 'accepted' | 'ignored';
}

/** Who the community is now (not limited to the period): people, not accounts. */
export interface PeopleSummary {
  /** Members: one per person whose accounts are linked. */
  people: number;
  accounts: number;
  /** People known by accounts on more than one platform. */
  linkedPeople: number;
  /** Pairs of members that are probably one person (see ProbablySamePerson). */
  probablySamePerson: number;
}

// GET /api/overview
export interface OverviewMetrics {
  problemsOpened: MetricValue;
  problemsSolved: MetricValue;
  /** Problems opened in the period and solved before it ended / problems opened. */
  solveRate: MetricValue;
  medianTimeToFirstResponseMs: MetricValue;
  activeHelpers: MetricValue;
  /** New ties (first interaction of a pair) the concierge mediated. */
  newTiesConcierge: MetricValue;
  /** New ties members made on their own. */
  newTiesDirect: MetricValue;
  /** The headline: share of exchanges where the bot was an option that happened without it. */
  bypassRate: MetricValue;
}

export interface WeeklyProblems {
  weekStart: string;
  /** Problems opened that week. */
  opened: number;
  /** Problems solved that week, whenever they were opened. */
  solved: number;
}

export interface OverviewResponse {
  period: PeriodRange;
  metrics: OverviewMetrics;
  people: PeopleSummary;
  trend: WeeklyProblems[];
  /** What the dashboard cannot see (DMs and rooms the bot is not in, ...), in words. */
  notObservable: string;
}

// GET /api/connections
export interface ConnectionWeek {
  weekStart: string;
  conciergeTies: number;
  directTies: number;
  bypassRate: number | null;
  /** All interactions that week, mediated or not. */
  interactions: number;
}

export interface ConnectionsResponse {
  period: PeriodRange;
  weeks: ConnectionWeek[];
}

// GET /api/network?minWeight=  (minWeight: leave out edges with fewer interactions; default 1)
export interface NetworkNode {
  /** The member id, as a string (graph libraries key nodes by string). */
  id: string;
  label: string;
  /** Interactions in the period the member took part in (either side). */
  activity: number;
  /**
   * How much of a broker the member is in the period's graph: betweenness centrality (how often
   * they lie on the shortest paths between others), scaled so the strongest broker is 1.
   */
  brokerScore: number;
  /** No interaction with anyone in the period. */
  isolated: boolean;
  /** The member's accounts: one node per person, whatever platforms they use. */
  accounts: AccountRef[];
}

export type EdgeKind = 'concierge' | 'direct';

export interface NetworkEdge {
  source: string;
  target: string;
  /** How the pair's tie was made (its first interaction ever): mediated by the bot or not. */
  kind: EdgeKind;
  /** Interactions between the two in the period, both directions. */
  weight: number;
}

export interface NetworkResponse {
  period: PeriodRange;
  /** Every member who did not opt out; `isolated` marks those without interactions in the period. */
  nodes: NetworkNode[];
  edges: NetworkEdge[];
  optedOutMembers: number;
  /** Pairs of nodes that are probably one person, not linked yet. */
  probablySamePerson: ProbablySamePerson[];
  /** The shape of the whole period graph (opted-out members included, as counts); always sent by the API. */
  summary?: {
    activeMembers: number;
    /** Linked pairs / possible pairs among active members. */
    density: number | null;
    /** Share of directed contacts A -> B answered by B -> A. */
    reciprocity: number | null;
    /** Average local clustering coefficient. */
    clustering: number | null;
  };
}

// GET /api/problems?status=&tag=&platform=&q=&limit=&offset=
// status: one of PROBLEM_STATUSES; platform: a registered platform id (matrix, discourse, ...); tag: a tag name;
// q: words searched in the text (admin) or tags (viewer); limit 1..200 (default 50); offset >= 0.
// Problems opened in the period, newest first.
export const PROBLEM_STATUSES = ['opened', 'acknowledged', 'invited', 'answered', 'digested', 'solved', 'stale', 'closed'] as const;
export type ProblemStatus = (typeof PROBLEM_STATUSES)[number];
/** A registered platform's id (core/platforms.ts): matrix, discourse, ... */
export type Platform = string;

export interface ProblemListItem {
  id: number;
  /** The first line of the request (admin); "Problem #id" for the viewer role. */
  title: string;
  status: ProblemStatus;
  tags: string[];
  platform: Platform;
  createdAt: string;
  timeToFirstResponseMs: number | null;
  /** Names of members who answered, first answer first; opted-out members as OPTED_OUT_LABEL. */
  responders: string[];
}

export interface ProblemsResponse {
  period: PeriodRange;
  total: number;
  items: ProblemListItem[];
}

// GET /api/problems/:id (not limited to the period)
export interface ProblemTimelineStep {
  at: string;
  from: ProblemStatus | null;
  to: ProblemStatus;
  cause: string;
}

export interface ProblemResponseEntry {
  member: string;
  at: string;
  /** Where to read it on its platform, when known. */
  link: string | null;
}

export interface ProblemDetail {
  id: number;
  title: string;
  /** The request's text, for the admin role only; null for the viewer. */
  text: string | null;
  status: ProblemStatus;
  tags: string[];
  platform: Platform;
  createdAt: string;
  solvedAt: string | null;
  /** The originator's name (OPTED_OUT_LABEL if they opted out). */
  originator: string;
  links: { matrix?: string; forum?: string };
  timeline: ProblemTimelineStep[];
  responses: ProblemResponseEntry[];
}

// GET /api/helpers
// Invitations sent in the period, by outcome; "accepted" includes invitations answered.
export interface HelperRow {
  id: number;
  name: string;
  /** Every account of the person: their help on both platforms is one row. */
  accounts: AccountRef[];
  invited: number;
  accepted: number;
  declined: number;
  ignored: number;
  /** Answers in the period that got positive feedback (solved, thanks, reaction, rating > 0). */
  helpfulAnswers: number;
}

export interface HelpersResponse {
  period: PeriodRange;
  helpers: HelperRow[];
  optedOutMembers: number;
  /** Members that are probably one person, not linked yet: for the admin to merge or ignore. */
  probablySamePerson: ProbablySamePerson[];
}

// GET /api/tags
export interface TagRow {
  tag: string;
  /** Problems with the tag opened in the period. */
  total: number;
  /** Of those, solved before the period ended. */
  solved: number;
  solveRate: number | null;
  weeks: WeeklyProblems[];
}

export interface TagsResponse {
  period: PeriodRange;
  tags: TagRow[];
}

// GET /api/tag-vocabulary: every tag with its status (proposals included); any role may read it.
export interface TagVocabularyResponse {
  /** True for the community team (admin, concierge): the page offers approve, reject, rename, merge. */
  mayAct: boolean;
  tags: {
    name: string;
    description: string | null;
    status: 'active' | 'proposed' | 'rejected';
    origin: 'forum' | 'config' | 'suggested';
    problems: number;
    documents: number;
  }[];
}

// GET /export/problems.csv, GET /export/interactions.csv: same period parameters; text/csv.

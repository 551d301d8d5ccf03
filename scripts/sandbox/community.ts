// A deterministic synthetic community of managers for the sandbox: members with expertise and
// habits, 15 practice tags, and months of past problems with answers on Matrix rooms and
// Discourse categories. Same options and seed, same community, so simulations are repeatable.
import { newAnswerText, newProblemText, TAG_NAMES } from './community-text.js';
import { NAME_ORIGINS, QUIET_HOURS, ROLES, type NameOrigin } from './people.js';
import { mulberry32, type Rng } from '../../core/random.js';
import { chance, int, pick, shuffle, weightedIndex, weightedSample } from './rng.js';
import { TAG_PHRASES } from './tag-phrases.js';

export { newAnswerText, newProblemText, TAG_NAMES } from './community-text.js';

export interface Tag {
  name: string;
  description: string;
}
export type Activity = 'helper' | 'occasional' | 'lurker';
export type PlatformPreference = 'matrix' | 'discourse' | 'both';

export interface Member {
  id: string;
  name: string;
  matrixLocalpart: string;
  discourseUsername: string;
  role: string;
  teamSize: number;
  /** IANA zone. */
  timeZone: string;
  /** Local "HH:MM-HH:MM", or null for no quiet hours. */
  quietHours: string | null;
  /** Weight 0-1 for every tag; 1-3 tags are strong (>= 0.7), generalists have several medium ones. */
  expertise: Record<string, number>;
  /** The strong tags, strongest first. */
  topTags: string[];
  activity: Activity;
  /** Relative propensity to answer (and, less so, to ask): helpers ~0.9, lurkers ~0.05. */
  activityRate: number;
  /** Joined in the last two weeks: no history yet. */
  newcomer: boolean;
  prefers: PlatformPreference;
  joinedAt: string;
  /** Set for the one member who has another member's name (a different person). */
  namesakeOf?: string;
}

export type Venue = { platform: 'matrix'; room: string } | { platform: 'discourse'; category: string };

export interface Answer {
  id: string;
  authorId: string;
  body: string;
  createdAt: string;
}

export interface Problem {
  id: string;
  originatorId: string;
  venue: Venue;
  /** 1-2 tag names, the main one first. */
  tags: string[];
  title: string;
  body: string;
  createdAt: string;
  answers: Answer[];
  /** The answer the originator marked helpful/accepted, if any. */
  acceptedAnswerId: string | null;
  solved: boolean;
}

export interface SandboxCommunity {
  seed: number;
  now: string;
  historyStart: string;
  rooms: string[];
  categories: string[];
  tags: Tag[];
  members: Member[];
  problems: Problem[];
}

export interface GenerateOptions {
  seed?: number;
  members?: number;
  problems?: number;
  weeksOfHistory?: number;
  now?: Date;
}

export const MATRIX_ROOMS = ['general', 'people-leadership', 'planning', 'operations'];
export const DISCOURSE_CATEGORIES = ['general', 'people-leadership', 'planning-and-delivery'];

// Where a tag's problems usually land; the rest of the time people just post in general.
const PEOPLE_TAGS = new Set([
  'onboarding',
  'hiring',
  'one-on-ones',
  'performance-reviews',
  'feedback',
  'burnout-and-wellbeing',
  'conflict-resolution',
  'career-growth',
]);
const PLANNING_TAGS = new Set(['budgeting', 'roadmap-planning', 'stakeholder-management', 'team-structure']);

// Tags that tend to come up together, for the optional second tag of a problem.
const RELATED: Record<string, string[]> = {
  onboarding: ['hiring', 'remote-work', 'one-on-ones'],
  hiring: ['onboarding', 'budgeting', 'team-structure'],
  'one-on-ones': ['feedback', 'career-growth', 'remote-work'],
  'performance-reviews': ['feedback', 'career-growth'],
  feedback: ['one-on-ones', 'performance-reviews', 'conflict-resolution'],
  'remote-work': ['meetings-and-rituals', 'onboarding', 'burnout-and-wellbeing'],
  budgeting: ['hiring', 'roadmap-planning', 'stakeholder-management'],
  'roadmap-planning': ['stakeholder-management', 'budgeting'],
  'stakeholder-management': ['roadmap-planning', 'conflict-resolution'],
  'burnout-and-wellbeing': ['incident-management', 'one-on-ones'],
  'conflict-resolution': ['feedback', 'team-structure'],
  'career-growth': ['performance-reviews', 'one-on-ones'],
  'team-structure': ['hiring', 'roadmap-planning'],
  'incident-management': ['burnout-and-wellbeing', 'meetings-and-rituals'],
  'meetings-and-rituals': ['remote-work', 'one-on-ones'],
};

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const iso = (ms: number) => new Date(ms).toISOString();

/** "José Dela Cruz" -> ["jose", "dela", "cruz"]: ASCII words usable in ids. */
function slugWords(name: string): string[] {
  return name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
}

function uniqueHandle(base: string, taken: Set<string>): string {
  let handle = base;
  for (let i = 2; taken.has(handle); i++) handle = `${base}${i}`;
  taken.add(handle);
  return handle;
}

function makeMembers(rng: Rng, count: number, now: number, historyStart: number): Member[] {
  const names = new Set<string>();
  const firsts = new Set<string>();
  const lasts = new Set<string>();
  const localparts = new Set<string>();
  const usernames = new Set<string>();
  // Cycle through origins in a shuffled order so any 40 members span many cultures.
  let origins: NameOrigin[] = [];
  const newcomers = Math.max(1, Math.round(count * 0.1));
  // Every tag gets a primary expert early on, so no tag is without someone to ask.
  const primaryOrder = shuffle(rng, TAG_NAMES);
  const members: Member[] = [];
  for (let i = 0; i < count; i++) {
    if (origins.length === 0) origins = shuffle(rng, NAME_ORIGINS);
    const origin = origins.pop() as NameOrigin;
    // Prefer first and last names nobody else has, so members are easy to tell apart.
    let first = pick(rng, origin.first);
    let last = pick(rng, origin.last);
    for (let tries = 0; tries < 50 && (firsts.has(first) || lasts.has(last)); tries++) [first, last] = [pick(rng, origin.first), pick(rng, origin.last)];
    let name = `${first} ${last}`;
    if (names.has(name)) name = `${name} ${i + 1}`; // only when far more members than names are asked for
    names.add(name);
    firsts.add(first);
    lasts.add(last);
    const words = slugWords(name);
    const handleFirst = words[0] ?? 'member';
    const handleLast = words.slice(1).join('');
    const [role, minTeam, maxTeam] = pick(rng, ROLES);
    const [timeZone] = chance(rng, 0.8) ? pick(rng, origin.zones) : pick(rng, pick(rng, NAME_ORIGINS).zones);
    const newcomer = i >= count - newcomers;
    const generalist = !newcomer && chance(rng, 0.15);

    const expertise: Record<string, number> = {};
    for (const tag of TAG_NAMES) expertise[tag] = Math.round((0.02 + rng() * 0.15) * 100) / 100;
    const strongCount = int(rng, 1, 3);
    const strong = [primaryOrder[i % primaryOrder.length] as string];
    for (const tag of shuffle(rng, TAG_NAMES)) if (strong.length < strongCount && !strong.includes(tag)) strong.push(tag);
    if (generalist) for (const tag of shuffle(rng, TAG_NAMES).slice(0, 5)) expertise[tag] = Math.round((0.4 + rng() * 0.15) * 100) / 100;
    strong.forEach((tag, rank) => {
      expertise[tag] = Math.round((0.95 - rank * 0.1 - rng() * 0.1) * 100) / 100;
    });

    const a = rng();
    const activity: Activity = a < 0.17 ? 'helper' : a < 0.75 ? 'occasional' : 'lurker';
    const activityRate =
      Math.round((activity === 'helper' ? 0.8 + rng() * 0.2 : activity === 'occasional' ? 0.25 + rng() * 0.25 : 0.03 + rng() * 0.07) * 100) / 100;
    const p = rng();
    members.push({
      id: `m${String(i + 1).padStart(2, '0')}`,
      name,
      matrixLocalpart: uniqueHandle([handleFirst, handleLast].filter(Boolean).join('.'), localparts),
      discourseUsername: uniqueHandle(`${handleFirst}_${handleLast.slice(0, 1) || 'x'}`.slice(0, 20), usernames),
      role,
      teamSize: int(rng, minTeam, maxTeam),
      timeZone,
      quietHours: chance(rng, 0.35) ? pick(rng, QUIET_HOURS) : null,
      expertise,
      topTags: strong,
      activity,
      activityRate,
      newcomer,
      prefers: p < 0.45 ? 'matrix' : p < 0.75 ? 'discourse' : 'both',
      joinedAt: iso(newcomer ? now - (1 + rng() * 13) * DAY : historyStart - (rng() * 100 + 1) * 7 * DAY),
    });
  }
  return members;
}

/**
 * Two different people with the same name, as every community of some size has: a forum regular
 * takes the name of a member who writes only on Matrix, with handles of their own ("luca.ricci2",
 * "luca_r2"). Their accounts look like one person's, so the bot offers to link them, and the
 * member says "not me". Returns the Matrix-only member, who never writes on the forum.
 */
function makeNamesake(members: Member[]): Member | undefined {
  const regular = (m: Member) => !m.newcomer && m.activity !== 'lurker';
  const original = members.find((m) => regular(m) && m.prefers === 'matrix');
  const namesake = members.find((m) => regular(m) && m.prefers === 'discourse');
  if (!original || !namesake) return undefined;
  const localparts = new Set(members.filter((m) => m !== namesake).map((m) => m.matrixLocalpart));
  const usernames = new Set(members.filter((m) => m !== namesake).map((m) => m.discourseUsername));
  namesake.name = original.name;
  namesake.matrixLocalpart = uniqueHandle(original.matrixLocalpart, localparts);
  namesake.discourseUsername = uniqueHandle(original.discourseUsername, usernames);
  namesake.namesakeOf = original.id;
  return original;
}

export const zoneOffset = new Map(NAME_ORIGINS.flatMap((o) => o.zones));

/** A time in week `week` of the history, mostly on local weekdays during local working hours. */
export function postingTime(rng: Rng, weekStart: number, offsetHours: number): number {
  let t = weekStart + rng() * 7 * DAY;
  for (let tries = 0; tries < 8; tries++) {
    const local = new Date(t + offsetHours * HOUR);
    const weekday = local.getUTCDay() !== 0 && local.getUTCDay() !== 6;
    const hour = local.getUTCHours();
    if (chance(rng, (weekday ? 1 : 0.2) * (hour >= 8 && hour < 19 ? 1 : 0.1))) break;
    t = weekStart + rng() * 7 * DAY;
  }
  return t;
}

export function venueFor(rng: Rng, member: Member, tag: string): Venue {
  const platform = member.prefers === 'both' ? (chance(rng, 0.5) ? 'matrix' : 'discourse') : member.prefers;
  const topical = !chance(rng, 0.2);
  if (platform === 'matrix') {
    const room = !topical ? 'general' : PEOPLE_TAGS.has(tag) ? 'people-leadership' : PLANNING_TAGS.has(tag) ? 'planning' : 'operations';
    return { platform, room };
  }
  const category = !topical ? 'general' : PEOPLE_TAGS.has(tag) ? 'people-leadership' : PLANNING_TAGS.has(tag) ? 'planning-and-delivery' : 'general';
  return { platform, category };
}

/**
 * The week of each problem: fixed quotas rather than independent draws, so every week has
 * activity and later weeks are steadily busier (up to 60% more than the first: a growing
 * community). Which problem lands in which week does not matter, ids are assigned by date.
 */
function weekQuotas(problemCount: number, weeks: number): number[] {
  const weights = Array.from({ length: weeks }, (_, w) => 1 + (0.6 * w) / Math.max(1, weeks - 1));
  const total = weights.reduce((a, b) => a + b, 0);
  const out: number[] = [];
  let cumulative = 0;
  weights.forEach((weight, w) => {
    const before = Math.round((cumulative / total) * problemCount);
    cumulative += weight;
    for (let k = before; k < Math.round((cumulative / total) * problemCount); k++) out.push(w);
  });
  return out;
}

const bestExpertise = (m: Member, tags: string[]) => Math.max(...tags.map((t) => m.expertise[t] ?? 0));

/** Generates the whole community; pure and deterministic for the given options. */
export function generateCommunity({
  seed = 42,
  members: memberCount = 40,
  problems: problemCount = 300,
  weeksOfHistory = 26,
  now = new Date('2026-11-02T09:00:00Z'),
}: GenerateOptions = {}): SandboxCommunity {
  if (memberCount < 2 || problemCount < 0 || weeksOfHistory < 1) throw new Error('need at least 2 members, 0 problems and 1 week');
  const rng = mulberry32(seed);
  const nowMs = now.getTime();
  const historyStart = nowMs - weeksOfHistory * 7 * DAY;
  const members = makeMembers(rng, memberCount, nowMs, historyStart);
  const matrixOnly = makeNamesake(members);
  const veterans = members.filter((m) => !m.newcomer);
  // Lurkers still ask now and then; people ask a bit more about what they are not expert in.
  const askWeights = veterans.map((m) => (m.activity === 'lurker' ? 0.3 : 1));
  const weekOf = weekQuotas(problemCount, weeksOfHistory);
  const used = new Set<string>();

  const drafts: Omit<Problem, 'id' | 'answers' | 'acceptedAnswerId'>[] = [];
  const drafted: { answers: { author: Member; body: string; at: number }[]; accepted: number | null }[] = [];
  for (let i = 0; i < problemCount; i++) {
    const asker = veterans[weightedIndex(rng, askWeights)] as Member;
    const tag = TAG_NAMES[
      weightedIndex(
        rng,
        TAG_NAMES.map((t) => 1.2 - (asker.expertise[t] ?? 0)),
      )
    ] as string;
    const second = chance(rng, 0.35) ? pick(rng, RELATED[tag] ?? []) : undefined;
    const tags = second ? [tag, second] : [tag];
    const text = newProblemText(rng, tag, { teamSize: asker.teamSize, secondTag: second, avoid: used });
    used.add(text.title).add(text.body);
    const week = weekOf[i] ?? 0;
    const created = Math.min(postingTime(rng, historyStart + week * 7 * DAY, zoneOffset.get(asker.timeZone) ?? 0), nowMs - HOUR);
    const venue = venueFor(rng, asker, tag);

    // Answerers: mostly experts and active members, favouring those at home on this platform.
    const wanted = chance(rng, 0.2) ? 0 : ([1, 2, 3, 4][weightedIndex(rng, [0.42, 0.32, 0.17, 0.09])] as number);
    const candidates = veterans.filter((m) => m !== asker);
    const weights = candidates.map((m) => {
      const platformFit = m === matrixOnly && venue.platform === 'discourse' ? 0 : m.prefers === 'both' || m.prefers === venue.platform ? 1 : 0.3;
      return m.activityRate * (0.1 + bestExpertise(m, tags)) ** 2 * platformFit;
    });
    const answers: { author: Member; body: string; at: number }[] = [];
    let at = created;
    for (const author of weightedSample(rng, candidates, weights, wanted)) {
      // Log-uniform delays (minutes to days); chat is answered faster than the forum.
      const scale = venue.platform === 'matrix' ? 0.5 : 1;
      at += Math.exp(Math.log(0.1) + rng() * Math.log(72 / 0.1)) * scale * HOUR;
      if (at >= nowMs) break; // recent questions have not collected all their answers yet
      const topTag = tags.reduce((a, b) => ((author.expertise[b] ?? 0) > (author.expertise[a] ?? 0) ? b : a));
      answers.push({ author, body: newAnswerText(rng, topTag, { expertise: author.expertise[topTag], teamSize: asker.teamSize }), at });
    }
    // The originator marks the answer that helped most, likelier from an expert.
    const accepted =
      answers.length > 0 && chance(rng, 0.65)
        ? weightedIndex(
            rng,
            answers.map((a) => 0.2 + bestExpertise(a.author, tags)),
          )
        : null;
    const solved = accepted !== null || (answers.length > 0 ? chance(rng, 0.25) : chance(rng, 0.05));
    drafts.push({ originatorId: asker.id, venue, tags, title: text.title, body: text.body, createdAt: iso(created), solved });
    drafted.push({ answers, accepted });
  }

  // Ids follow time, so p001 is the oldest problem.
  const order = drafts.map((_, i) => i).sort((a, b) => (drafts[a]?.createdAt ?? '').localeCompare(drafts[b]?.createdAt ?? '') || a - b);
  const problems = order.map((index, rank): Problem => {
    const draft = drafts[index] as (typeof drafts)[number];
    const extra = drafted[index] as (typeof drafted)[number];
    const id = `p${String(rank + 1).padStart(3, '0')}`;
    const answers = extra.answers.map((a, k) => ({ id: `${id}-a${k + 1}`, authorId: a.author.id, body: a.body, createdAt: iso(a.at) }));
    return { id, ...draft, answers, acceptedAnswerId: extra.accepted === null ? null : (answers[extra.accepted]?.id ?? null) };
  });

  return {
    seed,
    now: iso(nowMs),
    historyStart: iso(historyStart),
    rooms: [...MATRIX_ROOMS],
    categories: [...DISCOURSE_CATEGORIES],
    tags: TAG_NAMES.map((name) => ({ name, description: (TAG_PHRASES[name] as { description: string }).description })),
    members,
    problems,
  };
}

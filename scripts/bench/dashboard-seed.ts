// Fills a store with a large, deterministic community history for the dashboard's speed
// measurements (API latency, page load): members in a few clusters, problems with tags,
// lifecycles, invitations, answers and feedback, and interactions whose ties start mostly
// concierge-made and turn into direct contacts over time, as the product hopes.
// Written through the store's bulk path: 100k interactions take seconds, not minutes.
import type { Store } from '../../core/store/index.js';
import type { BulkFeedback, BulkIntroduction, BulkInvitation, BulkProblem, BulkResponse, BulkTransition } from '../../core/store/index.js';
import type { InteractionInput, InteractionKind, InvitationStatus, ProblemStatus } from '../../core/store/types.js';
import type { MemberId, Platform, ProblemId } from '../../core/types.js';
import { newAnswerText, newProblemText, TAG_NAMES } from '../sandbox/community-text.js';
import { NAME_ORIGINS } from '../sandbox/people.js';
import { mulberry32, type Rng } from '../../core/random.js';
import { chance, int, pick } from '../sandbox/rng.js';

export interface DashboardSeedOptions {
  /** Interactions in total (answers included). Default 100,000. */
  interactions?: number;
  /** Default 10,000. */
  problems?: number;
  /** Default 400. */
  members?: number;
  /** Weeks of history, ending at `now`. Default 52. */
  weeks?: number;
  /** Default: the current time. */
  now?: Date;
  /** Share of members who opted out. Default 0.03. */
  optedOutShare?: number;
  seed?: number;
}

export interface DashboardSeedResult {
  members: MemberId[];
  optedOut: MemberId[];
  from: Date;
  to: Date;
  counts: {
    problems: number;
    transitions: number;
    invitations: number;
    responses: number;
    feedback: number;
    interactions: number;
    introductions: number;
  };
  seconds: number;
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const CLUSTERS = 8;

interface Person {
  id: MemberId;
  cluster: number;
  activity: number;
}

/** Times in [from, to), denser towards the end (a growing community), sorted. */
function growingTimes(rng: Rng, n: number, from: number, to: number): number[] {
  const out = Array.from({ length: n }, () => from + (to - from) * Math.sqrt(rng()));
  return out.sort((a, b) => a - b);
}

/** A member drawn in proportion to activity, from the cluster with probability `local`. */
function drawPerson(rng: Rng, people: readonly Person[], byCluster: readonly Person[][], cluster: number, local: number, not: MemberId): Person {
  for (let attempt = 0; attempt < 20; attempt++) {
    const pool = chance(rng, local) ? byCluster[cluster]! : people;
    // Two draws, keep the more active: a skewed distribution, so some people help a lot.
    const a = pick(rng, pool);
    const b = pick(rng, pool);
    const p = a.activity >= b.activity ? a : b;
    if (p.id !== not) return p;
  }
  return people.find((p) => p.id !== not)!;
}

export async function seedDashboardData(store: Store, options: DashboardSeedOptions = {}): Promise<DashboardSeedResult> {
  const started = performance.now();
  const rng = mulberry32(options.seed ?? 20_261_129);
  const memberCount = options.members ?? 400;
  const problemCount = options.problems ?? 10_000;
  const interactionTarget = options.interactions ?? 100_000;
  const to = (options.now ?? new Date()).getTime();
  const from = to - (options.weeks ?? 52) * 7 * DAY;
  if (memberCount < 3) throw new RangeError('seedDashboardData needs at least 3 members');

  // Members: invented names (first + last of one origin), a cluster, an activity level.
  const names = new Set<string>();
  const memberRows = Array.from({ length: memberCount }, (_, i) => {
    const origin = pick(rng, NAME_ORIGINS);
    let name = `${pick(rng, origin.first)} ${pick(rng, origin.last)}`;
    if (names.has(name)) name = `${name} ${i + 1}`;
    names.add(name);
    return {
      displayName: name,
      optedOut: chance(rng, options.optedOutShare ?? 0.03),
      createdAt: new Date(from - int(rng, 0, 200) * DAY),
      identity: { platform: 'matrix' as Platform, externalId: `@member${i + 1}:bench.example` },
    };
  });
  const ids = await store.bulk.addMembers(memberRows);
  const people: Person[] = ids.map((id) => ({ id, cluster: int(rng, 0, CLUSTERS - 1), activity: rng() ** 2 }));
  const byCluster = Array.from({ length: CLUSTERS }, (_, c) => people.filter((p) => p.cluster === c));
  for (const [c, list] of byCluster.entries()) if (list.length === 0) byCluster[c] = people;
  const tags = TAG_NAMES.length > 0 ? TAG_NAMES : ['general'];

  // Problems and their lifecycles.
  const problemTimes = growingTimes(rng, problemCount, from, to);
  const problems: BulkProblem[] = [];
  const plans: { originator: Person; at: number; status: ProblemStatus; tag: string; platform: Platform; solvedAt: number | null }[] = [];
  for (const [i, at] of problemTimes.entries()) {
    const originator = drawPerson(rng, people, byCluster, 0, 0, 0 as MemberId);
    const tag = pick(rng, tags);
    const age = to - at;
    const r = rng();
    const status: ProblemStatus =
      age < 2 * DAY
        ? pick(rng, ['opened', 'acknowledged', 'invited', 'answered'] as const)
        : r < 0.58
          ? 'solved'
          : r < 0.7
            ? 'digested'
            : r < 0.8
              ? 'answered'
              : r < 0.93
                ? 'stale'
                : 'closed';
    const solvedAt = status === 'solved' ? Math.min(to - 1, at + int(rng, 1, 96) * HOUR) : null;
    const platform: Platform = chance(rng, 0.6) ? 'matrix' : 'discourse';
    const text = newProblemText(rng, tag);
    const second = chance(rng, 0.4) ? pick(rng, tags) : undefined;
    problems.push({
      originatorId: originator.id,
      platform,
      text: `${text.title}\n\n${text.body}`,
      status,
      createdAt: new Date(at),
      updatedAt: new Date(solvedAt ?? at),
      solvedAt: solvedAt === null ? null : new Date(solvedAt),
      containerId: platform === 'matrix' ? `!room${originator.cluster}:bench.example` : String(10 + originator.cluster),
      threadId: platform === 'matrix' ? `$p${i}` : String(1000 + i),
      sourceEventId: platform === 'matrix' ? `$p${i}` : `post:${1000 + i}/1`,
      tags: second && second !== tag ? [tag, second] : [tag],
    });
    plans.push({ originator, at, status, tag, platform, solvedAt });
  }
  const problemIds = await store.bulk.addProblems(problems);

  const transitions: BulkTransition[] = [];
  const invitations: BulkInvitation[] = [];
  const responses: (BulkResponse & { invited: boolean; originatorId: MemberId })[] = [];
  const introductions: BulkIntroduction[] = [];
  for (const [i, plan] of plans.entries()) {
    const pid = problemIds[i]!;
    const step = (fromStatus: ProblemStatus | null, toStatus: ProblemStatus, cause: string, at: number) =>
      transitions.push({ problemId: pid, from: fromStatus, to: toStatus, cause, at: new Date(Math.min(at, to - 1)) });
    step(null, 'opened', 'help requested', plan.at);
    if (plan.status === 'opened') continue;
    step('opened', 'acknowledged', 'the bot answered in the thread', plan.at + 1000);
    if (plan.status === 'acknowledged') continue;
    step('acknowledged', 'invited', 'members invited', plan.at + 2000);

    const invited = new Set<MemberId>();
    let firstAnswerAt: number | null = null;
    for (let k = 0; k < 3; k++) {
      const helper = drawPerson(rng, people, byCluster, plan.originator.cluster, 0.7, plan.originator.id);
      if (invited.has(helper.id)) continue;
      invited.add(helper.id);
      const fresh = plan.status === 'invited';
      const r = rng();
      const status: InvitationStatus = fresh ? 'sent' : r < 0.45 ? 'answered' : r < 0.55 ? 'accepted' : r < 0.7 ? 'declined' : r < 0.92 ? 'ignored' : 'sent';
      invitations.push({
        problemId: pid,
        memberId: helper.id,
        reason: `knows ${plan.tag}`,
        score: Math.round(rng() * 100) / 100,
        status,
        createdAt: new Date(plan.at + 2000),
        sentAt: new Date(plan.at + 3000),
        respondedAt: status === 'sent' ? null : new Date(Math.min(to - 1, plan.at + int(rng, 1, 48) * HOUR)),
      });
      if (status === 'answered' || (status === 'accepted' && chance(rng, 0.5))) {
        const at = Math.min(to - 1, plan.at + int(rng, 5, 48 * 60) * 60_000);
        firstAnswerAt = firstAnswerAt === null ? at : Math.min(firstAnswerAt, at);
        responses.push({
          problemId: pid,
          memberId: helper.id,
          platform: plan.platform,
          text: newAnswerText(rng, plan.tag),
          createdAt: new Date(at),
          invited: true,
          originatorId: plan.originator.id,
        });
      }
    }
    if (chance(rng, 0.25)) {
      const volunteer = drawPerson(rng, people, byCluster, plan.originator.cluster, 0.5, plan.originator.id);
      const at = Math.min(to - 1, plan.at + int(rng, 10, 72 * 60) * 60_000);
      firstAnswerAt = firstAnswerAt === null ? at : Math.min(firstAnswerAt, at);
      responses.push({
        problemId: pid,
        memberId: volunteer.id,
        platform: plan.platform,
        text: newAnswerText(rng, plan.tag),
        createdAt: new Date(at),
        invited: invited.has(volunteer.id),
        originatorId: plan.originator.id,
      });
    }
    if (plan.status === 'invited') continue;
    const answeredAt = firstAnswerAt ?? plan.at + HOUR;
    step('invited', 'answered', 'first answer', answeredAt);
    if (plan.status === 'answered') continue;
    if (plan.status === 'stale') {
      step('answered', 'stale', 'no answer for a week', plan.at + 7 * DAY);
      continue;
    }
    if (plan.status === 'closed') {
      step('answered', 'closed', 'closed by the originator', answeredAt + DAY);
      continue;
    }
    step('answered', 'digested', 'digest sent', answeredAt + HOUR);
    if (plan.status === 'solved') step('digested', 'solved', 'marked solved by the originator', plan.solvedAt!);
  }
  const responseIds = await store.bulk.addResponses(responses);

  // Feedback: the originator marks the first answer of a solved problem; thanks on some answers.
  const feedback: BulkFeedback[] = [];
  const firstResponse = new Map<ProblemId, number>();
  for (const [k, r] of responses.entries()) if (!firstResponse.has(r.problemId)) firstResponse.set(r.problemId, k);
  for (const [i, plan] of plans.entries()) {
    const k = firstResponse.get(problemIds[i]!);
    if (plan.status !== 'solved' || k === undefined) continue;
    const r = responses[k]!;
    feedback.push({
      problemId: r.problemId,
      responseId: responseIds[k]!,
      fromMemberId: plan.originator.id,
      toMemberId: r.memberId,
      kind: 'solved',
      createdAt: new Date(plan.solvedAt!),
    });
    if (chance(rng, 0.3)) {
      introductions.push({
        a: plan.originator.id,
        b: r.memberId,
        problemId: r.problemId,
        reason: `you both deal with ${plan.tag}`,
        platform: plan.platform,
        offeredAt: new Date(plan.solvedAt!),
        acceptedAt: chance(rng, 0.5) ? new Date(Math.min(to - 1, plan.solvedAt! + 6 * HOUR)) : null,
      });
    }
  }
  for (const [k, r] of responses.entries()) {
    if (chance(rng, 0.3))
      feedback.push({
        problemId: r.problemId,
        responseId: responseIds[k]!,
        fromMemberId: r.originatorId,
        toMemberId: r.memberId,
        kind: 'thanks',
        createdAt: new Date(Math.min(to - 1, r.createdAt.getTime() + HOUR)),
      });
  }

  // Interactions: one answer per response, an introduction per accepted offer, then everyday
  // contacts. Early on most new ties come through the bot; later members reach each other.
  const interactions: InteractionInput[] = responses.map((r, k) => ({
    fromMemberId: r.memberId,
    toMemberId: r.originatorId,
    kind: 'answer' as InteractionKind,
    platform: r.platform,
    mediated: r.invited,
    problemId: r.problemId,
    sourceEventId: `bench:answer:${responseIds[k]}`,
    occurredAt: r.createdAt,
  }));
  for (const [n, x] of introductions.entries()) {
    if (x.acceptedAt)
      interactions.push({
        fromMemberId: x.a,
        toMemberId: x.b,
        kind: 'introduction',
        platform: x.platform,
        mediated: true,
        problemId: x.problemId ?? null,
        sourceEventId: `bench:intro:${n}`,
        occurredAt: x.acceptedAt,
      });
  }
  const everyday = Math.max(0, interactionTarget - interactions.length);
  interactions.splice(interactionTarget);
  const pairs: [MemberId, MemberId][] = [];
  const kinds: InteractionKind[] = ['reply', 'reply', 'mention', 'reaction', 'direct-message'];
  for (const [n, at] of growingTimes(rng, everyday, from, to).entries()) {
    const progress = (at - from) / (to - from);
    let a: MemberId;
    let b: MemberId;
    if (pairs.length > 0 && chance(rng, 0.75)) {
      [a, b] = pick(rng, pairs);
      if (chance(rng, 0.5)) [a, b] = [b, a];
    } else {
      const p = drawPerson(rng, people, byCluster, 0, 0, 0 as MemberId);
      const q = drawPerson(rng, people, byCluster, p.cluster, 0.8, p.id);
      [a, b] = [p.id, q.id];
      pairs.push([a, b]);
    }
    const mediated = chance(rng, 0.6 * (1 - progress) + 0.05);
    interactions.push({
      fromMemberId: a,
      toMemberId: b,
      kind: pick(rng, kinds),
      platform: chance(rng, 0.65) ? 'matrix' : 'discourse',
      mediated,
      problemId: null,
      sourceEventId: `bench:contact:${n}`,
      occurredAt: new Date(at),
    });
  }

  const counts = {
    problems: problemIds.length,
    transitions: await store.bulk.addTransitions(transitions),
    invitations: await store.bulk.addInvitations(invitations),
    responses: responseIds.length,
    feedback: await store.bulk.addFeedback(feedback),
    // In time order, as a live community writes them (ids follow time).
    interactions: await store.bulk.addInteractions(interactions.sort((x, y) => x.occurredAt.getTime() - y.occurredAt.getTime())),
    introductions: await store.bulk.addIntroductions(introductions),
  };
  return {
    members: ids,
    optedOut: ids.filter((_, i) => memberRows[i]!.optedOut),
    from: new Date(from),
    to: new Date(to),
    counts,
    seconds: (performance.now() - started) / 1000,
  };
}

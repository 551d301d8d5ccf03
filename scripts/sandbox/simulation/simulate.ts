// Plays weeks of community life against the running service, through the stand-ins: members
// ask the bot (or, once they know someone, each other), invited members answer or not,
// originators mark solutions, accept introductions and answer follow-ups, and introduced pairs
// keep talking. Time is simulated: the clock jumps to each planned step, the service handles
// it (the step is "settled" when the bot has synced everything and its queues are empty), then
// the members look at what the bot did and plan their next steps.
import type { MemberId, ProblemId } from '../../../core/types.js';
import type { Store } from '../../../core/store/index.js';
import { PROBLEM_STATUSES } from '../../../core/store/types.js';
import type { FakeForum } from '../../stand-ins/discourse-forum/index.js';
import type { FakeHomeserver } from '../../stand-ins/matrix-homeserver/index.js';
import { newAnswerText, newProblemText, venueFor, type Member, type SandboxCommunity } from '../community.js';
import { mulberry32, type Rng } from '../../../core/random.js';
import { chance, pick, weightedIndex } from '../rng.js';
import type { SeededSandbox } from '../seed.js';
import { Agenda } from './agenda.js';
import { reconcile, type Reconciliation } from './reconcile.js';
import type { SimClock } from './sim-clock.js';
import { Stage, type Actor, type MessageRef, type Place } from './stage.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const WEEK = 7 * DAY;
/** How often the service's scheduled steps (digests, stale requests, follow-ups) run. */
const TICK_EVERY = 2 * HOUR;

export interface SimulationDeps {
  app: { idle(): Promise<void>; tick(): Promise<void> };
  hs: FakeHomeserver;
  forum: FakeForum;
  seeded: SeededSandbox;
  community: SandboxCommunity;
  clock: SimClock;
  /** A connection to the service's database, to look up what the bot recorded. */
  store: Store;
}

export interface SimulationOptions {
  weeks: number;
  seed?: number;
  /** At least this many real seconds per simulated week (0: as fast as the service goes). */
  weekSeconds?: number;
  /** Progress lines. */
  log?: (line: string) => void;
  /** Stops the simulation between steps (the service is shutting down). */
  signal?: AbortSignal;
}

export interface SimulationResult {
  from: Date;
  to: Date;
  asked: { viaBot: number; direct: number };
  answers: number;
  solvedByMembers: number;
  introductionsAccepted: number;
  outcomesAnswered: number;
  privateAnswersRelayed: number;
  recognitionOptIns: number;
  accountsLinked: number;
  /** How members answered the bot's offers to link an account that looks like theirs. */
  linkOffers: { received: number; accepted: number; refused: number; ignored: number };
  /** Moments the clock stopped at, and the real time spent waiting for the service and looking at its work. */
  steps: number;
  realMs: { history: number; settling: number; observing: number; acting: number };
  /** Requests members made of the bot against the problems the service opened (both should be empty). */
  reconciliation: Reconciliation;
}

interface Person extends Actor {
  m: Member;
  storeIds: Set<MemberId>;
  /** Known people: weight grows with each exchange; the room is a private chat from an introduction. */
  contacts: Map<Person, { weight: number; roomId?: string }>;
  /** Private room with the bot, and how many of its events the member has read. */
  botRoom?: { roomId: string; read: number };
}

interface SimProblem {
  originator: Person;
  tag: string;
  place: Place;
  viaBot: boolean;
  askedAt: number;
  storeId?: ProblemId;
  answers: { by: Person; ref: MessageRef; quality: number }[];
  handledInvitations: Set<number>;
  solveScheduled: boolean;
  solved: boolean;
  introductionAsked: boolean;
}

type Step =
  | { kind: 'week'; week: number }
  | { kind: 'tick' }
  | { kind: 'ask'; who: Person }
  | { kind: 'answer'; problem: SimProblem; by: Person }
  | { kind: 'answer-privately'; problem: SimProblem; by: Person }
  | { kind: 'tell-bot'; who: Person; text: string }
  /** Posts a link code from the person's account on `on` (the other platform than the one that gave it). */
  | { kind: 'redeem'; who: Person; code: string; on: 'matrix' | 'discourse' }
  /** Answers the bot's link offer: a reply, or a reaction to the offer itself. */
  | {
      kind: 'answer-offer';
      who: Person;
      accept: boolean;
      where: { platform: 'matrix'; roomId: string; eventId: string } | { platform: 'discourse'; topicId: number; postId: number };
      react: boolean;
    }
  | { kind: 'decline'; problem: SimProblem; by: Person }
  | { kind: 'solve'; problem: SimProblem }
  | { kind: 'introduce'; problem: SimProblem }
  | { kind: 'outcome'; who: Person; roomId?: string; topicId?: number }
  | { kind: 'chat'; a: Person; b: Person };

const CHAT_LINES = [
  'Hi {b}, how did the change you mentioned work out?',
  'Hey {b}, got ten minutes this week? I would like your take on something.',
  '{b}, thanks again for last time. We tried it and it helped.',
  'Morning {b}! Saw your post, want to compare notes on Thursday?',
  '{b}, quick one: do you still have that template you described?',
];

export async function simulate(deps: SimulationDeps, options: SimulationOptions): Promise<SimulationResult> {
  const { app, hs, forum, seeded, community, clock, store } = deps;
  const rng: Rng = mulberry32(options.seed ?? 7);
  const log = options.log ?? (() => {});
  const stage = new Stage(hs, forum, seeded, clock);
  const start = clock.now();
  const end = start + options.weeks * WEEK;
  const realStart = performance.now();

  const people: Person[] = community.members.map((m) => {
    const accounts = seeded.accounts.get(m.id)!;
    return {
      m,
      name: m.name,
      forum: accounts.forum,
      ...(m.prefers === 'discourse' ? {} : { matrix: accounts.matrix }),
      storeIds: new Set(),
      contacts: new Map(),
    };
  });
  const byForumUserId = new Map(people.map((p) => [forum.user(p.forum)!.id, p]));
  const botForumId = forum.user(seeded.botForumUsername)!.id;
  const problems: SimProblem[] = [];
  const result: SimulationResult = {
    from: new Date(start),
    to: new Date(end),
    asked: { viaBot: 0, direct: 0 },
    answers: 0,
    solvedByMembers: 0,
    introductionsAccepted: 0,
    outcomesAnswered: 0,
    privateAnswersRelayed: 0,
    recognitionOptIns: 0,
    accountsLinked: 0,
    linkOffers: { received: 0, accepted: 0, refused: 0, ignored: 0 },
    steps: 0,
    realMs: { history: 0, settling: 0, observing: 0, acting: 0 },
    reconciliation: { notOpened: [], notAsked: [] },
  };
  let weekly = { asked: 0, direct: 0, answers: 0, solved: 0, introductions: 0 };
  let forumCursor = Math.max(0, ...forum.posts().map((p) => p.id));

  const agenda = new Agenda<Step>();
  for (let w = 0; w < options.weeks; w++) agenda.add(start + w * WEEK, { kind: 'week', week: w + 1 });
  // A few members on both platforms link their accounts themselves; the rest wait for the bot to offer.
  for (const p of people)
    if (p.matrix && p.m.prefers === 'both' && chance(rng, 0.25))
      agenda.add(start + rng() * DAY, { kind: 'tell-bot', who: p, text: `!coagent link-discourse ${p.forum}` });
  // Some regular helpers like to hear weekly whom they helped.
  for (const p of people)
    if (p.matrix && p.m.activity === 'helper' && chance(rng, 0.4))
      agenda.add(start + rng() * DAY, { kind: 'tell-bot', who: p, text: '!coagent recognition on' });
  for (let t = start + TICK_EVERY; t <= end; t += TICK_EVERY) agenda.add(t, { kind: 'tick' });
  const later = (minHours: number, maxHours: number) => clock.now() + (minHours + rng() * (maxHours - minHours)) * HOUR;

  // ---- what members do ----------------------------------------------------------------------

  const onPlatform = (p: Person, place: Place) => place.platform === 'discourse' || p.matrix !== undefined;
  const expertise = (p: Person, tag: string) => p.m.expertise[tag] ?? 0;
  const meet = (a: Person, b: Person, weight: number, roomId?: string) => {
    for (const [x, y] of [
      [a, b],
      [b, a],
    ] as const) {
      const known = x.contacts.get(y);
      x.contacts.set(y, { weight: (known?.weight ?? 0) + weight, roomId: roomId ?? known?.roomId });
    }
  };

  function planWeek(week: number): void {
    // A growing community: about 9 requests in week 1, 30% more by the last week.
    const growth = 1 + (0.3 * (week - 1)) / Math.max(1, options.weeks - 1);
    const asks = Math.round(9 * growth + (rng() - 0.5) * 4);
    const weights = people.map((p) => 0.35 + 0.65 * (1 - p.m.activityRate) * 0.5 + p.m.activityRate * 0.5);
    for (let i = 0; i < asks; i++) {
      agenda.add(clock.now() + rng() * WEEK, { kind: 'ask', who: people[weightedIndex(rng, weights)]! });
    }
    // People who know each other keep in touch, more so the better they know each other.
    for (const a of people) {
      for (const [b, tie] of a.contacts) {
        if (a.m.id < b.m.id && chance(rng, Math.min(0.6, 0.12 * tie.weight + (tie.roomId ? 0.15 : 0)))) {
          agenda.add(clock.now() + rng() * WEEK, { kind: 'chat', a, b });
        }
      }
    }
  }

  function ask(who: Person): void {
    // People ask about what they are not expert in.
    const tags = community.tags.map((t) => t.name);
    const tag =
      tags[
        weightedIndex(
          rng,
          tags.map((t) => 1.1 - expertise(who, t)),
        )
      ]!;
    const text = newProblemText(rng, tag, { teamSize: who.m.teamSize });
    // Once they know someone who knows the subject, some ask them directly, without the bot.
    const known = [...who.contacts].filter(([b]) => expertise(b, tag) >= 0.35);
    if (known.length > 0 && chance(rng, Math.min(0.65, 0.15 * known.reduce((s, [, tie]) => s + tie.weight, 0)))) {
      const [helper, tie] =
        known[
          weightedIndex(
            rng,
            known.map(([b, t]) => t.weight * (0.2 + expertise(b, tag))),
          )
        ]!;
      const venue = venueFor(rng, who.m, tag);
      const place: Place =
        tie.roomId && who.matrix && helper.matrix
          ? { platform: 'matrix', roomId: tie.roomId, root: hs.sendText(who.matrix, tie.roomId, `${helper.name.split(' ')[0]}, ${text.body}`) }
          : stage.askMember(who, helper, text.body, text.title, venue.platform === 'matrix' ? venue.room : 'general');
      const problem: SimProblem = {
        originator: who,
        tag,
        place,
        viaBot: false,
        askedAt: clock.now(),
        answers: [],
        handledInvitations: new Set(),
        solveScheduled: false,
        solved: false,
        introductionAsked: true,
      };
      problems.push(problem);
      if (chance(rng, 0.9)) agenda.add(later(0.5, 10), { kind: 'answer', problem, by: helper });
      result.asked.direct += 1;
      weekly.direct += 1;
      return;
    }
    let venue = venueFor(rng, who.m, tag);
    if (venue.platform === 'matrix' && !who.matrix) venue = { platform: 'discourse', category: 'general' };
    const place = stage.askBot(who, venue, text.title, text.body, []);
    const problem: SimProblem = {
      originator: who,
      tag,
      place,
      viaBot: true,
      askedAt: clock.now(),
      answers: [],
      handledInvitations: new Set(),
      solveScheduled: false,
      solved: false,
      introductionAsked: false,
    };
    problems.push(problem);
    // Someone who was not invited sometimes answers anyway.
    const passersBy = people.filter((p) => p !== who && onPlatform(p, place) && expertise(p, tag) >= 0.5);
    if (passersBy.length > 0 && chance(rng, 0.25)) agenda.add(later(2, 40), { kind: 'answer', problem, by: pick(rng, passersBy) });
    result.asked.viaBot += 1;
    weekly.asked += 1;
  }

  function answer(problem: SimProblem, by: Person): void {
    if (problem.solved || problem.answers.some((a) => a.by === by)) return;
    const text = newAnswerText(rng, problem.tag, { expertise: expertise(by, problem.tag), teamSize: problem.originator.m.teamSize });
    const ref = stage.say(by, problem.place, text);
    problem.answers.push({ by, ref, quality: expertise(by, problem.tag) + rng() * 0.3 });
    result.answers += 1;
    weekly.answers += 1;
    if (!problem.solveScheduled) {
      problem.solveScheduled = true;
      if (chance(rng, problem.viaBot ? 0.8 : 0.75)) agenda.add(later(3, 30), { kind: 'solve', problem });
    }
  }

  function solve(problem: SimProblem): void {
    const best = [...problem.answers].sort((a, b) => b.quality - a.quality)[0];
    if (!best || problem.solved) return;
    problem.solved = true;
    const privateForum = !problem.viaBot && problem.place.platform === 'discourse';
    if (privateForum) stage.say(problem.originator, problem.place, 'Thanks, that is exactly what I needed.');
    else stage.accept(problem.originator, best.ref);
    for (const other of problem.answers) if (other !== best && chance(rng, 0.4)) stage.like(problem.originator, other.ref);
    for (const a of problem.answers) meet(problem.originator, a.by, a === best ? 1 : 0.5);
    result.solvedByMembers += 1;
    weekly.solved += 1;
  }

  /** The member's private chat with the bot, opened by the member if the bot never wrote first. */
  function botRoomOf(p: Person): string {
    p.botRoom ??= { roomId: stage.openChatWithBot(p), read: 0 };
    return p.botRoom.roomId;
  }

  function introduce(problem: SimProblem): void {
    // A forum refuses posts under 20 characters: commands there come with a few words.
    stage.say(problem.originator, problem.place, '!coagent introduce us, please.');
  }

  async function perform(step: Step): Promise<void> {
    switch (step.kind) {
      case 'week':
        if (step.week > 1) reportWeek(step.week - 1);
        await pace(step.week - 1);
        planWeek(step.week);
        return;
      case 'tick':
        await app.tick();
        return;
      case 'ask':
        ask(step.who);
        return;
      case 'answer':
        answer(step.problem, step.by);
        return;
      case 'answer-privately': {
        const { problem, by } = step;
        if (problem.solved) return;
        const roomId = botRoomOf(by);
        stage.chat(by, roomId, newAnswerText(rng, problem.tag, { expertise: expertise(by, problem.tag), teamSize: problem.originator.m.teamSize }));
        return;
      }
      case 'tell-bot':
        stage.chat(step.who, botRoomOf(step.who), step.text);
        if (step.text === 'relay') result.privateAnswersRelayed += 1;
        if (step.text === '!coagent recognition on') result.recognitionOptIns += 1;
        return;
      case 'redeem':
        if (step.on === 'discourse')
          stage.forumAct(() => forum.sendPrivateMessage(step.who.forum, [seeded.botForumUsername], 'Linking my accounts', `!coagent link ${step.code}`));
        else if (step.who.matrix) stage.chat(step.who, botRoomOf(step.who), `!coagent link ${step.code}`);
        // Someone who rarely uses Matrix still has the account: they open a chat with the bot for this.
        else {
          const once = { ...step.who, matrix: seeded.accounts.get(step.who.m.id)!.matrix };
          stage.chat(once, stage.openChatWithBot(once), `!coagent link ${step.code}`);
        }
        step.who.storeIds.clear();
        result.accountsLinked += 1;
        return;
      case 'answer-offer': {
        const { who, where, accept } = step;
        if (where.platform === 'matrix') {
          if (step.react) stage.react(who, where.roomId, where.eventId, accept ? '👍' : '👎');
          else stage.chat(who, where.roomId, accept ? 'link' : 'not me');
        } else if (step.react && accept) {
          stage.like(who, { platform: 'discourse', topicId: where.topicId, postId: where.postId });
        } else {
          // As the bot's offer asks on the forum: a stock forum refuses private messages under 10 characters.
          stage.forumAct(() => forum.reply(who.forum, where.topicId, accept ? 'link my accounts' : 'not me, thanks'));
        }
        return;
      }
      case 'decline':
        stage.say(step.by, step.problem.place, '!coagent decline, sorry: no time this week.');
        return;
      case 'solve':
        solve(step.problem);
        return;
      case 'introduce':
        introduce(step.problem);
        return;
      case 'outcome': {
        const value = pick(rng, ['yes', 'yes', 'partly', 'no']);
        if (step.roomId) stage.chat(step.who, step.roomId, value);
        // The forum refuses a private message under 10 characters: people add a few words.
        else if (step.topicId !== undefined)
          stage.forumAct(() =>
            forum.reply(step.who.forum, step.topicId!, { yes: 'Yes, it helped.', partly: 'Partly, some of it.', no: 'No, not really.' }[value]!),
          );
        result.outcomesAnswered += 1;
        return;
      }
      case 'chat': {
        const { a, b } = step;
        const line = pick(rng, CHAT_LINES).replace('{b}', b.name.split(' ')[0]!);
        const roomId = a.contacts.get(b)?.roomId;
        if (roomId && a.matrix && b.matrix) stage.chat(a, roomId, line);
        else stage.askMember(a, b, line, `Catching up, ${a.name.split(' ')[0]} and ${b.name.split(' ')[0]}`, 'general');
        return;
      }
    }
  }

  // ---- what members notice -----------------------------------------------------------------

  /** The member ids the service gave this person's accounts (one when linked); looked up again on request. */
  async function storeIdsOf(p: Person, refresh = false): Promise<Set<MemberId>> {
    if (p.storeIds.size === 0 || refresh) {
      for (const identity of [
        ...(p.matrix ? [{ platform: 'matrix' as const, externalId: p.matrix }] : []),
        { platform: 'discourse' as const, externalId: p.forum.toLowerCase() },
      ]) {
        const member = await store.members.findByIdentity(identity);
        if (member) p.storeIds.add(member.id);
      }
    }
    return p.storeIds;
  }

  async function personOf(memberId: MemberId): Promise<Person | undefined> {
    const known = people.find((p) => p.storeIds.has(memberId));
    if (known) return known;
    // A member the simulation has not seen yet (a first post, or accounts just linked).
    for (const p of people) if ((await storeIdsOf(p, true)).has(memberId)) return p;
    return undefined;
  }

  /** After a scheduled round (`thorough`) members look again at recent requests (referrals add invitations). */
  async function observe(thorough: boolean): Promise<void> {
    const now = clock.now();
    for (const problem of problems) {
      if (!problem.viaBot || problem.solved || now - problem.askedAt > 2 * DAY) continue;
      if (!problem.storeId) {
        const ref = problem.place.platform === 'matrix' ? problem.place.root : `${problem.place.topicId}/1`;
        problem.storeId = (await store.problems.findBySourceEvent(problem.place.platform, ref))?.id;
        if (!problem.storeId) continue;
      } else if (!thorough) continue;
      // Invitations the bot delivered: each invited member answers, declines or lets it pass.
      for (const inv of await store.invitations.listForProblem(problem.storeId)) {
        if (inv.status === 'pending' || problem.handledInvitations.has(inv.id)) continue;
        problem.handledInvitations.add(inv.id);
        const by = await personOf(inv.memberId);
        if (!by || by === problem.originator || !onPlatform(by, problem.place)) continue;
        const willing = 0.3 + 0.45 * by.m.activityRate + 0.25 * expertise(by, problem.tag);
        // A few would rather not answer in public: they tell the bot, which asks before relaying.
        if (chance(rng, willing)) agenda.add(later(1, 30), { kind: by.matrix && chance(rng, 0.12) ? 'answer-privately' : 'answer', problem, by });
        else if (chance(rng, 0.12)) agenda.add(later(1, 12), { kind: 'decline', problem, by });
      }
    }
    // Solved requests: the originator takes up the bot's offer of an introduction, often.
    for (const problem of problems) {
      if (!problem.solved || problem.introductionAsked) continue;
      problem.introductionAsked = true;
      const [memberId] = await storeIdsOf(problem.originator);
      if (memberId && (await store.introductions.findOpenFor(memberId)) && chance(rng, 0.6)) agenda.add(later(0.5, 12), { kind: 'introduce', problem });
    }
    // Room invitations: a private chat with the bot, or with a member it introduced.
    for (const p of people) {
      for (const roomId of stage.joinInvitedRooms(p)) {
        const others = roomMembers(hs, roomId).filter((u) => u !== p.matrix && u !== seeded.botMatrixId);
        if (others.length === 0) p.botRoom = { roomId, read: 0 };
        const peer = others.length === 1 ? people.find((q) => q.matrix === others[0]) : undefined;
        if (peer) {
          meet(p, peer, 2, roomId);
          if (p.m.id < peer.m.id) {
            result.introductionsAccepted += 1;
            weekly.introductions += 1;
          }
        }
      }
      // The bot's follow-up question, a week after a solved request.
      if (p.botRoom) {
        const events = hs.timeline(p.botRoom.roomId);
        for (const e of events.slice(p.botRoom.read)) {
          if (e.sender !== seeded.botMatrixId) continue;
          const text = String((e.content as { body?: unknown }).body ?? '');
          if (isFollowUp(text) && chance(rng, 0.7)) agenda.add(later(1, 48), { kind: 'outcome', who: p, roomId: p.botRoom.roomId });
          const code = /!coagent link ([A-Z0-9]{4,})/.exec(text)?.[1];
          if (code) agenda.add(later(0.05, 1), { kind: 'redeem', who: p, code, on: 'discourse' });
          considerOffer(p, text, { platform: 'matrix', roomId: p.botRoom.roomId, eventId: String(e.event_id) });
          if (text.includes('Shall I pass this on') && chance(rng, 0.85)) agenda.add(later(0.1, 4), { kind: 'tell-bot', who: p, text: 'relay' });
          if (text.includes('both keep helping with') && chance(rng, 0.5)) agenda.add(later(1, 24), { kind: 'tell-bot', who: p, text: '!coagent introduce' });
        }
        p.botRoom.read = events.length;
      }
    }
    // The same on the forum: the bot's private messages (follow-ups, link offers, link codes).
    for (const post of forum.posts()) {
      if (post.id <= forumCursor) continue;
      forumCursor = post.id;
      const topic = forum.topic(post.topicId);
      if (post.userId !== botForumId || topic?.archetype !== 'private_message') continue;
      for (const userId of topic.allowedUserIds) {
        const who = byForumUserId.get(userId);
        if (!who) continue;
        if (isFollowUp(post.raw) && chance(rng, 0.7)) agenda.add(later(1, 48), { kind: 'outcome', who, topicId: topic.id });
        const code = /!coagent link ([A-Z0-9]{4,})/.exec(post.raw)?.[1];
        if (code) agenda.add(later(0.05, 1), { kind: 'redeem', who, code, on: 'matrix' });
        considerOffer(who, post.raw, { platform: 'discourse', topicId: topic.id, postId: post.id });
      }
    }
  }

  /**
   * The bot asks whether another account is theirs too. Most say yes when it is (some with a
   * reaction), some never answer; asked about someone else's account (a namesake), most say "not me".
   */
  function considerOffer(p: Person, text: string, where: Extract<Step, { kind: 'answer-offer' }>['where']): void {
    // The forum's Markdown escapes "_" and keeps "@" from mentioning: read the text as a person would.
    const asked = /Is (\S+) .*?on (?:Matrix|the forum) you too\?/.exec(text.replace(/[\u200b\\]/g, ''))?.[1];
    if (!asked) return;
    result.linkOffers.received += 1;
    const own = seeded.accounts.get(p.m.id)!;
    const mine = asked === own.matrix || asked.toLowerCase() === own.forum.toLowerCase();
    if (!chance(rng, mine ? 0.8 : 0.85)) {
      result.linkOffers.ignored += 1;
      return;
    }
    result.linkOffers[mine ? 'accepted' : 'refused'] += 1;
    // The forum has no 👎: a "no" there is a reply.
    const react = chance(rng, 0.3) && (mine || where.platform === 'matrix');
    agenda.add(later(0.2, 20), { kind: 'answer-offer', who: p, accept: mine, where, react });
  }

  // ---- the loop ------------------------------------------------------------------------------

  async function settle(): Promise<void> {
    for (let round = 0; round < 50; round++) {
      const mark = `${hs.streamPosition()}:${forum.deliveries.length}`;
      await waitFor(() => hs.caughtUp(seeded.botMatrixId), 20_000, options.signal);
      await forum.settle();
      await app.idle();
      if (mark === `${hs.streamPosition()}:${forum.deliveries.length}` && hs.caughtUp(seeded.botMatrixId)) return;
    }
  }

  function reportWeek(week: number): void {
    const date = new Date(start + (week - 1) * WEEK).toISOString().slice(0, 10);
    log(
      `week ${String(week).padStart(2)}/${options.weeks} (from ${date}): ${weekly.asked} asked the bot, ${weekly.direct} asked a member directly, ${weekly.answers} answers, ${weekly.solved} solved, ${weekly.introductions} introductions`,
    );
    weekly = { asked: 0, direct: 0, answers: 0, solved: 0, introductions: 0 };
  }

  async function pace(weeksDone: number): Promise<void> {
    const due = weeksDone * (options.weekSeconds ?? 0) * 1000 - (performance.now() - realStart);
    if (due > 0) await new Promise((resolve) => setTimeout(resolve, due));
  }

  // The service first reads the community's history (embedding every past message).
  const reading = performance.now();
  log('waiting for the service to read the community history...');
  await settle();
  result.realMs.history = performance.now() - reading;
  log(`history read in ${Math.round(result.realMs.history / 1000)} s; playing ${options.weeks} weeks`);
  for (let next = agenda.peekTime(); next !== undefined && next < end; next = agenda.peekTime()) {
    options.signal?.throwIfAborted();
    clock.advanceTo(next);
    let ticked = false;
    const acting = performance.now();
    for (let step = agenda.takeDue(next); step; step = agenda.takeDue(next)) {
      ticked ||= step.item.kind === 'tick';
      await perform(step.item);
    }
    const settling = performance.now();
    result.realMs.acting += settling - acting;
    await settle();
    const observing = performance.now();
    await observe(ticked);
    result.steps += 1;
    result.realMs.settling += observing - settling;
    result.realMs.observing += performance.now() - observing;
  }
  reportWeek(options.weeks);
  clock.advanceTo(end);
  await app.tick();
  await settle();
  const asked = problems.filter((p) => p.viaBot).map((p) => ({ place: p.place, askedAt: p.askedAt, who: p.originator.name }));
  result.reconciliation = reconcile(asked, await store.problems.listByStatus(PROBLEM_STATUSES), { from: result.from, to: result.to });
  return result;
}

const isFollowUp = (text: string) => /"yes", "partly" or "no"/.test(text);

/** Everyone joined or invited in a room, from its member events. */
function roomMembers(hs: FakeHomeserver, roomId: string): string[] {
  const state = new Map<string, string>();
  for (const e of hs.timeline(roomId)) {
    if (e.type === 'm.room.member' && typeof e.state_key === 'string') state.set(e.state_key, String((e.content as { membership?: unknown }).membership));
  }
  return [...state].filter(([, m]) => m === 'join' || m === 'invite').map(([u]) => u);
}

async function waitFor(condition: () => boolean, timeoutMs: number, signal?: AbortSignal): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!condition()) {
    signal?.throwIfAborted();
    if (performance.now() > deadline) throw new Error('the service did not catch up with the homeserver in time');
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

// The merge-equivalence test: the same community history recorded twice on real databases, once
// with Ana's two accounts as one member from the start and once as two members (with what only
// two members produce: Ana mentioning, inviting, answering and thanking herself, both her accounts
// asked to help with one problem, one event reaching both accounts) folded into one by a merge.
// Every dashboard figure (overview, connections, network, helpers, problems, tags; three
// periods) must come out the same. Random histories, several seeds; the merge is an admin's on
// odd seeds and a proved link on even ones.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../../core/logging.js';
import { openStore, type InteractionKind, type InvitationStatus, type Store } from '../../../core/store/index.js';
import { INTERACTION_KINDS } from '../../../core/store/types.js';
import type { MemberId, Platform, ProblemId } from '../../../core/types.js';
import { mulberry32, type Rng } from '../../../core/random.js';
import { chance, int, pick } from '../../../scripts/sandbox/rng.js';
import { connections } from '../../../web/dashboard/api/connections.js';
import { helpers } from '../../../web/dashboard/api/helpers.js';
import { network } from '../../../web/dashboard/api/network.js';
import { overview } from '../../../web/dashboard/api/overview.js';
import { people } from '../../../web/dashboard/api/people.js';
import { resolvePeriod } from '../../../web/dashboard/api/period.js';
import { problemList } from '../../../web/dashboard/api/problems.js';
import { loadSnapshot } from '../../../web/dashboard/api/snapshot.js';
import { tags } from '../../../web/dashboard/api/tags.js';

const NOW = new Date('2026-06-03T12:00:00.000Z');
const START = NOW.getTime() - 11 * 7 * 86_400_000;
const logger = createLogger({ level: 'silent' });

interface Person {
  name: string;
  accounts: Partial<Record<Platform, string>>;
}
const PEOPLE: Person[] = [
  { name: 'Ana Kowalska', accounts: { matrix: '@ana.kowalska:example.org', discourse: 'ana_k' } },
  { name: 'Ben Okafor', accounts: { matrix: '@ben.okafor:example.org' } },
  { name: 'Chiara Rossi', accounts: { discourse: 'chiara' } },
  { name: 'Dev Patel', accounts: { matrix: '@dev:example.org' } },
  { name: 'Eli Moreau', accounts: { discourse: 'eli_m' } },
  { name: 'Femi Adeyemi', accounts: { matrix: '@femi:example.org' } },
];
const ANA = 0;

/** One recorded fact; `both` marks what two members of one person produce (a single one records it once). */
type Op =
  | { op: 'problem'; by: number; platform: Platform; at: number; solvedAt: number | null; tag: string }
  | { op: 'invite'; problem: number; who: number; status: InvitationStatus; at: number }
  | { op: 'invite-both'; problem: number; statuses: [InvitationStatus, InvitationStatus]; at: number }
  | { op: 'respond'; problem: number; who: number; at: number }
  | { op: 'feedback'; problem: number; from: number; to: number; kind: 'solved' | 'thanks' | 'reaction'; at: number }
  | {
      op: 'interact';
      from: number;
      to: number;
      platform: Platform;
      kind: InteractionKind;
      mediated: boolean;
      problem: number | null;
      at: number;
      event: string;
    }
  | { op: 'interact-both'; from: number; platform: Platform; kind: InteractionKind; at: number; event: string }
  | { op: 'thread'; asker: number; answerer: number; platform: Platform; at: number; id: string }
  /** Only two members of one person record these: Ana's accounts dealing with each other. */
  | { op: 'self'; what: 'mention' | 'invite' | 'respond' | 'thanks'; problem: number; at: number; event: string };

const platformOf = (p: Person, rng: Rng): Platform => pick(rng, Object.keys(p.accounts) as Platform[]);

function history(seed: number): Op[] {
  const rng = mulberry32(seed);
  const ops: Op[] = [];
  let t = START;
  const tick = () => (t += int(rng, 5, 600) * 60_000);
  const problems: { by: number; platform: Platform }[] = [];
  const other = (x: number) => {
    let y = int(rng, 0, PEOPLE.length - 1);
    while (y === x) y = int(rng, 0, PEOPLE.length - 1);
    return y;
  };
  for (let i = 0; i < 120; i++) {
    const roll = rng();
    if (roll < 0.15 || problems.length === 0) {
      const by = int(rng, 0, PEOPLE.length - 1);
      const platform = platformOf(PEOPLE[by]!, rng);
      const at = tick();
      ops.push({
        op: 'problem',
        by,
        platform,
        at,
        solvedAt: chance(rng, 0.6) ? at + int(rng, 1, 200) * 3_600_000 : null,
        tag: pick(rng, ['hiring', 'retros', 'budget']),
      });
      problems.push({ by, platform });
      continue;
    }
    const k = int(rng, 0, problems.length - 1);
    const pr = problems[k]!;
    if (roll < 0.3) {
      if (pr.by !== ANA && chance(rng, 0.25))
        ops.push({
          op: 'invite-both',
          problem: k,
          statuses: [pick(rng, ['sent', 'ignored', 'declined'] as const), pick(rng, ['answered', 'accepted'] as const)],
          at: tick(),
        });
      else {
        const who = other(pr.by);
        ops.push({ op: 'invite', problem: k, who, status: pick(rng, ['sent', 'accepted', 'declined', 'ignored', 'answered'] as const), at: tick() });
      }
    } else if (roll < 0.42) {
      ops.push({ op: 'respond', problem: k, who: other(pr.by), at: tick() });
    } else if (roll < 0.5) {
      ops.push({ op: 'feedback', problem: k, from: pr.by, to: other(pr.by), kind: pick(rng, ['solved', 'thanks', 'reaction'] as const), at: tick() });
    } else if (roll < 0.85) {
      const from = int(rng, 0, PEOPLE.length - 1);
      const platform = platformOf(PEOPLE[from]!, rng);
      ops.push({
        op: 'interact',
        from,
        to: other(from),
        platform,
        kind: pick(rng, INTERACTION_KINDS),
        mediated: chance(rng, 0.4),
        problem: chance(rng, 0.5) ? k : null,
        at: tick(),
        event: `ev${i}`,
      });
    } else if (roll < 0.9) {
      const from = other(ANA);
      ops.push({
        op: 'interact-both',
        from,
        platform: platformOf(PEOPLE[from]!, rng),
        kind: pick(rng, ['mention', 'reply'] as const),
        at: tick(),
        event: `ev${i}`,
      });
    } else if (roll < 0.95) {
      const asker = int(rng, 0, PEOPLE.length - 1);
      ops.push({ op: 'thread', asker, answerer: other(asker), platform: platformOf(PEOPLE[asker]!, rng), at: tick(), id: `t${i}` });
    } else {
      const own = problems.findIndex((p) => p.by === ANA);
      if (own >= 0) ops.push({ op: 'self', what: pick(rng, ['mention', 'invite', 'respond', 'thanks'] as const), problem: own, at: tick(), event: `self${i}` });
    }
  }
  return ops;
}

const RANK: Record<InvitationStatus, number> = { pending: 0, sent: 1, ignored: 2, declined: 3, accepted: 4, answered: 5 };

/** Records the history; `member(person, platform)` says which member an account of the person is. */
async function record(store: Store, ops: readonly Op[], member: (person: number, platform: Platform) => MemberId, single: boolean): Promise<void> {
  const ids: { id: ProblemId; by: number; platform: Platform }[] = [];
  const at = (ms: number) => new Date(ms);
  const invite = async (problem: ProblemId, who: MemberId, status: InvitationStatus, ms: number) => {
    const { value } = await store.invitations.create({ problemId: problem, memberId: who, reason: 'knows it', score: 1, createdAt: at(ms) });
    await store.invitations.updateStatus(value.id, 'sent', at(ms));
    if (status !== 'sent') await store.invitations.updateStatus(value.id, status, at(ms + 60_000));
  };
  for (const o of ops) {
    switch (o.op) {
      case 'problem': {
        const p = await store.problems.create({
          originatorId: member(o.by, o.platform),
          platform: o.platform,
          text: `A problem about ${o.tag}`,
          tags: [{ name: o.tag, confidence: 0.9 }],
          createdAt: at(o.at),
        });
        if (o.solvedAt !== null) await store.problems.transition(p.id, { from: 'opened', to: 'solved', cause: 'test', at: at(o.solvedAt) });
        ids.push({ id: p.id, by: o.by, platform: o.platform });
        break;
      }
      case 'invite': {
        const p = ids[o.problem]!;
        await invite(p.id, member(o.who, p.platform), o.status, o.at);
        break;
      }
      case 'invite-both': {
        const p = ids[o.problem]!;
        if (single) await invite(p.id, member(ANA, 'matrix'), RANK[o.statuses[0]] >= RANK[o.statuses[1]] ? o.statuses[0] : o.statuses[1], o.at);
        else for (const [i, platform] of (['matrix', 'discourse'] as const).entries()) await invite(p.id, member(ANA, platform), o.statuses[i]!, o.at);
        break;
      }
      case 'respond': {
        const p = ids[o.problem]!;
        await store.responses.record({ problemId: p.id, memberId: member(o.who, p.platform), platform: p.platform, text: 'an answer', createdAt: at(o.at) });
        break;
      }
      case 'feedback': {
        const p = ids[o.problem]!;
        await store.feedback.record({
          problemId: p.id,
          fromMemberId: member(o.from, p.platform),
          toMemberId: member(o.to, p.platform),
          kind: o.kind,
          sourceEventId: `fb${o.at}`,
          createdAt: at(o.at),
        });
        break;
      }
      case 'interact':
        await store.interactions.record({
          fromMemberId: member(o.from, o.platform),
          toMemberId: member(o.to, o.platform),
          kind: o.kind,
          platform: o.platform,
          mediated: o.mediated,
          problemId: o.problem === null ? null : ids[o.problem]!.id,
          sourceEventId: o.event,
          occurredAt: at(o.at),
        });
        break;
      case 'interact-both':
        for (const platform of single ? (['matrix'] as const) : (['matrix', 'discourse'] as const)) {
          await store.interactions.record({
            fromMemberId: member(o.from, o.platform),
            toMemberId: member(ANA, platform),
            kind: o.kind,
            platform: o.platform,
            mediated: false,
            sourceEventId: o.event,
            occurredAt: at(o.at),
          });
        }
        break;
      case 'thread': {
        const doc = (id: string, who: number, kind: 'question' | 'answer', ms: number, accepted: boolean) =>
          store.documents.upsert({
            platform: o.platform,
            externalId: id,
            threadId: o.id,
            kind,
            text: kind === 'question' ? 'How do we do this?' : 'Like this.',
            authorId: member(who, o.platform),
            accepted,
            createdAt: at(ms),
          });
        await doc(`${o.id}q`, o.asker, 'question', o.at, false);
        await doc(`${o.id}a`, o.answerer, 'answer', o.at + 60_000, true);
        break;
      }
      case 'self': {
        if (single) break;
        const p = ids[o.problem]!;
        const [m, f] = [member(ANA, 'matrix'), member(ANA, 'discourse')];
        const [mine, other] = p.platform === 'matrix' ? [m, f] : [f, m];
        if (o.what === 'mention')
          await store.interactions.record({
            fromMemberId: m,
            toMemberId: f,
            kind: 'mention',
            platform: 'matrix',
            mediated: false,
            sourceEventId: o.event,
            occurredAt: at(o.at),
          });
        if (o.what === 'invite') await invite(p.id, other, 'sent', o.at);
        if (o.what === 'respond')
          await store.responses.record({ problemId: p.id, memberId: other, platform: p.platform, text: 'me again', createdAt: at(o.at) });
        if (o.what === 'thanks')
          await store.feedback.record({ problemId: null, fromMemberId: mine, toMemberId: other, kind: 'thanks', sourceEventId: o.event, createdAt: at(o.at) });
        break;
      }
    }
  }
}

/** Every figure the dashboard shows, with member ids replaced by names (ids differ between the two databases). */
function figures(store: Store) {
  const q = store.dashboard;
  const snapshot = loadSnapshot(q);
  const members = new Map(q.members().map((m) => [m.id, m]));
  const who = people(q, members);
  const name = (id: number | string) => members.get(Number(id) as MemberId)?.name ?? `?${id}`;
  const out: Record<string, unknown> = { people: who.summary, probablySamePerson: who.probablySamePerson };
  for (const period of ['4w', '12w', 'all']) {
    const p = resolvePeriod({ period }, NOW, () => q.firstActivity());
    const net = network(snapshot, who, p);
    out[period] = {
      overview: overview(snapshot, who.summary, p),
      connections: connections(snapshot, p),
      network: {
        ...net,
        nodes: net.nodes.map((n) => ({ ...n, id: name(n.id) })).sort((a, b) => a.id.localeCompare(b.id)),
        edges: net.edges
          .map((e) => ({ ...e, source: name(e.source), target: name(e.target) }))
          .map((e) => (e.source < e.target ? e : { ...e, source: e.target, target: e.source }))
          .sort((a, b) => `${a.source}${a.target}`.localeCompare(`${b.source}${b.target}`)),
      },
      helpers: helpers(q, members, who, p).helpers.map((h) => ({ ...h, id: name(h.id) })),
      problems: problemList(q, members, p, { limit: '200' }, 'admin'),
      tags: tags(snapshot, p),
    };
  }
  return out;
}

describe('merge equivalence', () => {
  const dirs: string[] = [];
  afterAll(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  async function fresh(): Promise<Store> {
    const dir = mkdtempSync(path.join(tmpdir(), 'co-agent-equivalence-'));
    dirs.push(dir);
    return openStore({ path: path.join(dir, 'co-agent.db'), logger });
  }

  /** Members for every account: one per person in `single`, one per account otherwise. */
  async function members(store: Store, single: boolean): Promise<(person: number, platform: Platform) => MemberId> {
    const ids = new Map<string, MemberId>();
    for (const [i, person] of PEOPLE.entries()) {
      for (const [platform, externalId] of Object.entries(person.accounts) as [Platform, string][]) {
        const owner = single ? ids.get(`${i}`) : undefined;
        if (owner) await store.members.linkIdentity(owner, { platform, externalId, displayName: person.name });
        const id = owner ?? (await store.members.upsertByIdentity({ platform, externalId, displayName: person.name })).member.id;
        ids.set(`${i}`, ids.get(`${i}`) ?? id);
        ids.set(`${i}:${platform}`, id);
      }
    }
    return (person, platform) => ids.get(`${person}:${platform}`) ?? ids.get(`${person}:${Object.keys(PEOPLE[person]!.accounts)[0]}`)!;
  }

  for (const seed of [1, 2, 3, 4, 5, 6]) {
    it(`seed ${seed}: figures after merging Ana's two members equal those of one member from the start`, async () => {
      const ops = history(seed);
      const one = await fresh();
      const two = await fresh();
      try {
        await record(one, ops, await members(one, true), true);
        const member = await members(two, false);
        await record(two, ops, member, false);
        const [kept, folded] = [member(ANA, 'matrix'), member(ANA, 'discourse')];
        // Before the merge the figures differ: Ana is two people, one of them talks to the other.
        expect(figures(two)).not.toEqual(figures(one));
        if (seed % 2 === 1) {
          expect((await two.merges.merge(kept, folded, { by: 'admin', reason: 'one person' })).ok).toBe(true);
        } else {
          const linked = await two.members.linkIdentity(kept, { platform: 'discourse', externalId: 'ana_k' }, { onConflict: 'merge', mergedBy: 'member' });
          expect(linked.ok && linked.value.status).toBe('merged');
        }
        expect(figures(two)).toEqual(figures(one));
      } finally {
        await one.close();
        await two.close();
      }
    });
  }
});

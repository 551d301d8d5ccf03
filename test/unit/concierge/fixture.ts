// Shared set-up for the concierge workflow tests: a real SQLite store in a temp directory, an
// engine on FakeVectors seeded with a little community history, a ConciergeContext whose
// `submit` captures the decided actions (and records them in the store's outbox, which keeps
// one row per key), and builders for inbound events.
import { Concierge } from '../../../core/concierge/concierge.js';
import type { KeyedAction } from '../../../core/concierge/actions.js';
import { DEFAULT_CONCIERGE_SETTINGS, type ConciergeContext, type ConciergeSettings } from '../../../core/concierge/context.js';
import { Engine } from '../../../core/engine/engine.js';
import type { ActorRef, InboundEdit, InboundMessage, InboundReaction, InboundRedaction } from '../../../core/inbound.js';
import { createLogger } from '../../../core/logging.js';
import type { Interaction, Member, Store } from '../../../core/store/index.js';
import { openTempStore } from '../../integration/store/helpers.js';
import type { Platform } from '../../../core/types.js';
import { FakeVectors } from '../engine/fake-vectors.js';

export const silentLogger = createLogger({ level: 'silent' });

/** The fixed clock of every test world. */
export const NOW = new Date('2025-06-02T12:00:00.000Z');
export const DAY_MS = 86_400_000;
export const daysAgo = (n: number): Date => new Date(NOW.getTime() - n * DAY_MS);

export const ROOM = '!community:example.org';
export const BOT: ActorRef = { platform: 'matrix', externalId: '@coagent:example.org', displayName: 'Co-Agent' };
export const DISCOURSE_BOT: ActorRef = { platform: 'discourse', externalId: 'coagent', displayName: 'Co-Agent' };

export const actor = (localpart: string, displayName: string): ActorRef => ({ platform: 'matrix', externalId: `@${localpart}:example.org`, displayName });

export const ALICE = actor('alice', 'Alice');
export const BOB = actor('bob', 'Bob');
export const CAROL = actor('carol', 'Carol');
export const DAVE = actor('dave', 'Dave');
export const ERIN = actor('erin', 'Erin');
/** A newcomer with no history: never a routing candidate. */
export const FRANK = actor('frank', 'Frank');

/** A request that matches the equity threads of the seeded history. */
export const EQUITY_REQUEST = 'How should we split equity and vesting between cofounders?';

export interface World {
  store: Store;
  engine: Engine;
  ctx: ConciergeContext;
  concierge: Concierge;
  /** Every action handed to `submit`, in order (replays included). */
  actions: KeyedAction[];
  /** Outbox rows each `submit` call added (0 when every key was known already). */
  added: number[];
  members: Record<'alice' | 'bob' | 'carol' | 'dave' | 'erin', Member>;
  /** The history documents' external ids, by name. */
  history: Record<'t1q' | 't1a' | 't1b' | 't2q' | 't2a' | 't3q' | 't3a', string>;
  /** Runs one event and returns the actions it decided. */
  receive(event: Parameters<Concierge['receive']>[0]): Promise<KeyedAction[]>;
  member(ref: ActorRef): Promise<Member>;
  interactions(): Promise<Interaction[]>;
  done(): Promise<void>;
}

let counter = 0;
/** A fresh platform event id. */
export const eventId = (label = 'ev'): string => `$${label}-${++counter}`;

export function message(author: ActorRef, text: string, extra: Partial<InboundMessage> = {}): InboundMessage {
  const id = extra.eventId ?? eventId('msg');
  return {
    kind: 'message',
    platform: author.platform,
    eventId: id,
    containerId: ROOM,
    author,
    createdAt: NOW,
    historic: false,
    conversation: 'room',
    threadId: id,
    inThread: false,
    text,
    mentions: [],
    mentionsBot: false,
    ...extra,
  };
}

/** "Co-Agent: <text>", the way clients write a mention of the bot. */
export const mention = (author: ActorRef, text: string, extra: Partial<InboundMessage> = {}): InboundMessage =>
  message(author, `Co-Agent: ${text}`, { mentions: [BOT], mentionsBot: true, ...extra });

/** A message inside an existing thread. */
export const inThread = (author: ActorRef, threadId: string, text: string, extra: Partial<InboundMessage> = {}): InboundMessage =>
  message(author, text, { threadId, inThread: true, ...extra });

export const reaction = (author: ActorRef, targetId: string, key: string): InboundReaction => ({
  kind: 'reaction',
  platform: author.platform,
  eventId: eventId('react'),
  containerId: ROOM,
  author,
  createdAt: NOW,
  historic: false,
  targetId,
  key,
});

export const edit = (author: ActorRef, targetId: string, text: string, extra: Partial<InboundEdit> = {}): InboundEdit => ({
  kind: 'edit',
  platform: author.platform,
  eventId: eventId('edit'),
  containerId: ROOM,
  author,
  createdAt: NOW,
  historic: false,
  targetId,
  text,
  mentions: [],
  mentionsBot: false,
  ...extra,
});

export const redaction = (author: ActorRef, targetId: string): InboundRedaction => ({
  kind: 'redaction',
  platform: author.platform,
  eventId: eventId('redact'),
  containerId: ROOM,
  author,
  createdAt: NOW,
  historic: false,
  targetId,
});

interface Seed {
  key: keyof World['history'];
  by: ActorRef;
  thread: string;
  kind: 'question' | 'answer';
  text: string;
  title?: string;
  ageDays: number;
  tags?: string[];
  accepted?: boolean;
}

// Alice, Bob and Carol know equity; Erin knows hiring; Dave asks.
const HISTORY: Seed[] = [
  {
    key: 't1q',
    by: DAVE,
    thread: '$t1',
    kind: 'question',
    title: 'Splitting equity between cofounders',
    text: 'Two cofounders, one joined later. How should we split equity and vesting?',
    ageDays: 6,
    tags: ['equity'],
  },
  { key: 't1a', by: BOB, thread: '$t1', kind: 'answer', text: 'Use vesting with a cliff and split equity by contribution.', ageDays: 5, accepted: true },
  { key: 't1b', by: ALICE, thread: '$t1', kind: 'answer', text: 'We split equity equally between cofounders; vesting saved us.', ageDays: 5 },
  {
    key: 't2q',
    by: DAVE,
    thread: '$t2',
    kind: 'question',
    title: 'Equity vesting for a late cofounder',
    text: 'Our third cofounder wants equity without vesting.',
    ageDays: 4,
    tags: ['equity'],
  },
  { key: 't2a', by: CAROL, thread: '$t2', kind: 'answer', text: 'Insist on vesting for every cofounder, equity grants included.', ageDays: 3 },
  {
    key: 't3q',
    by: DAVE,
    thread: '$t3',
    kind: 'question',
    title: 'Hiring our first engineers',
    text: 'How do we interview and pay salaries for the first engineers?',
    ageDays: 4,
    tags: ['hiring'],
  },
  { key: 't3a', by: ERIN, thread: '$t3', kind: 'answer', text: 'Interview engineers with a paid project; salaries per market.', ageDays: 2 },
];

/** `bots`: the bot's account on further platforms (a test platform), besides Matrix and Discourse. */
export async function createWorld(settings: Partial<ConciergeSettings> = {}, options: { bots?: readonly ActorRef[] } = {}): Promise<World> {
  // SQLite, or with CO_AGENT_TEST_STORE=postgresql a fresh PostgreSQL database.
  const temp = await openTempStore();
  const store = temp.store;
  const engine = await Engine.create(new FakeVectors(), { similar: { maxResults: 5, minScore: 0.3, lexicalWeight: 0.35 } });
  await engine.defineTags([
    { name: 'equity', description: 'shares, vesting and splitting ownership between founders' },
    { name: 'hiring', description: 'recruiting engineers, interviews, salaries' },
  ]);

  const member = async (ref: ActorRef): Promise<Member> =>
    (await store.members.upsertByIdentity({ platform: ref.platform, externalId: ref.externalId, displayName: ref.displayName ?? null })).member;
  const members = {
    alice: await member(ALICE),
    bob: await member(BOB),
    carol: await member(CAROL),
    dave: await member(DAVE),
    erin: await member(ERIN),
  };
  const history = {} as World['history'];
  for (const s of HISTORY) {
    history[s.key] = `$hist-${s.key}`;
    await store.documents.upsert({
      platform: 'matrix',
      externalId: history[s.key],
      threadId: s.thread,
      containerId: ROOM,
      kind: s.kind,
      title: s.title ?? null,
      text: s.text,
      url: `https://matrix.to/#/${ROOM}/${history[s.key]}`,
      authorId: (await member(s.by)).id,
      accepted: s.accepted ?? false,
      createdAt: daysAgo(s.ageDays),
      tags: s.tags ?? [],
    });
  }
  // Documents in the store and in the engine, the way the app loads them at start-up.
  await engine.addDocuments(await store.documents.listLive());

  const actions: KeyedAction[] = [];
  const added: number[] = [];
  const bots = new Map<Platform, ActorRef>([
    ['matrix', BOT],
    ['discourse', DISCOURSE_BOT],
    ...(options.bots ?? []).map((bot): [Platform, ActorRef] => [bot.platform, bot]),
  ]);
  const ctx: ConciergeContext = {
    store,
    engine,
    logger: silentLogger,
    settings: { ...DEFAULT_CONCIERGE_SETTINGS, ...settings },
    bots,
    now: () => NOW,
    async submit(batch) {
      actions.push(...batch);
      added.push(
        await store.outbox.add(
          batch.map(({ key, action, notBefore }) => ({
            key,
            platform: action.platform,
            kind: action.kind,
            payload: JSON.stringify(action),
            ...(notBefore ? { notBefore } : {}),
          })),
        ),
      );
    },
  };
  const concierge = new Concierge(ctx);

  return {
    store,
    engine,
    ctx,
    concierge,
    actions,
    added,
    members,
    history,
    async receive(event) {
      const before = actions.length;
      await concierge.receive(event);
      return actions.slice(before);
    },
    member,
    interactions: () => store.interactions.listBetween(new Date(0), new Date(NOW.getTime() + 365 * DAY_MS)),
    done: () => temp.done(),
  };
}

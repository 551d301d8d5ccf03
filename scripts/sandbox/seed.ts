// Puts the synthetic community on the local stand-ins: Matrix users, a Space with its rooms and
// the past chat problems as threads; forum users, categories, tags and the past forum problems
// as topics (dated, with accepted answers). Returns what the service needs to connect.
import type { FakeForum } from '../stand-ins/discourse-forum/index.js';
import type { FakeHomeserver } from '../stand-ins/matrix-homeserver/index.js';
import type { SandboxCommunity } from './community.js';

export interface SeededSandbox {
  botMatrixId: string;
  botMatrixToken: string;
  botForumUsername: string;
  spaceAlias: string;
  rooms: Record<string, string>;
  categories: Record<string, number>;
  /** Matrix user id and forum username per community member id. */
  accounts: Map<string, { matrix: string; forum: string }>;
}

/**
 * `history: false` builds only the accounts, rooms and categories: for a run that continues
 * with a database that learned the history already (the stand-ins keep nothing between runs).
 */
export function seedSandbox(c: SandboxCommunity, hs: FakeHomeserver, forum: FakeForum, options: { history?: boolean } = {}): SeededSandbox {
  const bot = hs.registerUser('coagent', { displayName: 'Co-Agent' });
  // As the Synapse setup in docs/matrix.md has the homeserver admin do: the bot is exempt from the message limit.
  hs.overrideRatelimit(bot.userId);
  forum.createUser('coagent', { name: 'Co-Agent', admin: true });
  const accounts = new Map<string, { matrix: string; forum: string }>();
  for (const m of c.members) {
    const { userId } = hs.registerUser(m.matrixLocalpart, { displayName: m.name });
    forum.createUser(m.discourseUsername, { name: m.name });
    accounts.set(m.id, { matrix: userId, forum: m.discourseUsername });
  }
  const host = c.members[0]!;
  const hostId = accounts.get(host.id)!.matrix;
  const space = hs.createRoom(hostId, { name: 'Managers community', alias: 'community', space: true, public: true });
  const rooms: Record<string, string> = {};
  for (const name of c.rooms) {
    rooms[name] = hs.createRoom(hostId, { name, alias: name, public: true });
    hs.addSpaceChild(space, rooms[name], hostId);
  }
  for (const m of c.members) {
    if (m.prefers === 'discourse') continue;
    const id = accounts.get(m.id)!.matrix;
    for (const room of [space, ...Object.values(rooms)]) if (id !== hostId) hs.join(id, room);
  }
  const categories: Record<string, number> = {};
  for (const name of c.categories) categories[name] = forum.createCategory(name.replace(/-/g, ' '), { slug: name });
  for (const t of c.tags) forum.createTag(t.name);

  const byId = new Map(c.members.map((m) => [m.id, m]));
  const joined = new Set(c.members.filter((m) => m.prefers !== 'discourse').map((m) => m.id));
  for (const p of options.history === false ? [] : c.problems) {
    const asker = accounts.get(p.originatorId)!;
    if (p.venue.platform === 'matrix') {
      // Chat history: the fake homeserver stamps events with the current time.
      if (!joined.has(p.originatorId)) continue;
      const room = rooms[p.venue.room]!;
      const root = hs.sendText(asker.matrix, room, `${p.title}\n\n${p.body}`);
      for (const a of p.answers) {
        if (!joined.has(a.authorId)) continue;
        hs.sendText(accounts.get(a.authorId)!.matrix, room, a.body, {
          'm.relates_to': { rel_type: 'm.thread', event_id: root, is_falling_back: true, 'm.in_reply_to': { event_id: root } },
        });
      }
    } else {
      const { topicId } = forum.createTopic(asker.forum, {
        title: p.title,
        raw: p.body,
        category: categories[p.venue.category],
        tags: p.tags,
        createdAt: new Date(p.createdAt),
      });
      for (const a of p.answers) {
        const { postId } = forum.reply(accounts.get(a.authorId)!.forum, topicId, a.body, { createdAt: new Date(a.createdAt) });
        if (a.id === p.acceptedAnswerId && byId.has(p.originatorId)) forum.acceptAnswer(asker.forum, postId);
      }
    }
  }
  return {
    botMatrixId: bot.userId,
    botMatrixToken: bot.accessToken,
    botForumUsername: 'coagent',
    spaceAlias: '#community:localhost',
    rooms,
    categories,
    accounts,
  };
}

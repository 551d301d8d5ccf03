// How simulated members act on the stand-ins, through the same endpoints a person's client
// would reach: Matrix messages, thread replies and reactions; forum topics, replies, likes,
// accepted answers and private messages. The bot sees only what these leave on the platforms.
// The forum holds members to a stock forum's rules; a member told to wait waits (on the simulated
// clock), and one whose title is taken or whose words repeat says it a little differently.
import { ForumError, type FakeForum } from '../../stand-ins/discourse-forum/index.js';
import type { FakeHomeserver } from '../../stand-ins/matrix-homeserver/index.js';
import { inThread, mentionOf, reaction } from '../../stand-ins/matrix-homeserver/messages.js';
import type { SeededSandbox } from '../seed.js';
import type { SimClock } from './sim-clock.js';

/** How a member rephrases on the n-th try (0: as written). */
const rephrased = (text: string, n: number): string => (n === 0 ? text : `${text} (${['again', 'a second time', 'once more'][n - 1] ?? `take ${n + 1}`})`);

/** Where a conversation lives: a Matrix thread (root event) or a forum topic. */
export type Place = { platform: 'matrix'; roomId: string; root: string } | { platform: 'discourse'; topicId: number };

/** One message someone posted, enough to react to it. */
export type MessageRef = { platform: 'matrix'; roomId: string; eventId: string } | { platform: 'discourse'; topicId: number; postId: number };

/** A member as the simulation plays them: their accounts on each platform they use. */
export interface Actor {
  name: string;
  /** Matrix user id, for members in the Space. */
  matrix?: string;
  forum: string;
}

export class Stage {
  readonly botMatrixId: string;

  constructor(
    readonly hs: FakeHomeserver,
    readonly forum: FakeForum,
    readonly seeded: SeededSandbox,
    private readonly clock: SimClock,
  ) {
    this.botMatrixId = seeded.botMatrixId;
  }

  /** A member's forum action, tried again the way a person would after the forum says no. */
  forumAct<T>(act: (attempt: number) => T): T {
    for (let attempt = 0; ; attempt++) {
      try {
        return act(attempt);
      } catch (error) {
        if (!(error instanceof ForumError) || attempt >= 3) throw error;
        if (error.status === 429) {
          // "Please wait N seconds": the member waits that long (the forum's time scale applied).
          const wait = Number((error.extras as { wait_seconds?: unknown } | undefined)?.wait_seconds ?? 1);
          this.clock.advanceTo(this.clock.now() + wait * 1000 * this.forum.timeScale + 1);
        } else if (!(error.status === 422 && /already been used|too similar/i.test(error.message))) {
          throw error;
        }
      }
    }
  }

  /** Asks the bot for help: a mention in a Matrix room, or a forum topic that mentions it. */
  askBot(
    asker: Actor,
    where: { platform: 'matrix'; room: string } | { platform: 'discourse'; category: string },
    title: string,
    body: string,
    tags: string[],
  ): Place {
    if (where.platform === 'matrix') {
      const roomId = this.room(where.room);
      const root = this.hs.send(this.mustMatrix(asker), roomId, 'm.room.message', mentionOf(this.botMatrixId, 'Co-Agent', `${title} ${body}`));
      return { platform: 'matrix', roomId, root };
    }
    const { topicId } = this.forumAct((n) =>
      this.forum.createTopic(asker.forum, {
        title: rephrased(title, n),
        raw: `@${this.seeded.botForumUsername} ${body}`,
        category: this.seeded.categories[where.category],
        tags,
      }),
    );
    return { platform: 'discourse', topicId };
  }

  /** Asks another member directly, in public (a mention in a room) or privately (a forum message). */
  askMember(asker: Actor, helper: Actor, text: string, title: string, room: string): Place {
    if (asker.matrix && helper.matrix) {
      const roomId = this.room(room);
      const root = this.hs.send(asker.matrix, roomId, 'm.room.message', mentionOf(helper.matrix, helper.name, text));
      return { platform: 'matrix', roomId, root };
    }
    const { topicId } = this.forumAct((n) => this.forum.sendPrivateMessage(asker.forum, [helper.forum], title, rephrased(text, n)));
    return { platform: 'discourse', topicId };
  }

  /** Posts in a conversation: a thread reply or a topic reply. */
  say(who: Actor, place: Place, text: string): MessageRef {
    if (place.platform === 'matrix') {
      const eventId = this.hs.sendText(this.mustMatrix(who), place.roomId, text, inThread(place.root));
      return { platform: 'matrix', roomId: place.roomId, eventId };
    }
    const { postId } = this.forumAct((n) => this.forum.reply(who.forum, place.topicId, rephrased(text, n)));
    return { platform: 'discourse', topicId: place.topicId, postId };
  }

  /** A message in a room outside any thread (a private chat between members). */
  chat(who: Actor, roomId: string, text: string): void {
    this.hs.sendText(this.mustMatrix(who), roomId, text);
  }

  /** The originator marks an answer as the solution: ✅ on Matrix, the accepted answer on the forum. */
  accept(originator: Actor, answer: MessageRef): void {
    if (answer.platform === 'matrix') this.hs.send(this.mustMatrix(originator), answer.roomId, 'm.reaction', reaction(answer.eventId, '✅'));
    else this.forum.acceptAnswer(originator.forum, answer.postId);
  }

  /** Appreciation short of "solved": 👍 on Matrix, a like on the forum. */
  like(who: Actor, answer: MessageRef): void {
    if (answer.platform === 'matrix') this.hs.send(this.mustMatrix(who), answer.roomId, 'm.reaction', reaction(answer.eventId, '👍'));
    else this.forum.like(who.forum, answer.postId);
  }

  /** A reaction to a message in a Matrix room (e.g. 👍 on the bot's question). */
  react(who: Actor, roomId: string, eventId: string, key: string): void {
    this.hs.send(this.mustMatrix(who), roomId, 'm.reaction', reaction(eventId, key));
  }

  /** Opens a direct chat with the bot (the bot joins it on its own); returns the room. */
  openChatWithBot(who: Actor): string {
    return this.hs.createRoom(this.mustMatrix(who), { invite: [this.botMatrixId], isDirect: true });
  }

  /** Accepts every pending room invitation (the bot's direct chats and introductions). */
  joinInvitedRooms(who: Actor): string[] {
    if (!who.matrix) return [];
    const rooms = this.hs.invitedRooms(who.matrix);
    for (const roomId of rooms) this.hs.join(who.matrix, roomId);
    return rooms;
  }

  private room(name: string): string {
    const id = this.seeded.rooms[name];
    if (!id) throw new Error(`no sandbox room ${name}`);
    return id;
  }

  private mustMatrix(who: Actor): string {
    if (!who.matrix) throw new Error(`${who.name} is not on Matrix`);
    return who.matrix;
  }
}

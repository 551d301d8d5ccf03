// A third platform, registered by a test and served by an in-memory bridge
// (test/support/memory-platform.ts), goes through the real concierge, store and executor: core
// has no list of platforms, only the registered profiles, so nothing in it changes for one.
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { KeyedAction, PostAction } from '../../../core/concierge/actions.js';
import { usage } from '../../../core/concierge/commands.js';
import { ActionExecutor } from '../../../core/concierge/executor.js';
import { plainText } from '../../../core/concierge/rich-text.js';
import { offerText } from '../../../core/identity/offers.js';
import { platformIds } from '../../../core/platforms.js';
import { MEMO, MEMO_BOT, MemoryBridge, registerMemoPlatform } from '../../support/memory-platform.js';
import { ALICE, EQUITY_REQUEST, NOW, createWorld, message, silentLogger, type World } from './fixture.js';

const textOf = (actions: readonly KeyedAction[]): string => actions.map(({ action }) => ('body' in action ? plainText(action.body) : '')).join('\n');

describe('a third platform, registered at run time', () => {
  let w: World;
  let bridge: MemoryBridge;
  let executor: ActionExecutor | undefined;

  beforeAll(() => registerMemoPlatform());
  beforeEach(async () => {
    w = await createWorld({}, { bots: [MEMO_BOT] });
    bridge = new MemoryBridge({ receive: (e) => w.concierge.receive(e), submit: (batch) => w.ctx.submit(batch) });
  });
  afterEach(async () => {
    await executor?.stop();
    executor = undefined;
    await w.done();
  });

  it('is one more registered platform, after the built-in ones', () => {
    expect(platformIds()).toEqual(['matrix', 'discourse', MEMO]);
  });

  it('answers a request on the board, inviting the members who know the topic and are on it, and the executor delivers it there', async () => {
    // Bob and Carol answered the equity threads on Matrix; they are on the board too. Alice is not.
    for (const [who, name] of [
      [w.members.bob, 'bob'],
      [w.members.carol, 'carol'],
    ] as const)
      expect((await w.store.members.linkIdentity(who.id, { platform: MEMO, externalId: name, displayName: who.displayName }, { verifiedAt: NOW })).ok).toBe(
        true,
      );
    const before = w.actions.length;
    const request = await bridge.post({ from: 'Dana', text: `Co-Agent: ${EQUITY_REQUEST}` }, NOW);
    const decided = w.actions.slice(before);

    const reply = decided.find((a) => a.key === `${MEMO}:${request.eventId}:reply`);
    expect(reply?.action).toMatchObject({ kind: 'post', platform: MEMO, containerId: 'board' });
    const problem = await w.store.problems.findBySourceEvent(MEMO, request.eventId);
    expect(problem).toMatchObject({ platform: MEMO, text: EQUITY_REQUEST, status: 'invited' });
    const invited = (await w.store.invitations.listForProblem(problem!.id)).map((i) => i.memberId);
    expect(invited).toEqual(expect.arrayContaining([w.members.bob.id, w.members.carol.id]));
    expect(invited).not.toContain(w.members.alice.id); // not on the board
    expect(plainText((reply!.action as PostAction).body)).toContain('equity');

    // The executor performs the board's actions through the bridge's port, as main.ts composes it.
    executor = new ActionExecutor({ store: w.store, ports: [bridge], logger: silentLogger, baseDelayMs: 10, maxDelayMs: 50 });
    executor.start();
    await vi.waitFor(() => expect(bridge.delivered.map((d) => d.key)).toContain(reply!.key), { timeout: 5_000, interval: 20 });
    expect((await w.store.outbox.get(reply!.key))?.status).toBe('done');
    // Matrix's actions wait for Matrix's port: the board's bridge sees only its own.
    expect(bridge.delivered.every((d) => d.action.platform === MEMO)).toBe(true);
  });

  it('puts no tags on a board post, the board having no tags, even where the settings ask for them', async () => {
    const tagging = await createWorld({ platforms: { [MEMO]: { setTags: true }, discourse: { setTags: true } } }, { bots: [MEMO_BOT] });
    try {
      const board = new MemoryBridge({ receive: (e) => tagging.concierge.receive(e), submit: (batch) => tagging.ctx.submit(batch) });
      const before = tagging.actions.length;
      const request = await board.post({ from: 'Dana', text: `Co-Agent: ${EQUITY_REQUEST}` }, NOW);
      const decided = tagging.actions.slice(before);
      expect((await tagging.store.problems.findBySourceEvent(MEMO, request.eventId))?.tags.length).toBeGreaterThan(0);
      expect(decided.some((a) => a.key === `${MEMO}:${request.eventId}:reply`)).toBe(true);
      expect(decided.filter((a) => a.action.kind === 'set-tags')).toEqual([]);
    } finally {
      await tagging.done();
    }
  });

  it('links a board account from Matrix with its own link command, and the code posted from the board', async () => {
    const asked = await w.receive(message(ALICE, '!coagent link-memo Ana'));
    const instructions = textOf(asked);
    expect(instructions).toMatch(/^To link memo account ana, post this from that account within \d+ hours/);
    const code = /!coagent link ([A-Z0-9]{8})$/.exec(instructions)![1]!;

    const before = w.actions.length;
    await bridge.post({ from: 'ana', text: `!coagent link ${code}`, direct: true }, NOW);
    expect(textOf(w.actions.slice(before))).toMatch(/^Linked: your memo account now belongs to the same member as your other account\./);
    const linked = await w.store.members.findByIdentity({ platform: MEMO, externalId: 'ana' });
    expect(linked?.id).toBe(w.members.alice.id);
    expect(textOf(await w.receive(message(ALICE, '!coagent link-memo ana')))).toBe('ana on Memo is already linked to you.');
  });

  it('lists its link command in the help and in the hint, next to the built-in ones', async () => {
    expect(usage()).toContain('!coagent link-memo <name>: link your Memo account');
    expect(usage()).toContain('!coagent link-discourse <username>: link your forum account');
    expect(textOf(await w.receive(message(ALICE, '!coagent link')))).toContain('"!coagent link-memo <name>" on Matrix');
  });

  it('offers a link in words its members can answer: no reactions to suggest', () => {
    const text = plainText(offerText({ displayName: 'Ana' }, MEMO, { platform: 'matrix', externalId: ALICE.externalId, name: 'Alice' }, ['same-name']));
    expect(text).toContain(`Is ${ALICE.externalId} (Alice) on Matrix you too?`);
    expect(text).toContain('If it is, reply link and I');
    expect(text).toContain("If it isn't you, reply not me and I won't ask about it again.");
    expect(text).not.toMatch(/react|like this/);
  });
});

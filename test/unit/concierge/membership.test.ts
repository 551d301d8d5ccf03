// Members who leave the community (the Matrix Space): never invited while gone, commands naming
// them answered sensibly, eligible again once they rejoin.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { KeyedAction } from '../../../core/concierge/actions.js';
import { plainText } from '../../../core/concierge/rich-text.js';
import type { ActorRef, InboundMembership } from '../../../core/inbound.js';
import { BOB, DAVE, EQUITY_REQUEST, NOW, ROOM, createWorld, eventId, inThread, mention, message, type World } from './fixture.js';

const membership = (member: ActorRef, change: 'joined' | 'left', at = NOW): InboundMembership => ({
  kind: 'membership',
  platform: 'matrix',
  eventId: eventId('member'),
  containerId: '!space:example.org',
  author: member,
  createdAt: at,
  historic: false,
  member,
  membership: change,
});
const textOf = (actions: readonly KeyedAction[]): string => actions.map(({ action }) => ('body' in action ? plainText(action.body) : '')).join('\n');

describe('Concierge: members who left the Space', () => {
  let w: World;
  beforeEach(async () => {
    w = await createWorld();
  });
  afterEach(async () => w.done());

  const invitedTo = async (request: ReturnType<typeof mention>) => {
    const problem = (await w.store.problems.findBySourceEvent('matrix', request.eventId))!;
    return (await w.store.invitations.listForProblem(problem.id)).map((i) => i.memberId);
  };

  it('records when a member left, never invites them, and invites them again after they rejoin', async () => {
    const first = mention(DAVE, EQUITY_REQUEST);
    await w.receive(first);
    expect(await invitedTo(first)).toContain(w.members.bob.id);

    const leave = membership(BOB, 'left');
    await w.receive(leave);
    await w.receive(leave); // a replay changes nothing
    expect((await w.store.members.get(w.members.bob.id))?.leftAt?.getTime()).toBe(NOW.getTime());

    const second = mention(DAVE, 'Equity and vesting for a cofounder who joins late?');
    await w.receive(second);
    const invited = await invitedTo(second);
    expect(invited.length).toBeGreaterThan(0);
    expect(invited).not.toContain(w.members.bob.id);

    await w.receive(membership(BOB, 'joined'));
    expect((await w.store.members.get(w.members.bob.id))?.leftAt).toBeNull();
    const third = mention(DAVE, 'How much equity should a cofounder get, and with what vesting cliff?');
    await w.receive(third);
    expect(await invitedTo(third)).toContain(w.members.bob.id);
  });

  it('answers "thanks @them" and "refer @them" about a member who left without crashing', async () => {
    await w.receive(membership(BOB, 'left'));
    const thanks = await w.receive(message(DAVE, '!coagent thanks @bob', { mentions: [BOB] }));
    expect(textOf(thanks)).toMatch(/^Bob left the community, so they won't see it, but I've noted your thanks/);

    const request = mention(DAVE, EQUITY_REQUEST);
    await w.receive(request);
    const problem = (await w.store.problems.findBySourceEvent('matrix', request.eventId))!;
    const [invitation] = await w.store.invitations.listForProblem(problem.id);
    const invitee = (await w.store.members.get(invitation!.memberId))!;
    const refer = await w.receive(
      inThread({ platform: 'matrix', externalId: invitee.identities[0]!.externalId }, request.eventId, '!coagent refer @bob', {
        mentions: [BOB],
        containerId: ROOM,
      }),
    );
    expect(textOf(refer)).toBe('Bob has left the community, so I can\'t ask them. Whom else could I ask? Say "!coagent refer @someone".');
    expect(await w.store.invitations.find(problem.id, w.members.bob.id)).toBeNull();
  });
});

// `!coagent interests`: members say what they can help with, and routing asks them about it even
// when they never answered anything (the cold start of a new member or community).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { KeyedAction } from '../../../core/concierge/actions.js';
import { parseCommand } from '../../../core/concierge/commands.js';
import { plainText } from '../../../core/concierge/rich-text.js';
import { ALICE, FRANK, createWorld, mention, message, type World } from './fixture.js';

const textOf = (actions: readonly KeyedAction[]): string => {
  expect(actions).toHaveLength(1);
  const { action } = actions[0]!;
  return 'body' in action ? plainText(action.body) : '';
};

const PRICING = 'How should we price our SaaS plans and what discounts work for annual subscriptions?';

describe('parsing "interests"', () => {
  it('sets, shows and clears; without the prefix only the plural is the command', () => {
    expect(parseCommand('!coagent interests pricing, SaaS plans', false)).toEqual({ name: 'interests', text: 'pricing, SaaS plans' });
    expect(parseCommand('!coagent interest pricing', false)).toEqual({ name: 'interests', text: 'pricing' });
    expect(parseCommand('!coagent interests', false)).toEqual({ name: 'interests', text: undefined });
    expect(parseCommand('!coagent interests off', false)).toEqual({ name: 'interests', text: null });
    expect(parseCommand('interests pricing', true)).toEqual({ name: 'interests', text: 'pricing' });
    expect(parseCommand('interest rates are killing our margins, any advice?', true)).toBeNull();
    expect(parseCommand(`!coagent interests ${'x'.repeat(2000)}`, false)).toMatchObject({ text: 'x'.repeat(500) });
  });
});

describe('Concierge: interests', () => {
  let w: World;
  beforeEach(async () => {
    w = await createWorld();
  });
  afterEach(async () => w.done());

  it('invites a member with no history for a problem matching what they declared, saying why', async () => {
    const before = await w.receive(mention(ALICE, PRICING));
    const frank = await w.member(FRANK);
    const problemBefore = (await w.store.problems.findBySourceEvent('matrix', before[0]!.action.kind === 'post' ? (before[0]!.action.replyToId ?? '') : ''))!;
    expect((await w.store.invitations.listForProblem(problemBefore.id)).map((i) => i.memberId)).not.toContain(frank.id);

    expect(textOf(await w.receive(message(FRANK, '!coagent interests SaaS pricing, subscription plans and discounts')))).toMatch(
      /^Thanks: I will think of you/,
    );
    expect((await w.store.members.get(frank.id))?.interests).toBe('SaaS pricing, subscription plans and discounts');

    const request = mention(ALICE, `${PRICING} (second try)`);
    await w.receive(request);
    const problem = (await w.store.problems.findBySourceEvent('matrix', request.eventId))!;
    const invitation = (await w.store.invitations.listForProblem(problem.id)).find((i) => i.memberId === frank.id);
    expect(invitation?.reason).toMatch(/^said they can help with "SaaS pricing/);

    // Shown back, then forgotten: no longer invited for it.
    expect(textOf(await w.receive(message(FRANK, '!coagent interests')))).toMatch(/SaaS pricing, subscription plans and discounts/);
    expect(textOf(await w.receive(message(FRANK, '!coagent interests off')))).toBe('Done: I forgot your interests.');
    const again = mention(ALICE, `${PRICING} (third try)`);
    await w.receive(again);
    const third = (await w.store.problems.findBySourceEvent('matrix', again.eventId))!;
    expect((await w.store.invitations.listForProblem(third.id)).map((i) => i.memberId)).not.toContain(frank.id);
  });

  it('forgets declared interests when the member opts out', async () => {
    await w.receive(message(FRANK, '!coagent interests SaaS pricing and discounts'));
    await w.receive(message(FRANK, '!coagent optout'));
    expect((await w.store.members.get((await w.member(FRANK)).id))?.interests).toBeNull();
  });
});

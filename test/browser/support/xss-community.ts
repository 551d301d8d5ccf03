// A tiny community whose member name and problem text are markup, written to a real store: what
// an attacker could post on Matrix or the forum. The dashboard must show it as text.
import type { Store } from '../../../core/store/index.js';

export const NAME_PAYLOAD = '<img src=x onerror=alert(1)>';
export const TEXT_PAYLOAD = '<script>alert(2)</script> How do we onboard <b>contractors</b>?';

const HOUR = 3_600_000;

export interface XssCommunity {
  problemId: number;
  /** The member whose display name is markup. */
  attackerId: number;
}

export async function seedXssCommunity(store: Store, now = new Date()): Promise<XssCommunity> {
  const member = async (externalId: string, displayName: string) =>
    (await store.members.upsertByIdentity({ platform: 'matrix', externalId, displayName })).member;
  const attacker = await member('@mallory:localhost', NAME_PAYLOAD);
  const asker = await member('@alice:localhost', 'Alice Example');
  const helper = await member('@bob:localhost', 'Bob Example');
  await store.tags.upsert('onboarding', 'Bringing new people in');
  const at = (hoursAgo: number) => new Date(now.getTime() - hoursAgo * HOUR);

  const problem = await store.problems.create({
    originatorId: asker.id,
    platform: 'matrix',
    text: TEXT_PAYLOAD,
    sourceEventId: '$xss-problem',
    containerId: '!room:localhost',
    threadId: '$xss-problem',
    tags: [{ name: 'onboarding', confidence: 0.9 }],
    createdAt: at(30),
  });
  const invitation = (
    await store.invitations.create({ problemId: problem.id, memberId: attacker.id, reason: 'knows onboarding', score: 0.8, createdAt: at(29) })
  ).value;
  await store.invitations.updateStatus(invitation.id, 'sent', at(29));
  await store.problems.transition(problem.id, { from: 'opened', to: 'invited', cause: 'routing', at: at(29) });
  const response = (await store.responses.record({ problemId: problem.id, memberId: attacker.id, platform: 'matrix', text: NAME_PAYLOAD, createdAt: at(28) }))
    .value;
  await store.invitations.updateStatus(invitation.id, 'answered', at(28));
  await store.problems.transition(problem.id, { from: 'invited', to: 'answered', cause: 'answer', at: at(28) });
  await store.feedback.record({
    problemId: problem.id,
    responseId: response.id,
    fromMemberId: asker.id,
    toMemberId: attacker.id,
    kind: 'thanks',
    value: 1,
    createdAt: at(27),
  });
  const interact = (from: typeof asker, to: typeof asker, mediated: boolean, hoursAgo: number, id: string) =>
    store.interactions.record({
      fromMemberId: from.id,
      toMemberId: to.id,
      kind: 'reply',
      platform: 'matrix',
      mediated,
      problemId: problem.id,
      sourceEventId: id,
      occurredAt: at(hoursAgo),
    });
  await interact(attacker, asker, true, 28, '$i1');
  await interact(asker, attacker, false, 27, '$i2');
  await interact(helper, attacker, false, 26, '$i3');
  await interact(asker, helper, false, 25, '$i4');
  return { problemId: problem.id, attackerId: attacker.id };
}

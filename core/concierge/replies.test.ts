import { describe, expect, it } from 'vitest';
import { usage } from './commands.js';
import { helpReply, invitationMessage, solvedReply, statusReply, textReply, usageReply, type Invitee } from './replies.js';
import { mentionedActors, plainText, type RichText } from './rich-text.js';
import type { ActorRef } from '../inbound.js';
import type { Member } from '../store/index.js';
import { memberId } from '../types.js';

const bob: ActorRef = { platform: 'matrix', externalId: '@bob:example.org' };
const carol: ActorRef = { platform: 'matrix', externalId: '@carol:example.org' };
const bobOnForum: ActorRef = { platform: 'discourse', externalId: '@bob:example.org' };
const invitees: Invitee[] = [
  { actor: bob, name: 'Bob', reason: 'answered "Equity splits"' },
  { actor: carol, name: 'Carol', reason: 'one of the most active helpers lately' },
];

describe('plainText', () => {
  it('renders every kind of segment and joins lines with newlines', () => {
    const text: RichText = [
      ['Hi ', { mention: bob, name: 'Bob' }, ', see ', { link: 'https://example.org/t/1', label: 'the topic' }],
      [{ bold: 'Important' }, ': run ', { code: '!coagent status' }],
    ];
    expect(plainText(text)).toBe('Hi Bob, see the topic (https://example.org/t/1)\nImportant: run !coagent status');
    expect(plainText([])).toBe('');
  });
});

describe('mentionedActors', () => {
  it('lists each account once, in order of first mention, telling platforms apart', () => {
    const text: RichText = [
      [{ mention: bob, name: 'Bob' }, ' and ', { mention: carol, name: 'Carol' }],
      [{ mention: bob, name: 'Bobby' }, { mention: bobOnForum, name: 'Bob' }, { bold: '@carol:example.org' }],
    ];
    expect(mentionedActors(text)).toEqual([bob, carol, bobOnForum]);
    expect(mentionedActors(textReply('@bob:example.org is plain text'))).toEqual([]);
  });
});

describe('helpReply', () => {
  const facts = {
    tags: ['equity', 'legal'],
    related: [
      { title: 'Equity splits', url: 'https://example.org/t/1', score: 0.9 },
      { title: 'No url here', score: 0.5 },
    ],
  };

  it('lists tags, related topics and invitees as mentions', () => {
    const reply = helpReply({ ...facts, invitees, invitedPrivately: false });
    expect(mentionedActors(reply)).toEqual([bob, carol]);
    const text = plainText(reply);
    expect(text).toContain('Tags: equity, legal');
    expect(text).toContain('• Equity splits (https://example.org/t/1)');
    expect(text).toContain('• No url here');
    expect(text).toContain('Asking:\n• Bob (answered "Equity splits")\n• Carol (one of the most active helpers lately)');
    expect(reply.flat()).toContainEqual({ code: 'legal' });
  });

  it('names invitees in bold, without pinging them, when they were invited privately', () => {
    const reply = helpReply({ ...facts, invitees, invitedPrivately: true });
    expect(mentionedActors(reply)).toEqual([]);
    expect(reply.flat()).toEqual(expect.arrayContaining([{ bold: 'Bob' }, { bold: 'Carol' }]));
    expect(plainText(reply)).toContain("I've asked (privately):");
  });

  it('says so when there is nobody to ask, and who asked on behalf of whom', () => {
    const reply = plainText(helpReply({ tags: [], related: [], invitees: [], invitedPrivately: false, requestedBy: 'Dave' }));
    expect(reply).toMatch(/^On it \(Dave asked me to help with this\)\./);
    expect(reply).toContain("I couldn't find anyone to ask right now");
    expect(reply).not.toContain('Tags:');
    expect(reply).not.toContain('Related past topics');
    expect(reply).not.toContain('post-to-forum');
  });

  it('suggests the forum when nobody can be asked and requests can be posted there', () => {
    const reply = plainText(helpReply({ tags: [], related: [], invitees: [], invitedPrivately: false, forumOnRequest: true }));
    expect(reply).toContain('say "!coagent post-to-forum" and I will post it there');
    const withHelpers = plainText(helpReply({ ...facts, invitees, invitedPrivately: false, forumOnRequest: true }));
    expect(withHelpers).not.toContain('post-to-forum');
  });

  it('shortens long titles to one line', () => {
    const long = `${'word '.repeat(40)}\nend`;
    const line = plainText(helpReply({ tags: [], related: [{ title: long, score: 1 }], invitees: [], invitedPrivately: false })).split('\n')[2]!;
    expect(line.length).toBeLessThanOrEqual(2 + 90);
    expect(line.endsWith('…')).toBe(true);
  });
});

describe('other replies', () => {
  it('thanks every helper by mention', () => {
    const reply = solvedReply([...invitees, { actor: { platform: 'matrix', externalId: '@dan:example.org' }, name: 'Dan', reason: '' }]);
    expect(plainText(reply)).toBe('Marked solved. Thank you Bob, Carol and Dan for helping!');
    expect(mentionedActors(reply)).toHaveLength(3);
    expect(plainText(solvedReply([]))).toBe('Marked solved. Glad it worked out!');
  });

  it('invites with the problem, the reason and a link to the thread', () => {
    const text = plainText(invitationMessage('Alice', 'How do we split equity?', 'https://example.org/t/9', 'answered "Equity splits"'));
    expect(text).toContain('Alice could use your help: "How do we split equity?"');
    expect(text).toContain('because you answered "Equity splits".');
    expect(text).toContain('https://example.org/t/9');
    expect(plainText(invitationMessage('Alice', 'x', undefined, 'r'))).toContain('Reply in their thread');
  });

  it('lists every command in the usage', () => {
    expect(
      plainText(usageReply())
        .split('\n')
        .filter((l) => l.startsWith('!coagent ')),
    ).toHaveLength(usage().length);
  });

  it('reports status from the member and the facts', () => {
    const now = new Date('2025-03-03T12:00:00Z');
    const m: Member = {
      id: memberId(1),
      displayName: 'Bob',
      optedOut: false,
      pausedUntil: new Date('2025-03-05T08:30:00Z'),
      weeklyBudget: null,
      quietHours: null,
      timeZone: null,
      createdAt: now,
      updatedAt: now,
      identities: [{ platform: 'matrix', externalId: '@bob:example.org', displayName: null, verifiedAt: now }],
      recognitionDigest: false,
      leftAt: null,
      interests: null,
    };
    const text = plainText(statusReply(m, { invitationsThisWeek: 2, budget: 4, openProblems: 1, now }));
    expect(text).toContain('invitations this week: 2 of 4');
    expect(text).toContain('paused until 2025-03-05 08:30 UTC');
    expect(text).toContain('open requests of yours: 1');
    expect(text).toContain('matrix @bob:example.org (verified)');
    expect(
      plainText(statusReply({ ...m, pausedUntil: new Date('2025-03-01T00:00:00Z') }, { invitationsThisWeek: 0, budget: 3, openProblems: 0, now })),
    ).toContain('not paused');
  });
});

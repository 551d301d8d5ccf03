import { describe, expect, it } from 'vitest';
import { stripBotMention, wordCount } from './mentions.js';
import type { ActorRef } from '../inbound.js';

const bot: ActorRef = { platform: 'matrix', externalId: '@coagent:example.org', displayName: 'Co-Agent' };

describe('stripBotMention', () => {
  it('removes the display name with its colon or comma', () => {
    expect(stripBotMention('Co-Agent: how do we split equity?', bot)).toBe('how do we split equity?');
    expect(stripBotMention('co-agent, how do we split equity?', bot)).toBe('how do we split equity?');
  });

  it('removes @localpart, the full id and the bare localpart', () => {
    expect(stripBotMention('@coagent how do we hire?', bot)).toBe('how do we hire?');
    expect(stripBotMention('@coagent:example.org: how do we hire?', bot)).toBe('how do we hire?');
    expect(stripBotMention('coagent status', bot)).toBe('status');
  });

  it('removes a mention in the middle of a sentence and tidies the spaces', () => {
    expect(stripBotMention('hey @coagent can you help with vesting?', bot)).toBe('hey can you help with vesting?');
    expect(stripBotMention('I asked (Co-Agent) about it', bot)).toBe('I asked () about it');
  });

  it('leaves words that merely contain the name alone', () => {
    expect(stripBotMention('coagents are helpful', bot)).toBe('coagents are helpful');
    expect(stripBotMention('the co-agents met', bot)).toBe('the co-agents met');
    expect(stripBotMention('ask @coagent-fan or mycoagent', bot)).toBe('ask @coagent-fan or mycoagent');
    expect(stripBotMention('email coagent@example.org', bot)).toBe('email coagent@example.org');
  });

  it('escapes names with regular-expression characters', () => {
    const odd: ActorRef = { platform: 'matrix', externalId: '@help.bot:example.org', displayName: 'Help (bot)' };
    expect(stripBotMention('Help (bot): what now?', odd)).toBe('what now?');
    expect(stripBotMention('helpxbot what now?', odd)).toBe('helpxbot what now?');
  });
});

describe('wordCount', () => {
  it('counts words separated by any whitespace', () => {
    expect(wordCount('  can you\nhelp\twith this ')).toBe(5);
    expect(wordCount('')).toBe(0);
  });
});

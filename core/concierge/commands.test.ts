import { describe, expect, it } from 'vitest';
import { parseCommand, parseDays } from './commands.js';
import { CODE_ALPHABET, CODE_LENGTH } from '../identity/code-shape.js';

describe('parseCommand', () => {
  it('reads the prefix anywhere, and the bare command only when the bot is addressed', () => {
    expect(parseCommand('!coagent status', false)).toEqual({ name: 'status' });
    expect(parseCommand('  !COAGENT   Status  ', false)).toEqual({ name: 'status' });
    expect(parseCommand('status', false)).toBeNull();
    expect(parseCommand('status', true)).toEqual({ name: 'status' });
    expect(parseCommand('!coagentstatus', false)).toBeNull(); // the prefix is a word of its own
    expect(parseCommand('I use !coagent status daily', false)).toBeNull();
  });

  it('knows every command and its aliases', () => {
    const cases: [string, unknown][] = [
      ['help my laptop is on fire', { name: 'help', problem: 'my laptop is on fire' }],
      ['help', { name: 'usage' }],
      ['', { name: 'usage' }],
      ['usage', { name: 'usage' }],
      ['commands', { name: 'usage' }],
      ['?', { name: 'usage' }],
      ['solved', { name: 'solved' }],
      ['resolved!', { name: 'solved' }],
      ['thanks @bob', { name: 'thanks' }],
      ['thank you', { name: 'thanks' }],
      ['thx', { name: 'thanks' }],
      ['optout', { name: 'optout' }],
      ['opt-out', { name: 'optout' }],
      ['optin', { name: 'optin' }],
      ['opt-in', { name: 'optin' }],
      ['/status', { name: 'status' }],
      ['Status:', { name: 'status' }],
      ['resume', { name: 'pause', days: null }],
      ['relay', { name: 'relay' }],
      ['recognition on', { name: 'recognition', on: true }],
      ['recognition off', { name: 'recognition', on: false }],
      ['weekly digest on', { name: 'recognition', on: true }],
      ['Weekly digest OFF', { name: 'recognition', on: false }],
    ];
    for (const [text, expected] of cases) {
      expect(parseCommand(`!coagent ${text}`, false), text).toEqual(expected);
      expect(parseCommand(text, true), text).toEqual(expected);
    }
  });

  it('asks for on or off after "recognition", and reads "weekly ..." prose as no command', () => {
    expect(parseCommand('!coagent recognition maybe', false)).toMatchObject({ name: 'invalid', reason: expect.stringMatching(/recognition on/) });
    expect(parseCommand('weekly standups are hard', true)).toBeNull();
  });

  it('reads a bare command word that opens a question or a long sentence as a request, and keeps it with the prefix', () => {
    const requests = [
      'Status reporting to executives in a team I just inherited: what worked for you? I send a weekly update.',
      'pause before reacting: how do you coach a new lead to do that?',
      'introduce a new career ladder: has anyone done this in a team of 12?',
      'refer me to someone who has run a reorganisation of two teams into one platform team',
      'resume screening takes us three weeks and candidates drop out; what did you change',
    ];
    for (const text of requests) {
      expect(parseCommand(text, true), text).toBeNull();
      expect(parseCommand(`!coagent ${text}`, false)?.name, text).not.toBeUndefined();
    }
    expect(parseCommand('!coagent Status reporting to executives: what worked for you?', false)).toEqual({ name: 'status' });
    // Short replies still read as the command.
    expect(parseCommand('thanks, that really helped me a lot', true)).toEqual({ name: 'thanks' });
    expect(parseCommand('introduce us, please', true)).toEqual({ name: 'introduce' });
    expect(parseCommand('decline, sorry: no time this week.', true)).toEqual({ name: 'decline' });
    expect(parseCommand('pause 2w', true)).toEqual({ name: 'pause', days: 14 });
  });

  it('reads the follow-up answer with a few words after it (a forum refuses a private message under 10 characters)', () => {
    expect(parseCommand('yes', true)).toEqual({ name: 'outcome', value: 'yes' });
    expect(parseCommand('Yes, it helped.', true)).toEqual({ name: 'outcome', value: 'yes' });
    expect(parseCommand('Partly, some of it.', true)).toEqual({ name: 'outcome', value: 'partly' });
    expect(parseCommand('No, not really.', true)).toEqual({ name: 'outcome', value: 'no' });
    expect(parseCommand('no idea how we should run the migration', true)).toBeNull();
  });

  it('reads pause durations, capped at a year', () => {
    expect(parseCommand('!coagent pause', false)).toEqual({ name: 'pause', days: 7 });
    expect(parseCommand('!coagent pause 7d', false)).toEqual({ name: 'pause', days: 7 });
    expect(parseCommand('!coagent pause 2w', false)).toEqual({ name: 'pause', days: 14 });
    expect(parseCommand('!coagent pause 12h', false)).toEqual({ name: 'pause', days: 0.5 });
    expect(parseCommand('!coagent pause 3 days', false)).toEqual({ name: 'pause', days: 3 });
    expect(parseCommand('!coagent pause 1000d', false)).toEqual({ name: 'pause', days: 365 });
    for (const off of ['off', 'OFF', 'stop', 'resume', '0']) expect(parseCommand(`!coagent pause ${off}`, false)).toEqual({ name: 'pause', days: null });
  });

  it('says which duration it did not understand', () => {
    for (const bad of ['soon', '7y', '0d', '-2d', 'a week']) {
      const parsed = parseCommand(`!coagent pause ${bad}`, false);
      expect(parsed?.name, bad).toBe('invalid');
      expect(parsed && 'reason' in parsed ? parsed.reason : '').toContain(`"${bad}"`);
    }
  });

  it('reads link requests and codes', () => {
    expect(parseCommand('!coagent link-discourse alice', false)).toEqual({ name: 'link', platform: 'discourse', account: 'alice' });
    expect(parseCommand('!coagent link-discourse @alice', false)).toEqual({ name: 'link', platform: 'discourse', account: 'alice' });
    expect(parseCommand('!coagent link-matrix @alice:example.org', false)).toEqual({ name: 'link', platform: 'matrix', account: '@alice:example.org' });
    expect(parseCommand('!coagent link-matrix alice:example.org', false)).toEqual({ name: 'link', platform: 'matrix', account: '@alice:example.org' });
    expect(parseCommand('!coagent link-discourse', false)?.name).toBe('invalid');
    expect(parseCommand('!coagent link k7qx2m9a', false)).toEqual({ name: 'redeem', code: 'K7QX2M9A' });
    expect(parseCommand('link K7QX2M9A', true)).toEqual({ name: 'redeem', code: 'K7QX2M9A' });
  });

  it('reads the answers to a link offer: "link" and "not me"', () => {
    expect(parseCommand('link', true)).toEqual({ name: 'link-answer', accept: true });
    expect(parseCommand('!coagent link', false)).toEqual({ name: 'link-answer', accept: true });
    for (const no of ['not me', 'Not me!', 'notme', 'not-me', '!coagent not me']) {
      expect(parseCommand(no, !no.startsWith('!'))).toEqual({ name: 'link-answer', accept: false });
    }
    // Prose that starts with "not" is not an answer, and in a room nothing is read without the prefix.
    expect(parseCommand('not sure how to ask this', true)).toBeNull();
    expect(parseCommand('not me', false)).toBeNull();
    expect(parseCommand('!coagent not now', false)?.name).toBe('unknown');
  });

  it('takes a few words after "link" and "not me", since a stock forum refuses private messages under 10 characters', () => {
    expect(parseCommand('link my accounts', true)).toEqual({ name: 'link-answer', accept: true });
    expect(parseCommand('not me, thanks', true)).toEqual({ name: 'link-answer', accept: false });
    // A code, or something that looks like a mistyped one, is still a code to check.
    expect(parseCommand('link ABCDEFGH', true)).toEqual({ name: 'redeem', code: 'ABCDEFGH' });
    // Every letter the generator uses reads as a code, digits or not (an L once made it "link").
    for (const c of CODE_ALPHABET) expect(parseCommand(`link ${c.repeat(CODE_LENGTH)}`, true)).toEqual({ name: 'redeem', code: c.repeat(CODE_LENGTH) });
    expect(parseCommand('link LLMNPQRS', true)).toEqual({ name: 'redeem', code: 'LLMNPQRS' });
    expect(parseCommand('link k7qx2m9', true)).toEqual({ name: 'redeem', code: 'K7QX2M9' });
    // Longer prose is not an answer.
    expect(parseCommand('link these two things together for me please', true)).toBeNull();
    expect(parseCommand('not me but my colleague has this problem too', true)).toBeNull();
  });

  it('calls an unknown word after the prefix a mistake, and prose after a mention a request', () => {
    expect(parseCommand('!coagent frobnicate now', false)).toEqual({ name: 'unknown', word: 'frobnicate' });
    expect(parseCommand('frobnicate now', true)).toBeNull();
    expect(parseCommand('can someone explain vesting cliffs?', true)).toBeNull();
    expect(parseCommand('can someone explain vesting cliffs?', false)).toBeNull();
  });
});

describe('parseDays', () => {
  it('reads hours, days and weeks', () => {
    expect(parseDays('7d')).toBe(7);
    expect(parseDays('7')).toBe(7);
    expect(parseDays(' 3 days ')).toBe(3);
    expect(parseDays('1 day')).toBe(1);
    expect(parseDays('2w')).toBe(14);
    expect(parseDays('1 week')).toBe(7);
    expect(parseDays('12h')).toBe(0.5);
    expect(parseDays('36 hours')).toBe(1.5);
    expect(parseDays('1.5d')).toBe(1.5);
    expect(parseDays('2W')).toBe(14);
  });

  it('refuses what is not a positive duration', () => {
    for (const bad of ['', 'abc', '0', '0d', '-1d', '7y', 'd', '7 d x', '12345d']) expect(parseDays(bad), bad).toBeNull();
  });
});

// The bot's commands, the same on every platform: `!coagent <command> ...` in a room, a mention
// of the bot followed by a command, or the bare command in a direct conversation with the bot.
import { looksLikeLinkCode } from '../identity/code-shape.js';
import { isRegisteredPlatform, platformProfile, registeredPlatforms } from '../platforms.js';
import type { Platform } from '../types.js';
import type { TagChange } from './tag-admin.js';

export type Command =
  | { name: 'help'; problem: string }
  | { name: 'solved' }
  | { name: 'thanks' }
  | { name: 'optout' }
  | { name: 'optin' }
  | { name: 'pause'; days: number | null }
  | { name: 'status' }
  /** `link-<platform> <account>`: the account on that platform, as its profile parsed it. */
  | { name: 'link'; platform: Platform; account: string }
  | { name: 'redeem'; code: string }
  | { name: 'link-answer'; accept: boolean }
  | { name: 'mirror' }
  | { name: 'digest' }
  | { name: 'decline' }
  | { name: 'refer' }
  | { name: 'introduce' }
  | { name: 'relay' }
  | { name: 'recognition'; on: boolean }
  | { name: 'outcome'; value: 'yes' | 'partly' | 'no' }
  /** What the member can help with: text to set, null to forget, undefined to show. */
  | { name: 'interests'; text: string | null | undefined }
  /** What Co-Agent holds about the member, privately; forget-me erases it once confirmed. */
  | { name: 'my-data' }
  | { name: 'forget-me'; confirm: boolean }
  /** Admins only: the proposed tags, or a change to the vocabulary (tag-admin.ts). */
  | { name: 'tags'; change: TagChange | null }
  | { name: 'usage'; problem?: string };

export type ParsedCommand = Command | { name: 'unknown'; word: string } | { name: 'invalid'; reason: string };

export const COMMAND_PREFIX = '!coagent';

/** The commands for everyone, with the link commands the registered platforms list in the help. */
export const usage = (): string[] => [
  `${COMMAND_PREFIX} help <your problem>: I tag it, link similar past topics and ask members who can help`,
  `${COMMAND_PREFIX} solved: mark your problem in this thread solved`,
  `${COMMAND_PREFIX} thanks @member: thank someone who helped`,
  `${COMMAND_PREFIX} optout / optin: stop or resume invitations and learning from your messages`,
  `${COMMAND_PREFIX} pause 7d: no invitations for a while (pause off to resume)`,
  `${COMMAND_PREFIX} status: what I know about your settings and requests`,
  ...registeredPlatforms().flatMap(({ id, link }) => (link.help ? [`${COMMAND_PREFIX} link-${id} ${link.argument}: ${link.help}`] : [])),
  `${COMMAND_PREFIX} link / not me: answer my question whether another account is yours too`,
  `${COMMAND_PREFIX} post-to-forum: post this request as a forum topic, so its answers stay findable`,
  `${COMMAND_PREFIX} digest: the answers to your request so far, most helpful first`,
  `${COMMAND_PREFIX} introduce: accept my offer to connect you with someone you worked with`,
  `${COMMAND_PREFIX} decline / refer @member: say no to an invitation, or pass it to someone who knows more`,
  `${COMMAND_PREFIX} relay: pass on the answer you sent me privately, with your name`,
  `${COMMAND_PREFIX} recognition on / off: a weekly note of whose problems you helped with`,
  `${COMMAND_PREFIX} interests <what you can help with>: so I ask you about it (interests off to forget)`,
  `${COMMAND_PREFIX} my-data / forget-me: what I hold about you (sent privately), or erase it`,
];

/**
 * How to link an account from each platform, in words: `"!coagent link-discourse <username>" on
 * Matrix or "!coagent link-matrix <user id>" on the forum`; empty with a single platform.
 */
export function linkCommandsHint(): string {
  const platforms = registeredPlatforms();
  return platforms
    .map((here) => ({ here, others: platforms.filter((p) => p !== here) }))
    .filter(({ others }) => others.length > 0)
    .map(({ here, others }) => `${others.map((p) => `"${COMMAND_PREFIX} link-${p.id} ${p.link.argument}"`).join(' or ')} on ${here.name}`)
    .join(' or ');
}

/** The admins' commands, shown to admins only. */
export const ADMIN_USAGE = [
  `${COMMAND_PREFIX} tags: the tags I propose from the community's messages, and those in use`,
  `${COMMAND_PREFIX} tags approve <name> / tags reject <name>: use a proposed tag, or never propose it again`,
  `${COMMAND_PREFIX} tags rename <name> <new name> / tags merge <name> <into>: names with spaces in "quotes"`,
] as const;

/** Words, with "quoted phrases" kept together (tag names may have spaces). */
export function splitArgs(text: string): string[] {
  return [...text.matchAll(/"([^"]*)"|“([^”]*)”|(\S+)/g)].map((m) => (m[1] ?? m[2] ?? m[3] ?? '').trim()).filter((w) => w !== '');
}

const TAG_USAGE = `Say "${COMMAND_PREFIX} tags" to list them, or "tags approve <name>", "tags reject <name>", "tags rename <name> <new name>", "tags merge <name> <into>".`;

function parseTags(args: string, prefixed: boolean): ParsedCommand | null {
  const [verb = '', ...rest] = splitArgs(args);
  const action = verb.toLowerCase();
  if (action === '' || action === 'list') return { name: 'tags', change: null };
  if (action === 'approve' || action === 'reject') {
    if (rest.length !== 1) return { name: 'invalid', reason: `Name one tag: "${COMMAND_PREFIX} tags ${action} <name>" (in "quotes" if it has spaces).` };
    return { name: 'tags', change: { kind: action, tag: rest[0]! } };
  }
  if (action === 'rename' || action === 'merge') {
    if (rest.length !== 2)
      return {
        name: 'invalid',
        reason: `Name two tags: "${COMMAND_PREFIX} tags ${action} <name> <${action === 'rename' ? 'new name' : 'into'}>" (in "quotes" if they have spaces).`,
      };
    return { name: 'tags', change: { kind: action, tag: rest[0]!, to: rest[1]! } };
  }
  // Without the prefix, "@bot tags are confusing" is a request, not a mistake.
  return prefixed ? { name: 'invalid', reason: `I did not understand "tags ${verb}". ${TAG_USAGE}` } : null;
}

/** Longest interests text kept: a few sentences are plenty to match problems against. */
export const MAX_INTERESTS_CHARS = 500;

const MAX_PAUSE_DAYS = 365;

/** Durations like 7d, 2w, 12h, "3 days"; null when it is not one. */
export function parseDays(text: string): number | null {
  const m = /^(\d{1,4}(?:\.\d+)?)\s*(h|hours?|d|days?|w|weeks?)?$/i.exec(text.trim());
  if (!m) return null;
  const n = Number(m[1]);
  const unit = (m[2] ?? 'd').toLowerCase()[0];
  const days = unit === 'h' ? n / 24 : unit === 'w' ? n * 7 : n;
  return days > 0 ? days : null;
}

/** Words after a bare command word (no prefix) that still read as the command ("thanks, that helped a lot"). */
const MAX_BARE_COMMAND_WORDS = 8;
/** Commands whose word also opens everyday sentences; the rest parse their own arguments. */
const SENTENCE_STARTERS = new Set([
  'status',
  'solved',
  'resolved',
  'thanks',
  'thank',
  'thx',
  'optout',
  'opt-out',
  'optin',
  'opt-in',
  'pause',
  'resume',
  'digest',
  'decline',
  'pass',
  'refer',
  'introduce',
  'relay',
  'usage',
  'commands',
  'post-to-forum',
]);

/** `link-<platform> <account>` for a registered platform, whose profile reads the account; else null. */
function linkCommand(word: string, account: string | undefined): ParsedCommand | null {
  const platform = word.startsWith('link-') ? word.slice('link-'.length) : '';
  if (!isRegisteredPlatform(platform)) return null;
  const externalId = account === undefined ? null : platformProfile(platform).link.parse(account);
  if (!externalId) return { name: 'invalid', reason: `Tell me the account to link, e.g. "${COMMAND_PREFIX} ${word} alice".` };
  return { name: 'link', platform, account: externalId };
}

/**
 * Reads a command from a message. `addressed` is true when the message was meant for the bot
 * without the prefix (it mentions the bot, or it is a direct conversation with it). Returns null
 * for messages that are not commands.
 */
export function parseCommand(text: string, addressed: boolean): ParsedCommand | null {
  let rest = text.trim();
  const prefixed = rest.toLowerCase().startsWith(COMMAND_PREFIX) && /^(\s|$)/.test(rest.slice(COMMAND_PREFIX.length));
  if (prefixed) rest = rest.slice(COMMAND_PREFIX.length).trim();
  else if (!addressed) return null;

  const [first = '', ...words] = rest.split(/\s+/);
  const word = first
    .toLowerCase()
    .replace(/^[!/]/, '')
    .replace(/[:,.!?]+$/, '');
  const args = rest.slice(first.length).trim();
  // Without the prefix, a command word opening a question or a long sentence is the start of a
  // request: "@bot status reporting to executives: what worked for you?" asks for help.
  if (!prefixed && SENTENCE_STARTERS.has(word) && (args.includes('?') || words.length > MAX_BARE_COMMAND_WORDS)) return null;
  switch (word) {
    case '':
      return { name: 'usage' };
    case 'help':
      return args ? { name: 'help', problem: args } : { name: 'usage' };
    case 'solved':
    case 'resolved':
      return { name: 'solved' };
    case 'thanks':
    case 'thank':
    case 'thx':
      return { name: 'thanks' };
    case 'optout':
    case 'opt-out':
      return { name: 'optout' };
    case 'optin':
    case 'opt-in':
      return { name: 'optin' };
    case 'pause': {
      if (/^(off|stop|resume|0)$/i.test(args)) return { name: 'pause', days: null };
      const days = parseDays(args || '7d');
      if (days === null) return { name: 'invalid', reason: `I did not understand "${args}" as a duration; try "pause 7d", "pause 2w" or "pause off".` };
      return { name: 'pause', days: Math.min(days, MAX_PAUSE_DAYS) };
    }
    case 'resume':
      return { name: 'pause', days: null };
    case 'status':
      return { name: 'status' };
    case 'digest':
      return { name: 'digest' };
    case 'decline':
    case 'pass':
      return { name: 'decline' };
    case 'refer':
      return { name: 'refer' };
    case 'introduce':
      return { name: 'introduce' };
    case 'relay':
      return { name: 'relay' };
    case 'recognition':
    case 'weekly': {
      // "recognition on", "weekly digest off", "weekly on".
      const choice = (word === 'weekly' ? args.replace(/^digest\b/i, '') : args).trim().toLowerCase();
      if (/^(on|yes|start)$/.test(choice)) return { name: 'recognition', on: true };
      if (/^(off|no|stop)$/.test(choice)) return { name: 'recognition', on: false };
      // Without the prefix, "weekly standups are hard" is prose (a request), not a mistake.
      return prefixed
        ? {
            name: 'invalid',
            reason: `Say "${COMMAND_PREFIX} recognition on" for a weekly note of whose problems you helped with, or "${COMMAND_PREFIX} recognition off".`,
          }
        : null;
    }
    case 'yes':
    case 'partly':
    case 'no':
      // The answer to the follow-up question, in a direct conversation (or with the prefix). A few
      // words may follow ("yes, it helped"): a forum refuses a private message under 10 characters.
      return words.length <= 3 ? { name: 'outcome', value: word } : prefixed ? { name: 'unknown', word: first } : null;
    case 'post-to-forum':
      return { name: 'mirror' };
    case 'interests':
    case 'interest': {
      // Without the prefix only the plural counts: "@bot interest rates are killing us" is a request.
      if (!prefixed && word !== 'interests') return null;
      if (!args) return { name: 'interests', text: undefined };
      if (/^(off|none|clear|forget)$/i.test(args)) return { name: 'interests', text: null };
      return { name: 'interests', text: args.slice(0, MAX_INTERESTS_CHARS) };
    }
    case 'link':
      // "link <code>" proves a link. Otherwise "link" says yes to the bot's offer to link another
      // account; a few words may follow ("link my accounts"): a forum refuses a private message
      // under 10 characters.
      if (words.length === 1 && looksLikeLinkCode(words[0]!)) return { name: 'redeem', code: words[0]!.toUpperCase() };
      if (words.length <= 3) return { name: 'link-answer', accept: true };
      return prefixed ? { name: 'unknown', word: first } : null;
    case 'not':
      // "not me", optionally with a few words ("not me, thanks") for the forum's 10-character minimum.
      if (/^me\b/i.test(args) && words.length <= 4) return { name: 'link-answer', accept: false };
      return prefixed ? { name: 'unknown', word: first } : null;
    case 'notme':
    case 'not-me':
      return { name: 'link-answer', accept: false };
    case 'my-data':
    case 'mydata':
      return { name: 'my-data' };
    case 'forget-me':
    case 'forgetme':
      return { name: 'forget-me', confirm: /^confirm\b/i.test(args) };
    case 'usage':
    case 'commands':
    case '?':
      return { name: 'usage' };
    case 'tags':
      return parseTags(args, prefixed);
    default:
      // With the prefix an unknown word is a mistake; a mention followed by prose is a request.
      return linkCommand(word, words[0]) ?? (prefixed ? { name: 'unknown', word: first } : null);
  }
}

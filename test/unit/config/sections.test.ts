// Each bridge owns its section of the configuration: core/config knows only its own sections and
// composes whatever PlatformConfigSections it is given (schema, secrets, resolve, check).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig as loadComposed } from '../../../bridges/config.js';
import { ConfigError, loadConfig, redactedConfig, renderExampleConfig, type PlatformConfigSection } from '../../../core/config/index.js';

const chatSchema = z
  .strictObject({ server: z.string().describe('The chat server.'), greeting: z.string().optional().describe('What the bot says first.') })
  .optional()
  .describe('A made-up chat bridge.');

type Chat = NonNullable<z.output<typeof chatSchema>> & { greeting: string; token: string };

const chat = {
  key: 'chat',
  schema: chatSchema,
  secrets: [{ path: 'chat.token', env: 'CHAT_TOKEN', required: true, description: 'The bot token.' }],
  account: { one: 'a chat handle', many: 'chat handles', example: 'alice#1' },
  resolve: (section: NonNullable<z.output<typeof chatSchema>>) => ({ ...section, greeting: section.greeting ?? `hello from ${section.server}` }),
  check: (section: Chat) => (section.token === 'bad' ? ['chat.token: CHAT_TOKEN is bad'] : []),
} as const satisfies PlatformConfigSection<'chat', typeof chatSchema, Chat>;

describe('configuration sections of the platforms', () => {
  let dir: string;
  const write = (yaml: string): string => {
    const file = path.join(dir, 'co-agent.yaml');
    writeFileSync(file, yaml);
    return file;
  };
  const problemsOf = (load: () => unknown): string => {
    try {
      load();
    } catch (error) {
      if (error instanceof ConfigError) return error.message;
      throw error;
    }
    return '';
  };
  beforeEach(() => (dir = mkdtempSync(path.join(tmpdir(), 'co-agent-sections-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('core alone knows no platform section', () => {
    const file = write('matrix:\n  homeserverUrl: https://matrix.example.org\n');
    expect(problemsOf(() => loadConfig([], { file, env: {} }))).toContain('matrix: unknown key');
  });

  it('parses a section with its schema, reads its secrets, resolves it and runs its check', () => {
    const file = write('chat:\n  server: chat.example.org\n');
    expect(problemsOf(() => loadConfig([chat], { file, env: {} }))).toContain('chat.token: set environment variable CHAT_TOKEN');
    expect(problemsOf(() => loadConfig([chat], { file, env: { CHAT_TOKEN: 'bad' } }))).toContain('chat.token: CHAT_TOKEN is bad');
    const config = loadConfig([chat], { file, env: { CHAT_TOKEN: 't', CO_AGENT_CHAT__GREETING: 'hi' }, warn: () => expect.unreachable() });
    expect((config as unknown as { chat: Chat }).chat).toEqual({ server: 'chat.example.org', greeting: 'hi', token: 't' });
    expect(redactedConfig([chat], config)['chat']).toEqual({ server: 'chat.example.org', greeting: 'hi', token: '[redacted]' });
    const without = loadConfig([chat], { file: write(''), env: {} });
    expect((without as unknown as { chat?: Chat }).chat).toBeUndefined();
  });

  it('names the accounts of the platforms it is given in concierge.admins', () => {
    const file = write('concierge:\n  admins: [""]\n');
    expect(problemsOf(() => loadConfig([chat], { file, env: {} }))).toContain('concierge.admins.0: expected a chat handle, got ""');
    expect(problemsOf(() => loadComposed({ file, env: {} }))).toContain(
      'concierge.admins.0: expected a Matrix user id (@name:server) or a forum username, got ""',
    );
    expect(renderExampleConfig([chat])).toContain('# chat:\n#   # The chat server. Required in this section.\n#   server: ""');
  });
});

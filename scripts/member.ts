// `npm run member -- <subcommand>`: an admin's tools for members, on the configured database (or
// --database PATH), safe while the service runs. Subcommands live in scripts/member/, one file
// each; add one by adding it to SUBCOMMANDS. Exit codes: 0 done, 1 refused, 2 usage.
import { userInfo } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError, loadConfig } from '../bridges/config.js';
import { registerBuiltInPlatforms } from '../bridges/profiles.js';
import { createLogger } from '../core/logging.js';
import { openStore } from '../core/store/index.js';
import { UsageError, type CliContext, type Subcommand } from './member/context.js';
import { eraseCommand, exportCommand } from './member/data.js';
import { mergeCommand } from './member/merge.js';
import { mergesCommand, pairsCommand, showCommand } from './member/show.js';
import { splitCommand } from './member/split.js';

export const SUBCOMMANDS: Record<string, Subcommand> = {
  merge: mergeCommand,
  split: splitCommand,
  show: showCommand,
  merges: mergesCommand,
  pairs: pairsCommand,
  export: exportCommand,
  erase: eraseCommand,
};

const FLAGS = new Set(['database', 'by', 'reason', 'merge']);

export const USAGE = [
  'usage: npm run member -- <subcommand> [--database PATH] [--by NAME]',
  ...Object.values(SUBCOMMANDS).map((s) => `  ${s.usage}`),
  'A member is its id (12), a Matrix id (@ana:example.org) or a forum username (ana_k); --by names who acts (default: your login).',
].join('\n');

function parse(argv: readonly string[]): { name: string | undefined; args: string[]; flags: Map<string, string> } {
  const args: string[] = [];
  const flags = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const word = argv[i]!;
    if (!word.startsWith('--')) {
      args.push(word);
      continue;
    }
    const [key, inline] = word.slice(2).split(/=(.*)/s, 2) as [string, string | undefined];
    if (!FLAGS.has(key)) throw new UsageError(`unknown option --${key}`);
    const value = inline ?? argv[++i];
    if (value === undefined || value === '') throw new UsageError(`--${key} needs a value`);
    flags.set(key, value);
  }
  return { name: args.shift(), args, flags };
}

export async function memberCli(argv: readonly string[], io: { env: NodeJS.ProcessEnv; out(line: string): void; err(line: string): void }): Promise<number> {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (error) {
    io.err(`${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  // Matching accounts (show, pairs) reads them the way their platforms write them.
  registerBuiltInPlatforms();
  const command = parsed.name ? SUBCOMMANDS[parsed.name] : undefined;
  if (!command) {
    io.err(`${parsed.name ? `unknown subcommand "${parsed.name}"\n` : ''}${USAGE}`);
    return 2;
  }
  let config;
  try {
    // The database is all it needs: an admin's shell does not hold the bot's secrets.
    config = loadConfig({ env: io.env, secrets: 'ignore' });
  } catch (error) {
    if (error instanceof ConfigError) {
      io.err(`co-agent: ${error.message}`);
      return 2;
    }
    throw error;
  }
  const store = await openStore({
    path: parsed.flags.get('database') ?? config.database.url ?? config.database.path,
    logger: createLogger({ level: 'silent' }),
  });
  const ctx: CliContext = {
    store,
    out: io.out,
    err: io.err,
    by: parsed.flags.get('by') ?? `${userInfo().username} (command line)`,
    identity: { ...config.identity, emailChecksPerRound: 0 },
  };
  try {
    return await command.run(ctx, parsed.args, parsed.flags);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.err(`${error.message}\n${USAGE}`);
    return 2;
  } finally {
    await store.close();
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  memberCli(process.argv.slice(2), { env: process.env, out: (l) => process.stdout.write(`${l}\n`), err: (l) => process.stderr.write(`${l}\n`) }).then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}

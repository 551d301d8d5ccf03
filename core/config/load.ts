// Reads the configuration once at start-up: YAML file + secrets from the environment,
// validated by the schema. Takes `env` as an argument so tests pass their own.
import { existsSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import YAML from 'yaml';
import type { z } from 'zod';
import { applyEnvSettings } from './env.js';
import { CORE_SECRETS, fileSchemaFor, RETIRED_KEYS, type CoreConfig, type CoreFileConfig } from './schema.js';
import type { PlatformConfigSection, SecretSpec } from './section.js';

export const CONFIG_ENV = 'CO_AGENT_CONFIG';
export const DEFAULT_CONFIG_FILE = './co-agent.yaml';

/** A configuration problem a person must fix; the message names every bad key and why. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(
    readonly file: string,
    readonly problems: readonly string[],
  ) {
    super(`invalid configuration (${file}):\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

export interface LoadConfigOptions {
  /** Config file; default: $CO_AGENT_CONFIG, else ./co-agent.yaml. */
  file?: string;
  env: Readonly<Record<string, string | undefined>>;
  /**
   * 'ignore' for tools that only open the database (npm run member): platform secrets are neither
   * read nor required, so an admin's shell needs none of them. Default 'require'.
   */
  secrets?: 'require' | 'ignore';
  /** Told about CO_AGENT_ variables that name no setting (default: a line on standard error). */
  warn?: (message: string) => void;
}

const show = (value: unknown): string => {
  if (value === undefined) return 'nothing';
  const json = JSON.stringify(value);
  return json.length > 60 ? `${json.slice(0, 57)}...` : json;
};

function valueAt(root: unknown, keys: readonly PropertyKey[]): unknown {
  let node = root;
  for (const key of keys) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<PropertyKey, unknown>)[key];
  }
  return node;
}

/** One line per problem: `key.path: expected ..., got ...`. */
export function describeIssues(issues: readonly z.core.$ZodIssue[], input: unknown): string[] {
  return issues.flatMap((issue) => {
    const where = issue.path.map(String).join('.');
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => {
        const path = `${where ? `${where}.` : ''}${key}`;
        return `${path}: ${RETIRED_KEYS.get(path) ?? 'unknown key'}`;
      });
    }
    const got = valueAt(input, issue.path);
    return [`${where || '(top level)'}: ${issue.message}, got ${show(got)}`];
  });
}

function parseYaml(file: string, text: string): unknown {
  const doc = YAML.parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  const [first] = doc.errors;
  if (first) {
    const pos = first.linePos?.[0];
    // yaml appends "at line L, column C:" and a code excerpt; keep the sentence, give our position.
    const reason = first.message.split('\n')[0]?.replace(/ at line \d+, column \d+:?$/, '') ?? first.code;
    throw new ConfigError(file, [`${pos ? `line ${pos.line}, column ${pos.col}` : 'YAML'}: invalid YAML: ${reason}`]);
  }
  try {
    return doc.toJS() ?? {};
  } catch (error) {
    throw new ConfigError(file, [`invalid YAML: ${error instanceof Error ? error.message : String(error)}`]);
  }
}

function setPath(target: Record<string, unknown>, dotted: string, value: unknown): void {
  const keys = dotted.split('.');
  const last = keys.pop();
  let node = target;
  for (const key of keys) node = node[key] as Record<string, unknown>;
  if (last) node[last] = value;
}

/** Every secret: the core's, then each platform's. */
export const secretsOf = (platforms: readonly PlatformConfigSection[]): SecretSpec[] => [...CORE_SECRETS, ...platforms.flatMap((p) => p.secrets)];

/**
 * Loads, validates and completes the configuration: the core sections and those of `platforms`
 * (the service's loadConfig passes its bridges'). A missing default file means all defaults; a
 * file named explicitly (argument or $CO_AGENT_CONFIG) must exist.
 */
export function loadConfig(platforms: readonly PlatformConfigSection[], options: LoadConfigOptions): CoreConfig {
  const named = options.file ?? options.env[CONFIG_ENV];
  const file = path.resolve(named ?? DEFAULT_CONFIG_FILE);
  let input: unknown = {};
  if (existsSync(file)) {
    input = parseYaml(file, readFileSync(file, 'utf8'));
  } else if (named !== undefined) {
    throw new ConfigError(file, [`config file not found${options.file === undefined ? ` (from ${CONFIG_ENV})` : ''}`]);
  }
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new ConfigError(file, [`(top level): expected a mapping of sections (database:, engine:, ...), got ${show(input)}`]);
  }

  // CO_AGENT_<SECTION>__<KEY> variables override the file (env.ts), through the same schema.
  const warn = options.warn ?? ((message: string) => process.stderr.write(`co-agent: warning: ${message}\n`));
  const fileSchema = fileSchemaFor(platforms);
  for (const warning of applyEnvSettings(fileSchema, input as Record<string, unknown>, options.env)) warn(warning);

  const parsed = fileSchema.safeParse(input);
  if (!parsed.success) throw new ConfigError(file, describeIssues(parsed.error.issues, input));
  const fileConfig = parsed.data as CoreFileConfig & Record<string, unknown>;

  const config: Record<string, unknown> = {
    ...fileConfig,
    engine: { ...fileConfig.engine, workers: fileConfig.engine.workers ?? availableParallelism() },
  };
  for (const platform of platforms) {
    const section = fileConfig[platform.key] as NonNullable<unknown> | undefined;
    config[platform.key] = section === undefined ? undefined : (platform.resolve?.(section) ?? { ...section });
  }

  // DATABASE_URL, the usual variable for a database server's address, wins over database.url.
  // A file: URL there is the Prisma CLI's address of the SQLite file (prisma.config.ts): not ours.
  const databaseUrl = options.env['DATABASE_URL'];
  if (databaseUrl !== undefined && databaseUrl !== '' && !databaseUrl.startsWith('file:')) {
    if (!/^postgres(ql)?:\/\/\S+$/i.test(databaseUrl))
      throw new ConfigError(file, ['database.url: DATABASE_URL must be a postgresql:// URL (unset it to use the SQLite file database.path)']);
    config.database = { ...(config.database as object), url: databaseUrl };
  }

  if (options.secrets === 'ignore') return config as unknown as CoreConfig;
  const problems: string[] = [];
  for (const secret of secretsOf(platforms)) {
    const section = secret.path.split('.')[0] ?? '';
    if (config[section] === undefined) continue;
    const value = options.env[secret.env];
    if (value !== undefined && value !== '') setPath(config, secret.path, value);
    else if (secret.required) problems.push(`${secret.path}: set environment variable ${secret.env} (secrets are not read from the file)`);
  }
  for (const platform of platforms) {
    const section = config[platform.key];
    if (section !== undefined && platform.check) problems.push(...platform.check(section));
  }
  const csrfSecret = (config.dashboard as { csrfSecret?: string }).csrfSecret;
  if (csrfSecret !== undefined && csrfSecret.length < 32) {
    problems.push(
      'dashboard.csrfSecret: DASHBOARD_CSRF_SECRET must be 32 characters or more (e.g. from `openssl rand -base64 32`), or unset to have one generated',
    );
  }
  if (problems.length > 0) throw new ConfigError(file, problems);
  return config as unknown as CoreConfig;
}

/** A copy safe to log: every secret (the core's and those of `platforms`) replaced by "[redacted]" (or "[not set]"). */
export function redactedConfig(platforms: readonly PlatformConfigSection[], config: CoreConfig): Record<string, unknown> {
  const copy = structuredClone(config) as unknown as Record<string, unknown>;
  for (const secret of secretsOf(platforms)) {
    const [section, key] = secret.path.split('.');
    const node = section ? (copy[section] as Record<string, unknown> | undefined) : undefined;
    if (node && key) node[key] = node[key] === undefined ? '[not set]' : '[redacted]';
  }
  const database = copy.database as { url?: string } | undefined;
  if (database?.url) database.url = database.url.replace(/(\/\/[^:/@]+:)[^@]*@/, '$1[redacted]@');
  return copy;
}

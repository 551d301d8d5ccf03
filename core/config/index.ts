// Configuration: one YAML file plus secrets from the environment, parsed once at start-up. Core
// holds the platform-neutral sections; each bridge brings its own (PlatformConfigSection), and the
// service composes them (bridges/config.ts).
export { ConfigError, CONFIG_ENV, DEFAULT_CONFIG_FILE, loadConfig, redactedConfig, secretsOf, type LoadConfigOptions } from './load.js';
export {
  CORE_SECRETS,
  EMBEDDING_BACKENDS,
  expecting,
  fileSchemaFor,
  fraction,
  httpUrl,
  nonEmpty,
  oneOf,
  positiveInt,
  positiveNumber,
  wholeNumber,
  type CoreConfig,
  type CoreFileConfig,
  type EmbeddingBackend,
  type TrustProxy,
} from './schema.js';
export type { AccountForm, PlatformConfigSection, SecretSpec } from './section.js';
export { renderExampleConfig } from './example.js';
export { ENV_PREFIX, envNameOf, settingKeys } from './env.js';

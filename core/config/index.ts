// Configuration: one YAML file plus secrets from the environment, parsed once at start-up.
export { ConfigError, CONFIG_ENV, DEFAULT_CONFIG_FILE, loadConfig, redactedConfig, type LoadConfigOptions } from './load.js';
export { EMBEDDING_BACKENDS, SECRETS, fileSchema, type Config, type EmbeddingBackend, type FileConfig, type SecretSpec, type TrustProxy } from './schema.js';
export { renderExampleConfig } from './example.js';
export { ENV_PREFIX, envNameOf } from './env.js';

// The service's configuration: core's sections (core/config) and each bridge's own section
// (`matrix:`, `discourse:`), composed. The service, its commands and the tests load the
// configuration from here; core only ever sees the parts it owns (CoreConfig).
import {
  loadConfig as loadWith,
  redactedConfig as redactWith,
  renderExampleConfig as renderWith,
  fileSchemaFor,
  type CoreConfig,
  type LoadConfigOptions,
} from '../core/config/index.js';
import { discourseConfigSection, type DiscourseConfig } from './discourse/config.js';
import { matrixConfigSection, type MatrixConfig } from './matrix/config.js';

export { ConfigError, CONFIG_ENV, DEFAULT_CONFIG_FILE, type LoadConfigOptions } from '../core/config/index.js';
export type { DiscourseConfig } from './discourse/config.js';
export type { MatrixConfig } from './matrix/config.js';

/** The platform sections, in the order the file schema and the example list them (after core's). */
export const PLATFORM_CONFIG_SECTIONS = [matrixConfigSection, discourseConfigSection] as const;

/** The configuration file's schema: core's sections and the bridges'. */
export const fileSchema = fileSchemaFor(PLATFORM_CONFIG_SECTIONS);

/**
 * The validated configuration the rest of Co-Agent reads: the file's values with defaults
 * filled in, computed defaults resolved, and secrets from the environment added.
 */
export type Config = CoreConfig & {
  matrix?: MatrixConfig | undefined;
  discourse?: DiscourseConfig | undefined;
};

/** Loads, validates and completes the configuration (see core/config/load.ts). */
export const loadConfig = (options: LoadConfigOptions): Config => loadWith(PLATFORM_CONFIG_SECTIONS, options) as Config;

/** A copy safe to log: every secret replaced by "[redacted]" (or "[not set]"). */
export const redactedConfig = (config: Config): Record<string, unknown> => redactWith(PLATFORM_CONFIG_SECTIONS, config);

/** config/co-agent.example.yaml as `npm run config:example` writes it. */
export const renderExampleConfig = (): string => renderWith(PLATFORM_CONFIG_SECTIONS);

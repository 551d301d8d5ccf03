// What a platform adds to the configuration: its section of the file (a key and a zod schema,
// optional so the service runs without the platform), the secrets that section reads from the
// environment, and how its values are completed and checked once the file has been parsed. Each
// bridge exports one; the service hands them to fileSchemaFor, loadConfig, renderExampleConfig
// and redactedConfig. Core itself knows no platform.
import type { z } from 'zod';

/** A secret: read from the environment, never from the file, never logged. */
export interface SecretSpec {
  /** Dotted key path in the resolved Config, e.g. `dashboard.password`. */
  path: string;
  env: string;
  /** Required when its section is configured. */
  required: boolean;
  description: string;
}

/** How an account on a platform is written, for settings that name accounts (concierge.admins). */
export interface AccountForm {
  /** One account, after "expected": e.g. "a forum username". */
  one: string;
  /** Several, in a list of forms joined by "and": e.g. "forum usernames". */
  many: string;
  /** An example account for the example configuration. */
  example: string;
}

/**
 * A platform's configuration section. `Resolved` is the section as the service reads it
 * (defaults resolved, secrets added).
 */
export interface PlatformConfigSection<Key extends string = string, Schema extends z.ZodType = z.ZodType, Resolved = unknown> {
  /** Its key at the top level of the file, e.g. `forum`. */
  readonly key: Key;
  /** The section's schema; `.optional()`: a file without the section runs without the platform. */
  readonly schema: Schema;
  /** Its secrets, each `path` under `key`, in the order the example lists them. */
  readonly secrets: readonly SecretSpec[];
  readonly account: AccountForm;
  /** The parsed section completed (computed defaults); default: a copy as parsed. */
  resolve?(parsed: NonNullable<z.output<Schema>>): object;
  /** Problems of the resolved section with its secrets, as `key.path: what to do` lines. */
  check?(resolved: Resolved): string[];
}

// Settings from the environment, for containers: every key of the file can also be set as
// CO_AGENT_<SECTION>__<KEY>[__<KEY>...], the key in upper snake case, e.g. CO_AGENT_WEB__PORT
// or CO_AGENT_ENGINE__ROUTING__WEEKLY_BUDGET. The value is read
// as a YAML scalar or flow collection ("8080" a number, "true" a boolean, "[a, b]" a list), then
// the whole configuration goes through the same schema as the file. The environment wins over
// the file. A CO_AGENT_ variable that names no setting is reported, not silently ignored.
import YAML from 'yaml';
import type { z } from 'zod';

export const ENV_PREFIX = 'CO_AGENT_';
/** CO_AGENT_ variables that are not settings. */
const NOT_SETTINGS = new Set(['CO_AGENT_CONFIG']);

/** camelCase key -> UPPER_SNAKE part of a variable name. */
export const envPart = (key: string): string => key.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase();

type AnySchema = z.core.$ZodType & { shape?: Record<string, AnySchema>; def?: { innerType?: AnySchema } };
/** The file's schema (fileSchemaFor), or any object schema. */
type ObjectSchema = { shape: Readonly<Record<string, z.core.$ZodType>> };

/** The object schema inside .optional() / .default() / .prefault() wrappers, if it is one. */
function objectShape(schema: AnySchema | undefined): Record<string, AnySchema> | undefined {
  let s = schema;
  while (s && !s.shape && s.def?.innerType) s = s.def.innerType;
  return s?.shape;
}

/** The variable name of a dotted key, e.g. `engine.routing.weeklyBudget` -> CO_AGENT_ENGINE__ROUTING__WEEKLY_BUDGET. */
export const envNameOf = (dotted: string): string => ENV_PREFIX + dotted.split('.').map(envPart).join('__');

function parseValue(raw: string): unknown {
  try {
    return YAML.parse(raw) ?? raw;
  } catch {
    return raw;
  }
}

/**
 * Writes the settings of `schema` found in `env` into `input` (the parsed file, changed in
 * place) and returns a warning for each CO_AGENT_ variable that names no setting.
 */
export function applyEnvSettings(schema: ObjectSchema, input: Record<string, unknown>, env: Readonly<Record<string, string | undefined>>): string[] {
  const warnings: string[] = [];
  for (const [name, raw] of Object.entries(env)) {
    if (!name.startsWith(ENV_PREFIX) || NOT_SETTINGS.has(name) || raw === undefined) continue;
    const parts = name.slice(ENV_PREFIX.length).split('__');
    let shape: Record<string, AnySchema> | undefined = schema.shape as Record<string, AnySchema>;
    let node = input;
    const keys: string[] = [];
    let known = true;
    for (const [i, part] of parts.entries()) {
      const key = shape ? Object.keys(shape).find((k) => envPart(k) === part) : undefined;
      if (!key || !shape) {
        known = false;
        break;
      }
      keys.push(key);
      if (i === parts.length - 1) {
        node[key] = parseValue(raw);
        break;
      }
      const next = objectShape(shape[key]);
      if (!next) {
        known = false;
        break;
      }
      // A section the file left out (e.g. a bridge's) is created by its first variable.
      const child = node[key];
      node = (node[key] = typeof child === 'object' && child !== null && !Array.isArray(child) ? child : {}) as Record<string, unknown>;
      shape = next;
    }
    if (!known) {
      warnings.push(
        `environment variable ${name} is not a setting and was ignored (settings are named like ${envNameOf('web.port')}; secrets keep their own names, e.g. DASHBOARD_PASSWORD)`,
      );
    }
  }
  return warnings;
}

/** Every setting's dotted key (leaves of the schema), e.g. `engine.routing.weeklyBudget`. */
export function settingKeys(schema: ObjectSchema, prefix = ''): string[] {
  return Object.entries(schema.shape as Record<string, AnySchema>).flatMap(([key, child]) => {
    const inner = objectShape(child);
    return inner ? settingKeys({ shape: inner }, `${prefix}${key}.`) : [`${prefix}${key}`];
  });
}

// Validates request bodies the stub receives against the request schemas in the Discourse spec,
// so "the client sends what the spec describes" is checked against the spec itself.
import { Ajv2020 } from 'ajv/dist/2020.js';
import { readDiscourseSpec } from '../../../scripts/generate-discourse-types.js';

type Json = Record<string, unknown>;
const spec = readDiscourseSpec() as { paths: Record<string, Record<string, Json>> };
// strict: false because the spec uses OpenAPI-only keywords (example, deprecated) inside schemas.
const ajv = new Ajv2020({ strict: false, allErrors: true });

/** The errors of `body` against the JSON request schema of `method path`, or [] when it conforms. */
export function requestBodyErrors(method: string, path: string, body: unknown): string[] {
  const operation = spec.paths[path]?.[method.toLowerCase()];
  const schema = (operation?.['requestBody'] as { content?: Record<string, { schema?: Json }> } | undefined)?.content?.['application/json']?.schema;
  if (schema === undefined) throw new Error(`the spec has no JSON request body for ${method} ${path}`);
  const validate = ajv.compile(schema);
  if (validate(body)) return [];
  return (validate.errors ?? []).map((e) => `${e.instancePath || '(body)'} ${e.message ?? ''} ${JSON.stringify(e.params)}`);
}

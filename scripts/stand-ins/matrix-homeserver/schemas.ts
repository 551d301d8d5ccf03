// Validates what the fake homeserver stores and serves against the Matrix spec's own JSON
// schemas (OpenAPI 3.1 YAML for endpoints, JSON Schema 2020-12 YAML for events), so the fake
// cannot drift from the spec without a test noticing.
//
// Each YAML file is registered with ajv under its file:// URL; ajv then resolves relative
// $refs (core-event-schema/..., ../../event-schemas/...) and JSON pointers (#/components/...)
// itself. Parsing every spec file takes about a second, so only the files reachable from the
// endpoints and event types we use are loaded, once per process, and compiled on first use.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import { parse as parseYaml } from 'yaml';

// ../shared sits beside the project (scripts/stand-ins/matrix-homeserver -> four levels up).
export const DEFAULT_SPEC_DIR = process.env['MATRIX_SPEC_DIR'] ?? fileURLToPath(new URL('../../../../shared/specs/matrix/data', import.meta.url));

/** The client-server API files whose operations the fake serves (others are never needed). */
const API_FILES = [
  'versions',
  'login',
  'whoami',
  'sync',
  'filter',
  'joining',
  'leaving',
  'inviting',
  'list_joined_rooms',
  'rooms',
  'room_state',
  'room_send',
  'redaction',
  'message_pagination',
  'event_context',
  'relations',
  'threads_list',
  'space_hierarchy',
  'profile',
  'create_room',
  'account-data',
  'directory',
  'typing',
  'receipts',
  'read_markers',
  'keys',
  'to_device',
  'cross_signing',
];

type Json = unknown;
type JsonObject = Record<string, unknown>;

const isObject = (v: unknown): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Escapes one JSON-pointer segment (RFC 6901). */
const pointerPart = (s: string): string => s.replace(/~/g, '~0').replace(/\//g, '~1');

function newAjv(): Ajv2020 {
  // strict:false tolerates x-* keywords, `example(s)` and OpenAPI siblings; the spec's own
  // meta-schema is trusted, so skip validating the schemas themselves (also faster).
  const ajv = new Ajv2020({ strict: false, allErrors: true, validateSchema: false, logger: false });
  const matches = (re: RegExp) => (s: string) => re.test(s);
  ajv.addFormat('mx-user-id', matches(/^@[^:]+:.+$/));
  ajv.addFormat('mx-room-id', matches(/^![^:]+(:.+)?$/));
  ajv.addFormat('mx-event-id', matches(/^\$.+$/));
  ajv.addFormat('mx-room-alias', matches(/^#[^:]+:.+$/));
  ajv.addFormat('mx-server-name', matches(/^[A-Za-z0-9.:[\]-]+$/));
  ajv.addFormat('mx-mxc-uri', matches(/^mxc:\/\/[^/]+\/.+$/));
  ajv.addFormat('mx-unpadded-base64', matches(/^[A-Za-z0-9+/]*$/));
  ajv.addFormat('mx-urlsafe-unpadded-base64', matches(/^[A-Za-z0-9_-]*$/));
  ajv.addFormat('uri', matches(/^[A-Za-z][A-Za-z0-9+.-]*:\S*$/));
  ajv.addFormat('email', matches(/^[^@\s]+@[^@\s]+$/));
  ajv.addFormat('int64', { type: 'number', validate: (n: number) => Number.isSafeInteger(n) });
  ajv.addFormat('float', { type: 'number', validate: () => true });
  return ajv;
}

interface Operation {
  fileUrl: string;
  /** JSON pointer to the operation object inside its file. */
  pointer: string;
  op: JsonObject;
}

export class SpecValidator {
  private readonly ajv = newAjv();
  private readonly loaded = new Set<string>();
  private readonly docs = new Map<string, JsonObject>();
  private readonly compiled = new Map<string, ValidateFunction | null>();
  /** "GET /rooms/{roomId}/messages" -> operation (path template as written in the spec). */
  private readonly operations = new Map<string, Operation>();
  private readonly eventDir: string;

  constructor(readonly specDir: string = DEFAULT_SPEC_DIR) {
    const apiDir = join(specDir, 'api', 'client-server');
    this.eventDir = join(specDir, 'event-schemas', 'schema');
    if (!existsSync(apiDir) || !existsSync(this.eventDir)) {
      throw new Error(`Matrix spec schemas not found under ${specDir}: set MATRIX_SPEC_DIR or start with validate: false`);
    }
    for (const name of API_FILES) {
      const file = join(apiDir, `${name}.yaml`);
      const url = this.load(file);
      const paths = this.docs.get(url)?.['paths'];
      if (!isObject(paths)) continue;
      for (const [template, ops] of Object.entries(paths)) {
        if (!isObject(ops)) continue;
        for (const [method, op] of Object.entries(ops)) {
          const key = `${method.toUpperCase()} ${template}`;
          // The first file wins (e.g. /invite is in inviting.yaml and third_party_membership.yaml).
          if (isObject(op) && !this.operations.has(key)) {
            this.operations.set(key, { fileUrl: url, pointer: `/paths/${pointerPart(template)}/${method}`, op });
          }
        }
      }
    }
  }

  /** Registers a YAML file and everything it references with ajv; returns its URL (the $id). */
  private load(file: string): string {
    const url = pathToFileURL(resolve(file)).href;
    if (this.loaded.has(url)) return url;
    this.loaded.add(url);
    const doc = parseYaml(readFileSync(file, 'utf8')) as JsonObject;
    // An explicit $id keeps the file's base URI when ajv reaches it through a chain of refs
    // (without one, ajv resolves the file's relative refs against the referring file).
    doc['$id'] = url;
    this.docs.set(url, doc);
    this.ajv.addSchema(doc);
    for (const ref of collectRefs(doc)) {
      const target = ref.split('#')[0];
      if (target) this.load(join(dirname(file), target));
    }
    return url;
  }

  private validator(ref: string): ValidateFunction | null {
    let v = this.compiled.get(ref);
    if (v === undefined) {
      v = this.ajv.compile({ $ref: ref });
      this.compiled.set(ref, v);
    }
    return v;
  }

  private run(ref: string, data: Json, where: string): string[] {
    const validate = this.validator(ref);
    if (!validate || validate(data)) return [];
    return (validate.errors ?? []).slice(0, 5).map((e) => `${where}: ${e.instancePath || '/'} ${e.message ?? 'invalid'} ${JSON.stringify(e.params)}`);
  }

  /** Follows a response-level $ref such as '#/components/responses/404' (not a schema ref). */
  private responseObject(operation: Operation, status: number): { url: string; pointer: string; obj: JsonObject } | undefined {
    const responses = operation.op['responses'];
    if (!isObject(responses)) return undefined;
    let obj = responses[String(status)];
    let url = operation.fileUrl;
    let pointer = `${operation.pointer}/responses/${status}`;
    if (isObject(obj) && typeof obj['$ref'] === 'string') {
      const [file, frag = ''] = obj['$ref'].split('#');
      if (file) url = new URL(file, url).href;
      pointer = frag;
      obj = frag
        .split('/')
        .slice(1)
        .reduce<unknown>((o, p) => (isObject(o) ? o[p.replace(/~1/g, '/').replace(/~0/g, '~')] : undefined), this.docs.get(url));
    }
    return isObject(obj) ? { url, pointer, obj } : undefined;
  }

  /** Whether the spec documents `METHOD template` (the template as in the spec's paths). */
  hasOperation(method: string, template: string): boolean {
    return this.operations.has(`${method} ${template}`);
  }

  /** Checks a JSON response body against the schema the spec gives for that status. */
  validateResponse(method: string, template: string, status: number, body: Json): string[] {
    const where = `${method} ${template} -> ${status}`;
    const operation = this.operations.get(`${method} ${template}`);
    const response = operation && this.responseObject(operation, status);
    const content = response?.obj['content'];
    if (response && isObject(content) && isObject(content['application/json']) && content['application/json']['schema'] !== undefined) {
      return this.run(`${response.url}#${response.pointer}/content/application~1json/schema`, body, where);
    }
    // Statuses the operation does not list (401 for any authenticated call, 404 for unknown
    // rooms...) must still be a standard error body.
    // A User-Interactive Authentication challenge (spec: "User-interactive API in the REST API").
    if (status === 401 && isObject(body) && Array.isArray(body['flows'])) {
      return this.run(this.fileRef(join(this.specDir, 'api', 'client-server', 'definitions', 'auth_response.yaml')), body, where);
    }
    if (status >= 400) {
      const errors = join(this.specDir, 'api', 'client-server', 'definitions', 'errors');
      return this.run(this.fileRef(join(errors, status === 429 ? 'rate_limited.yaml' : 'error.yaml')), body, where);
    }
    return [];
  }

  /** Checks a JSON request body against the operation's requestBody schema, if any. */
  validateRequest(method: string, template: string, body: Json): string[] {
    const operation = this.operations.get(`${method} ${template}`);
    const content = operation && isObject(operation.op['requestBody']) ? operation.op['requestBody']['content'] : undefined;
    if (!operation || !isObject(content) || !isObject(content['application/json'])) return [];
    return this.run(`${operation.fileUrl}#${operation.pointer}/requestBody/content/application~1json/schema`, body, `${method} ${template} request`);
  }

  /**
   * Checks an event (room events with room_id, as the spec's event schemas require) against
   * its type's schema: m.room.message uses the schema of its msgtype when one exists.
   * Unknown types pass (the spec allows custom events). Redacted events are exempt because
   * redaction strips required content; so are removals of space links (empty content).
   */
  validateEvent(event: { type: string; content: JsonObject; unsigned?: JsonObject }): string[] {
    if (event.unsigned?.['redacted_because']) return [];
    if ((event.type === 'm.space.child' || event.type === 'm.space.parent') && Object.keys(event.content).length === 0) return [];
    const msgtype = event.content['msgtype'];
    const candidates = event.type === 'm.room.message' && typeof msgtype === 'string' ? [`${event.type}$${msgtype}`, event.type] : [event.type];
    for (const name of candidates) {
      // Event types are user input: never let one walk out of the schema directory.
      if (!/^[A-Za-z0-9._$-]+$/.test(name)) return [];
      const file = join(this.eventDir, `${name}.yaml`);
      if (existsSync(file)) return this.run(this.fileRef(file), event, `event ${name}`);
    }
    return [];
  }

  private fileRef(file: string): string {
    return this.load(file);
  }
}

/** Every $ref string in a parsed YAML document (schemas, responses and parameters alike). */
function collectRefs(node: unknown, out: string[] = []): string[] {
  if (Array.isArray(node)) for (const item of node) collectRefs(item, out);
  else if (isObject(node)) {
    for (const [key, value] of Object.entries(node)) {
      if (key === '$ref' && typeof value === 'string') out.push(value);
      else if (key !== 'example' && key !== 'examples') collectRefs(value, out);
    }
  }
  return out;
}

let shared: SpecValidator | undefined;

/** One validator per process: loading and compiling are the slow part, and schemas never change. */
export function sharedValidator(specDir: string = DEFAULT_SPEC_DIR): SpecValidator {
  if (!shared || shared.specDir !== specDir) shared = new SpecValidator(specDir);
  return shared;
}

// Validates what the fake forum receives and serves against the Discourse OpenAPI spec
// (openapi.json, OpenAPI 3.1, inline schemas, no $refs), so the fake cannot drift from the
// spec without a test noticing. Also checks error bodies and webhook payloads against schemas
// derived here (the spec describes neither).
//
// A few documented spec errata are patched before compiling (see ERRATA): each is a place
// where the spec's schema (generated from Discourse's own request specs) contradicts what
// every Discourse instance actually sends. They only widen types; nothing else is changed.
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';

// ../shared sits beside the project (scripts/stand-ins/discourse-forum -> four levels up).
export const DEFAULT_SPEC_FILE =
  process.env['DISCOURSE_SPEC_FILE'] ?? fileURLToPath(new URL('../../../../shared/specs/discourse/openapi.json', import.meta.url));

type JsonObject = Record<string, unknown>;
const isObject = (v: unknown): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);
const pointerPart = (s: string): string => s.replace(/~/g, '~0').replace(/\//g, '~1');
const clone = <T>(v: T): T => structuredClone(v);

// ajv-formats is CommonJS: under NodeNext its default import is the module object.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (ajv: Ajv2020) => Ajv2020;

/** The error body Discourse sends with every JSON error (the spec documents no errors). */
export const ERROR_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['errors'],
  properties: {
    errors: { type: 'array', minItems: 1, items: { type: 'string' } },
    error_type: { type: 'string' },
    extras: { type: ['object', 'null'] },
  },
} as const;

/**
 * Spec errata: [where, why]. Applied by `applyErrata` before compiling.
 * - reply_to_post_number: typed string|null everywhere in the spec (its examples only had
 *   null); Discourse sends the integer post number.
 * - GET /u/{username}.json featured_topic: Discourse sends null when none is featured.
 * - GET /t/{id}.json category_id: null for private messages (they have no category).
 * - POST /posts.json request `tags`: Discourse accepts tag names when creating a topic.
 * - GET /t/{id}.json: TopicViewDetailsSerializer adds allowed_users / allowed_groups for private
 *   messages; TopicView leaves post_stream.stream out for mega topics; include_raw=true adds
 *   `raw` to each post; discourse-solved adds accepted_answer to the topic and its post.
 * - POST /posts.json answers a post held for approval with {action: "enqueued", pending_post}.
 * - PUT /t/-/{id}.json answers with the tags it kept when tags were submitted.
 */
export const ERRATA = [
  'reply_to_post_number may be an integer (every post schema)',
  'GET /u/{username}.json user.featured_topic may be null',
  'GET /t/{id}.json category_id may be null (private messages)',
  'POST /posts.json request body may carry tags: string[]',
  'GET /t/{id}.json details.allowed_users / allowed_groups (private messages)',
  'GET /t/{id}.json post_stream.stream is absent for mega topics',
  'GET /t/{id}.json and /t/{id}/posts.json posts carry raw with include_raw=true, and accepted_answer',
  'GET /t/{id}.json accepted_answer (discourse-solved)',
  'POST /posts.json may answer {action: "enqueued", pending_post, pending_count, success}',
  'PUT /t/-/{id}.json may answer tags beside basic_topic',
];

const BASIC_USER = {
  type: 'object',
  required: ['id', 'username'],
  properties: { id: { type: 'integer' }, username: { type: 'string' }, name: { type: ['string', 'null'] }, avatar_template: { type: 'string' } },
};
const ACCEPTED_ANSWER = {
  type: ['object', 'null'],
  required: ['post_number', 'username'],
  properties: { post_number: { type: 'integer' }, username: { type: 'string' }, name: { type: ['string', 'null'] }, excerpt: { type: 'string' } },
};

function applyErrata(doc: JsonObject): void {
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (isObject(node)) {
      const props = node['properties'];
      if (isObject(props) && isObject(props['reply_to_post_number'])) props['reply_to_post_number'] = { type: ['integer', 'string', 'null'] };
      Object.values(node).forEach(walk);
    }
  };
  walk(doc['paths']);
  const dig = (node: unknown, ...keys: string[]): unknown => keys.reduce<unknown>((o, k) => (isObject(o) ? o[k] : undefined), node);
  const at = (path: string, method: string, ...keys: string[]): JsonObject | undefined => {
    const found = dig(doc['paths'], path, method, ...keys);
    return isObject(found) ? found : undefined;
  };
  const json200 = ['responses', '200', 'content', 'application/json', 'schema'];
  const user = at('/u/{username}.json', 'get', ...json200, 'properties', 'user', 'properties');
  if (user && isObject(user['featured_topic'])) user['featured_topic'] = { anyOf: [{ type: 'null' }, user['featured_topic']] };
  const topic = at('/t/{id}.json', 'get', ...json200, 'properties');
  if (topic) {
    topic['category_id'] = { type: ['integer', 'null'] };
    topic['accepted_answer'] = ACCEPTED_ANSWER;
    const details = (topic['details'] as JsonObject | undefined)?.['properties'] as JsonObject | undefined;
    if (details) {
      details['allowed_users'] = { type: 'array', items: BASIC_USER };
      details['allowed_groups'] = {
        type: 'array',
        items: { type: 'object', required: ['id', 'name'], properties: { id: { type: 'integer' }, name: { type: 'string' } } },
      };
    }
    const stream = topic['post_stream'] as JsonObject | undefined;
    if (stream && Array.isArray(stream['required'])) stream['required'] = (stream['required'] as string[]).filter((k) => k !== 'stream');
  }
  // Posts of a topic view (GET /t/{id}.json and GET /t/{id}/posts.json): raw and accepted_answer.
  for (const path of ['/t/{id}.json', '/t/{id}/posts.json']) {
    const item = dig(at(path, 'get', ...json200), 'properties', 'post_stream', 'properties', 'posts', 'items', 'properties');
    if (isObject(item)) Object.assign(item, { raw: { type: 'string' }, accepted_answer: { type: 'boolean' } });
  }
  const request = at('/posts.json', 'post', 'requestBody', 'content', 'application/json', 'schema', 'properties');
  if (request) request['tags'] = { type: 'array', items: { type: 'string' } };
  const created = at('/posts.json', 'post', 'responses', '200', 'content', 'application/json');
  if (created && isObject(created['schema'])) {
    created['schema'] = {
      anyOf: [
        created['schema'],
        {
          type: 'object',
          additionalProperties: false,
          required: ['action', 'pending_post'],
          properties: {
            action: { const: 'enqueued' },
            success: { type: 'boolean' },
            pending_count: { type: 'integer' },
            pending_post: {
              type: 'object',
              required: ['id', 'raw'],
              properties: { id: { type: 'integer' }, raw: { type: 'string' }, created_at: { type: 'string' } },
            },
          },
        },
      ],
    };
  }
  const updated = at('/t/-/{id}.json', 'put', ...json200, 'properties');
  if (updated)
    updated['tags'] = {
      type: 'array',
      items: { type: 'object', required: ['name'], properties: { id: { type: 'integer' }, name: { type: 'string' }, slug: { type: 'string' } } },
    };
}

interface Operation {
  pointer: string;
  op: JsonObject;
}

export class SpecValidator {
  private readonly ajv = new Ajv2020({ strict: false, allErrors: true, validateSchema: false, logger: false });
  private readonly url: string;
  private readonly doc: JsonObject;
  private readonly compiled = new Map<string, ValidateFunction>();
  private readonly operations = new Map<string, Operation>();

  constructor(readonly specFile: string = DEFAULT_SPEC_FILE) {
    if (!existsSync(specFile)) throw new Error(`Discourse OpenAPI spec not found at ${specFile}: set DISCOURSE_SPEC_FILE or start with validate: false`);
    addFormats(this.ajv);
    this.url = pathToFileURL(resolve(specFile)).href;
    this.doc = JSON.parse(readFileSync(specFile, 'utf8')) as JsonObject;
    applyErrata(this.doc);
    this.doc['$id'] = this.url;
    this.ajv.addSchema(this.doc);
    this.ajv.addSchema({ ...ERROR_SCHEMA, $id: 'fake:discourse-error' });
    for (const [name, schema] of Object.entries(this.webhookSchemas())) this.ajv.addSchema({ ...schema, $id: `fake:webhook-${name}` });
    const paths = this.doc['paths'];
    if (!isObject(paths)) throw new Error(`${specFile} has no paths`);
    for (const [template, ops] of Object.entries(paths)) {
      if (!isObject(ops)) continue;
      for (const [method, op] of Object.entries(ops)) {
        if (isObject(op)) this.operations.set(`${method.toUpperCase()} ${template}`, { pointer: `/paths/${pointerPart(template)}/${method}`, op });
      }
    }
  }

  private schemaAt(pointer: string): JsonObject {
    const node = pointer
      .split('/')
      .slice(1)
      .reduce<unknown>((o, p) => (isObject(o) ? o[p.replace(/~1/g, '/').replace(/~0/g, '~')] : undefined), this.doc);
    if (!isObject(node)) throw new Error(`no schema at ${pointer}`);
    return node;
  }

  /**
   * Webhook payload schemas derived from the spec, as Discourse builds them:
   * WebHookPostSerializer = the GET /posts/{id}.json post minus actions_summary,
   * mentioned_users, can_* and yours, plus topic fields; WebHookTopicViewSerializer = the
   * GET /t/{id}.json topic minus post_stream, details, suggested_topics, timeline_lookup and
   * drafts, plus created_by and last_poster. Both are closed (additionalProperties: false).
   */
  private webhookSchemas(): Record<string, JsonObject> {
    const json200 = (path: string) => `/paths/${pointerPart(path)}/get/responses/200/content/application~1json/schema`;
    const post = clone(this.schemaAt(json200('/posts/{id}.json')));
    const postProps = post['properties'] as JsonObject;
    const dropped = (k: string) => k === 'actions_summary' || k === 'mentioned_users' || k === 'yours' || k.startsWith('can_');
    for (const k of Object.keys(postProps)) if (dropped(k)) delete postProps[k];
    Object.assign(postProps, {
      topic_title: { type: 'string' },
      category_id: { type: ['integer', 'null'] },
      category_slug: { type: ['string', 'null'] },
      topic_posts_count: { type: 'integer' },
      topic_filtered_posts_count: { type: 'integer' },
      topic_archetype: { enum: ['regular', 'private_message'] },
      accepted_answer: { type: 'boolean' },
      topic_accepted_answer: { type: 'boolean' },
    });
    post['required'] = [
      ...(post['required'] as string[]).filter((k) => !dropped(k)),
      'raw',
      'topic_title',
      'category_id',
      'category_slug',
      'topic_posts_count',
      'topic_filtered_posts_count',
      'topic_archetype',
    ];
    post['additionalProperties'] = false;

    const topic = clone(this.schemaAt(json200('/t/{id}.json')));
    const topicProps = topic['properties'] as JsonObject;
    const details = topicProps['details'] as JsonObject;
    const basicUser = (details['properties'] as JsonObject)['created_by'];
    const droppedTopic = ['post_stream', 'details', 'suggested_topics', 'timeline_lookup', 'draft', 'draft_key', 'draft_sequence'];
    for (const k of droppedTopic) delete topicProps[k];
    Object.assign(topicProps, {
      created_by: basicUser,
      last_poster: basicUser,
      accepted_answer: {
        type: ['object', 'null'],
        required: ['post_number', 'username'],
        properties: { post_number: { type: 'integer' }, username: { type: 'string' } },
      },
    });
    topic['required'] = [...(topic['required'] as string[]).filter((k) => !droppedTopic.includes(k)), 'created_by', 'last_poster'];

    const wrap = (key: string, ref: unknown) => ({ type: 'object', additionalProperties: false, required: [key], properties: { [key]: ref } });
    return {
      post: post,
      topic: topic,
      'body-post': wrap('post', { $ref: 'fake:webhook-post' }),
      'body-topic': wrap('topic', { $ref: 'fake:webhook-topic' }),
      'body-solved': wrap('solved', { $ref: 'fake:webhook-post' }),
      'body-like': wrap('like', {
        type: 'object',
        additionalProperties: false,
        required: ['post', 'user'],
        properties: { post: { $ref: 'fake:webhook-post' }, user: basicUser },
      }),
      'body-ping': wrap('ping', { const: 'OK' }),
    };
  }

  private run(ref: string, data: unknown, where: string): string[] {
    let validate = this.compiled.get(ref);
    if (!validate) {
      validate = this.ajv.compile({ $ref: ref });
      this.compiled.set(ref, validate);
    }
    if (validate(data)) return [];
    return (validate.errors ?? []).slice(0, 5).map((e) => `${where}: ${e.instancePath || '/'} ${e.message ?? 'invalid'} ${JSON.stringify(e.params)}`);
  }

  /** Whether the spec documents `METHOD template` (the template as in the spec's paths). */
  hasOperation(method: string, template: string): boolean {
    return this.operations.has(`${method} ${template}`);
  }

  /**
   * Checks a JSON response body against the spec's schema for that status; error bodies
   * (the spec lists none) against ERROR_SCHEMA. Statuses without a JSON schema pass.
   */
  validateResponse(method: string, template: string, status: number, body: unknown): string[] {
    const where = `${method} ${template} -> ${status}`;
    if (status >= 400) return this.run('fake:discourse-error', body, where);
    const operation = this.operations.get(`${method} ${template}`);
    const content =
      operation && isObject(operation.op['responses']) ? (operation.op['responses'][String(status)] as JsonObject | undefined)?.['content'] : undefined;
    if (!operation || !isObject(content) || !isObject(content['application/json']) || content['application/json']['schema'] === undefined) return [];
    return this.run(`${this.url}#${operation.pointer}/responses/${status}/content/application~1json/schema`, body, where);
  }

  /** Checks a JSON request body against the operation's requestBody schema, if any. */
  validateRequest(method: string, template: string, body: unknown): string[] {
    const operation = this.operations.get(`${method} ${template}`);
    const content = operation && isObject(operation.op['requestBody']) ? operation.op['requestBody']['content'] : undefined;
    if (!operation || !isObject(content) || !isObject(content['application/json'])) return [];
    return this.run(`${this.url}#${operation.pointer}/requestBody/content/application~1json/schema`, body, `${method} ${template} request`);
  }

  /** Checks a webhook body ({"post": ...}, {"topic": ...}, {"like": ...}, {"solved": ...}, {"ping": "OK"}). */
  validateWebhook(type: string, event: string, body: unknown): string[] {
    const known = ['post', 'topic', 'like', 'solved', 'ping'];
    if (!known.includes(type)) return [`webhook ${event}: unknown event type ${type}`];
    return this.run(`fake:webhook-body-${type}`, body, `webhook ${type}/${event}`);
  }
}

let shared: SpecValidator | undefined;

/** One validator per process: parsing and compiling are the slow part, and the spec never changes. */
export function sharedValidator(specFile: string = DEFAULT_SPEC_FILE): SpecValidator {
  if (!shared || shared.specFile !== specFile) shared = new SpecValidator(specFile);
  return shared;
}

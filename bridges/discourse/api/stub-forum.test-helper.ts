// A deliberately small Discourse stand-in for the client's tests: a node:http server holding a
// few topics and posts, recording every request, with scripted faults (rate limits, 5xx, hangs,
// broken bodies). Faults can strike before or after the request takes effect, which is what
// the idempotency tests need: "created the post, then the answer was lost".
import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface StubRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  rawBody: string;
  body: unknown;
}

export type Fault =
  | { status: number; body?: unknown; headers?: Record<string, string> }
  /** Never answer (the client's timeout fires). */
  | { hang: true }
  /** Answer 200 with this text as the body. */
  | { malformed: string };

export interface ScriptedFault {
  fault: Fault;
  /** Apply the request first (create the post), then fail: the ambiguous case. */
  afterEffect?: boolean;
}

export interface StubPost {
  id: number;
  topic_id: number;
  post_number: number;
  username: string;
  raw: string;
  reply_to_post_number: number | null;
}

export interface StubTopic {
  id: number;
  title: string;
  archetype: 'regular' | 'private_message';
  category_id: number;
  tags: string[];
  recipients: string[];
}

/** Discourse drops HTML comments when cooking; so does the stub, so tests can't lean on cooked. */
const cook = (raw: string): string => `<p>${raw.replace(/<!--[\s\S]*?-->/g, '').trim()}</p>`;

export class StubForum {
  readonly requests: StubRequest[] = [];
  readonly posts: StubPost[] = [];
  readonly topics: StubTopic[] = [];
  private readonly faults: { method: string; path: string; scripted: ScriptedFault }[] = [];
  private server: Server | undefined;
  private nextPostId = 100;
  private nextTopicId = 10;

  /** Fails the next request matching method and path (path without query) with `fault`. */
  failNext(method: string, path: string, fault: Fault, options: { afterEffect?: boolean } = {}): this {
    this.faults.push({ method, path, scripted: { fault, ...options } });
    return this;
  }

  addTopic(init: Partial<StubTopic> & { username: string; raw?: string }): StubTopic {
    const topic: StubTopic = {
      id: this.nextTopicId++,
      title: init.title ?? 'A topic',
      archetype: init.archetype ?? 'regular',
      category_id: init.category_id ?? 1,
      tags: init.tags ?? [],
      recipients: init.recipients ?? [],
    };
    this.topics.push(topic);
    this.addPost(topic.id, init.username, init.raw ?? 'First post');
    return topic;
  }

  addPost(topicId: number, username: string, raw: string, replyTo: number | null = null): StubPost {
    const post: StubPost = {
      id: this.nextPostId++,
      topic_id: topicId,
      username,
      raw,
      reply_to_post_number: replyTo,
      post_number: this.posts.filter((p) => p.topic_id === topicId).length + 1,
    };
    this.posts.push(post);
    return post;
  }

  requestsTo(method: string, path: string): StubRequest[] {
    return this.requests.filter((r) => r.method === method && r.path === path);
  }

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      let rawBody = '';
      req.setEncoding('utf8');
      req.on('data', (chunk: string) => (rawBody += chunk));
      req.on('end', () => {
        const url = new URL(req.url ?? '/', 'http://stub');
        let body: unknown;
        try {
          body = rawBody === '' ? undefined : JSON.parse(rawBody);
        } catch {
          body = rawBody;
        }
        const request: StubRequest = { method: req.method ?? 'GET', path: url.pathname, query: url.searchParams, headers: req.headers, rawBody, body };
        this.requests.push(request);
        this.handle(request, res);
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    const { port } = this.server.address() as AddressInfo;
    return `http://127.0.0.1:${port}`;
  }

  async close(): Promise<void> {
    const server = this.server;
    if (server === undefined) return;
    server.closeAllConnections(); // including the ones a "hang" fault left open
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private handle(request: StubRequest, res: ServerResponse): void {
    const at = this.faults.findIndex((f) => f.method === request.method && f.path === request.path);
    const scripted = at >= 0 ? this.faults.splice(at, 1)[0]?.scripted : undefined;
    if (scripted !== undefined && scripted.afterEffect !== true) return this.applyFault(scripted.fault, res);
    const [status, payload] = this.route(request);
    if (scripted !== undefined) return this.applyFault(scripted.fault, res);
    send(res, status, payload);
  }

  private applyFault(fault: Fault, res: ServerResponse): void {
    if ('hang' in fault) return; // keep the socket open; close() ends it
    if ('malformed' in fault) {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(fault.malformed);
      return;
    }
    send(res, fault.status, fault.body ?? { errors: [`HTTP ${fault.status}`], error_type: 'stub' }, fault.headers);
  }

  /** The endpoints the client uses, answering with the spec's field names (a subset of fields). */
  private route(r: StubRequest): [number, unknown] {
    const m = (re: RegExp): RegExpMatchArray | null => r.path.match(re);
    const user = String(r.headers['api-username'] ?? '');
    let match: RegExpMatchArray | null;
    if (r.method === 'POST' && r.path === '/posts.json') return this.create(r.body as Record<string, unknown>, user);
    if (r.method === 'GET' && r.path === '/posts.json') {
      const before = Number(r.query.get('before') ?? Infinity);
      const visible = this.posts.filter((p) => this.topic(p.topic_id)?.archetype === 'regular' && p.id < before);
      const latest = visible
        .sort((a, b) => b.id - a.id)
        .slice(0, 50)
        .map((p) => ({ ...this.postJson(p), raw: p.raw }));
      return [200, { latest_posts: latest }];
    }
    if (r.method === 'GET' && (match = m(/^\/posts\/(\d+)\.json$/))) {
      const post = this.posts.find((p) => p.id === Number(match?.[1]));
      return post ? [200, { ...this.postJson(post), raw: post.raw }] : notFound();
    }
    if (r.method === 'GET' && (match = m(/^\/t\/(\d+)\.json$/))) {
      const topic = this.topic(Number(match[1]));
      if (!topic) return notFound();
      const posts = this.posts.filter((p) => p.topic_id === topic.id);
      // Like Discourse: the first chunk (20) of posts loaded, every post id in `stream`.
      return [
        200,
        {
          id: topic.id,
          title: topic.title,
          archetype: topic.archetype,
          post_stream: { posts: posts.slice(0, 20).map((p) => this.postJson(p)), stream: posts.map((p) => p.id) },
        },
      ];
    }
    if (r.method === 'GET' && (match = m(/^\/t\/(\d+)\/posts\.json$/))) {
      const ids = r.query.getAll('post_ids[]').map(Number);
      const posts = this.posts.filter((p) => p.topic_id === Number(match?.[1]) && ids.includes(p.id));
      return [200, { id: Number(match[1]), post_stream: { posts: posts.map((p) => this.postJson(p)) } }];
    }
    if (r.method === 'GET' && (match = m(/^\/topics\/private-messages-sent\/([^/]+)\.json$/))) {
      const name = decodeURIComponent(match[1] ?? '');
      const sent = this.topics
        .filter((t) => t.archetype === 'private_message' && this.posts.find((p) => p.topic_id === t.id)?.username === name)
        .sort((a, b) => b.id - a.id)
        .map((t) => ({ id: t.id, title: t.title }));
      return [200, { topic_list: { topics: sent } }];
    }
    return [200, { ok: true, path: r.path }];
  }

  private create(body: Record<string, unknown>, user: string): [number, unknown] {
    const raw = String(body.raw ?? '');
    if (body.topic_id !== undefined) {
      if (!this.topic(Number(body.topic_id))) return notFound();
      const replyTo = typeof body.reply_to_post_number === 'number' ? body.reply_to_post_number : null;
      return [200, this.postJson(this.addPost(Number(body.topic_id), user, raw, replyTo), true)];
    }
    const isPm = body.archetype === 'private_message';
    const topic = this.addTopic({
      username: user,
      raw,
      title: String(body.title ?? ''),
      archetype: isPm ? 'private_message' : 'regular',
      category_id: typeof body.category === 'number' ? body.category : 1,
      tags: Array.isArray(body.tags) ? body.tags.map(String) : [],
      recipients: isPm ? String(body.target_recipients ?? '').split(',') : [],
    });
    const first = this.posts.find((p) => p.topic_id === topic.id && p.post_number === 1);
    return [200, first ? this.postJson(first, true) : {}];
  }

  private topic(id: number): StubTopic | undefined {
    return this.topics.find((t) => t.id === id);
  }

  private postJson(p: StubPost, withRaw = false): Record<string, unknown> {
    return {
      id: p.id,
      topic_id: p.topic_id,
      post_number: p.post_number,
      username: p.username,
      cooked: cook(p.raw),
      reply_to_post_number: p.reply_to_post_number,
      ...(withRaw ? { raw: p.raw } : {}),
    };
  }
}

function notFound(): [number, unknown] {
  return [404, { errors: ['The requested URL or resource could not be found.'], error_type: 'not_found' }];
}

function send(res: ServerResponse, status: number, payload: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', ...headers });
  res.end(JSON.stringify(payload));
}

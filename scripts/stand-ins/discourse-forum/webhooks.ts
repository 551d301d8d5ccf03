// Webhook delivery the way Discourse's Jobs::EmitWebHookEvent does it: a JSON POST with the
// X-Discourse-* headers and an HMAC-SHA256 signature of the raw body. Unlike Discourse (a
// Sidekiq job per event, so no ordering), the fake delivers through one queue, in order, one
// request at a time, so tests are deterministic.
//
// Retries as Discourse: only with retry_web_hook_events on (off by default), only after an HTTP
// status other than 2xx, 404 and 410 (a connection error or timeout is never retried), 4 times,
// after 1, 5, 25 and 125 minutes (scaled by the forum's time scale). Every attempt gets a new
// X-Discourse-Event-Id (each creates a WebHookEvent row); a redelivery re-sends one attempt with
// its own id and body unchanged.
import { createHmac } from 'node:crypto';
import { request } from 'node:http';
import { request as httpsRequest } from 'node:https';

export interface WebhookConfig {
  id: number;
  url: string;
  secret: string;
  /** Event types ('post', 'topic', 'like', 'solved') and/or event names ('post_created'); undefined = all. */
  events?: string[];
}

export interface Delivery {
  /** X-Discourse-Event-Id of the latest attempt (the one `status` belongs to). */
  eventId: number;
  /** Every attempt's event id, oldest first (retries get new ids, as in Discourse). */
  eventIds: number[];
  webhookId: number;
  url: string;
  /** X-Discourse-Event, e.g. 'post_created'. */
  event: string;
  /** X-Discourse-Event-Type, e.g. 'post'. */
  type: string;
  /** HTTP status of the latest attempt, 'error' for a connection failure or timeout, 'pending' before the first. */
  status: number | 'error' | 'pending';
  attempts: number;
  /** The exact JSON body sent (and signed). */
  body: string;
  /** True for a delivery made by `redeliver`. */
  redelivery: boolean;
}

export interface WebhookOptions {
  /** X-Discourse-Instance (the forum's base URL). */
  instance: () => string;
  /** Waits before each retry (empty: retries off); its length is the number of retries. */
  retryDelaysMs: () => readonly number[];
  /** Per-attempt timeout (default 5000 ms). */
  timeoutMs: number;
  /** Checks a body before it is sent; returns violations. */
  validate?: (type: string, event: string, body: unknown) => string[];
  report: (violations: string[]) => void;
  /** First X-Discourse-Event-Id (default 1). */
  firstEventId?: number;
}

interface Job {
  delivery: Delivery;
  hook: WebhookConfig;
  fixedId?: number;
  done?: () => void;
}

/** Retried: an HTTP answer other than 2xx, 404 and 410 (Discourse deactivates such hooks instead); never a connection error. */
const retryable = (status: number | 'error'): boolean => status !== 'error' && !(status >= 200 && status < 300) && status !== 404 && status !== 410;

export function sign(secret: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

export class WebhookDispatcher {
  readonly deliveries: Delivery[] = [];
  private readonly hooks: WebhookConfig[] = [];
  private readonly queue: Job[] = [];
  private nextHookId = 1;
  private nextEventId = 1;
  private paused = false;
  private running = false;
  private closed = false;
  private scheduledRetries = 0;
  private idleWaiters: (() => void)[] = [];
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly inflight = new Set<{ destroy(): void }>();

  constructor(private readonly options: WebhookOptions) {
    this.nextEventId = options.firstEventId ?? 1;
  }

  add(config: Omit<WebhookConfig, 'id'>): number {
    const id = this.nextHookId++;
    this.hooks.push({ ...config, id });
    return id;
  }

  /** Queues one delivery per subscribed hook; the body is built once, so every hook gets the same bytes. */
  emit(type: string, event: string, payload: unknown): void {
    if (this.closed) return;
    const hooks = this.hooks.filter((h) => !h.events || h.events.includes(type) || h.events.includes(event));
    if (hooks.length === 0) return;
    const object = { [type]: payload };
    if (this.options.validate) this.options.report(this.options.validate(type, event, object));
    const body = JSON.stringify(object);
    for (const hook of hooks) {
      const delivery: Delivery = {
        eventId: 0,
        eventIds: [],
        webhookId: hook.id,
        url: hook.url,
        event,
        type,
        status: 'pending',
        attempts: 0,
        body,
        redelivery: false,
      };
      this.deliveries.push(delivery);
      this.queue.push({ delivery, hook });
    }
    void this.pump();
  }

  /** Discourse's "Ping" button: a `ping` event with body {"ping":"OK"}. */
  ping(webhookId: number): void {
    const hook = this.hooks.find((h) => h.id === webhookId);
    if (!hook) throw new Error(`no webhook ${webhookId}`);
    const body = JSON.stringify({ ping: 'OK' });
    // The ping carries X-Discourse-Event: ping (event_name 'ping').
    const delivery: Delivery = {
      eventId: 0,
      eventIds: [],
      webhookId,
      url: hook.url,
      event: 'ping',
      type: 'ping',
      status: 'pending',
      attempts: 0,
      body,
      redelivery: false,
    };
    this.deliveries.push(delivery);
    this.queue.push({ delivery, hook });
    void this.pump();
  }

  /** Re-sends the attempt that carried `eventId`, with that id, its body and signature. */
  redeliver(eventId: number): Promise<void> {
    const original = this.deliveries.find((d) => d.eventIds.includes(eventId));
    const hook = original && this.hooks.find((h) => h.id === original.webhookId);
    if (!original || !hook) return Promise.reject(new Error(`redeliver: no delivery with event id ${eventId}`));
    const delivery: Delivery = { ...original, eventId, eventIds: [], status: 'pending', attempts: 0, redelivery: true };
    this.deliveries.push(delivery);
    return new Promise<void>((resolve) => {
      this.queue.push({ delivery, hook, fixedId: eventId, done: resolve });
      void this.pump();
    });
  }

  pause(): void {
    this.paused = true;
  }

  resume(): Promise<void> {
    this.paused = false;
    void this.pump();
    return this.settle();
  }

  /**
   * Resolves once nothing is being sent, queued or waiting to be retried (held deliveries don't
   * count while paused). With retries on, that may take the whole (scaled) retry schedule.
   */
  settle(): Promise<void> {
    if (this.settled()) return Promise.resolve();
    return new Promise<void>((resolve) => this.idleWaiters.push(resolve));
  }

  private settled(): boolean {
    return this.closed || (!this.running && (this.queue.length === 0 || this.paused) && this.scheduledRetries === 0);
  }

  /** Deliveries queued or being sent, plus retries scheduled for later. */
  get pending(): number {
    return this.queue.length + (this.running ? 1 : 0) + this.scheduledRetries;
  }

  close(): void {
    this.closed = true;
    this.queue.length = 0;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    for (const r of this.inflight) r.destroy();
    this.wakeIdle();
  }

  private wakeIdle(): void {
    if (!this.settled()) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const w of waiters) w();
  }

  /** Puts a failed delivery back in the queue after its retry delay; later events go ahead meanwhile. */
  private retryLater(job: Job, ms: number): void {
    this.scheduledRetries += 1;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      this.scheduledRetries -= 1;
      if (this.closed) return;
      this.queue.push(job);
      void this.pump();
      if (this.paused) this.wakeIdle();
    }, ms);
    this.timers.add(timer);
  }

  private async pump(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      while (!this.paused && !this.closed) {
        const job = this.queue.shift();
        if (!job) break;
        await this.run(job);
        job.done?.();
      }
    } finally {
      this.running = false;
      this.wakeIdle();
    }
  }

  /** One attempt; a retryable failure schedules the next one (redeliveries are never retried). */
  private async run(job: Job): Promise<void> {
    const { delivery, hook } = job;
    const delays = this.options.retryDelaysMs();
    const eventId = job.fixedId ?? this.nextEventId++;
    delivery.eventId = eventId;
    delivery.eventIds.push(eventId);
    delivery.attempts += 1;
    delivery.status = await this.post(hook, delivery, eventId);
    const next = delays[delivery.attempts - 1];
    if (job.fixedId === undefined && retryable(delivery.status) && next !== undefined && !this.closed) this.retryLater(job, next);
  }

  private post(hook: WebhookConfig, delivery: Delivery, eventId: number): Promise<number | 'error'> {
    const url = new URL(hook.url);
    const headers: Record<string, string> = {
      Accept: '*/*',
      Connection: 'close',
      'Content-Length': String(Buffer.byteLength(delivery.body)),
      'Content-Type': 'application/json',
      Host: url.host,
      'User-Agent': 'Discourse/3.5.0 (fake)',
      'X-Discourse-Instance': this.options.instance(),
      'X-Discourse-Event-Id': String(eventId),
      'X-Discourse-Event-Type': delivery.type,
    };
    headers['X-Discourse-Event'] = delivery.event;
    if (hook.secret) headers['X-Discourse-Event-Signature'] = sign(hook.secret, delivery.body);
    const send = url.protocol === 'https:' ? httpsRequest : request;
    return new Promise((resolve) => {
      const req = send(url, { method: 'POST', headers, timeout: this.options.timeoutMs }, (res) => {
        res.resume();
        res.on('end', () => {
          this.inflight.delete(req);
          resolve(res.statusCode ?? 0);
        });
        res.on('error', () => resolve(res.statusCode ?? 'error'));
      });
      this.inflight.add(req);
      req.on('timeout', () => req.destroy(new Error('timeout')));
      req.on('error', () => {
        this.inflight.delete(req);
        resolve('error');
      });
      req.end(delivery.body);
    });
  }
}

// The client-server endpoints: each maps a spec path template (as written in the spec's
// OpenAPI files, so responses can be validated by the same key) onto the model.
import { forbidden, HomeserverState, MatrixHttpError, notFound, toClientEvent, type CreateRoomRequest, type JsonObject, type Session } from './state.js';
import { buildSync, isEmptySync, parseToken, token } from './sync.js';
import { refuseMalformed, type MessageRateLimiter } from './rules.js';
import { KeyStore } from './keys.js';
import { hierarchy, paginate, relations, threads, visibleEvents } from './queries.js';

export interface RequestContext {
  params: Record<string, string>;
  query: URLSearchParams;
  body: JsonObject;
  /** Present when the route needs auth (or got a valid token on an optional-auth route). */
  session?: Session;
  /** Resolves on the next change in the model, after `ms`, on client disconnect or on close. */
  waitForChange(ms: number): Promise<void>;
  /** True once the server is closing: long-polls return at once. */
  closing(): boolean;
}

export interface Route {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** Path after /_matrix/client/<version>, exactly as in the spec. */
  template: string;
  /** 'v3' routes also answer under r0, as servers still do; 'none' is /_matrix/client/versions. */
  version: 'v1' | 'v3' | 'none' | 'admin';
  auth: 'required' | 'optional' | 'none';
  handle(ctx: RequestContext): unknown;
}

export interface RouteOptions {
  syncTimeoutCapMs?: number;
  rateLimiter?: MessageRateLimiter;
  keys?: KeyStore;
}

const auth = (ctx: RequestContext): Session => ctx.session as Session;

function ownUser(ctx: RequestContext): string {
  const { userId } = auth(ctx);
  if (ctx.params['userId'] !== userId) throw forbidden('You can only access your own data');
  return userId;
}

function requireString(body: JsonObject, key: string): string {
  const value = body[key];
  if (typeof value !== 'string') throw new MatrixHttpError(400, 'M_BAD_JSON', `"${key}" must be a string`);
  return value;
}

export function buildRoutes(hs: HomeserverState, options: RouteOptions = {}): Route[] {
  const keys = options.keys ?? new KeyStore(hs);
  const event = (ctx: RequestContext, e: Parameters<typeof toClientEvent>[0]) =>
    toClientEvent(e, { withRoomId: true, token: auth(ctx).token, now: Date.now() });
  const route = (method: Route['method'], template: string, handle: Route['handle'], extra: Partial<Route> = {}): Route => ({
    method,
    template,
    version: 'v3',
    auth: 'required',
    handle,
    ...extra,
  });

  const relationsHandler = (ctx: RequestContext) =>
    relations(
      hs,
      ctx.params['roomId'] as string,
      auth(ctx).userId,
      ctx.params['eventId'] as string,
      ctx.params['relType'],
      ctx.params['eventType'],
      { from: ctx.query.get('from'), to: ctx.query.get('to'), dir: ctx.query.get('dir'), limit: ctx.query.get('limit') },
      auth(ctx).token,
    );

  // A repeated transaction returns its first event without counting against the limit again.
  const repeat = (ctx: RequestContext, kind: 'send' | 'redact') =>
    hs.knownTxn({ token: auth(ctx).token, txnId: ctx.params['txnId'] as string, kind: `${kind}\u0000${ctx.params['roomId']}` });
  const limited = (ctx: RequestContext): string | undefined => {
    const known = repeat(ctx, 'redact');
    if (known === undefined) options.rateLimiter?.check(auth(ctx).userId);
    return known;
  };
  const checkedSend = (ctx: RequestContext): string | undefined => {
    const known = repeat(ctx, 'send');
    if (known !== undefined) return known;
    refuseMalformed(hs, ctx.params['roomId'] as string, ctx.params['eventType'] as string, ctx.body);
    options.rateLimiter?.check(auth(ctx).userId);
    return undefined;
  };
  const requireAdmin = (ctx: RequestContext) => {
    if (!hs.user(auth(ctx).userId).admin) throw forbidden('You are not a server admin');
    return hs.user(ctx.params['userId'] as string).id;
  };

  const accountData = (room: boolean) => ({
    get: (ctx: RequestContext) => {
      const content = hs.getAccountData(ownUser(ctx), room ? ctx.params['roomId'] : undefined, ctx.params['type'] as string);
      if (!content) throw notFound('Account data not found');
      return content;
    },
    put: (ctx: RequestContext) => {
      hs.setAccountData(ownUser(ctx), room ? ctx.params['roomId'] : undefined, ctx.params['type'] as string, ctx.body);
      return {};
    },
  });
  const globalData = accountData(false);
  const roomData = accountData(true);

  return [
    // Synapse's admin API (under /_synapse/admin): the bot's exemption from the message limit.
    route(
      'GET',
      '/users/{userId}/override_ratelimit',
      (ctx) => {
        const o = options.rateLimiter?.overrides.get(requireAdmin(ctx));
        return o ? { messages_per_second: o.perSecond, burst_count: o.burst } : {};
      },
      { version: 'admin' },
    ),
    route(
      'POST',
      '/users/{userId}/override_ratelimit',
      (ctx) => {
        const userId = requireAdmin(ctx);
        const perSecond = typeof ctx.body['messages_per_second'] === 'number' ? ctx.body['messages_per_second'] : 0;
        const burst = typeof ctx.body['burst_count'] === 'number' ? ctx.body['burst_count'] : 0;
        options.rateLimiter?.overrides.set(userId, { perSecond, burst });
        return { messages_per_second: perSecond, burst_count: burst };
      },
      { version: 'admin' },
    ),
    route(
      'DELETE',
      '/users/{userId}/override_ratelimit',
      (ctx) => {
        options.rateLimiter?.overrides.delete(requireAdmin(ctx));
        return {};
      },
      { version: 'admin' },
    ),
    route('GET', '/versions', () => ({ versions: ['v1.1', 'v1.2', 'v1.3', 'v1.4', 'v1.5', 'v1.6'], unstable_features: {} }), { version: 'none', auth: 'none' }),
    route('GET', '/login', () => ({ flows: [{ type: 'm.login.password' }] }), { auth: 'none' }),
    route(
      'POST',
      '/login',
      (ctx) => {
        const body = ctx.body;
        if (body['type'] !== 'm.login.password') throw new MatrixHttpError(400, 'M_UNKNOWN', 'Only m.login.password is supported');
        const identifier = (body['identifier'] ?? {}) as JsonObject;
        // `user` at top level is the pre-r0.4 form; servers and matrix-bot-sdk still use it.
        const user = identifier['type'] === 'm.id.user' ? identifier['user'] : body['user'];
        if (typeof user !== 'string') throw new MatrixHttpError(400, 'M_BAD_JSON', 'Missing user identifier');
        const session = hs.login(user, requireString(body, 'password'), typeof body['device_id'] === 'string' ? body['device_id'] : undefined);
        return { user_id: session.userId, access_token: session.token, device_id: session.deviceId };
      },
      { auth: 'none' },
    ),
    route('GET', '/account/whoami', (ctx) => ({ user_id: auth(ctx).userId, device_id: auth(ctx).deviceId, is_guest: false })),

    route('GET', '/sync', async (ctx) => {
      const filterParam = ctx.query.get('filter');
      let filter: JsonObject | undefined;
      if (filterParam?.startsWith('{')) {
        try {
          filter = JSON.parse(filterParam) as JsonObject;
        } catch {
          throw new MatrixHttpError(400, 'M_NOT_JSON', 'filter is not valid JSON');
        }
      } else if (filterParam) {
        filter = hs.getFilter(auth(ctx).userId, filterParam);
      }
      const since = parseToken(ctx.query.get('since'), 'since');
      if (since !== undefined) hs.syncedTo.set(auth(ctx).userId, Math.max(since, hs.syncedTo.get(auth(ctx).userId) ?? 0));
      const fullState = ctx.query.get('full_state') === 'true';
      const requested = Number(ctx.query.get('timeout') ?? 0) || 0;
      const deadline = Date.now() + Math.max(0, Math.min(requested, options.syncTimeoutCapMs ?? Infinity));
      // Long-poll: an incremental sync with nothing new waits for the next change.
      for (;;) {
        const response = buildSync(hs, auth(ctx), { since, filter, fullState, keys });
        const left = deadline - Date.now();
        if (since === undefined || fullState || !isEmptySync(response) || left <= 0 || ctx.closing()) return response;
        await ctx.waitForChange(left);
      }
    }),
    route('POST', '/keys/upload', (ctx) => keys.upload(auth(ctx), ctx.body)),
    route('POST', '/keys/query', (ctx) => keys.query(auth(ctx), ctx.body)),
    route('POST', '/keys/device_signing/upload', (ctx) =>
      keys.uploadSigningKeys(auth(ctx), ctx.body, (userId, password) => hs.users.get(userId)?.password === password),
    ),
    route('POST', '/keys/signatures/upload', (ctx) => keys.uploadSignatures(auth(ctx), ctx.body)),
    route('POST', '/keys/claim', (ctx) => keys.claim(ctx.body)),
    route('PUT', '/sendToDevice/{eventType}/{txnId}', (ctx) =>
      keys.sendToDevice(auth(ctx), ctx.params['eventType'] as string, ctx.params['txnId'] as string, ctx.body),
    ),
    route('POST', '/user/{userId}/filter', (ctx) => ({ filter_id: hs.addFilter(ownUser(ctx), ctx.body) })),
    route('GET', '/user/{userId}/filter/{filterId}', (ctx) => hs.getFilter(ownUser(ctx), ctx.params['filterId'] as string)),

    route('POST', '/createRoom', (ctx) => ({ room_id: hs.createRoom(auth(ctx).userId, ctx.body as CreateRoomRequest) })),
    route('POST', '/join/{roomIdOrAlias}', (ctx) => ({ room_id: hs.join(auth(ctx).userId, ctx.params['roomIdOrAlias'] as string) })),
    route('POST', '/rooms/{roomId}/join', (ctx) => ({ room_id: hs.join(auth(ctx).userId, ctx.params['roomId'] as string) })),
    route('POST', '/rooms/{roomId}/leave', (ctx) => {
      hs.leave(auth(ctx).userId, ctx.params['roomId'] as string, typeof ctx.body['reason'] === 'string' ? ctx.body['reason'] : undefined);
      return {};
    }),
    route('POST', '/rooms/{roomId}/invite', (ctx) => {
      hs.invite(auth(ctx).userId, ctx.params['roomId'] as string, requireString(ctx.body, 'user_id'), { reason: ctx.body['reason'] as string | undefined });
      return {};
    }),
    route('GET', '/joined_rooms', (ctx) => ({ joined_rooms: hs.joinedRooms(auth(ctx).userId) })),
    route('GET', '/rooms/{roomId}/joined_members', (ctx) => {
      const roomId = ctx.params['roomId'] as string;
      if (hs.membership(roomId, auth(ctx).userId) !== 'join') throw forbidden('You are not in this room');
      const joined: JsonObject = {};
      for (const userId of hs.members(roomId)) {
        const content = hs.stateEvent(roomId, 'm.room.member', userId)?.content ?? {};
        joined[userId] = {
          ...(typeof content['displayname'] === 'string' ? { display_name: content['displayname'] } : {}),
          ...(typeof content['avatar_url'] === 'string' ? { avatar_url: content['avatar_url'] } : {}),
        };
      }
      return { joined };
    }),
    route('GET', '/rooms/{roomId}/members', (ctx) => {
      const roomId = ctx.params['roomId'] as string;
      visibleEvents(hs, roomId, auth(ctx).userId);
      const wanted = ctx.query.get('membership');
      const excluded = ctx.query.get('not_membership');
      const chunk = [...hs.room(roomId).state.values()].filter(
        (e) => e.type === 'm.room.member' && (!wanted || e.content['membership'] === wanted) && (!excluded || e.content['membership'] !== excluded),
      );
      return { chunk: chunk.map((e) => event(ctx, e)) };
    }),

    route('GET', '/rooms/{roomId}/state', (ctx) => {
      const roomId = ctx.params['roomId'] as string;
      visibleEvents(hs, roomId, auth(ctx).userId);
      return [...hs.room(roomId).state.values()].map((e) => event(ctx, e));
    }),
    route('GET', '/rooms/{roomId}/state/{eventType}/{stateKey}', (ctx) => {
      const roomId = ctx.params['roomId'] as string;
      visibleEvents(hs, roomId, auth(ctx).userId);
      const found = hs.stateEvent(roomId, ctx.params['eventType'] as string, ctx.params['stateKey']);
      if (!found) throw notFound('State event not found');
      return found.content;
    }),
    route('PUT', '/rooms/{roomId}/state/{eventType}/{stateKey}', (ctx) => ({
      event_id: hs.setState(auth(ctx).userId, ctx.params['roomId'] as string, ctx.params['eventType'] as string, ctx.params['stateKey'] as string, ctx.body),
    })),
    route('PUT', '/rooms/{roomId}/send/{eventType}/{txnId}', (ctx) => ({
      event_id:
        checkedSend(ctx) ??
        hs.sendEvent(auth(ctx).userId, ctx.params['roomId'] as string, ctx.params['eventType'] as string, ctx.body, {
          token: auth(ctx).token,
          txnId: ctx.params['txnId'] as string,
        }),
    })),
    route('PUT', '/rooms/{roomId}/redact/{eventId}/{txnId}', (ctx) => ({
      event_id:
        limited(ctx) ??
        hs.redact(
          auth(ctx).userId,
          ctx.params['roomId'] as string,
          ctx.params['eventId'] as string,
          typeof ctx.body['reason'] === 'string' ? ctx.body['reason'] : undefined,
          { token: auth(ctx).token, txnId: ctx.params['txnId'] as string },
        ),
    })),
    route('GET', '/rooms/{roomId}/event/{eventId}', (ctx) => {
      const roomId = ctx.params['roomId'] as string;
      const found = visibleEvents(hs, roomId, auth(ctx).userId).find((e) => e.event_id === ctx.params['eventId']);
      if (!found) throw notFound('Event not found');
      return event(ctx, found);
    }),
    route('GET', '/rooms/{roomId}/messages', (ctx) => {
      const events = visibleEvents(hs, ctx.params['roomId'] as string, auth(ctx).userId);
      const page = paginate(hs, events, { from: ctx.query.get('from'), to: ctx.query.get('to'), dir: ctx.query.get('dir'), limit: ctx.query.get('limit') });
      return { start: page.start, ...(page.end ? { end: page.end } : {}), chunk: page.chunk.map((e) => event(ctx, e)) };
    }),
    route('GET', '/rooms/{roomId}/context/{eventId}', (ctx) => {
      const events = visibleEvents(hs, ctx.params['roomId'] as string, auth(ctx).userId);
      const index = events.findIndex((e) => e.event_id === ctx.params['eventId']);
      if (index < 0) throw notFound('Event not found');
      const limit = Math.min(Number(ctx.query.get('limit') ?? 10) || 10, 100);
      const target = events[index] as (typeof events)[number];
      const before = events.slice(Math.max(0, index - Math.floor(limit / 2)), index).reverse();
      const after = events.slice(index + 1, index + 1 + Math.ceil(limit / 2));
      return {
        start: token((before.at(-1) ?? target).pos - 1),
        end: token((after.at(-1) ?? target).pos),
        event: event(ctx, target),
        events_before: before.map((e) => event(ctx, e)),
        events_after: after.map((e) => event(ctx, e)),
        state: [...hs.room(target.roomId).state.values()].map((e) => event(ctx, e)),
      };
    }),
    route('GET', '/rooms/{roomId}/relations/{eventId}', relationsHandler, { version: 'v1' }),
    route('GET', '/rooms/{roomId}/relations/{eventId}/{relType}', relationsHandler, { version: 'v1' }),
    route('GET', '/rooms/{roomId}/relations/{eventId}/{relType}/{eventType}', relationsHandler, { version: 'v1' }),
    route('GET', '/rooms/{roomId}/threads', (ctx) => threads(hs, ctx.params['roomId'] as string, auth(ctx).userId, ctx.query, auth(ctx).token), {
      version: 'v1',
    }),
    route('GET', '/rooms/{roomId}/hierarchy', (ctx) => hierarchy(hs, ctx.params['roomId'] as string, auth(ctx).userId, ctx.query), { version: 'v1' }),

    route(
      'GET',
      '/profile/{userId}',
      (ctx) => {
        const user = hs.users.get(ctx.params['userId'] as string);
        if (!user) throw notFound('Profile not found');
        return {
          ...(user.displayName !== undefined ? { displayname: user.displayName } : {}),
          ...(user.avatarUrl !== undefined ? { avatar_url: user.avatarUrl } : {}),
        };
      },
      { auth: 'optional' },
    ),
    route(
      'GET',
      '/profile/{userId}/{keyName}',
      (ctx) => {
        const user = hs.users.get(ctx.params['userId'] as string);
        const key = ctx.params['keyName'];
        const value = key === 'displayname' ? user?.displayName : key === 'avatar_url' ? user?.avatarUrl : undefined;
        if (value === undefined) throw notFound('Profile field not found');
        return { [key as string]: value };
      },
      { auth: 'optional' },
    ),
    route('PUT', '/profile/{userId}/{keyName}', (ctx) => {
      const userId = ownUser(ctx);
      if (ctx.params['keyName'] !== 'displayname') throw new MatrixHttpError(400, 'M_UNRECOGNIZED', 'Only displayname can be set here');
      hs.setDisplayName(userId, requireString(ctx.body, 'displayname'));
      return {};
    }),

    route('GET', '/user/{userId}/account_data/{type}', globalData.get),
    route('PUT', '/user/{userId}/account_data/{type}', globalData.put),
    route('GET', '/user/{userId}/rooms/{roomId}/account_data/{type}', roomData.get),
    route('PUT', '/user/{userId}/rooms/{roomId}/account_data/{type}', roomData.put),

    route('GET', '/directory/room/{roomAlias}', (ctx) => ({ room_id: hs.resolveRoom(ctx.params['roomAlias'] as string), servers: [hs.serverName] }), {
      auth: 'optional',
    }),
    route('PUT', '/directory/room/{roomAlias}', (ctx) => {
      hs.setAlias(ctx.params['roomAlias'] as string, requireString(ctx.body, 'room_id'));
      return {};
    }),

    // Ephemeral signals are accepted and dropped: the bot never needs to read them back.
    route('PUT', '/rooms/{roomId}/typing/{userId}', (ctx) => (ownUser(ctx), {})),
    route('POST', '/rooms/{roomId}/receipt/{receiptType}/{eventId}', () => ({})),
    route('POST', '/rooms/{roomId}/read_markers', () => ({})),
  ];
}

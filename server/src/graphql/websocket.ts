import type http from 'node:http';
import { WebSocketServer, type WebSocket } from 'ws';
import { CloseCode, handleProtocols, makeServer } from 'graphql-ws';
import { GraphQLError, type ExecutionArgs, type ExecutionResult } from 'graphql';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Deps } from '../deps.js';
import type { ClientInfo } from '../context.js';
import { unknownClient } from '../http/client-ip.js';
import { resolveViewer } from '../modules/auth/auth.service.js';
import type { Viewer } from '../modules/auth/viewer.js';
import type { PresenceKey } from '../realtime/presence.js';
import type { GraphQLServer } from './yoga.js';
import { maskError, withContractCode } from './errors.js';
import type { Context } from '../context.js';
import { audienceOf, LiveDelivery, sharedRenderer, takeLiveSource } from '../realtime/shared-rendering.js';
import { createKeepAlive } from '../realtime/keepalive.js';

/**
 * Largest websocket message accepted, how long a socket may stay silent before connection_init,
 * and how often every socket is pinged. A ping every 30 s keeps sockets alive through proxies and
 * load balancers that drop connections idle for 60 s (nginx's and AWS's defaults) and finds a
 * vanished peer within a minute; each ping costs a write and a read, so every 12 s (graphql-ws's
 * default) cost twenty thousand idle sockets 6 % of a core here, every 30 s under 3 %.
 */
export const websocketLimits = { maxPayloadBytes: 64 * 1024, connectionInitWaitMs: 10_000, keepAliveMs: 30_000 };

/** Close code for a bad token or revoked access, as the contract fixes it. */
export const forbiddenCloseCode = 4403;

type SocketState = { viewer?: Viewer; client?: ClientInfo; untrack?: () => void; presence?: PresenceKey };
/** What graphql-ws hands our hooks about a socket; the upgrade request is let go once connection_init has read it. */
type Extra = { socket: WebSocket; request: http.IncomingMessage | null };
type EnvelopRoot = { execute: (args: ExecutionArgs) => unknown; subscribe: (args: ExecutionArgs) => unknown };

function presenceKeyOf(viewer: Viewer): PresenceKey | undefined {
  if (viewer.kind === 'VISITOR') return { kind: 'visitor', accountId: viewer.accountId, id: viewer.visitorId };
  if (viewer.kind === 'AGENT') return { kind: 'agent', accountId: viewer.accountId, id: viewer.agentId };
  return undefined;
}

/**
 * graphql-ws's view of one `ws` socket, as graphql-ws/use/ws builds it but as a class, since one
 * lives for every open socket: a frame is written without a promise and a callback each (a
 * delivery to thousands of sockets writes thousands).
 */
class SocketAdapter {
  constructor(
    private readonly socket: WebSocket,
    private readonly failed: (socket: WebSocket, error: unknown, what: string) => void,
  ) {}

  get protocol() {
    return this.socket.protocol;
  }

  send(data: string) {
    if (this.socket.readyState === this.socket.OPEN) this.socket.send(data);
  }

  close(code: number, reason: string) {
    this.socket.close(code, reason);
  }

  onMessage(handle: (data: string) => Promise<void>) {
    this.socket.on('message', (data) => {
      handle(String(data)).catch((error: unknown) => this.failed(this.socket, error, 'websocket message failed'));
    });
  }
}

/** The queries sockets subscribe with, one copy each however many sockets send it. */
const knownQueries = new Map<string, string>();

/**
 * Parses incoming messages keeping one copy of each query text: every widget subscribes with
 * the same query, and each subscription keeps its own for as long as it is open.
 */
function shareQueries(key: string, value: unknown): unknown {
  if (key !== 'query' || typeof value !== 'string') return value;
  const known = knownQueries.get(value);
  if (known !== undefined) return known;
  if (knownQueries.size >= 1_000) knownQueries.clear();
  // a copy of its own: V8 keeps a long string parsed from JSON as a slice of the whole message
  const copy = Buffer.from(value, 'utf8').toString('utf8');
  knownQueries.set(copy, copy);
  return copy;
}

const isAsyncIterable = (value: unknown): value is AsyncIterable<unknown> =>
  typeof value === 'object' && value !== null && Symbol.asyncIterator in value;

/**
 * graphql-ws on the HTTP server's port and path, running operations through yoga's envelop,
 * so context, limits, plugins and error masking are the same as over HTTP. The token comes
 * in connection_init; a socket is tracked for revocation and counts for presence.
 */
export function attachWebSocket(server: http.Server, yoga: GraphQLServer, deps: Deps, clientInfo: (req: http.IncomingMessage) => ClientInfo) {
  const { realtime } = deps;
  const wss = new WebSocketServer({ server, path: '/graphql', maxPayload: websocketLimits.maxPayloadBytes });
  const states = new WeakMap<WebSocket, SocketState>();
  // What yoga's masking and useErrorCodes do for HTTP, done here for websockets, including the
  // errors raised outside execution (syntax, validation, a stream failing midway).
  const mask = maskError(deps.logger);
  const toClient = (error: GraphQLError) => {
    const masked = mask(error);
    return withContractCode(masked instanceof GraphQLError ? masked : new GraphQLError('Internal server error.', { extensions: { code: 'INTERNAL' } }));
  };

  /** The `next` payload graphql-ws would send for a result: errors masked, as onNext does below. */
  const toPayload = (result: ExecutionResult) =>
    JSON.stringify(result.errors?.length ? { ...result, errors: result.errors.map((e) => toClient(e).toJSON()) } : result);

  /** Where a subscription's frames go: its socket and id, by its context. */
  const routes = new WeakMap<object, { socket: WebSocket; id: string }>();

  /**
   * A subscription through yoga's envelop as over HTTP (limits, authorization, error masking).
   * When its field opened one of our event streams, its events are rendered once per audience
   * and written to the socket as they come (realtime/shared-rendering.ts), in place of the
   * executor's mapping, executed and serialized for each socket, which is let go unstarted.
   * What envelop does to results, error masking, `toPayload` does; no plugin here hooks the end
   * of a subscription.
   */
  async function subscribeShared(args: ExecutionArgs): Promise<unknown> {
    const result = await (args.rootValue as EnvelopRoot).subscribe(args);
    const context = args.contextValue as Context;
    const source = takeLiveSource(context);
    const route = routes.get(context);
    if (!source || !route || !isAsyncIterable(result)) return result;
    const { rootValue: _root, ...rest } = args;
    const { socket, id } = route;
    const head = `{"id":${JSON.stringify(id)},"type":"next","payload":`;
    return new LiveDelivery(source, sharedRenderer(rest, audienceOf(context.viewer), toPayload), (payload) => {
      if (socket.readyState === socket.OPEN) socket.send(`${head}${payload}}`);
    });
  }

  const run = async (operation: () => unknown): Promise<never> => {
    try {
      return (await operation()) as never;
    } catch (error) {
      const graphQLError = error instanceof GraphQLError ? error : new GraphQLError('Internal server error.', { originalError: error as Error });
      return { errors: [graphQLError] } as never;
    }
  };

  const graphqlWs = makeServer<Record<string, unknown> | undefined, Extra>(
    {
      connectionInitWaitTimeout: websocketLimits.connectionInitWaitMs,
      jsonMessageReviver: shareQueries,
      onConnect: async (ctx) => {
        const authorization = ctx.connectionParams?.authorization;
        let viewer: Viewer;
        try {
          // the lookup runs plain statements on a connection: no unit of work of its own needed
          viewer = await resolveViewer(deps.orm.em as EntityManager, typeof authorization === 'string' ? authorization : null);
        } catch {
          return false; // graphql-ws closes with 4403 Forbidden
        }
        // Closed while the token was checked: onClose has already run, so nothing may be tracked now.
        if (ctx.extra.socket.readyState !== ctx.extra.socket.OPEN) return false;
        const request = ctx.extra.request;
        const state: SocketState = {
          viewer,
          client: request ? clientInfo(request) : unknownClient,
          untrack: realtime.connections.track(viewer, () => ctx.extra.socket.close(forbiddenCloseCode, 'Forbidden')),
          presence: presenceKeyOf(viewer),
        };
        states.set(ctx.extra.socket, state);
        ctx.extra.request = null;
        if (state.presence) await realtime.presence.connect(state.presence);
        return true;
      },
      onClose: async (ctx) => {
        const state = states.get(ctx.extra.socket);
        if (!state) return;
        states.delete(ctx.extra.socket);
        state.untrack?.();
        if (state.presence) await realtime.presence.disconnect(state.presence).catch(() => {});
      },
      onSubscribe: async (ctx, id, payload) => {
        const state = states.get(ctx.extra.socket);
        const { schema, execute, subscribe, contextFactory, parse, validate } = yoga.getEnveloped({
          viewer: state?.viewer,
          client: state?.client ?? unknownClient,
          params: payload,
        });
        let document;
        try {
          document = parse(payload.query);
        } catch (error) {
          return [error as never];
        }
        const args: ExecutionArgs = {
          schema,
          operationName: payload.operationName,
          document,
          variableValues: payload.variables,
          contextValue: await contextFactory(),
          rootValue: { execute, subscribe } satisfies EnvelopRoot,
        };
        let errors: readonly GraphQLError[];
        try {
          errors = validate(args.schema, args.document);
        } catch (error) {
          // armor's limits (depth, aliases, directives) throw from validation
          if (error instanceof GraphQLError) return [error];
          throw error;
        }
        if (errors.length) return [...errors];
        routes.set(args.contextValue as object, { socket: ctx.extra.socket, id });
        return args;
      },
      onNext: (_ctx, _id, _payload, _args, result) =>
        result.errors?.length ? { ...result, errors: result.errors.map((e) => toClient(e).toJSON()) } : undefined,
      onError: (_ctx, _id, _payload, errors) => errors.map((e) => toClient(e).toJSON()),
      // An error thrown before execution starts (a plugin refusing bad variables) is the
      // operation's error result, not a reason to close the socket and all its subscriptions.
      execute: (args) => run(() => (args.rootValue as EnvelopRoot).execute(args)),
      subscribe: (args) => run(() => subscribeShared(args)),
    },
  );

  // graphql-ws on `ws`, as graphql-ws/use/ws does it, but lighter per socket: a frame is written
  // without a promise and a callback each (a delivery to thousands of sockets writes thousands),
  // and one keep-alive timer pings every socket (realtime/keepalive.ts) instead of a timer each.
  wss.options.handleProtocols = handleProtocols;
  const keepAlive = createKeepAlive(websocketLimits.keepAliveMs);
  const internalError = (socket: WebSocket, error: unknown, what: string, level: 'warn' | 'error' = 'error') => {
    deps.logger[level]({ err: error }, what);
    socket.close(CloseCode.InternalServerError, 'Internal server error');
  };
  wss.once('error', (error) => {
    deps.logger.error({ err: error }, 'websocket server failed');
    for (const client of wss.clients) client.close(CloseCode.InternalServerError, 'Internal server error');
  });
  wss.on('connection', (socket, request) => {
    realtime.metrics.openSockets.inc();
    // a frame over maxPayload, a broken frame: ws has already closed with the right code
    socket.on('error', (error) => internalError(socket, error, 'websocket failed', 'warn'));
    keepAlive.add(socket);
    const closed = graphqlWs.opened(new SocketAdapter(socket, internalError), { socket, request });
    socket.once('close', (code, reason) => {
      realtime.metrics.openSockets.dec();
      keepAlive.delete(socket);
      closed(code, String(reason)).catch((error: unknown) => deps.logger.error({ err: error }, 'websocket close failed'));
    });
  });

  return {
    wss,
    /** Closes every socket (1001, going away) and stops accepting new ones. */
    close: async () => {
      keepAlive.close();
      for (const client of wss.clients) client.close(1001, 'Going away');
      wss.removeAllListeners();
      await new Promise<void>((resolve, reject) => wss.close((error) => (error ? reject(error) : resolve())));
    },
  };
}

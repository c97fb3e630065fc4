import type http from 'node:http';
import { WebSocketServer, type WebSocket } from 'ws';
import { useServer } from 'graphql-ws/use/ws';
import { GraphQLError, type ExecutionArgs } from 'graphql';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Deps } from '../deps.js';
import type { ClientInfo } from '../context.js';
import { resolveViewer } from '../modules/auth/auth.service.js';
import type { Viewer } from '../modules/auth/viewer.js';
import type { PresenceKey } from '../realtime/presence.js';
import type { GraphQLServer } from './yoga.js';
import { maskError, withContractCode } from './errors.js';

/** Largest websocket message accepted, and how long a socket may stay silent before connection_init. */
export const websocketLimits = { maxPayloadBytes: 64 * 1024, connectionInitWaitMs: 10_000, keepAliveMs: 12_000 };

/** Close code for a bad token or revoked access, as the contract fixes it. */
export const forbiddenCloseCode = 4403;

type SocketState = { viewer?: Viewer; client?: ClientInfo; untrack?: () => void; presence?: PresenceKey };
type EnvelopRoot = { execute: (args: ExecutionArgs) => unknown; subscribe: (args: ExecutionArgs) => unknown };

function presenceKeyOf(viewer: Viewer): PresenceKey | undefined {
  if (viewer.kind === 'VISITOR') return { kind: 'visitor', accountId: viewer.accountId, id: viewer.visitorId };
  if (viewer.kind === 'AGENT') return { kind: 'agent', accountId: viewer.accountId, id: viewer.agentId };
  return undefined;
}

/**
 * graphql-ws on the HTTP server's port and path, running operations through yoga's envelop,
 * so context, limits, plugins and error masking are the same as over HTTP. The token comes
 * in connection_init; a socket is tracked for revocation and counts for presence.
 */
export function attachWebSocket(server: http.Server, yoga: GraphQLServer, deps: Deps, clientIp: (req: http.IncomingMessage) => string | null) {
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

  const run = async (operation: () => unknown): Promise<never> => {
    try {
      return (await operation()) as never;
    } catch (error) {
      const graphQLError = error instanceof GraphQLError ? error : new GraphQLError('Internal server error.', { originalError: error as Error });
      return { errors: [graphQLError] } as never;
    }
  };

  const disposable = useServer<Record<string, unknown> | undefined, { state: SocketState }>(
    {
      connectionInitWaitTimeout: websocketLimits.connectionInitWaitMs,
      onConnect: async (ctx) => {
        const authorization = ctx.connectionParams?.authorization;
        let viewer: Viewer;
        try {
          viewer = await resolveViewer(deps.orm.em.fork() as EntityManager, typeof authorization === 'string' ? authorization : null);
        } catch {
          return false; // graphql-ws closes with 4403 Forbidden
        }
        // Closed while the token was checked: onClose has already run, so nothing may be tracked now.
        if (ctx.extra.socket.readyState !== ctx.extra.socket.OPEN) return false;
        const state: SocketState = {
          viewer,
          client: { ip: clientIp(ctx.extra.request), userAgent: ctx.extra.request.headers['user-agent']?.slice(0, 1000) ?? null },
          untrack: realtime.connections.track(viewer, () => ctx.extra.socket.close(forbiddenCloseCode, 'Forbidden')),
          presence: presenceKeyOf(viewer),
        };
        states.set(ctx.extra.socket, state);
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
      onSubscribe: async (ctx, _id, payload) => {
        const state = states.get(ctx.extra.socket);
        const { schema, execute, subscribe, contextFactory, parse, validate } = yoga.getEnveloped({
          viewer: state?.viewer,
          client: state?.client ?? { ip: null, userAgent: null },
          params: payload,
          req: ctx.extra.request,
          socket: ctx.extra.socket,
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
        return args;
      },
      onNext: (_ctx, _id, _payload, _args, result) =>
        result.errors?.length ? { ...result, errors: result.errors.map((e) => toClient(e).toJSON()) } : undefined,
      onError: (_ctx, _id, _payload, errors) => errors.map((e) => toClient(e).toJSON()),
      // An error thrown before execution starts (a plugin refusing bad variables) is the
      // operation's error result, not a reason to close the socket and all its subscriptions.
      execute: (args) => run(() => (args.rootValue as EnvelopRoot).execute(args)),
      subscribe: (args) => run(() => (args.rootValue as EnvelopRoot).subscribe(args)),
    },
    wss,
    websocketLimits.keepAliveMs,
  );

  wss.on('connection', (socket) => {
    realtime.metrics.openSockets.inc();
    socket.once('close', () => realtime.metrics.openSockets.dec());
  });

  return {
    wss,
    /** Closes every socket (1001, going away) and stops accepting new ones. */
    close: async () => disposable.dispose(),
  };
}

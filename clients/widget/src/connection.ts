import { createClient, type Client } from 'graphql-ws';
import { backoffDelay } from './backoff.js';
import { RequestError, type GraphQLErrorLike } from './errors.js';

export type Variables = Record<string, unknown>;

/** One socket to the server that carries every operation: queries, mutations, subscriptions. */
export interface Connection {
  /** A query or mutation; waits while the socket is down, rejects with RequestError on errors. */
  request<T>(query: string, variables?: Variables): Promise<T>;
  /** A subscription; returns its stop. Not resumed by itself after a reconnect: see ConnectionEvents. */
  subscribe<T>(query: string, variables: Variables, next: (data: T) => void, error: (error: unknown) => void): () => void;
  /** Reconnects at once, e.g. so the socket carries a new token. Pending requests are resent. */
  restart(): void;
  dispose(): void;
}

export type ConnectionEvents = {
  connected(): void;
  /** 4403: the server refused the token. */
  closed(code: number): void;
};

export const forbiddenCloseCode = 4403;
/** A ping not answered within this long means a dead socket (Wi-Fi gone, laptop woke up). */
const pongTimeoutMs = 5_000;
const pingEveryMs = 15_000;

type Result<T> = { data?: T | null; errors?: readonly GraphQLErrorLike[] };

/**
 * graphql-ws client to `url`, eager and retrying forever with capped, jittered backoff. The
 * token is read at every (re)connect, so `restart()` after it changes is all a new visitor
 * token needs. The browser going online, or the page becoming visible, cuts a pending retry
 * wait short, since that is when the visitor looks at the chat.
 */
export function connect(url: string, token: () => string | null, events: ConnectionEvents): Connection {
  let wake: (() => void) | null = null;
  let pongTimer: ReturnType<typeof setTimeout> | undefined;
  let client: Client;
  let disposed = false;

  const hurry = () => wake?.();
  const goneOffline = () => client.terminate();
  const onVisible = () => {
    if (document.visibilityState === 'visible') hurry();
  };
  window.addEventListener('online', hurry);
  window.addEventListener('offline', goneOffline);
  document.addEventListener('visibilitychange', onVisible);

  const make = (): Client =>
    createClient({
      url,
      lazy: false,
      retryAttempts: Infinity,
      shouldRetry: () => true,
      keepAlive: pingEveryMs,
      connectionParams: () => {
        const current = token();
        return current ? { authorization: 'Bearer ' + current } : {};
      },
      retryWait: (retries) =>
        new Promise<void>((resolve) => {
          const timer = setTimeout(done, backoffDelay(retries));
          function done() {
            clearTimeout(timer);
            wake = null;
            resolve();
          }
          wake = done;
        }),
      // A close graphql-ws deems fatal (4400, 4500, …) ends its eager loop: start afresh later.
      onNonLazyError: () => {
        if (disposed) return;
        setTimeout(() => {
          if (!disposed) client = make();
        }, backoffDelay(3));
      },
      on: {
        connected: () => events.connected(),
        closed: (event) => {
          clearTimeout(pongTimer);
          events.closed(typeof event === 'object' && event !== null && 'code' in event ? Number(event.code) : 0);
        },
        ping: (received) => {
          if (!received) pongTimer = setTimeout(() => client.terminate(), pongTimeoutMs);
        },
        pong: (received) => {
          if (received) clearTimeout(pongTimer);
        },
      },
    });
  client = make();

  return {
    request<T>(query: string, variables: Variables = {}) {
      return new Promise<T>((resolve, reject) => {
        let settled = false;
        // released on its answer: graphql-ws would otherwise send it again if the socket
        // restarts before the server's `complete` arrives (a new visitor made twice)
        const release = client.subscribe<T>(
          { query, variables },
          {
            next: (result: Result<T>) => {
              settled = true;
              release();
              if (result.errors?.length) reject(new RequestError(result.errors));
              else resolve(result.data as T);
            },
            error: (error) => {
              settled = true;
              reject(Array.isArray(error) ? new RequestError(error as GraphQLErrorLike[]) : error);
            },
            complete: () => {
              if (!settled) reject(new Error('Connection closed'));
            },
          },
        );
      });
    },
    subscribe<T>(query: string, variables: Variables, next: (data: T) => void, error: (error: unknown) => void) {
      let active = true;
      const stop = client.subscribe<T>(
        { query, variables },
        {
          next: (result: Result<T>) => {
            if (!active) return;
            if (result.errors?.length) error(new RequestError(result.errors));
            else if (result.data) next(result.data);
          },
          error: (e) => {
            if (active) error(Array.isArray(e) ? new RequestError(e as GraphQLErrorLike[]) : e);
          },
          complete: () => {},
        },
      );
      return () => {
        active = false;
        stop();
      };
    },
    restart() {
      client.terminate();
    },
    dispose() {
      disposed = true;
      window.removeEventListener('online', hurry);
      window.removeEventListener('offline', goneOffline);
      document.removeEventListener('visibilitychange', onVisible);
      void client.dispose();
    },
  };
}

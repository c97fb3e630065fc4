import WebSocket from 'ws';
import { createClient, type Client } from 'graphql-ws';

export type Received = { data?: any; errors?: { message: string; extensions?: { code?: string } }[] };

/** A graphql-ws client of a test server, as the widget or dashboard would open one. */
export function wsClient(url: string, token?: string | null, options: { retryAttempts?: number; lazy?: boolean } = {}): Client {
  return createClient({
    url: url.replace(/^http/, 'ws') + '/graphql',
    webSocketImpl: WebSocket,
    connectionParams: token ? { authorization: `Bearer ${token}` } : {},
    retryAttempts: options.retryAttempts ?? 0,
    lazy: options.lazy ?? true,
  });
}

/** A running subscription that collects what it receives, with a way to wait for more. */
export function collect(client: Client, query: string, variables: Record<string, unknown> = {}) {
  const received: Received[] = [];
  const waiters: (() => void)[] = [];
  let done = false;
  let error: unknown;
  const notify = () => waiters.splice(0).forEach((w) => w());
  const dispose = client.subscribe(
    { query, variables },
    {
      next: (value) => {
        received.push(value as Received);
        notify();
      },
      error: (e) => {
        error = e;
        done = true;
        notify();
      },
      complete: () => {
        done = true;
        notify();
      },
    },
  );
  return {
    received,
    get done() {
      return done;
    },
    get error() {
      return error;
    },
    dispose,
    /** Waits until `predicate` holds for what was received (or the stream ended), at most `ms`. */
    async until(predicate: (received: Received[]) => boolean, ms = 5_000): Promise<Received[]> {
      const deadline = Date.now() + ms;
      while (!predicate(received) && !done) {
        const left = deadline - Date.now();
        if (left <= 0) throw new Error(`timed out; received ${JSON.stringify(received).slice(0, 2000)}`);
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, left);
          waiters.push(() => {
            clearTimeout(timer);
            resolve();
          });
        });
      }
      return received;
    },
  };
}

import type { BrowserContext, WebSocketRoute } from '@playwright/test';
import type { OriginGuard } from './browser.js';

/**
 * Puts a context's WebSockets through Playwright's WebSocket routing, passed through to the
 * real server, and lets a test hold back the frames the page sends that match (e.g. one
 * query), to release them later: a way to make something happen on the server at an exact
 * point of the page's conversation with it. Frames from the server pass untouched.
 */
export class SocketGate {
  private holdIf: ((payload: string) => boolean) | null = null;
  private queue: { server: WebSocketRoute; message: string | Buffer }[] = [];
  /** Every frame the page sent (held or not), in order. */
  readonly sent: string[] = [];
  /** The frames held back so far (released or not). */
  readonly held: string[] = [];

  async install(context: BrowserContext, guard: OriginGuard) {
    await context.routeWebSocket(/\/graphql$/, (page) => {
      guard.recordSocket(page.url());
      const server = page.connectToServer();
      // Handling the page's messages ourselves stops their automatic forwarding: forward them.
      page.onMessage((message) => {
        this.sent.push(String(message));
        if (this.holdIf?.(String(message))) {
          this.queue.push({ server, message });
          this.held.push(String(message));
        } else {
          server.send(message);
        }
      });
    });
  }

  /** From now on, the page's frames for which `test` is true wait for `release()`. */
  hold(test: (payload: string) => boolean) {
    this.holdIf = test;
  }

  /** Sends what was held, in order, and holds nothing more. */
  release() {
    this.holdIf = null;
    for (const { server, message } of this.queue.splice(0)) server.send(message);
  }
}

import type { BrowserContext, WebSocketRoute } from '@playwright/test';
import type { OriginGuard } from './browser.js';

/**
 * Puts a context's WebSockets through Playwright's WebSocket routing, passed straight through
 * to the real server, so a test can cut them as a lost network would: `cut()` closes the
 * server's end of every open socket (the page sees an abnormal closure, 1006) and refuses new
 * ones until `restore()`. (Chromium's offline emulation, `context.setOffline(true)`, blocks new
 * requests but leaves open WebSockets open, so it cannot drop one.)
 */
export class SocketSwitch {
  private open = new Set<{ page: WebSocketRoute; server: WebSocketRoute }>();
  private down = false;
  connections = 0;

  async install(context: BrowserContext, guard: OriginGuard) {
    await context.routeWebSocket(/\/graphql$/, (page) => {
      guard.recordSocket(page.url());
      if (this.down) {
        page.close({ code: 1006, reason: 'network down' });
        return;
      }
      this.connections += 1;
      const server = page.connectToServer();
      this.open.add({ page, server });
    });
  }

  async cut() {
    this.down = true;
    for (const pair of this.open) {
      await pair.server.close({ code: 1001, reason: 'network down' });
      await pair.page.close({ code: 1006, reason: 'network down' });
    }
    this.open.clear();
  }

  restore() {
    this.down = false;
  }
}

import { expect, type Browser, type BrowserContext, type Locator, type Page } from '@playwright/test';
import { gql } from './api.js';
import { newContext, type OriginGuard } from './browser.js';

// ---- the API calls the widget tests need besides those of api.ts

export type WidgetSettingsInput = {
  color?: string;
  greeting?: string | null;
  position?: 'BOTTOM_RIGHT' | 'BOTTOM_LEFT';
  language?: 'EN' | 'CS';
  preChatFields?: { name: 'NAME' | 'EMAIL'; required: boolean }[];
  allowedOrigins?: string[];
};

/** As an OWNER or ADMIN: how the account's widget looks and what it asks. */
export async function updateWidgetSettings(token: string, input: WidgetSettingsInput): Promise<void> {
  await gql(`mutation Widget($input: UpdateWidgetSettingsInput!) { updateWidgetSettings(input: $input) { color } }`, { input }, token);
}

export async function setPresence(token: string, status: 'ONLINE' | 'AWAY' | 'OFFLINE'): Promise<void> {
  await gql(`mutation Presence($status: PresenceStatus!) { setPresence(status: $status) { id status } }`, { status }, token);
}

/**
 * What a new widget would be told now: is an agent of the account ONLINE? (It starts a visitor
 * session of its own, as every page load of the widget does: a visitor without a conversation.)
 */
export async function agentsOnline(widgetKey: string): Promise<boolean> {
  const data = await gql<{ startVisitorSession: { agentsOnline: boolean } }>(
    `mutation Start($input: StartVisitorSessionInput!) { startVisitorSession(input: $input) { agentsOnline } }`,
    { input: { widgetKey, pageUrl: 'https://e2e.example/probe', pageTitle: 'probe' } },
  );
  return data.startVisitorSession.agentsOnline;
}

export type VisitorRecord = { id: string; name: string | null; email: string | null };
export type ConversationRecord = {
  id: string;
  status: string;
  visitor: VisitorRecord;
  messages: { seq: number; body: string; authorKind: string }[];
};

/** The account's latest 10 conversations (any status), with their visitors and last 30 messages, as the server stores them. */
export async function conversationsOf(token: string): Promise<ConversationRecord[]> {
  const data = await gql<{
    viewer: {
      account: {
        conversations: {
          edges: { node: Omit<ConversationRecord, 'messages'> & { messages: { edges: { node: ConversationRecord['messages'][number] }[] } } }[];
        };
      } | null;
    };
  }>(
    `query Conversations {
      viewer { account { conversations(first: 10) { edges { node {
        id status visitor { id name email }
        messages(last: 30) { edges { node { seq body authorKind } } }
      } } } } }
    }`,
    {},
    token,
  );
  if (!data.viewer.account) throw new Error('the token is not an agent of an account');
  return data.viewer.account.conversations.edges.map(({ node }) => ({ ...node, messages: node.messages.edges.map((edge) => edge.node) }));
}

/** Every visitor of the account (most recently seen first). */
export async function visitorsOf(token: string): Promise<VisitorRecord[]> {
  const data = await gql<{ viewer: { account: { visitors: { edges: { node: VisitorRecord }[] } } | null } }>(
    `query Visitors { viewer { account { visitors(first: 50) { edges { node { id name email } } } } } }`,
    {},
    token,
  );
  if (!data.viewer.account) throw new Error('the token is not an agent of an account');
  return data.viewer.account.visitors.edges.map((edge) => edge.node);
}

/** An agent's message into a conversation, sent through the API (as an integration would). */
export async function sendAsAgent(token: string, conversationId: string, body: string): Promise<void> {
  await gql(
    `mutation Send($input: SendMessageInput!) { sendMessage(input: $input) { message { id } } }`,
    { input: { conversationId, body, clientMessageId: crypto.randomUUID() } },
    token,
  );
}

/** An agent has read the conversation up to the message (as the dashboard does when it shows it). */
export async function markReadAsAgent(token: string, conversationId: string, messageId: string): Promise<void> {
  await gql(`mutation Read($input: MarkReadInput!) { markRead(input: $input) }`, { input: { conversationId, messageId } }, token);
}

// ---- the widget on the demo page, in a browser

/** `window.LiveChat` as the widget's README documents it. */
export type LiveChatApi = {
  open(): void;
  close(): void;
  identify(details: { name?: string; email?: string }): Promise<boolean>;
  setLocale(locale: string): void;
  onMessage(callback: (message: { body: string; authorKind: string; agentName: string | null; createdAt: string }) => void): () => void;
};

/** The page's `window`, for `page.evaluate(() => (window as unknown as WidgetWindow).LiveChat…)`. */
export type WidgetWindow = { LiveChat?: LiveChatApi; hostScriptRan?: boolean };

/** Makes localStorage and sessionStorage throw on access, as a browser blocking storage does (an init script). */
export function blockStorage() {
  for (const name of ['localStorage', 'sessionStorage']) {
    Object.defineProperty(window, name, {
      configurable: true,
      get() {
        throw new DOMException(`${name} is blocked`, 'SecurityError');
      },
    });
  }
}

/**
 * The widget inside a page: every locator starts at its `<livechat-widget>` host, and
 * Playwright's CSS and role engines pierce its open shadow root.
 */
export class Widget {
  readonly host: Locator;
  /** The round button that opens and closes the panel (its label changes: "Open chat", "Close chat", …). */
  readonly launcher: Locator;
  readonly panel: Locator;
  readonly title: Locator;
  readonly subtitle: Locator;
  /** "Connecting…" while the socket is down. */
  readonly connection: Locator;
  /** The messages' list: found while the panel is open (role locators skip what is hidden). */
  readonly log: Locator;
  /** The messages shown (the greeting, always the log's first child, left out). */
  readonly messages: Locator;
  readonly typing: Locator;
  readonly composer: Locator;

  constructor(readonly page: Page) {
    this.host = page.locator('livechat-widget');
    this.launcher = this.host.locator('button.ln');
    this.panel = this.host.getByRole('dialog');
    this.title = this.panel.locator('.tt');
    this.subtitle = this.panel.locator('.st');
    this.connection = this.panel.locator('.cn');
    this.log = this.panel.getByRole('log');
    this.messages = this.log.locator('.m:not(:first-child)');
    this.typing = this.panel.locator('.ty');
    this.composer = this.panel.getByRole('textbox', { name: 'Message', exact: true });
  }

  /** A message of the visitor's (right-hand side) or of the agents' (left), by its text. */
  mine(body: string): Locator {
    return this.log.locator('.m.v').filter({ has: this.page.locator('.b', { hasText: body }) });
  }

  theirs(body: string): Locator {
    return this.log.locator('.m:not(.v)').filter({ has: this.page.locator('.b', { hasText: body }) });
  }

  /** The bodies of the messages shown, in order. */
  bodies(): Locator {
    return this.messages.locator('.b');
  }

  async open() {
    await expect(this.launcher).toBeVisible();
    await this.launcher.click();
    await expect(this.panel).toBeVisible();
  }

  /** Types a message into the widget's box and sends it with Enter. */
  async send(body: string) {
    await this.composer.fill(body);
    await this.composer.press('Enter');
    await expect(this.composer).toHaveValue('');
  }
}

/**
 * Follows the graphql-ws operations a page sends over its WebSockets: `pending()` is how many
 * were subscribed and not completed yet (a query or mutation completes after its one result),
 * so a test can wait until the page has nothing in flight before counting what the server has.
 * (Sockets routed through a SocketSwitch are hidden from it.)
 */
export class OperationLog {
  private readonly open = new Map<string, string>();
  /** Every operation sent, in order: `<operation> <first word of its query>`. */
  readonly sent: string[] = [];

  constructor(page: Page) {
    page.on('websocket', (socket) => {
      socket.on('framesent', ({ payload }) => {
        const message = parse(payload);
        if (message?.type === 'subscribe' && typeof message.id === 'string') {
          const query = String((message.payload as { query?: unknown } | undefined)?.query ?? '');
          const name = query.match(/^\s*(\w+)[^{]*\{\s*(\w+)/)?.slice(1).join(' ') ?? query.slice(0, 40);
          this.open.set(message.id, name);
          this.sent.push(name);
        } else if (message?.type === 'complete' && typeof message.id === 'string') {
          this.open.delete(message.id);
        }
      });
      socket.on('framereceived', ({ payload }) => {
        const message = parse(payload);
        if ((message?.type === 'complete' || message?.type === 'error') && typeof message.id === 'string') this.open.delete(message.id);
      });
    });
  }

  /** Operations in flight, besides the long-lived subscriptions. */
  pending(): string[] {
    return [...this.open.values()].filter((name) => !name.startsWith('subscription'));
  }
}

function parse(payload: string | Buffer): { id?: unknown; type?: unknown; payload?: unknown } | null {
  try {
    return JSON.parse(String(payload)) as { id?: unknown; type?: unknown; payload?: unknown };
  } catch {
    return null;
  }
}

/**
 * Waits until the widget has subscribed to its conversation's events: after a conversation's
 * first message it reads the history first, and what the agents do before it follows the
 * conversation reaches it by other ways (see the edge cases in widget-chat.spec.ts).
 */
export async function expectFollowing(operations: OperationLog) {
  await expect.poll(() => operations.sent, { message: 'the widget subscribed to its conversation' }).toContain('subscription conversationEvents');
}

/** A website visitor: a browser of their own on the demo page, which embeds the account's widget. */
export type WidgetVisitor = {
  context: BrowserContext;
  page: Page;
  widget: Widget;
  /** Uncaught errors in the page and the widget's warnings (`LiveChat: …`): there should be none. */
  problems: string[];
  operations: OperationLog;
};

export const demoPath = (widgetKey: string) => `/demo?key=${encodeURIComponent(widgetKey)}`;

/**
 * Opens the demo page with the account's widget in a new browser context (closed with the
 * scenario's contexts when pushed to `contexts`), and waits for the widget's launcher.
 */
export async function openWidgetVisitor(
  browser: Browser,
  guard: OriginGuard,
  widgetKey: string,
  options: {
    contexts?: BrowserContext[];
    /** A SocketSwitch or SocketGate, installed on the context before the page opens. */
    network?: { install(context: BrowserContext, guard: OriginGuard): Promise<void> };
    initScript?: () => void;
  } = {},
): Promise<WidgetVisitor> {
  const context = await newContext(browser, guard);
  options.contexts?.push(context);
  if (options.initScript) await context.addInitScript(options.initScript);
  if (options.network) await options.network.install(context, guard);
  const page = await context.newPage();
  const problems: string[] = [];
  const operations = new OperationLog(page);
  page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    if (message.text().startsWith('LiveChat')) problems.push(`console.${message.type()}: ${message.text()}`);
  });
  await page.goto(demoPath(widgetKey));
  const widget = new Widget(page);
  await expect(widget.launcher).toBeVisible();
  return { context, page, widget, problems, operations };
}

/** The demo page's own elements, whose look the widget must leave as it is. */
export const hostElements = ['html', 'body', 'header', '#host-title', 'header p', 'main', 'main > p', 'pre', '#host-button', '#host-counter'];

/**
 * The computed styles and boxes of the demo page's own elements, and what the page has in its
 * light DOM (body's children, style sheets, globals), to compare a page with the widget
 * against the same page without it.
 */
export function hostPageState(page: Page) {
  return page.evaluate((selectors) => {
    const properties = [
      'font-family', 'font-size', 'font-weight', 'line-height', 'letter-spacing', 'text-transform', 'color',
      'background-color', 'margin', 'padding', 'border', 'border-radius', 'box-sizing', 'display', 'position',
    ];
    const styles: Record<string, Record<string, string>> = {};
    for (const selector of selectors) {
      const element = document.querySelector(selector);
      if (!element) throw new Error(`${selector} not found on the host page`);
      const computed = getComputedStyle(element);
      const box = element.getBoundingClientRect();
      styles[selector] = Object.fromEntries([
        ...properties.map((name) => [name, computed.getPropertyValue(name)]),
        ['box', [box.x, box.y, box.width, box.height].map((n) => n.toFixed(1)).join(' ')],
      ]);
    }
    return {
      styles,
      bodyChildren: [...document.body.children].map((el) => el.tagName.toLowerCase()),
      styleSheets: document.styleSheets.length,
      globals: Object.keys(window).sort(),
    };
  }, hostElements);
}

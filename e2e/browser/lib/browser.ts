import { expect, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { baseUrl, type AgentSession } from './api.js';
import { screenshotPath } from './paths.js';

/**
 * Records every request and WebSocket of the contexts it watches that goes anywhere but the
 * server's own origin: the dashboard promises to load nothing from elsewhere.
 */
export class OriginGuard {
  readonly seen: string[] = [];
  readonly foreign: string[] = [];
  private readonly allowed: Set<string>;

  constructor(base = baseUrl()) {
    const url = new URL(base);
    this.allowed = new Set([url.origin, `${url.protocol === 'https:' ? 'wss' : 'ws'}://${url.host}`]);
  }

  /** A WebSocket the page opened through Playwright's routing (which hides it from `page.on('websocket')`). */
  recordSocket(url: string) {
    this.record('websocket', url);
  }

  private record(kind: string, raw: string) {
    const url = new URL(raw);
    // data: and blob: URLs are made inside the page; they never leave the browser.
    if (url.protocol === 'data:' || url.protocol === 'blob:') return;
    this.seen.push(`${kind} ${raw}`);
    if (!this.allowed.has(`${url.protocol}//${url.host}`)) this.foreign.push(`${kind} ${raw}`);
  }

  watch(context: BrowserContext) {
    context.on('request', (request) => this.record(request.resourceType(), request.url()));
    const watchPage = (page: Page) => page.on('websocket', (socket) => this.record('websocket', socket.url()));
    context.pages().forEach(watchPage);
    context.on('page', watchPage);
  }

  expectOwnOriginOnly() {
    expect(this.seen.length, 'the pages made no request at all: the guard watched nothing').toBeGreaterThan(0);
    expect(this.seen.some((entry) => entry.startsWith('websocket ')), 'no WebSocket was opened').toBe(true);
    expect(this.foreign, `requests to another origin than ${[...this.allowed].join(' / ')}`).toEqual([]);
  }
}

/** A new browser context (its own storage, like another person's browser), watched by `guard`. */
export async function newContext(browser: Browser, guard: OriginGuard, session?: AgentSession): Promise<BrowserContext> {
  const origin = new URL(baseUrl()).origin;
  const context = await browser.newContext({
    baseURL: origin,
    storageState: session
      ? { cookies: [], origins: [{ origin, localStorage: [{ name: 'livechat.session', value: JSON.stringify(session) }] }] }
      : undefined,
  });
  guard.watch(context);
  return context;
}

/** The session the dashboard keeps in localStorage (`livechat.session`). */
export async function sessionOf(page: Page): Promise<AgentSession> {
  const raw = await page.evaluate(() => localStorage.getItem('livechat.session'));
  if (!raw) throw new Error('no livechat.session in localStorage: the agent is not signed in');
  return JSON.parse(raw) as AgentSession;
}

/**
 * Every input, textarea and select on the page has an accessible name (a <label>, aria-label
 * or aria-labelledby); fails listing the ones without.
 */
export async function expectEveryControlNamed(page: Page, screen: string) {
  const controls = page.locator('input:not([type="hidden"]), textarea, select');
  await expect(controls.first(), `${screen} has form controls`).toBeAttached();
  const unnamed: string[] = [];
  for (const control of await controls.all()) {
    const named = await control.evaluate((el) => {
      const field = el as HTMLInputElement;
      const fromLabels = [...(field.labels ?? [])].some((label) => (label.textContent ?? '').trim() !== '');
      const fromAria = (el.getAttribute('aria-label') ?? '').trim() !== '';
      const fromLabelledBy = (el.getAttribute('aria-labelledby') ?? '')
        .split(/\s+/)
        .some((id) => id !== '' && (document.getElementById(id)?.textContent ?? '').trim() !== '');
      return fromLabels || fromAria || fromLabelledBy;
    });
    if (!named) unnamed.push(await control.evaluate((el) => el.outerHTML.slice(0, 200)));
  }
  expect(unnamed, `controls without an accessible name on ${screen}`).toEqual([]);
}

/**
 * Saves a screenshot of the whole screen into e2e/artifacts/screenshots/. The dashboard scrolls
 * inside its panes (not the document), so the viewport is grown for the shot to show all of it.
 */
export async function screenshot(page: Page, file: string) {
  const viewport = page.viewportSize();
  const overflow = await page.evaluate(() =>
    Math.max(0, ...[...document.querySelectorAll('*')].map((el) => el.scrollHeight - el.clientHeight).filter((h) => h > 0 && h < 10_000)),
  );
  if (viewport && overflow > 0) await page.setViewportSize({ width: viewport.width, height: Math.min(viewport.height + overflow, 4000) });
  try {
    await page.screenshot({ path: screenshotPath(file), fullPage: true, animations: 'disabled' });
  } finally {
    if (viewport && overflow > 0) await page.setViewportSize(viewport);
  }
}

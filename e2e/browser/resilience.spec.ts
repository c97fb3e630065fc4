import { expect, test, type Locator } from '@playwright/test';
import { messagesOf } from './lib/api.js';
import { newContext } from './lib/browser.js';
import { SocketSwitch } from './lib/network.js';
import { is, openScenario, startChat, type Chat, type Scenario } from './lib/scenario.js';

/** Messages survive a lost connection: queued while offline, resumed after a drop, each stored and shown once. */
test.describe.serial('resilience', () => {
  let scenario: Scenario;
  let chat: Chat;
  let log: Locator;
  let composer: Locator;

  test.beforeAll(async ({ browser }) => {
    scenario = await openScenario(browser);
    chat = await startChat(scenario, 'My order has not arrived.');
    await scenario.pageA.goto(`/inbox/${chat.conversationId}`);
    log = scenario.pageA.getByRole('log', { name: 'Messages' });
    composer = scenario.pageA.getByRole('textbox', { name: 'Message', exact: true });
    await expect(log.getByText('My order has not arrived.')).toBeVisible();
  });

  test.afterAll(async () => {
    await chat?.visitor.close();
    await scenario?.close();
  });

  const storedCount = async (body: string) =>
    (await messagesOf(chat.conversationId, scenario.owner.session.token)).filter((m) => m.body === body).length;

  test('a message sent while offline waits, then is delivered exactly once', async () => {
    const { contextA } = scenario;
    const body = `Sent while offline ${scenario.id}`;
    await contextA.setOffline(true);
    await composer.fill(body);
    await composer.press('Enter');
    const pending = log.locator('.message.pending').filter({ hasText: body });
    await expect(pending).toHaveCount(1);
    await expect(pending.locator('.receipt')).toHaveText('Waiting for connection…');
    expect(await storedCount(body)).toBe(0);
    // (The "Connection lost" banner may not show: Chromium's offline emulation leaves the open
    // WebSocket open, and the dashboard learns of the drop from the socket only.)

    await contextA.setOffline(false);
    await chat.events.waitFor('the message queued while offline', is.message(body, 'AGENT'), { timeoutMs: 30_000 });
    await expect(pending).toHaveCount(0);
    await expect(log.getByText(body, { exact: true })).toHaveCount(1);
    expect(await storedCount(body)).toBe(1);
    expect(chat.events.matching(is.message(body))).toHaveLength(1);
  });

  test('a send whose answer is lost is retried and still stored once', async () => {
    const { pageA } = scenario;
    const body = `Answer lost on the way back ${scenario.id}`;
    let cut = 0;
    // The request reaches the server, which stores the message; its answer never reaches the page.
    await pageA.route('**/graphql', async (route) => {
      if (cut === 0 && (route.request().postData() ?? '').includes('mutation SendMessage')) {
        cut += 1;
        await route.fetch();
        await route.abort('connectionreset');
      } else {
        await route.fallback();
      }
    });
    await composer.fill(body);
    await composer.press('Enter');
    await chat.events.waitFor('the message whose answer was lost', is.message(body, 'AGENT'));
    await expect(log.locator('.message.pending')).toHaveCount(0, { timeout: 30_000 });
    expect(cut).toBe(1);
    await pageA.unrouteAll({ behavior: 'wait' });
    await expect(log.getByText(body, { exact: true })).toHaveCount(1);
    expect(await storedCount(body)).toBe(1);
    expect(chat.events.matching(is.message(body))).toHaveLength(1);
  });

  test('after a dropped connection, what the visitor sent meanwhile appears once', async ({ browser }) => {
    // Another tab of the owner's, whose WebSockets the test can cut like a lost network would.
    const context = await newContext(browser, scenario.guard, scenario.owner.session);
    scenario.contexts.push(context);
    const network = new SocketSwitch();
    await network.install(context, scenario.guard);
    const page = await context.newPage();
    await page.goto(`/inbox/${chat.conversationId}`);
    const list = page.getByRole('log', { name: 'Messages' });
    await expect(list.getByText('My order has not arrived.')).toBeVisible();
    await expect.poll(() => network.connections).toBe(1);
    const banner = page.getByRole('status').filter({ hasText: 'Connection lost' });
    await expect(banner).toHaveCount(0);

    await network.cut();
    await expect(banner).toBeVisible();
    const body = `Written during the drop ${scenario.id}`;
    await chat.visitor.send(body);
    expect(await storedCount(body)).toBe(1);
    await expect(list.getByText(body)).toHaveCount(0);

    network.restore();
    await expect(banner).toHaveCount(0, { timeout: 30_000 });
    await expect(list.getByText(body, { exact: true })).toHaveCount(1);
    // Everything the server has, once each, in order.
    const stored = await messagesOf(chat.conversationId, scenario.owner.session.token);
    await expect(list.locator('.message:not(.pending) .body')).toHaveText(stored.map((m) => m.body));
    // Still live after the resume.
    await chat.visitor.send('Are you still there?');
    await expect(list.getByText('Are you still there?', { exact: true })).toHaveCount(1);
  });

  test('every request went to the server’s own origin', () => {
    scenario.guard.expectOwnOriginOnly();
  });
});

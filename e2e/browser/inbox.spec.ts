import { expect, test } from '@playwright/test';
import { screenshot } from './lib/browser.js';
import { screenshotPath } from './lib/paths.js';
import { escapeRegExp, is, openScenario, startChat, visitorName, type Chat, type Scenario } from './lib/scenario.js';

/** A visitor starts a conversation: it reaches the agent's inbox live, and the agent opens it. */
test.describe.serial('inbox', () => {
  let scenario: Scenario;
  let chat: Chat;
  const firstBody = 'Hello! Do you ship to Norway?';

  test.beforeAll(async ({ browser }) => {
    scenario = await openScenario(browser);
  });

  test.afterAll(async () => {
    await chat?.visitor.close();
    await scenario?.close();
  });

  test('a new conversation appears live, with the unread count in the tab title', async () => {
    const { pageA } = scenario;
    await expect(pageA.getByText('No conversations here.')).toBeVisible();
    await expect(pageA).toHaveTitle(`${scenario.company} · Livechat`);
    // A flag on the window outlives nothing but this very document: it proves there was no reload.
    await pageA.evaluate(() => Object.assign(window, { e2eSameDocument: true }));

    chat = await startChat(scenario, firstBody);

    const item = pageA.locator('.conversation-item').filter({ hasText: visitorName });
    await expect(item).toBeVisible();
    await expect(item).toContainText(firstBody);
    await expect(item.getByLabel('1 unread')).toHaveText('1');
    await expect(pageA.getByRole('navigation', { name: 'Main' }).getByLabel('1 unread')).toHaveText('1');
    await expect(pageA).toHaveTitle(`(1) ${scenario.company} · Livechat`);
    expect(await pageA.evaluate(() => 'e2eSameDocument' in window)).toBe(true);
  });

  test('the agent opens it and sees the message', async () => {
    const { pageA } = scenario;
    await pageA.locator('.conversation-item').filter({ hasText: visitorName }).click();
    await expect(pageA).toHaveURL(new RegExp(`/inbox/${escapeRegExp(chat.conversationId)}$`));
    const conversation = pageA.getByRole('region', { name: `Conversation with ${visitorName}` });
    await expect(conversation.getByRole('heading', { level: 2 })).toContainText(visitorName);
    await expect(conversation.getByRole('log', { name: 'Messages' }).getByText(firstBody, { exact: true })).toBeVisible();
    await expect(conversation.getByRole('textbox', { name: 'Message', exact: true })).toBeVisible();
    // The agent has read it: the visitor is told.
    await chat.events.waitFor('MessagesRead by an agent', is.read('AGENT', chat.first.seq));
    await screenshot(pageA, 'conversation.png');
  });

  test('the visitor panel shows who the agent is talking to', async () => {
    const panel = scenario.pageA.locator('aside[aria-label="Visitor"]');
    await expect(panel).toBeVisible();
    await expect(panel).toContainText(visitorName);
    await panel.screenshot({ path: screenshotPath('visitor-panel.png') });
  });

  test('reading the conversation clears its unread count and the tab title', async () => {
    const { pageA } = scenario;
    await expect(pageA.locator('.conversation-item').filter({ hasText: visitorName }).locator('.badge')).toHaveCount(0);
    await expect(pageA.getByRole('navigation', { name: 'Main' }).locator('.badge')).toHaveCount(0);
    await expect(pageA).toHaveTitle(`${scenario.company} · Livechat`);
  });

  test('every request went to the server’s own origin', () => {
    scenario.guard.expectOwnOriginOnly();
  });
});

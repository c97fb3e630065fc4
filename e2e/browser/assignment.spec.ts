import { expect, test, type BrowserContext, type Page } from '@playwright/test';
import { newContext } from './lib/browser.js';
import { is, openScenario, startChat, visitorName, type Agent, type Chat, type Scenario } from './lib/scenario.js';

/** The owner hands the conversation to a colleague, whose "Mine" inbox shows it; then closes it. */
test.describe.serial('assignment', () => {
  let scenario: Scenario;
  let chat: Chat;
  let colleague: Agent;
  let contextB: BrowserContext;
  let pageB: Page;

  test.beforeAll(async ({ browser }) => {
    scenario = await openScenario(browser, { colleague: true });
    if (!scenario.colleague) throw new Error('the scenario has no second agent');
    colleague = scenario.colleague;
    contextB = await newContext(browser, scenario.guard, colleague.session);
    scenario.contexts.push(contextB);
    pageB = await contextB.newPage();
    chat = await startChat(scenario, 'I would like to change my plan.');
    await scenario.pageA.goto(`/inbox/${chat.conversationId}`);
    await expect(scenario.pageA.getByRole('log', { name: 'Messages' }).getByText('I would like to change my plan.')).toBeVisible();
  });

  test.afterAll(async () => {
    await chat?.visitor.close();
    await scenario?.close();
  });

  test('assigning it to a colleague puts it in their “Mine” inbox, live', async () => {
    await pageB.goto('/inbox');
    await expect(pageB.getByText(colleague.name, { exact: true })).toBeVisible();
    await pageB.getByRole('radio', { name: 'Mine' }).check();
    await expect(pageB).toHaveURL(/[?&]assignment=MINE/);
    await expect(pageB.getByRole('radio', { name: 'Mine' })).toBeChecked();
    await expect(pageB.getByText('No conversations here.')).toBeVisible();

    const assignee = scenario.pageA.getByRole('combobox', { name: 'Assignee' });
    await expect(assignee).toHaveValue('');
    await assignee.selectOption({ label: colleague.name });
    await chat.events.waitFor(`ConversationUpdated assigned to ${colleague.name}`, is.updated((c) => c.assignee?.name === colleague.name));
    await expect(assignee).toHaveValue(colleague.session.agentId);

    const item = pageB.locator('.conversation-item').filter({ hasText: visitorName });
    await expect(item).toBeVisible();
    await expect(item).toContainText('I would like to change my plan.');
    await expect(item.locator('.assignee')).toHaveText(colleague.name);
    await item.click();
    await expect(pageB.getByRole('log', { name: 'Messages' }).getByText('I would like to change my plan.')).toBeVisible();
    await expect(pageB.getByRole('combobox', { name: 'Assignee' })).toHaveValue(colleague.session.agentId);
  });

  test('closing it tells the visitor, and the button offers to reopen', async () => {
    const { pageA } = scenario;
    await pageA.getByRole('button', { name: 'Close conversation' }).click();
    await chat.events.waitFor('ConversationUpdated with status CLOSED', is.updated((c) => c.status === 'CLOSED'));
    await expect(pageA.getByRole('button', { name: 'Reopen conversation' })).toBeVisible();
    await expect(pageA.getByRole('button', { name: 'Close conversation' })).toHaveCount(0);
    // It leaves the open inboxes, live, and the colleague's view of it follows.
    await expect(pageA.locator('.conversation-item').filter({ hasText: visitorName })).toHaveCount(0);
    await expect(pageB.locator('.conversation-item').filter({ hasText: visitorName })).toHaveCount(0);
    await expect(pageB.getByRole('button', { name: 'Reopen conversation' })).toBeVisible();
  });

  test('every request went to the server’s own origin', () => {
    scenario.guard.expectOwnOriginOnly();
  });
});

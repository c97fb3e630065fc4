import { expect, test, type Locator } from '@playwright/test';
import { messagesOf } from './lib/api.js';
import { is, openScenario, startChat, visitorName, type Chat, type Scenario } from './lib/scenario.js';

/** The agent and the visitor talk: messages, typing and read receipts, live both ways. */
test.describe.serial('chat', () => {
  let scenario: Scenario;
  let chat: Chat;
  let log: Locator;
  let composer: Locator;
  let replyId = '';
  const reply = 'Line one of the answer\nand line two';

  test.beforeAll(async ({ browser }) => {
    scenario = await openScenario(browser);
    chat = await startChat(scenario, 'Is anybody there?');
    const { pageA } = scenario;
    await pageA.goto(`/inbox/${chat.conversationId}`);
    log = pageA.getByRole('log', { name: 'Messages' });
    composer = pageA.getByRole('textbox', { name: 'Message', exact: true });
    await expect(log.getByText('Is anybody there?')).toBeVisible();
    await pageA.evaluate(() => Object.assign(window, { e2eSameDocument: true }));
  });

  test.afterAll(async () => {
    await chat?.visitor.close();
    await scenario?.close();
  });

  test('Shift+Enter starts a new line; Enter sends, and the visitor receives it live', async () => {
    await composer.fill('Line one of the answer');
    await composer.press('Shift+Enter');
    await composer.pressSequentially('and line two');
    await expect(composer).toHaveValue(reply);
    // Nothing was sent by Shift+Enter: no pending message, nothing new in the list.
    await expect(log.locator('.message.from-agent')).toHaveCount(0);

    await composer.press('Enter');
    const received = await chat.events.waitFor('the agent’s reply', is.message(reply, 'AGENT'));
    replyId = received.message.id;
    await expect(composer).toHaveValue('');
    const shown = log.locator('.message.from-agent');
    await expect(shown).toHaveCount(1);
    await expect(shown.locator('.body')).toHaveText(/^Line one of the answer\s+and line two$/);
    // Its two lines are shown as two lines.
    expect(await shown.locator('.body').evaluate((el) => (el as HTMLElement).innerText)).toBe(reply);
    // One message, with both lines: Shift+Enter sent nothing of its own.
    const stored = await messagesOf(chat.conversationId, scenario.owner.session.token);
    expect(stored.filter((m) => m.authorKind === 'AGENT').map((m) => m.body)).toEqual([reply]);
    expect(chat.events.matching((e) => e.__typename === 'MessageAdded' && e.message.authorKind === 'AGENT')).toHaveLength(1);
  });

  test('the visitor’s next message appears in the agent’s list without a reload', async () => {
    await chat.visitor.send('Great, thank you!');
    await expect(log.getByText('Great, thank you!', { exact: true })).toBeVisible();
    await expect(log.locator('.message.from-visitor')).toHaveCount(2);
    expect(await scenario.pageA.evaluate(() => 'e2eSameDocument' in window)).toBe(true);
  });

  test('each side sees the other typing', async () => {
    const { pageA } = scenario;
    const typing = pageA.getByRole('status').filter({ hasText: 'is typing' });
    await chat.visitor.setTyping(true);
    await expect(typing).toHaveText(`${visitorName} is typing…`);
    await chat.visitor.setTyping(false);
    await expect(typing).toHaveCount(0);

    const from = chat.events.mark();
    await composer.pressSequentially('Let me check', { delay: 20 });
    const started = await chat.events.waitFor('TypingChanged (agent, typing)', is.typing('AGENT', true), { from });
    expect(started.agent?.name).toBe(scenario.owner.name);
    await composer.fill('');
    await chat.events.waitFor('TypingChanged (agent, stopped)', is.typing('AGENT', false), { from });
  });

  test('the agent sees when the visitor has read the reply', async () => {
    const message = log.locator('.message.from-agent').filter({ hasText: 'Line one of the answer' });
    await expect(message.getByText('Seen')).toHaveCount(0);
    await chat.visitor.markRead(replyId);
    await expect(message.getByText('Seen', { exact: true })).toBeVisible();
  });

  test('every request went to the server’s own origin', () => {
    scenario.guard.expectOwnOriginOnly();
  });
});

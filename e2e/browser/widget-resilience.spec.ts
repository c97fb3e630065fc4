import { expect, test, type Locator } from '@playwright/test';
import { messagesOf, widgetKey } from './lib/api.js';
import { screenshot } from './lib/browser.js';
import { SocketSwitch } from './lib/network.js';
import { escapeRegExp, openScenario, type Scenario } from './lib/scenario.js';
import { agentsOnline, blockStorage, conversationsOf, expectFollowing, openWidgetVisitor, setPresence } from './lib/widget.js';

/**
 * The widget under a lost connection, without storage, and with nobody to answer: messages
 * reach the other side once each and in order, and the offline form takes a message.
 */
test.describe.serial('widget resilience', () => {
  let scenario: Scenario;
  let key = '';

  test.beforeAll(async ({ browser }) => {
    scenario = await openScenario(browser);
    key = await widgetKey(scenario.owner.session.token);
  });

  test.afterAll(async () => {
    await scenario?.close();
  });

  /** The agent opens the conversation whose inbox line shows `text`; returns its message list and box. */
  async function agentOpens(text: string): Promise<{ conversationId: string; log: Locator; composer: Locator }> {
    const { pageA } = scenario;
    await pageA.locator('.conversation-item').filter({ hasText: text }).click();
    await expect(pageA).toHaveURL(/\/inbox\/[^/?]+$/);
    const conversationId = decodeURIComponent(new URL(pageA.url()).pathname.split('/').pop()!);
    await expect(pageA).toHaveURL(new RegExp(`/inbox/${escapeRegExp(conversationId)}$`));
    const log = pageA.getByRole('log', { name: 'Messages' });
    await expect(log.getByText(text, { exact: true })).toBeVisible();
    return { conversationId, log, composer: pageA.getByRole('textbox', { name: 'Message', exact: true }) };
  }

  test('the widget’s socket is cut mid-conversation and restored: nothing is lost or doubled', async ({ browser }) => {
    const network = new SocketSwitch();
    const { widget, problems } = await openWidgetVisitor(browser, scenario.guard, key, { contexts: scenario.contexts, network });
    const token = scenario.owner.session.token;
    await widget.open();
    const opening = `My bike has a flat tyre ${scenario.id}`;
    await widget.send(opening);
    const agent = await agentOpens(opening);
    const help = 'Sorry to hear that! Which model is it?';
    await agent.composer.fill(help);
    await agent.composer.press('Enter');
    await expect(widget.theirs(help)).toHaveCount(1);
    await expect(widget.connection).toBeHidden();

    await network.cut();
    await expect(widget.connection).toBeVisible();
    await expect(widget.connection).toHaveText('Connecting…');
    const visitorBodies = ['It is the City 3.', 'Bought last spring.'];
    for (const body of visitorBodies) await widget.send(body);
    for (const body of visitorBodies) await expect(widget.mine(body).locator('.n')).toHaveText('Sending…');
    // Meanwhile the agent writes: the dashboard has it, the cut-off widget not yet.
    const meanwhile = 'Is the valve a Presta one?';
    await agent.composer.fill(meanwhile);
    await agent.composer.press('Enter');
    await expect(agent.log.locator('.message:not(.pending)').filter({ hasText: meanwhile })).toHaveCount(1);
    let stored = await messagesOf(agent.conversationId, token);
    expect(stored.map((m) => m.body)).toEqual([opening, help, meanwhile]);
    await expect(widget.theirs(meanwhile)).toHaveCount(0);
    for (const body of visitorBodies) await expect(widget.mine(body).locator('.n')).toHaveText('Sending…');

    network.restore();
    await expect(widget.connection).toBeHidden({ timeout: 30_000 });
    await expect(widget.theirs(meanwhile)).toHaveCount(1);
    for (const body of visitorBodies) await expect(widget.mine(body)).toHaveCount(1);
    await expect(widget.log.getByText('Sending…')).toHaveCount(0);

    // The server has each once, the visitor's two in the order typed (after the agent's, sent first).
    await expect.poll(async () => (await messagesOf(agent.conversationId, token)).length).toBe(5);
    stored = await messagesOf(agent.conversationId, token);
    expect(stored.map((m) => m.body)).toEqual([opening, help, meanwhile, ...visitorBodies]);
    // The widget and the dashboard show exactly what the server has, once each, in its order.
    await expect(widget.bodies()).toHaveText(stored.map((m) => m.body));
    await expect(agent.log.locator('.message:not(.pending) .body')).toHaveText(stored.map((m) => m.body));
    for (const body of visitorBodies) await expect(agent.log.getByText(body, { exact: true })).toHaveCount(1);

    // Still live both ways after the resume.
    await widget.send('Yes, Presta.');
    await expect(agent.log.getByText('Yes, Presta.', { exact: true })).toHaveCount(1);
    await agent.composer.fill('Then any Presta tube fits.');
    await agent.composer.press('Enter');
    await expect(widget.theirs('Then any Presta tube fits.')).toHaveCount(1);
    expect(problems).toEqual([]);
  });

  test('with localStorage and sessionStorage blocked, the visitor still chats both ways', async ({ browser }) => {
    const { widget, page, problems, operations } = await openWidgetVisitor(browser, scenario.guard, key, {
      contexts: scenario.contexts,
      initScript: blockStorage,
    });
    // The page really has no storage.
    const access = await page.evaluate(() =>
      ['localStorage', 'sessionStorage'].map((name) => {
        try {
          return (window as unknown as Record<string, Storage>)[name]!.length >= 0 ? `${name} readable` : name;
        } catch (error) {
          return `${name}: ${(error as DOMException).name}`;
        }
      }),
    );
    expect(access).toEqual(['localStorage: SecurityError', 'sessionStorage: SecurityError']);

    await widget.open();
    const question = `Can I pick my order up in the shop? ${scenario.id}`;
    await widget.send(question);
    await expect(widget.mine(question).locator('.n')).toHaveText('');
    await expectFollowing(operations);
    const agent = await agentOpens(question);
    await expect(widget.mine(question).locator('.n')).toHaveText('Seen');
    const answer = 'Of course: any day from 9 to 5.';
    await agent.composer.fill(answer);
    await agent.composer.press('Enter');
    await expect(widget.theirs(answer)).toHaveCount(1);
    await widget.send('Great, see you tomorrow.');
    await expect(agent.log.getByText('Great, see you tomorrow.', { exact: true })).toHaveCount(1);
    const stored = await messagesOf(agent.conversationId, scenario.owner.session.token);
    expect(stored.map((m) => m.body)).toEqual([question, answer, 'Great, see you tomorrow.']);
    expect(problems).toEqual([]);
  });

  test('with no agent online, a new visitor leaves a message in the offline form', async ({ browser }) => {
    const { contextA, owner } = scenario;
    // The agent closes the dashboard and goes offline.
    scenario.contexts.splice(scenario.contexts.indexOf(contextA), 1);
    await contextA.close();
    await setPresence(owner.session.token, 'OFFLINE');
    await expect.poll(() => agentsOnline(key)).toBe(false);

    const { widget, page, problems } = await openWidgetVisitor(browser, scenario.guard, key, { contexts: scenario.contexts });
    await widget.open();
    await expect(widget.panel.getByText("We're away right now. Leave a message and we'll answer by email.")).toBeVisible();
    await expect(widget.subtitle).toHaveText("We'll answer by email.");
    await expect(widget.composer).toBeHidden();
    const name = 'Olga Offline';
    const email = `olga-${scenario.id}@example.org`;
    const body = 'Please call me back about a cargo bike.';
    await widget.panel.getByRole('textbox', { name: /^Name/ }).fill(name);
    await widget.panel.getByRole('textbox', { name: /^Email/ }).fill(email);
    await widget.panel.getByRole('textbox', { name: /^Message/ }).fill(body);
    await screenshot(page, 'widget-offline.png');
    await widget.panel.getByRole('button', { name: 'Send message' }).click();
    await expect(widget.panel.getByRole('status').filter({ hasText: 'Thanks!' })).toHaveText(`Thanks! We'll answer by email at ${email}.`);

    // The server has it as a conversation of a visitor with that name and email.
    await expect
      .poll(async () =>
        (await conversationsOf(owner.session.token))
          .filter((c) => c.visitor.email === email)
          .map((c) => ({ name: c.visitor.name, messages: c.messages.map((m) => [m.authorKind, m.body]) })),
      )
      .toEqual([{ name, messages: [['VISITOR', body]] }]);
    expect(problems).toEqual([]);
  });

  test('every request and socket of the pages went to the server’s own origin', () => {
    scenario.guard.expectOwnOriginOnly();
  });
});

import { expect, test, type Locator } from '@playwright/test';
import { messagesOf, widgetKey } from './lib/api.js';
import { screenshot } from './lib/browser.js';
import { SocketSwitch } from './lib/network.js';
import { SocketGate } from './lib/socket-gate.js';
import { escapeRegExp, openScenario, type Scenario } from './lib/scenario.js';
import {
  conversationsOf,
  expectFollowing,
  markReadAsAgent,
  openWidgetVisitor,
  sendAsAgent,
  updateWidgetSettings,
  visitorsOf,
  type WidgetVisitor,
  type WidgetWindow,
} from './lib/widget.js';

/**
 * The widget on a host page (the server's /demo) and the agent in the dashboard talk: the
 * pre-chat form, messages, typing and "Seen" both ways, the history after a reload, and the
 * widget's JavaScript API.
 */
test.describe.serial('widget chat', () => {
  let scenario: Scenario;
  let key = '';
  let visitor: WidgetVisitor;
  let conversationId = '';
  let visitorId = '';
  let agentLog: Locator;
  let agentComposer: Locator;
  const greeting = 'Hi! How can we help?';
  const visitorName = 'Eva Widget';
  const firstBody = 'Hello! Do you ship bikes to Norway?';
  const secondBody = 'And how long does it take?';
  const reply = 'Yes, we do: about a week.';

  test.beforeAll(async ({ browser }) => {
    scenario = await openScenario(browser);
    key = await widgetKey(scenario.owner.session.token);
    await updateWidgetSettings(scenario.owner.session.token, {
      preChatFields: [
        { name: 'NAME', required: true },
        { name: 'EMAIL', required: false },
      ],
      greeting,
      color: '#aa3300',
    });
  });

  test.afterAll(async () => {
    await scenario?.close();
  });

  test('the pre-chat form asks for the name (required) before the first message', async ({ browser }) => {
    visitor = await openWidgetVisitor(browser, scenario.guard, key, { contexts: scenario.contexts });
    const { widget, page } = visitor;
    await expect(widget.launcher).toHaveAccessibleName('Open chat');
    await widget.open();
    await expect(widget.panel).toHaveAccessibleName('Chat');
    await expect(widget.title).toHaveText('Chat with us');
    // (That the greeting shows above this form too is the last test of this file.)

    const name = widget.panel.getByRole('textbox', { name: /^Name/ });
    const email = widget.panel.getByRole('textbox', { name: /^Email/ });
    const start = widget.panel.getByRole('button', { name: 'Start chat' });
    await expect(widget.panel.getByText('Before we start, please tell us who you are.')).toBeVisible();
    await expect(name).toBeFocused();
    await expect(widget.composer).toBeHidden();

    // The name is required: sent empty, the form says so and goes nowhere.
    await start.click();
    await expect(widget.panel.locator('#lc-name-e')).toHaveText('Please fill this in.');
    await expect(name).toHaveAttribute('aria-invalid', 'true');
    await expect(name).toHaveAccessibleDescription('Please fill this in.');
    // The email is optional: no complaint about it being empty.
    await expect(widget.panel.locator('#lc-email-e')).toHaveText('');
    await expect(email).toHaveAttribute('aria-invalid', 'false');
    await expect(start).toBeVisible();

    await name.fill(visitorName);
    await email.fill(`eva-${scenario.id}@example.net`);
    await screenshot(page, 'widget-prechat.png');
    await start.click();
    await expect(widget.composer).toBeVisible();
    await expect(widget.composer).toBeFocused();
    await expect(widget.panel.getByText(greeting, { exact: true }).filter({ visible: true })).toBeVisible();
    // The visitor has the details given; nothing is a conversation yet: the first message starts it.
    const visitors = await visitorsOf(scenario.owner.session.token);
    expect(visitors.filter((v) => v.name === visitorName).map((v) => v.email)).toEqual([`eva-${scenario.id}@example.net`]);
    visitorId = visitors.find((v) => v.name === visitorName)!.id;
    expect(await conversationsOf(scenario.owner.session.token)).toEqual([]);
  });

  test('the first message reaches the agent’s inbox live, under the visitor’s name', async () => {
    const { widget } = visitor;
    const { pageA } = scenario;
    await pageA.evaluate(() => Object.assign(window, { e2eSameDocument: true }));
    await widget.send(firstBody);
    await expect(widget.mine(firstBody)).toHaveCount(1);

    const item = pageA.locator('.conversation-item').filter({ hasText: visitorName });
    await expect(item).toBeVisible();
    await expect(item).toContainText(firstBody);
    await expect(item.getByLabel('1 unread')).toHaveText('1');
    expect(await pageA.evaluate(() => 'e2eSameDocument' in window)).toBe(true);

    const conversations = await conversationsOf(scenario.owner.session.token);
    expect(conversations).toHaveLength(1);
    conversationId = conversations[0]!.id;
    expect(conversations[0]!.visitor).toEqual({ id: visitorId, name: visitorName, email: `eva-${scenario.id}@example.net` });
    expect(conversations[0]!.messages.map((m) => [m.authorKind, m.body])).toEqual([['VISITOR', firstBody]]);
  });

  test('the agent opens it: “Seen” in the widget, typing both ways, the reply with the agent’s name', async () => {
    const { widget, page } = visitor;
    const { pageA, owner } = scenario;
    await expectFollowing(visitor.operations);
    await pageA.locator('.conversation-item').filter({ hasText: visitorName }).click();
    await expect(pageA).toHaveURL(new RegExp(`/inbox/${escapeRegExp(conversationId)}$`));
    const conversation = pageA.getByRole('region', { name: `Conversation with ${visitorName}` });
    agentLog = conversation.getByRole('log', { name: 'Messages' });
    agentComposer = conversation.getByRole('textbox', { name: 'Message', exact: true });
    await expect(agentLog.getByText(firstBody, { exact: true })).toBeVisible();

    // The agent has read it: the widget says so under the visitor's message.
    await expect(widget.mine(firstBody).locator('.n')).toHaveText('Seen');

    // The visitor types: the agent sees it; sending ends it.
    const visitorTyping = conversation.getByRole('status').filter({ hasText: 'is typing' });
    await expect(visitorTyping).toHaveCount(0);
    await widget.composer.pressSequentially(secondBody.slice(0, 12), { delay: 15 });
    await expect(visitorTyping).toHaveText(`${visitorName} is typing…`);
    await widget.composer.pressSequentially(secondBody.slice(12));
    await widget.composer.press('Enter');
    await expect(agentLog.getByText(secondBody, { exact: true })).toBeVisible();
    await expect(visitorTyping).toHaveCount(0);

    // The agent types: the widget shows who.
    await expect(widget.typing).toHaveText('');
    await agentComposer.pressSequentially(reply.slice(0, 10), { delay: 15 });
    await expect(widget.typing).toHaveText(`${owner.name} is typing…`);
    await agentComposer.pressSequentially(reply.slice(10));
    await agentComposer.press('Enter');

    const shown = widget.theirs(reply);
    await expect(shown).toHaveCount(1);
    await expect(shown.locator('.au')).toHaveText(owner.name);
    await expect(widget.typing).toHaveText('');
    // The header now names the agent who answered.
    await expect(widget.title).toHaveText(owner.name);
    await expect(widget.bodies()).toHaveText([firstBody, secondBody, reply]);
    // "Seen" moved to the visitor's newest message the agent has read.
    await expect(widget.mine(secondBody).locator('.n')).toHaveText('Seen');
    await expect(widget.mine(firstBody).locator('.n')).toHaveText('');

    await screenshot(page, 'widget-chat.png');
    await screenshot(pageA, 'dashboard-widget-chat.png');
    expect(visitor.problems).toEqual([]);
  });

  test('after a reload the widget shows the history, and the chat goes on in the same conversation', async () => {
    const { widget, page } = visitor;
    const { pageA, owner } = scenario;
    await page.reload();
    await widget.open();
    // The same visitor: no pre-chat form again, the conversation as it was.
    await expect(widget.composer).toBeVisible();
    await expect(widget.panel.getByRole('button', { name: 'Start chat' })).toHaveCount(0);
    await expect(widget.bodies()).toHaveText([firstBody, secondBody, reply]);
    await expect(widget.theirs(reply).locator('.au')).toHaveText(owner.name);
    await expect(widget.title).toHaveText(owner.name);

    const after = 'Back after a reload: is the price the same?';
    await widget.send(after);
    await expect(agentLog.getByText(after, { exact: true })).toHaveCount(1);
    // Still one visitor with one conversation, in the dashboard and on the server.
    await expect(pageA.locator('.conversation-item')).toHaveCount(1);
    await expect(pageA.locator('.conversation-item')).toContainText(visitorName);
    const conversations = await conversationsOf(owner.session.token);
    expect(conversations.map((c) => [c.id, c.visitor.id])).toEqual([[conversationId, visitorId]]);
    expect((await visitorsOf(owner.session.token)).filter((v) => v.name === visitorName).map((v) => v.id)).toEqual([visitorId]);
    const stored = await messagesOf(conversationId, owner.session.token);
    expect(stored.map((m) => m.body)).toEqual([firstBody, secondBody, reply, after]);

    // And live both ways still.
    const answer = 'The same price, yes.';
    await agentComposer.fill(answer);
    await agentComposer.press('Enter');
    await expect(widget.theirs(answer)).toHaveCount(1);
    expect(visitor.problems).toEqual([]);
  });

  test('the JavaScript API: open, close, identify, setLocale and onMessage', async ({ browser }) => {
    const { owner } = scenario;
    const other = await openWidgetVisitor(browser, scenario.guard, key, { contexts: scenario.contexts });
    const { widget, page } = other;

    await page.evaluate(() => (window as unknown as WidgetWindow).LiveChat!.open());
    await expect(widget.panel).toBeVisible();
    await expect(widget.launcher).toHaveAccessibleName('Close chat');
    // A new visitor: the pre-chat form first.
    await expect(widget.panel.getByRole('button', { name: 'Start chat' })).toBeVisible();
    await page.evaluate(() => (window as unknown as WidgetWindow).LiveChat!.close());
    await expect(widget.panel).toBeHidden();
    await expect(widget.launcher).toHaveAccessibleName('Open chat');

    // identify() stores the visitor's details: the pre-chat form is no longer needed.
    const name = 'Jana Nováková';
    const email = `jana-${scenario.id}@example.com`;
    expect(await page.evaluate(([n, e]) => (window as unknown as WidgetWindow).LiveChat!.identify({ name: n, email: e }), [name, email] as const)).toBe(true);
    const visitors = await visitorsOf(owner.session.token);
    expect(visitors.filter((v) => v.name === name).map((v) => v.email)).toEqual([email]);
    await page.evaluate(() => (window as unknown as WidgetWindow).LiveChat!.open());
    await expect(widget.composer).toBeVisible();
    await expect(widget.title).toHaveText('Chat with us');
    await expect(widget.subtitle).toHaveText('We usually reply within minutes.');

    // setLocale('cs'): the widget speaks Czech.
    await page.evaluate(() => (window as unknown as WidgetWindow).LiveChat!.setLocale('cs'));
    await expect(widget.title).toHaveText('Napište nám');
    await expect(widget.subtitle).toHaveText('Obvykle odpovídáme během pár minut.');
    await expect(widget.launcher).toHaveAccessibleName('Zavřít chat');
    const czechComposer = widget.panel.getByRole('textbox', { name: 'Zpráva', exact: true });
    await expect(czechComposer).toHaveAttribute('placeholder', 'Napište zprávu…');

    // onMessage(cb) is called with the agents' messages (not the visitor's own).
    await page.evaluate(() => {
      const received: unknown[] = [];
      Object.assign(window, { e2eReceived: received });
      (window as unknown as WidgetWindow).LiveChat!.onMessage((message) => received.push(message));
    });
    const question = 'Dobrý den, máte otevřeno i v sobotu?';
    await czechComposer.fill(question);
    await czechComposer.press('Enter');
    await expect(widget.mine(question)).toHaveCount(1);
    const conversation = (await conversationsOf(owner.session.token)).find((c) => c.visitor.name === name);
    expect(conversation?.messages.map((m) => m.body)).toEqual([question]);
    // (Once the widget follows the new conversation: an answer sooner is an edge case below.)
    await expectFollowing(other.operations);
    const answer = 'Ano, v sobotu do poledne.';
    await sendAsAgent(owner.session.token, conversation!.id, answer);
    await expect(widget.theirs(answer)).toHaveCount(1);
    const received = () => page.evaluate(() => (window as unknown as { e2eReceived: unknown[] }).e2eReceived);
    await expect.poll(received).toEqual([{ body: answer, authorKind: 'AGENT', agentName: owner.name, createdAt: expect.any(String) }]);
    expect(other.problems).toEqual([]);
  });

  test('every request and socket of the pages went to the server’s own origin', () => {
    scenario.guard.expectOwnOriginOnly();
  });
});

/**
 * What happens at the seams: the first moments of a new visitor, and what the agents do
 * while the widget is between two sockets or two steps. Each test stands on its own (not
 * serial), so that one failing skips nothing else.
 */
test.describe('widget edge cases', () => {
  let scenario: Scenario;
  let key = '';
  const greeting = 'Welcome to Acme Bikes!';

  test.beforeAll(async ({ browser }) => {
    scenario = await openScenario(browser);
    key = await widgetKey(scenario.owner.session.token);
    await updateWidgetSettings(scenario.owner.session.token, { preChatFields: [{ name: 'NAME', required: true }], greeting });
  });

  test.afterAll(async () => {
    await scenario?.close();
  });

  test('the greeting shows as soon as the chat opens, above the pre-chat form', async ({ browser }) => {
    const { widget } = await openWidgetVisitor(browser, scenario.guard, key, { contexts: scenario.contexts });
    await widget.open();
    await expect(widget.panel.getByRole('button', { name: 'Start chat' })).toBeVisible();
    // (The panel and its form are drawn at once: no need to wait long for what is not coming.)
    await expect(widget.panel.getByText(greeting, { exact: true }).filter({ visible: true })).toBeVisible({ timeout: 2_000 });
  });

  test('an agent’s answer right after the first message still reaches onMessage and the unread badge', async ({ browser }) => {
    const gate = new SocketGate();
    const { widget, page } = await openWidgetVisitor(browser, scenario.guard, key, { contexts: scenario.contexts, network: gate });
    const name = 'Rita Race';
    expect(await page.evaluate((n) => (window as unknown as WidgetWindow).LiveChat!.identify({ name: n }), name)).toBe(true);
    await page.evaluate(() => {
      const received: unknown[] = [];
      Object.assign(window, { e2eReceived: received });
      (window as unknown as WidgetWindow).LiveChat!.onMessage((message) => received.push(message));
    });
    await widget.open();
    // The first message starts the conversation; the widget then reads its history before
    // following it. The agent answers just then (the history query is held until they have).
    gate.hold((payload) => payload.includes('conversations(first:1)'));
    const question = 'Is the shop open on Sunday?';
    await widget.send(question);
    await expect.poll(() => gate.held.length).toBe(1);
    await page.evaluate(() => (window as unknown as WidgetWindow).LiveChat!.close());
    const conversation = (await conversationsOf(scenario.owner.session.token)).find((c) => c.visitor.name === name);
    expect(conversation?.messages.map((m) => m.body)).toEqual([question]);
    const answer = 'No, Monday to Saturday only.';
    await sendAsAgent(scenario.owner.session.token, conversation!.id, answer);
    gate.release();

    // The widget follows the conversation from then on (with the answer in the history it read).
    await expect.poll(() => gate.sent.some((frame) => frame.includes('conversationEvents('))).toBe(true);
    const received = () => page.evaluate(() => (window as unknown as { e2eReceived: { body: string }[] }).e2eReceived.map((m) => m.body));
    const soft = expect.configure({ soft: true, timeout: 2_000 });
    await soft.poll(received, { message: 'onMessage calls' }).toEqual([answer]);
    await soft(widget.launcher, 'the launcher counts the unread answer').toHaveAccessibleName('Open chat (1)');
    // It is shown, once.
    await widget.open();
    await expect(widget.bodies()).toHaveText([question, answer]);
  });

  test('a first page load makes one visitor on the server', async ({ browser }) => {
    const before = (await visitorsOf(scenario.owner.session.token)).length;
    const { operations } = await openWidgetVisitor(browser, scenario.guard, key, { contexts: scenario.contexts });
    // Everything the widget sent on starting has been answered.
    await expect.poll(() => operations.pending()).toEqual([]);
    expect.soft(await visitorsOf(scenario.owner.session.token), 'visitors on the server').toHaveLength(before + 1);
    expect.soft(operations.sent.filter((name) => name === 'mutation startVisitorSession'), 'startVisitorSession calls').toHaveLength(1);
  });

  test('an agent reading while the widget’s socket is down shows “Seen” once it is back', async ({ browser }) => {
    const network = new SocketSwitch();
    const { widget, page } = await openWidgetVisitor(browser, scenario.guard, key, { contexts: scenario.contexts, network });
    const token = scenario.owner.session.token;
    const name = 'Sam Seen';
    expect(await page.evaluate((n) => (window as unknown as WidgetWindow).LiveChat!.identify({ name: n }), name)).toBe(true);
    await widget.open();
    await widget.send('Hello, anyone there?');
    const conversation = (await conversationsOf(token)).find((c) => c.visitor.name === name);
    expect(conversation).toBeDefined();
    // The agent answers: once the widget shows it live, it follows the conversation.
    await sendAsAgent(token, conversation!.id, 'Yes, go ahead.');
    await expect(widget.theirs('Yes, go ahead.')).toHaveCount(1);
    const question = 'Do you repair e-bikes?';
    await widget.send(question);
    await expect(widget.mine(question).locator('.n')).toHaveText('');
    const stored = await messagesOf(conversation!.id, token);
    expect(stored.map((m) => m.body)).toEqual(['Hello, anyone there?', 'Yes, go ahead.', question]);

    await network.cut();
    await expect(widget.connection).toBeVisible();
    await markReadAsAgent(token, conversation!.id, stored[2]!.id);
    network.restore();
    await expect(widget.connection).toBeHidden({ timeout: 30_000 });
    // Back, the widget shows what it missed: the read receipt too.
    await expect.soft(widget.mine(question).locator('.n'), 'after the reconnect').toHaveText('Seen', { timeout: 5_000 });
    // (The server has it: a reload, which reads the history, shows it.)
    await page.reload();
    await widget.open();
    await expect(widget.mine(question).locator('.n'), 'after a reload').toHaveText('Seen');
  });
});

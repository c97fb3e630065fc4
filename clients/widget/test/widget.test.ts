// @vitest-environment jsdom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { mountHost } from '../src/ui/host.js';
import { createWidget, type LiveChatApi } from '../src/widget.js';
import { FakeServer, settle } from './fake-server.js';
import { memoryStore } from './memory-store.js';

type Page = { api: LiveChatApi; server: FakeServer; warnings: string[]; root: () => ShadowRoot };

/** One page load of a host page with the widget, against `server`, sharing `store` with other loads. */
function load(server: FakeServer, store = memoryStore()): Page {
  const warnings: string[] = [];
  let shadow: ShadowRoot | null = null;
  const api = createWidget({
    widgetKey: 'wk_test',
    apiOrigin: 'https://chat.example',
    store,
    connect: server.connect,
    mount: (left) => {
      const mounted = mountHost(document, left);
      shadow = mounted.root;
      return mounted;
    },
    warn: (message) => warnings.push(message),
  });
  return {
    api,
    server,
    warnings,
    root: () => {
      if (!shadow) throw new Error('not mounted');
      return shadow;
    },
  };
}

async function start(server = new FakeServer(), store = memoryStore()) {
  const page = load(server, store);
  server.open();
  await settle(60);
  return { ...page, store };
}

const $ = <T extends Element = HTMLElement>(root: ShadowRoot, selector: string) => root.querySelector<T>(selector)!;
const launcher = (root: ShadowRoot) => $<HTMLButtonElement>(root, 'button.ln');
const panel = (root: ShadowRoot) => $(root, '[role=dialog]');
const lines = (root: ShadowRoot) => [...root.querySelectorAll('[role=log] .m:not([hidden]) .b')].map((b) => b.textContent);
const textarea = (root: ShadowRoot) => $<HTMLTextAreaElement>(root, 'textarea#lc-t');

async function type(root: ShadowRoot, text: string) {
  const box = textarea(root);
  box.value = text;
  box.dispatchEvent(new Event('input', { bubbles: true }));
  box.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true }));
  await settle(60);
}

beforeEach(() => {
  document.body.innerHTML = '<main>host page</main>';
});
afterEach(() => {
  vi.useRealTimers();
});

describe('the widget', () => {
  it('starts an anonymous session, keeps the token and reconnects carrying it', async () => {
    const { server, root, store } = await start();
    expect(server.url).toBe('wss://chat.example/graphql');
    const [first] = server.callsOf('startVisitorSession');
    expect(first!.token).toBeNull();
    expect(first!.variables.input).toMatchObject({ widgetKey: 'wk_test', visitorToken: null, pageUrl: location.href });
    expect(store.map.get('livechat:wk_test:visitor')).toBe('lcv_1');
    expect(server.restarts).toBe(1);
    expect(server.callsOf('viewer')[0]!.token).toBe('lcv_1');
    // rendered in a shadow root on a host element that resets the page's styles
    const host = document.querySelector('livechat-widget') as HTMLElement;
    expect(host.shadowRoot).toBe(root());
    expect(host.style.getPropertyValue('position')).toBe('fixed');
    expect(host.style.getPropertyValue('z-index')).toBe('2147483000');
    expect(host.style.getPropertyPriority('position')).toBe('important');
    expect(root().querySelector('style')).not.toBeNull();
    expect(document.head.querySelector('style')).toBeNull();
    expect(launcher(root()).getAttribute('aria-label')).toBe('Open chat');
  });

  it('resumes a stored visitor without reconnecting, and its history survives a reload', async () => {
    const server = new FakeServer();
    const store = memoryStore();
    const one = await start(server, store);
    one.api.open();
    await settle();
    await type(one.root(), 'Hello there');
    one.api.close();
    await settle();
    server.agentSays('Hi! How can I help?');
    await settle();
    document.body.innerHTML = '';

    const two = await start(server, store);
    expect(server.restarts).toBe(1); // only the first page load had to swap its anonymous socket
    expect(server.callsOf('startVisitorSession')[1]!.variables.input).toMatchObject({ visitorToken: 'lcv_1' });
    expect(lines(two.root())).toEqual(['Hello! How can we help?', 'Hello there', 'Hi! How can I help?']);
    // the reply arrived while the panel was closed: unread on the launcher after the reload
    expect($(two.root(), '.bd').textContent).toBe('1');
  });

  it('chats: pending at once, confirmed, agent reply, header, typing, Seen, onMessage, unread', async () => {
    const { api, server, root } = await start();
    const received: unknown[] = [];
    api.onMessage((m) => received.push(m));
    api.open();
    await settle();
    expect(panel(root()).hidden).toBe(false);
    expect(panel(root()).getAttribute('aria-label')).toBe('Chat');
    expect(root().activeElement).toBe(textarea(root()));
    expect($(root(), '.tt').textContent).toBe('Chat with us');

    const box = textarea(root());
    box.value = 'Do you ship to Brno?';
    box.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true }));
    expect(box.value).toBe('');
    await Promise.resolve(); // drawn on the next microtask, before any answer
    expect(lines(root())).toContain('Do you ship to Brno?'); // shown before any answer, as pending
    expect($(root(), '.m.v .n').textContent).toBe('Sending…');
    await settle(60);
    const sent = server.callsOf('sendMessage')[0]!;
    expect(sent.variables.input).toMatchObject({ body: 'Do you ship to Brno?' });
    expect((sent.variables.input as { conversationId?: string }).conversationId).toBeUndefined();
    expect(server.callsOf('conversationEvents')[0]!.variables).toEqual({ id: 'C1', after: 'c1' });
    expect($(root(), '.m.v .n').textContent).toBe('');

    // typing, then the reply
    server.agentTyping(true);
    await settle();
    expect($(root(), '.ty').textContent).toBe('Alice is typing…');
    server.agentSays('Yes, we do.');
    await settle();
    expect($(root(), '.ty').textContent).toBe('');
    expect(lines(root())).toEqual(['Hello! How can we help?', 'Do you ship to Brno?', 'Yes, we do.']);
    expect($(root(), '.tt').textContent).toBe('Alice');
    expect($(root(), '.st').textContent).toBe('Support · Here to help');
    expect(received).toEqual([{ body: 'Yes, we do.', authorKind: 'AGENT', agentName: 'Alice', createdAt: expect.any(String) }]);
    // open and visible: read at once
    expect(server.callsOf('markRead').at(-1)!.variables.input).toEqual({ conversationId: 'C1', messageId: 'M2' });

    server.agentReads();
    await settle();
    expect($(root(), '.m.v .n').textContent).toBe('Seen');

    // closed: replies count on the badge
    api.close();
    await settle();
    server.agentSays('Anything else?');
    server.agentSays('Bye');
    await settle();
    expect($(root(), '.bd').hidden).toBe(false);
    expect($(root(), '.bd').textContent).toBe('2');
    expect(launcher(root()).getAttribute('aria-label')).toBe('Open chat (2)');
    api.open();
    await settle();
    expect($(root(), '.bd').hidden).toBe(true);
  });

  it('sends typing only within a conversation: on, renewed, off when sent', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const { api, server, root } = await start();
    api.open();
    await settle();
    textarea(root()).dispatchEvent(new Event('input', { bubbles: true }));
    await settle();
    expect(server.callsOf('setTyping')).toHaveLength(0); // no conversation yet
    await type(root(), 'first');
    const box = textarea(root());
    box.value = 'sec';
    box.dispatchEvent(new Event('input', { bubbles: true }));
    await settle();
    expect(server.callsOf('setTyping').map((c) => (c.variables.input as { isTyping: boolean }).isTyping)).toEqual([true]);
    vi.advanceTimersByTime(3100);
    box.dispatchEvent(new Event('input', { bubbles: true }));
    await settle();
    expect(server.callsOf('setTyping')).toHaveLength(2);
    vi.advanceTimersByTime(4100);
    await settle();
    expect(server.callsOf('setTyping').map((c) => (c.variables.input as { isTyping: boolean }).isTyping)).toEqual([true, true, false]);
  });

  it('loses and doubles nothing across a dead socket: queued sends, resubscribe after the last cursor', async () => {
    const { api, server, root } = await start();
    api.open();
    await settle();
    await type(root(), 'one');
    server.agentSays('reply one');
    await settle();
    server.drop();
    await settle();
    expect($(root(), '.cn').hidden).toBe(false); // "Connecting…"
    // written while the socket is down: shown, kept, not sent yet
    await type(root(), 'two');
    await type(root(), 'three');
    server.agentSays('missed while down');
    expect(lines(root())).toEqual(['Hello! How can we help?', 'one', 'reply one', 'two', 'three']);
    server.open();
    await settle(80);
    expect($(root(), '.cn').hidden).toBe(true);
    // resubscribed from the last cursor it had seen (reply one = seq 2)
    expect(server.callsOf('conversationEvents').map((c) => c.variables.after)).toEqual(['c1', 'c2']);
    expect(lines(root())).toEqual(['Hello! How can we help?', 'one', 'reply one', 'missed while down', 'two', 'three']);
    const sends = server.callsOf('sendMessage').map((c) => (c.variables.input as { body: string }).body);
    expect(sends).toEqual(['one', 'two', 'three']);
    expect(server.conversation!.messages.map((m) => m.body)).toEqual(['one', 'reply one', 'missed while down', 'two', 'three']);
  });

  it('sends a message again with the same clientMessageId when its answer was lost', async () => {
    const { api, server, root, store } = await start();
    api.open();
    await settle();
    server.hang.add('sendMessage');
    await type(root(), 'are you there?');
    const first = server.callsOf('sendMessage')[0]!;
    // the answer is lost with the socket; a reload later still has it in the outbox
    expect(JSON.parse(store.map.get('livechat:wk_test:outbox')!)).toHaveLength(1);
    document.body.innerHTML = '';
    server.drop();
    server.hang.clear();
    const again = await start(server, store);
    const retry = server.callsOf('sendMessage')[1]!;
    expect((retry.variables.input as { clientMessageId: string }).clientMessageId).toBe((first.variables.input as { clientMessageId: string }).clientMessageId);
    expect(server.conversation!.messages).toHaveLength(1);
    expect(lines(again.root()).filter((l) => l === 'are you there?')).toHaveLength(1);
    expect(store.map.has('livechat:wk_test:outbox')).toBe(false);
  });

  it('asks the pre-chat fields before the first message, then chats', async () => {
    const server = new FakeServer();
    server.widget.preChatFields = [
      { name: 'NAME', required: true },
      { name: 'EMAIL', required: false },
    ];
    const { api, root } = await start(server);
    api.open();
    await settle();
    const form = $<HTMLFormElement>(root(), '.fm form');
    expect(textarea(root()).closest('form')!.hidden).toBe(true);
    const name = $<HTMLInputElement>(root(), '#lc-name');
    const email = $<HTMLInputElement>(root(), '#lc-email');
    expect(root().activeElement).toBe(name);
    expect($(root(), 'label[for=lc-name]').textContent).toBe('Name *');
    expect(name.required).toBe(true);
    expect(email.required).toBe(false);
    email.value = 'not-an-email';
    form.dispatchEvent(new Event('submit', { cancelable: true }));
    await settle();
    expect($(root(), '#lc-name-e').textContent).toBe('Please fill this in.');
    expect($(root(), '#lc-email-e').textContent).toBe('Please enter a valid email address.');
    expect(name.getAttribute('aria-invalid')).toBe('true');
    expect(server.callsOf('updateVisitor')).toHaveLength(0);
    name.value = 'Jana';
    email.value = '';
    form.dispatchEvent(new Event('submit', { cancelable: true }));
    await settle(60);
    expect(server.callsOf('updateVisitor')[0]!.variables.input).toEqual({ name: 'Jana' });
    expect(textarea(root()).closest('form')!.hidden).toBe(false);
    expect($(root(), '.fm').hidden).toBe(true);
  });

  it('offers the offline form when nobody is online, and thanks', async () => {
    const server = new FakeServer();
    server.agentsOnline = false;
    const { api, root } = await start(server);
    api.open();
    await settle();
    expect($(root(), '.fm p').textContent).toBe("We're away right now. Leave a message and we'll answer by email.");
    const form = $<HTMLFormElement>(root(), '.fm form');
    form.dispatchEvent(new Event('submit', { cancelable: true }));
    await settle();
    expect($(root(), '#lc-email-e').textContent).toBe('Please fill this in.');
    $<HTMLInputElement>(root(), '#lc-name').value = 'Petr';
    $<HTMLInputElement>(root(), '#lc-email').value = 'petr@example.cz';
    $<HTMLTextAreaElement>(root(), '#lc-message').value = 'Call me back, please.';
    form.dispatchEvent(new Event('submit', { cancelable: true }));
    await settle(80);
    expect(server.callsOf('updateVisitor')[0]!.variables.input).toEqual({ name: 'Petr', email: 'petr@example.cz' });
    expect(server.conversation!.messages.map((m) => m.body)).toEqual(['Call me back, please.']);
    expect($(root(), '.fm [role=status]').textContent).toBe("Thanks! We'll answer by email at petr@example.cz.");
  });

  it('a closed conversation is history; the next message starts a new one', async () => {
    const server = new FakeServer();
    const store = memoryStore();
    const one = await start(server, store);
    one.api.open();
    await settle();
    await type(one.root(), 'old question');
    server.agentSays('old answer');
    server.close();
    document.body.innerHTML = '';
    const two = await start(server, store);
    two.api.open();
    await settle();
    expect(lines(two.root())).toEqual(['Hello! How can we help?', 'old question', 'old answer']);
    await type(two.root(), 'new question');
    const send = server.callsOf('sendMessage').at(-1)!;
    expect((send.variables.input as { conversationId?: string }).conversationId).toBeUndefined();
    expect(server.conversations.map((c) => c.id)).toEqual(['C1', 'C2']);
    server.agentSays('new answer');
    await settle();
    expect(lines(two.root())).toEqual(['Hello! How can we help?', 'old question', 'old answer', 'new question', 'new answer']);
  });

  it('a refused token (4403) gets a new visitor session', async () => {
    const server = new FakeServer();
    const store = memoryStore(new Map([['livechat:wk_test:visitor', 'lcv_stale']]));
    const page = load(server, store);
    server.open(); // refused: the token is unknown
    server.open(); // graphql-ws retries, now without a token
    await settle(60);
    expect(store.map.get('livechat:wk_test:visitor')).toBe('lcv_1');
    expect(page.root()).toBeTruthy();
  });

  it('renders nothing and warns once when the origin is not allowed', async () => {
    const server = new FakeServer();
    server.failures.startVisitorSession = { message: 'This widget may not be embedded on https://evil.example.', extensions: { code: 'FORBIDDEN' } };
    const page = load(server);
    server.open();
    await settle(40);
    expect(document.querySelector('livechat-widget')).toBeNull();
    expect(page.warnings).toEqual(['LiveChat: This widget may not be embedded on https://evil.example.']);
    expect(server.disposed).toBe(true);
    page.api.open(); // harmless
    expect(await page.api.identify({ name: 'x' })).toBe(false);
  });

  it('JS API: queued before ready, identify, setLocale, Escape returns focus to the launcher', async () => {
    const server = new FakeServer();
    const page = load(server);
    page.api.open(); // before the session exists
    const identified = page.api.identify({ name: 'Eva', email: 'eva@example.cz' });
    server.open();
    await settle(60);
    const root = page.root();
    expect(panel(root).hidden).toBe(false);
    expect(await identified).toBe(true);
    expect(server.visitor).toMatchObject({ name: 'Eva', email: 'eva@example.cz' });

    page.api.setLocale('cs');
    await settle();
    expect(launcher(root).getAttribute('aria-label')).toBe('Zavřít chat');
    expect($(root, 'label[for=lc-t]').textContent).toBe('Zpráva');
    expect(textarea(root).placeholder).toBe('Napište zprávu…');

    textarea(root).focus();
    textarea(root).dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true }));
    await settle();
    expect(panel(root).hidden).toBe(true);
    expect(root.activeElement).toBe(launcher(root));
    expect(launcher(root).getAttribute('aria-expanded')).toBe('false');
  });

  it('uses the account language and position', async () => {
    const server = new FakeServer();
    server.widget = { ...server.widget, language: 'CS', position: 'BOTTOM_LEFT' };
    const { root } = await start(server);
    expect(launcher(root()).getAttribute('aria-label')).toBe('Otevřít chat');
    const host = document.querySelector('livechat-widget') as HTMLElement;
    expect(host.style.getPropertyValue('left')).toBe('20px');
    expect($(root(), '.w').classList.contains('l')).toBe(true);
  });

  it('shows message bodies as text, links clickable but never HTML', async () => {
    const { api, server, root } = await start();
    api.open();
    await settle();
    await type(root(), 'hi');
    server.agentSays('<img src=x onerror=alert(1)> see https://shop.example/help.');
    await settle();
    const bubble = [...root().querySelectorAll('.m .b')].at(-1)!;
    expect(bubble.querySelector('img')).toBeNull();
    const link = bubble.querySelector('a')!;
    expect(link.getAttribute('href')).toBe('https://shop.example/help');
    expect(link.rel).toContain('noopener');
    expect(bubble.textContent).toBe('<img src=x onerror=alert(1)> see https://shop.example/help.');
  });
});

// @vitest-environment jsdom
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { FakeServer } from './fake-server.js';
import { settle } from './fake-server.js';
import type { LiveChatApi } from '../src/widget.js';

// the loader's real socket replaced by in-memory servers, a new one for every connect
vi.mock('../src/connection.js', async (importOriginal) => {
  const original = await importOriginal<typeof import('../src/connection.js')>();
  const { FakeServer } = await import('./fake-server.js');
  const servers: FakeServer[] = [];
  const connect: typeof original.connect = (...args) => {
    const server = new FakeServer();
    servers.push(server);
    return server.connect(...args);
  };
  return { ...original, connect, servers };
});

/** Adds the snippet and runs the script as a fresh load; the server it connected to, if any. */
async function loadScript(attrs: string): Promise<FakeServer | undefined> {
  document.body.insertAdjacentHTML('beforeend', `<script ${attrs}></script>`);
  const { servers } = (await import('../src/connection.js')) as unknown as { servers: FakeServer[] };
  const before = servers.length;
  vi.resetModules();
  await import('../src/main.js');
  return servers.length > before ? servers.at(-1) : undefined;
}

beforeEach(() => {
  document.body.innerHTML = '';
  delete window.LiveChat;
  delete window.LiveChatQueue;
  localStorage.clear();
});

describe('the loader', () => {
  it('finds its async script, talks to the origin it came from and replays queued calls', async () => {
    window.LiveChatQueue = [['setLocale', 'cs'], ['open'], ['nonsense', 1]];
    const server = (await loadScript('src="https://chat.example/widget.js?v=3" data-widget-key="wk_demo" async'))!;
    expect(server.url).toBe('wss://chat.example/graphql');
    const api = window.LiveChat as LiveChatApi;
    expect(typeof api.open).toBe('function');
    server.open();
    await settle(60);
    expect(server.callsOf('startVisitorSession')[0]!.variables.input).toMatchObject({ widgetKey: 'wk_demo' });
    expect(localStorage.getItem('livechat:wk_demo:visitor')).toBe('lcv_1');
    const root = document.querySelector('livechat-widget')!.shadowRoot!;
    expect(root.querySelector('[role=dialog]')!.hasAttribute('hidden')).toBe(false);
    expect(root.querySelector('button.ln')!.getAttribute('aria-label')).toBe('Zavřít chat');
    // pushed after loading: run at once
    (window.LiveChatQueue as unknown[][]).push(['close']);
    await settle();
    expect(root.querySelector('[role=dialog]')!.hasAttribute('hidden')).toBe(true);
  });

  it('takes data-api-origin over the script origin (local development)', async () => {
    const server = await loadScript('src="http://127.0.0.1:4302/widget.js" data-widget-key="wk" data-api-origin="http://127.0.0.1:4301"');
    expect(server?.url).toBe('ws://127.0.0.1:4301/graphql');
  });

  it('warns and does nothing without a widget key, and starts once when loaded twice', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    expect(await loadScript('src="https://chat.example/widget.js"')).toBeUndefined();
    expect(window.LiveChat).toBeUndefined();
    expect(warn).toHaveBeenCalledTimes(1);
    warn.mockRestore();

    document.body.innerHTML = '';
    const first = await loadScript('src="https://chat.example/widget.js" data-widget-key="wk"');
    const api = window.LiveChat;
    const second = await loadScript('src="https://chat.example/widget.js" data-widget-key="wk"');
    expect(window.LiveChat).toBe(api);
    expect(first?.url).toBe('wss://chat.example/graphql');
    expect(second).toBeUndefined(); // the second copy never connected
  });

  it('still chats when localStorage throws', async () => {
    const blocked = vi.spyOn(Storage.prototype, 'setItem').mockImplementation(() => {
      throw new DOMException('blocked', 'SecurityError');
    });
    try {
      const server = (await loadScript('src="https://chat.example/widget.js" data-widget-key="wk"'))!;
      server.open();
      await settle(60);
      const api = window.LiveChat as LiveChatApi;
      api.open();
      await settle();
      const root = document.querySelector('livechat-widget')!.shadowRoot!;
      const box = root.querySelector('textarea')!;
      box.value = 'no storage here';
      box.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true }));
      await settle(60);
      expect(server.conversation!.messages.map((m) => m.body)).toEqual(['no storage here']);
    } finally {
      blocked.mockRestore();
    }
  });
});

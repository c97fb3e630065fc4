import { connect } from './connection.js';
import { createStore } from './storage.js';
import { mountHost } from './ui/host.js';
import { createWidget, type LiveChatApi } from './widget.js';

/** A call the page queued before the script loaded: [method, ...args]. */
type QueuedCall = [string, ...unknown[]];

declare global {
  interface Window {
    LiveChat?: LiveChatApi | { q?: unknown };
    LiveChatQueue?: unknown;
  }
}

const isWidgetScript = (script: HTMLScriptElement) => /\/widget\.js(?:[?#]|$)/.test(script.src);

/**
 * Our own <script>: document.currentScript while it runs (also when async); otherwise the
 * last widget.js script, preferring one that names a widget key.
 */
function findScript(): HTMLScriptElement | null {
  const current = document.currentScript;
  if (current instanceof HTMLScriptElement && current.src) return current;
  const scripts = Array.from(document.querySelectorAll<HTMLScriptElement>('script[src]')).filter(isWidgetScript).reverse();
  return scripts.find((s) => s.hasAttribute('data-widget-key')) ?? scripts[0] ?? null;
}

/** Runs the page's queued calls (window.LiveChatQueue, or `q` of a stub LiveChat), and later pushes at once. */
function replay(api: LiveChatApi, queue: unknown) {
  if (!Array.isArray(queue)) return;
  const run = (call: unknown) => {
    if (!Array.isArray(call)) return;
    const [method, ...args] = call as QueuedCall;
    const fn = (api as Record<string, unknown>)[method];
    if (typeof fn === 'function') (fn as (...a: unknown[]) => unknown)(...args);
  };
  for (const call of queue.splice(0)) run(call);
  queue.push = (...calls: unknown[]) => {
    calls.forEach(run);
    return 0;
  };
}

function start() {
  const existing = window.LiveChat;
  // loaded twice (two snippets, a SPA re-inserting it): the first one stays
  if (existing && typeof (existing as LiveChatApi).open === 'function') return;
  const script = findScript();
  const widgetKey = script?.getAttribute('data-widget-key');
  if (!script || !widgetKey) {
    console.warn('LiveChat: no <script data-widget-key="…"> found; the chat widget does not start.');
    return;
  }
  // the server the script came from; data-api-origin overrides it (local development only)
  const apiOrigin = new URL(script.getAttribute('data-api-origin') || script.src, location.href).origin;
  const api = createWidget({
    widgetKey,
    apiOrigin,
    store: createStore(),
    connect,
    mount: (left) => mountHost(document, left),
    warn: (message, error) => (error === undefined ? console.warn(message) : console.warn(message, error)),
  });
  window.LiveChat = api;
  replay(api, (existing as { q?: unknown } | undefined)?.q);
  replay(api, window.LiveChatQueue);
}

try {
  start();
} catch (error) {
  // never into the host page: one warning and no widget
  console.warn('LiveChat: the chat widget failed to start.', error);
}

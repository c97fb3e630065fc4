import { backoffDelay } from './backoff.js';
import { forbiddenCloseCode, type Connection, type ConnectionEvents } from './connection.js';
import { ConversationState } from './conversation-state.js';
import { errorCode, RequestError } from './errors.js';
import { fieldOf, validate, type FormErrors, type FormValues } from './forms.js';
import { entriesOf, formFieldsOf, modeOf } from './presentation.js';
import { strings, toLocale, type Locale } from './i18n.js';
import * as ops from './operations.js';
import { Outbox, OutboxSender, type OutboxItem, type SendResult } from './outbox.js';
import type { KeyValueStore } from './storage.js';
import { TypingNotifier } from './typing.js';
import type { ConversationEvent, ConversationNode, Message, Session, VisitorInfo } from './types.js';
import type { Mounted } from './ui/host.js';
import { createView, type Mode, type View, type ViewModel } from './ui/view.js';

/** What `onMessage` callbacks receive for every new message from the agents' side. */
export type PublicMessage = { body: string; authorKind: string; agentName: string | null; createdAt: string };

/** `window.LiveChat`. */
export type LiveChatApi = {
  open(): void;
  close(): void;
  /** Resolves true once stored; never rejects, so a page need not catch. */
  identify(details: { name?: string; email?: string }): Promise<boolean>;
  setLocale(locale: string): void;
  onMessage(callback: (message: PublicMessage) => void): () => void;
};

export type WidgetDeps = {
  widgetKey: string;
  /** http(s)://host[:port] of the server the widget came from */
  apiOrigin: string;
  store: KeyValueStore;
  connect(url: string, token: () => string | null, events: ConnectionEvents): Connection;
  mount(left: boolean): Mounted;
  warn(message: string, error?: unknown): void;
};

type HistoryData = { viewer: { visitor: { conversations: { edges: { node: ConversationNode }[] } } | null } };
type SendData = { sendMessage: { conversation: { id: string; status: ConversationNode['status'] }; message: Message } };

/** The server refuses a URL that is not http(s) or is longer than 2000 characters: send none rather than fail. */
const pageUrl = (value: string) => (/^https?:\/\//i.test(value) && value.length <= 2000 ? value : null);

/**
 * The widget's controller: the visitor session, the conversation, the outbox and the view,
 * driven by the socket's connects and closes. Nothing here throws into the host page.
 */
export function createWidget(deps: WidgetDeps): LiveChatApi {
  const { widgetKey, store } = deps;
  const tokenKey = `livechat:${widgetKey}:visitor`;
  let token = store.get(tokenKey);
  let session: Session | null = null;
  let state = new ConversationState();
  const outbox = new Outbox(store, `livechat:${widgetKey}:outbox`);

  let connected = false;
  let booting = false;
  /** A session is started and the socket carries its token. */
  let ready = false;
  /** Refused for good (origin not allowed, unknown key): the widget is gone. */
  let dead = false;
  let bootAttempt = 0;
  let mounted: Mounted | null = null;
  let view: View | null = null;
  const waiting: (() => void)[] = [];

  let localeOverride: Locale | null = null;
  let open = false;
  let unread = 0;
  let typingName: string | null = null;
  let typingTimer: ReturnType<typeof setTimeout> | undefined;
  let live: (() => void) | null = null;
  let prechatDone = false;
  let thanksEmail: string | null = null;
  let formErrors: FormErrors = {};
  let formError: string | null = null;
  let busy = false;
  let warned = false;
  const listeners = new Set<(message: PublicMessage) => void>();

  const warnOnce = (message: string, error?: unknown) => {
    if (warned) return;
    warned = true;
    deps.warn(`LiveChat: ${message}`, error);
  };
  /** Wraps every callback the page's events or the socket call: an error ends up as one warning, never in the page. */
  const guard =
    <A extends unknown[]>(fn: (...args: A) => void) =>
    (...args: A) => {
      try {
        fn(...args);
      } catch (error) {
        warnOnce('unexpected error', error);
      }
    };

  const sender = new OutboxSender(outbox, sendItem, backoffDelay);
  const typing = new TypingNotifier((isTyping) => {
    if (!ready || !state.isOpen()) return;
    conn.request(ops.setTyping, { input: { conversationId: state.conversationId, isTyping } }).catch(() => {});
  });

  const conn = deps.connect(deps.apiOrigin.replace(/^http/, 'ws') + '/graphql', () => token, {
    connected: guard(() => {
      connected = true;
      if (dead) return;
      if (ready) {
        follow();
        sender.flush();
      } else if (!booting) void boot();
      render();
    }),
    closed: guard((code: number) => {
      connected = false;
      stopLive();
      typingName = null;
      if (code === forbiddenCloseCode && token) {
        // the token is bad (revoked, from another database): a new visitor session on reconnect
        setToken(null);
        ready = false;
      }
      render();
    }),
  });

  outbox.onChange(() => render());
  document.addEventListener('visibilitychange', guard(() => render()));

  function setToken(value: string | null) {
    token = value;
    if (value) store.set(tokenKey, value);
    else store.remove(tokenKey);
  }

  // ---- session

  async function boot(): Promise<void> {
    booting = true;
    try {
      const { startVisitorSession: started } = await conn.request<{ startVisitorSession: Session }>(ops.startSession, {
        input: {
          widgetKey,
          visitorToken: token,
          pageUrl: pageUrl(location.href),
          pageTitle: document.title.slice(0, 500) || null,
          referrer: pageUrl(document.referrer),
        },
      });
      if (session && session.visitor.id !== started.visitor.id) state = new ConversationState();
      session = started;
      if (started.visitorToken !== token) {
        // the anonymous socket may only start sessions: reconnect carrying the token; what is
        // requested from now on waits for that socket
        setToken(started.visitorToken);
        conn.restart();
      }
      await loadHistory();
      bootAttempt = 0;
      ready = true;
      if (!mounted) {
        mounted = deps.mount(started.widget.position === 'BOTTOM_LEFT');
        view = createView(mounted.root, { color: started.widget.color, left: started.widget.position === 'BOTTOM_LEFT' }, handlers);
        unread = state.unread().length;
      }
      follow();
      sender.flush();
      for (const run of waiting.splice(0)) run();
    } catch (error) {
      const code = errorCode(error);
      if (code === 'FORBIDDEN' || code === 'NOT_FOUND' || code === 'BAD_USER_INPUT') {
        // e.g. this page's origin is not among the account's allowed origins: render nothing
        dead = true;
        warnOnce(error instanceof Error ? error.message : 'the widget may not start here');
        teardown();
        return;
      }
      setTimeout(() => {
        if (!ready && !booting && !dead && connected) void boot();
      }, backoffDelay(bootAttempt++));
    } finally {
      booting = false;
      render();
    }
  }

  function teardown() {
    stopLive();
    sender.stop();
    conn.dispose();
    mounted?.remove();
    mounted = null;
    view = null;
  }

  /**
   * The visitor's newest conversation with its last 50 messages, merged into the state. With
   * `asLive`, messages not seen before count as arriving now (onMessage, the unread badge):
   * they were written while nothing was subscribed yet, e.g. a reply right after our first message.
   */
  async function loadHistory(asLive = false): Promise<void> {
    const data = await conn.request<HistoryData>(ops.history);
    const node = data.viewer.visitor?.conversations.edges[0]?.node;
    if (!node) return;
    if (asLive && node.id === state.conversationId) {
      for (const edge of node.messages.edges) addMessage(edge.node, edge.cursor, true);
    }
    state.load(node);
  }

  // ---- live events

  function stopLive() {
    live?.();
    live = null;
  }

  /**
   * (Re)subscribes to the conversation's events after the last cursor seen: the server
   * replays what was missed, then goes live. Without a cursor yet (a conversation just
   * started by our first message) the history is read first, or a reply sent in between
   * would be missed.
   */
  function follow() {
    stopLive();
    const id = state.conversationId;
    if (!ready || !id || state.status === 'CLOSED') return;
    if (!state.lastCursor) {
      loadHistory(true)
        .then(() => {
          if (state.conversationId === id && state.lastCursor && !live) follow();
        })
        .catch(() => {})
        .finally(render);
      return;
    }
    const stop = conn.subscribe<{ conversationEvents: ConversationEvent }>(
      ops.conversationEvents,
      { id, after: state.lastCursor },
      guard((data) => onEvent(id, data.conversationEvents)),
      guard(() => {
        // refused (e.g. while the socket was between tokens): try again shortly
        if (live !== cancel) return;
        live = null;
        setTimeout(() => {
          if (!live && connected && state.conversationId === id) follow();
        }, backoffDelay(2));
      }),
    );
    const cancel = () => stop();
    live = cancel;
  }

  function onEvent(conversationId: string, event: ConversationEvent) {
    if (conversationId !== state.conversationId) return;
    switch (event.__typename) {
      case 'MessageAdded':
        addMessage(event.message, event.cursor, true);
        break;
      case 'TypingChanged':
        if (event.authorKind === 'VISITOR') break;
        clearTimeout(typingTimer);
        typingName = event.isTyping ? (event.agent?.name ?? strings(locale()).agent) : null;
        // the server turns typing off by itself; should that event be lost, so do we
        if (typingName) typingTimer = setTimeout(() => ((typingName = null), render()), 8_000);
        break;
      case 'MessagesRead':
        state.read(event.authorKind, event.seq);
        break;
      case 'ConversationUpdated':
        if (event.conversation.id === state.conversationId) state.status = event.conversation.status;
        break;
    }
    render();
  }

  function addMessage(message: Message, cursor: string | null, isLive: boolean) {
    const added = state.add(message, cursor);
    if (message.clientMessageId) outbox.remove(message.clientMessageId);
    if (added && isLive && message.authorKind !== 'VISITOR') {
      typingName = null;
      // an agent answered live after all: the chat beats the "we'll answer by email" note
      thanksEmail = null;
      if (!open) unread++;
      const shown: PublicMessage = { body: message.body, authorKind: message.authorKind, agentName: message.agent?.name ?? null, createdAt: message.createdAt };
      for (const listener of [...listeners]) {
        try {
          listener(shown);
        } catch (error) {
          deps.warn('LiveChat: an onMessage callback failed', error);
        }
      }
    }
    render();
  }

  // ---- sending

  /** One attempt at one outbox message; the sender retries it, same clientMessageId, until stored. */
  async function sendItem(item: OutboxItem): Promise<SendResult> {
    if (!ready || dead) return 'retry';
    // a closed conversation is history: without an id the server starts a new one
    const conversationId = state.isOpen() ? state.conversationId : null;
    try {
      const { sendMessage: sent } = await conn.request<SendData>(ops.sendMessage, {
        input: { body: item.body, clientMessageId: item.clientMessageId, ...(conversationId ? { conversationId } : {}) },
      });
      if (sent.conversation.id !== state.conversationId) {
        state.switchTo(sent.conversation.id, sent.conversation.status);
        addMessage(sent.message, null, false);
        follow();
      } else {
        state.status = sent.conversation.status;
        addMessage(sent.message, null, false);
        if (!live && connected) follow();
      }
      return 'sent';
    } catch (error) {
      const code = errorCode(error);
      if (code === 'BAD_USER_INPUT') return 'failed';
      // the conversation is gone or not ours: the next attempt starts a new one
      if (code === 'NOT_FOUND' && conversationId === state.conversationId) state.status = 'CLOSED';
      return 'retry';
    }
  }

  function markReadIfSeen() {
    if (!open || !ready || mode() !== 'chat' || document.visibilityState === 'hidden' || !state.conversationId) return;
    const newest = state.unread().pop();
    if (!newest) return;
    state.read('VISITOR', newest.seq);
    conn.request(ops.markRead, { input: { conversationId: state.conversationId, messageId: newest.id } }).catch(() => {});
  }

  async function updateVisitor(input: { name?: string; email?: string }): Promise<void> {
    const { updateVisitor: visitor } = await conn.request<{ updateVisitor: VisitorInfo }>(ops.updateVisitor, { input });
    if (session) session.visitor = visitor;
  }

  // ---- what is shown

  function locale(): Locale {
    return localeOverride ?? (session?.widget.language === 'CS' ? 'cs' : 'en');
  }

  function mode(): Mode {
    return modeOf({ session, ready, thanksEmail, prechatDone, state, queued: outbox.items().length > 0 });
  }

  let scheduled = false;
  /** Draws on the next microtask: a replay of fifty messages is one redraw, not fifty. */
  function render() {
    if (scheduled || !view) return;
    scheduled = true;
    queueMicrotask(
      guard(() => {
        scheduled = false;
        draw();
      }),
    );
  }

  function draw() {
    if (!view || !session) return;
    const t = strings(locale());
    const agent = state.agent();
    const current = mode();
    const model: ViewModel = {
      t,
      open,
      unread,
      title: agent?.name ?? t.title,
      subtitle: agent ? [agent.jobTitle, agent.motto].filter(Boolean).join(' · ') : session.agentsOnline ? t.online : t.away,
      initial: agent?.name.trim().charAt(0).toUpperCase() ?? '',
      mode: current,
      greeting: session.widget.greeting,
      entries: entriesOf(state, outbox.items(), t.agent),
      typing: typingName ? t.typing(typingName) : null,
      connected: connected || !ready,
      fields: formFieldsOf(current, session),
      values: { name: session.visitor.name ?? '', email: session.visitor.email ?? '' },
      errors: formErrors,
      formError,
      busy,
      thanks: thanksEmail ?? '',
    };
    view.update(model);
    markReadIfSeen();
  }

  // ---- the view's events

  const handlers = {
    toggle: guard((value: boolean) => setOpen(value)),
    send: (body: string): boolean => {
      try {
        const text = body.trim();
        if (!text) return false;
        typing.stop();
        outbox.add(text);
        sender.flush();
        return true;
      } catch (error) {
        warnOnce('could not send', error);
        return false;
      }
    },
    input: guard(() => {
      if (state.isOpen()) typing.input();
    }),
    retry: guard((clientMessageId: string) => {
      outbox.setFailed(clientMessageId, false);
      sender.flush();
    }),
    submit: guard((values: FormValues) => void submitForm(values)),
  };

  function setOpen(value: boolean) {
    open = value;
    if (open) unread = 0;
    else typing.stop();
    render();
  }

  async function submitForm(values: FormValues) {
    const current = mode();
    const t = strings(locale());
    formErrors = validate(formFieldsOf(current, session), values, t);
    formError = null;
    if (busy || Object.keys(formErrors).length) return render();
    busy = true;
    render();
    try {
      const name = values.name?.trim();
      const email = values.email?.trim();
      const input = { ...(name ? { name } : {}), ...(email ? { email } : {}) };
      if (name || email) await updateVisitor(input);
      if (current === 'offline') {
        outbox.add(values.message?.trim() ?? '');
        thanksEmail = email ?? '';
        sender.flush();
      } else {
        prechatDone = true;
      }
    } catch (error) {
      const field = error instanceof RequestError ? fieldOf(error.field) : undefined;
      if (field) formErrors = { [field]: field === 'email' ? t.errEmail : t.errRequired };
      else formError = t.errFailed;
    } finally {
      busy = false;
      render();
    }
  }

  /** API calls before the session is ready wait for it. */
  function whenReady(run: () => void) {
    if (dead) return;
    if (ready && view) run();
    else waiting.push(guard(run));
  }

  return {
    open: () => whenReady(() => setOpen(true)),
    close: () => whenReady(() => setOpen(false)),
    identify: (details) =>
      new Promise<boolean>((resolve) => {
        if (dead) return resolve(false);
        const input: { name?: string; email?: string } = {};
        if (typeof details?.name === 'string') input.name = details.name;
        if (typeof details?.email === 'string') input.email = details.email;
        whenReady(() => {
          updateVisitor(input)
            .then(() => resolve(true), () => resolve(false))
            .finally(render);
        });
      }),
    setLocale: (value) => {
      const next = toLocale(value);
      if (next) {
        localeOverride = next;
        render();
      }
    },
    onMessage: (callback) => {
      if (typeof callback !== 'function') return () => {};
      listeners.add(callback);
      return () => {
        listeners.delete(callback);
      };
    },
  };
}

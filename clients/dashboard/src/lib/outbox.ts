import { createStore, produce } from 'solid-js/store';

/** A message the agent has sent that the server has not confirmed yet. */
export type OutboxItem = {
  clientMessageId: string;
  conversationId: string;
  body: string;
  state: 'queued' | 'sending' | 'failed';
  error?: string;
};

/** What one delivery attempt came to: confirmed, worth retrying (no connection), or refused for good. */
export type SendOutcome = { kind: 'sent' } | { kind: 'retry' } | { kind: 'failed'; error: string };

export type Outbox = ReturnType<typeof createOutbox>;

/**
 * Messages wait here until the server confirms them, in order, across drops and reloads.
 * Every attempt carries the same clientMessageId, so the server stores each message once
 * however many times a lost answer makes us send it again.
 */
export function createOutbox(options: {
  send: (item: OutboxItem) => Promise<SendOutcome>;
  storageKey?: string;
  retryDelays?: number[];
  newId?: () => string;
}) {
  const retryDelays = options.retryDelays ?? [1000, 2000, 5000, 10_000, 20_000];
  const newId = options.newId ?? (() => crypto.randomUUID());
  const [items, setItems] = createStore<OutboxItem[]>(restore());
  let flushing: Promise<void> | null = null;
  let attempt = 0;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;
  let disposed = false;

  function restore(): OutboxItem[] {
    if (!options.storageKey) return [];
    try {
      const saved = JSON.parse(localStorage.getItem(options.storageKey) ?? '[]') as OutboxItem[];
      return saved.map((item) => (item.state === 'sending' ? { ...item, state: 'queued' } : item));
    } catch {
      return [];
    }
  }

  function persist() {
    if (!options.storageKey) return;
    try {
      localStorage.setItem(options.storageKey, JSON.stringify(items));
    } catch {
      // storage blocked or full: the queue still lives as long as the tab
    }
  }

  function update(clientMessageId: string, change: Partial<OutboxItem> | null) {
    setItems(
      produce((list) => {
        const index = list.findIndex((item) => item.clientMessageId === clientMessageId);
        if (index < 0) return;
        if (change === null) list.splice(index, 1);
        else Object.assign(list[index]!, change);
      }),
    );
    persist();
  }

  async function drain() {
    for (;;) {
      if (disposed) return;
      const next = items.find((item) => item.state === 'queued');
      if (!next) return;
      const id = next.clientMessageId;
      update(id, { state: 'sending' });
      const outcome = await options.send({ ...next, state: 'sending' }).catch((): SendOutcome => ({ kind: 'retry' }));
      if (outcome.kind === 'sent') {
        attempt = 0;
        update(id, null);
        continue;
      }
      if (outcome.kind === 'failed') {
        update(id, { state: 'failed', error: outcome.error });
        continue;
      }
      update(id, { state: 'queued' });
      if (disposed) return;
      const delay = retryDelays[Math.min(attempt++, retryDelays.length - 1)]!;
      clearTimeout(retryTimer);
      retryTimer = setTimeout(() => void flush(), delay);
      return;
    }
  }

  /** Sends whatever is queued, one at a time and in order; a call while sending joins that run. */
  function flush(): Promise<void> {
    clearTimeout(retryTimer);
    if (disposed) return Promise.resolve();
    flushing ??= drain().finally(() => {
      flushing = null;
    });
    return flushing;
  }

  return {
    items,
    /** Queues a message and starts sending it. */
    enqueue(conversationId: string, body: string): OutboxItem {
      const item: OutboxItem = { clientMessageId: newId(), conversationId, body, state: 'queued' };
      setItems(items.length, item);
      persist();
      void flush();
      return item;
    },
    /** Tries again now (the connection is back, or the agent asked to). */
    retryNow() {
      attempt = 0;
      return flush();
    },
    /** Puts a refused message back in the queue (the agent pressed Retry). */
    retry(clientMessageId: string) {
      update(clientMessageId, { state: 'queued', error: undefined });
      return flush();
    },
    discard(clientMessageId: string) {
      update(clientMessageId, null);
    },
    /** Stops sending for good (sign-out): what is queued stays stored for the next session. */
    dispose() {
      disposed = true;
      clearTimeout(retryTimer);
    },
  };
}

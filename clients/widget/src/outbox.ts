import type { KeyValueStore } from './storage.js';

/** A message the visitor typed that the server has not confirmed yet. */
export type OutboxItem = {
  /** Chosen once when typed and sent with every attempt: the server stores each id once. */
  clientMessageId: string;
  body: string;
  createdAt: string;
  /** The server refused it (e.g. too long): it waits for the visitor's "Retry". */
  failed?: boolean;
};

/** What one attempt came to: stored, refused for good, or to be tried again later. */
export type SendResult = 'sent' | 'failed' | 'retry';

/** crypto.randomUUID exists only in secure contexts (https, localhost); a plain-http page gets the fallback. */
export function newClientMessageId(): string {
  const c = globalThis.crypto;
  if (c && typeof c.randomUUID === 'function') return c.randomUUID();
  const bytes = new Uint8Array(16);
  if (c && typeof c.getRandomValues === 'function') c.getRandomValues(bytes);
  else for (let i = 0; i < 16; i++) bytes[i] = Math.floor(Math.random() * 256);
  bytes[6] = (bytes[6]! & 0x0f) | 0x40;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

function isItem(value: unknown): value is OutboxItem {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return typeof v.clientMessageId === 'string' && typeof v.body === 'string' && typeof v.createdAt === 'string';
}

/**
 * The visitor's unsent messages, in the order typed, saved to storage on every change so a
 * reload (or a crash) loses nothing that was typed. DOM-free.
 */
export class Outbox {
  private list: OutboxItem[] = [];
  private readonly listeners = new Set<() => void>();
  /** Confirmed here: not to be written back from what another tab saved. */
  private readonly done = new Set<string>();

  constructor(
    private readonly store: KeyValueStore,
    private readonly key: string,
    private readonly newId: () => string = newClientMessageId,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.list = this.saved();
  }

  private saved(): OutboxItem[] {
    try {
      const saved: unknown = JSON.parse(this.store.get(this.key) ?? '[]');
      return Array.isArray(saved) ? saved.filter(isItem) : [];
    } catch {
      return []; // a damaged entry is dropped rather than breaking the widget
    }
  }

  items(): readonly OutboxItem[] {
    return this.list;
  }

  /** The next message to send: the oldest not refused. Later ones wait behind it. */
  next(): OutboxItem | undefined {
    return this.list.find((item) => !item.failed);
  }

  add(body: string): OutboxItem {
    const item: OutboxItem = { clientMessageId: this.newId(), body, createdAt: this.now().toISOString() };
    this.list = [...this.list, item];
    this.changed();
    return item;
  }

  /** The server has it (its answer, or the message came back over the subscription). */
  remove(clientMessageId: string): void {
    if (!this.list.some((item) => item.clientMessageId === clientMessageId)) return;
    this.done.add(clientMessageId);
    this.list = this.list.filter((item) => item.clientMessageId !== clientMessageId);
    this.changed();
  }

  /** Marks a message refused (failed) or queues it again (retry), keeping its id and place. */
  setFailed(clientMessageId: string, failed: boolean): void {
    this.list = this.list.map((item) =>
      item.clientMessageId === clientMessageId ? (failed ? { ...item, failed: true } : { clientMessageId, body: item.body, createdAt: item.createdAt }) : item,
    );
    this.changed();
  }

  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Saves ours merged with what other tabs of the same site saved meanwhile (storage is
   * shared, the lists in memory are not): a tab never erases another's unsent messages.
   */
  private changed() {
    const ours = new Set(this.list.map((item) => item.clientMessageId));
    const theirs = this.saved().filter((item) => !ours.has(item.clientMessageId) && !this.done.has(item.clientMessageId));
    const all = [...theirs, ...this.list];
    if (all.length) this.store.set(this.key, JSON.stringify(all));
    else this.store.remove(this.key);
    for (const listener of [...this.listeners]) listener();
  }
}

export type Timers = {
  set: (run: () => void, ms: number) => unknown;
  clear: (handle: unknown) => void;
};

export const realTimers: Timers = {
  set: (run, ms) => setTimeout(run, ms),
  clear: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/**
 * Sends the outbox one message at a time, oldest first, so they arrive in the order typed and
 * a first message that starts the conversation is answered before the next goes. An attempt
 * that may be retried waits (backing off) and the same message, with the same clientMessageId,
 * goes again; nothing later overtakes it.
 */
export class OutboxSender {
  private running = false;
  private timer: unknown = null;
  private attempt = 0;
  private stopped = false;

  constructor(
    private readonly outbox: Outbox,
    private readonly send: (item: OutboxItem) => Promise<SendResult>,
    private readonly delay: (attempt: number) => number,
    private readonly timers: Timers = realTimers,
  ) {}

  /** Starts sending now (e.g. the socket is back), unless already sending. */
  flush(): void {
    if (this.stopped || this.running) return;
    if (this.timer !== null) {
      this.timers.clear(this.timer);
      this.timer = null;
    }
    void this.run();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer !== null) this.timers.clear(this.timer);
    this.timer = null;
  }

  private async run(): Promise<void> {
    this.running = true;
    try {
      for (let item = this.outbox.next(); item && !this.stopped; item = this.outbox.next()) {
        let result: SendResult;
        try {
          result = await this.send(item);
        } catch {
          result = 'retry';
        }
        if (result === 'sent') {
          this.attempt = 0;
          this.outbox.remove(item.clientMessageId);
        } else if (result === 'failed') {
          this.outbox.setFailed(item.clientMessageId, true);
        } else {
          if (!this.stopped) this.timer = this.timers.set(() => {
            this.timer = null;
            this.flush();
          }, this.delay(this.attempt++));
          return;
        }
      }
    } finally {
      this.running = false;
    }
  }
}

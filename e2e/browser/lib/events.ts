type WaitOptions = { from?: number; timeoutMs?: number };

/**
 * Collects what a subscription delivers, so a test can wait for one event (with a timeout)
 * and fail showing everything that did arrive.
 */
export class EventStream<E> {
  readonly events: E[] = [];
  private failure: unknown = null;
  private waiters = new Set<{ test: (event: E) => boolean; resolve: (event: E) => void; reject: (error: unknown) => void }>();

  constructor(private readonly label: string) {}

  push(event: E) {
    this.events.push(event);
    for (const waiter of [...this.waiters]) {
      if (waiter.test(event)) {
        this.waiters.delete(waiter);
        waiter.resolve(event);
      }
    }
  }

  fail(error: unknown) {
    this.failure = error;
    for (const waiter of [...this.waiters]) waiter.reject(error);
    this.waiters.clear();
  }

  /** Events received so far that match. */
  matching(test: (event: E) => boolean): E[] {
    return this.events.filter(test);
  }

  /** A mark in the stream: pass it as `from` to wait only for events that arrive after it. */
  mark(): number {
    return this.events.length;
  }

  /**
   * The first event (already received, from the index `from`, or still to come) that matches,
   * within `timeoutMs`; fails listing every event received.
   */
  waitFor<S extends E>(description: string, test: (event: E) => event is S, options?: WaitOptions): Promise<S>;
  waitFor(description: string, test: (event: E) => boolean, options?: WaitOptions): Promise<E>;
  waitFor(description: string, test: (event: E) => boolean, options: WaitOptions = {}): Promise<E> {
    const { from = 0, timeoutMs = 10_000 } = options;
    const found = this.events.slice(from).find(test);
    if (found !== undefined) return Promise.resolve(found);
    if (this.failure) return Promise.reject(this.failure instanceof Error ? this.failure : new Error(String(this.failure)));
    return new Promise<E>((resolve, reject) => {
      const waiter = {
        test,
        resolve: (event: E) => {
          clearTimeout(timer);
          resolve(event);
        },
        reject: (error: unknown) => {
          clearTimeout(timer);
          reject(new Error(`${this.label} failed while waiting for ${description}: ${describe(error)}`));
        },
      };
      const timer = setTimeout(() => {
        this.waiters.delete(waiter);
        reject(new Error(`${this.label}: no ${description} within ${timeoutMs} ms; received ${this.events.length} event(s):\n${JSON.stringify(this.events, null, 2)}`));
      }, timeoutMs);
      this.waiters.add(waiter);
    });
  }
}

function describe(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (Array.isArray(error)) return JSON.stringify(error);
  if (error && typeof error === 'object' && 'code' in error && 'reason' in error) {
    return `socket closed ${String((error as { code: unknown }).code)} ${String((error as { reason: unknown }).reason)}`;
  }
  return String(error);
}

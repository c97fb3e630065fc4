import type { Counter } from 'prom-client';
import type { Deps } from '../../deps.js';
import type { Viewer } from '../auth/viewer.js';

type Event = { type: string; publishedAt: number };

/** What a stream's owner does with it: replay at the start, then one live event at a time. */
export interface StreamHandlers<E extends Event> {
  /** runs once the topic is listened to, before any live event is handled */
  start?(stream: EventStream<E>): Promise<void>;
  /** may finish at once (no promise), as an event in order does: the next one then needs no tick */
  handle(event: E, stream: EventStream<E>): void | Promise<void>;
}

type Waiting<E> = { resolve: (result: IteratorResult<E>) => void; reject: (error: unknown) => void };
type Queued<E> = { event: E; taken: () => void };

const done = { done: true, value: undefined } as const;
/** The delivered-events counter's child per event type: labelling it on every delivery costs a hash each. */
const deliveredCounters = new WeakMap<Counter, Map<string, { inc: () => void }>>();

/**
 * A stream of one topic for one subscriber, as an async iterator. It starts listening when
 * first pulled, and only then runs `start` (the replay); it handles events strictly one after
 * another, so nothing published while the replay reads the database is lost or reordered. It
 * ends when the client stops, when the subscriber's access is revoked on any instance, or with
 * the error a handler threw.
 *
 * Events are taken either by pulling (`next`, as yoga's SSE transport does) or by a sink the
 * transport attaches (`attach`, as the websocket transport does, see
 * realtime/shared-rendering.ts). A push resolves once the event is taken: pulled by the consumer
 * (so a long replay reads the database no faster than the consumer takes it), or handed to the
 * sink and written.
 *
 * It is a class rather than closures because thousands of subscriptions sit idle for hours:
 * what each one holds is its fields, with the code shared.
 */
export class EventStream<E extends Event> implements AsyncIterableIterator<E> {
  private state: 'new' | 'open' | 'stopped' = 'new';
  private queue: Queued<E>[] = [];
  private waiting: Waiting<E> | null = null;
  private failure: { error: unknown } | null = null;
  /** the tasks (start, events, gap fills) not yet finished, in order */
  private chain: Promise<void> | null = null;
  private pending = 0;
  private timers: Set<NodeJS.Timeout> | null = null;
  private untrack: (() => void) | null = null;
  private unsubscribe: Promise<(() => Promise<void>) | null> | null = null;
  /** where events go when the transport takes them as they come, rather than pulling them */
  private sink: ((event: E) => void | Promise<void>) | null = null;
  private ended: { resolve: () => void; reject: (error: unknown) => void } | null = null;

  constructor(
    private readonly deps: Pick<Deps, 'realtime'>,
    private readonly viewer: Viewer,
    private readonly topic: string,
    private readonly handlers: StreamHandlers<E>,
  ) {}

  [Symbol.asyncIterator](): this {
    return this;
  }

  next(): Promise<IteratorResult<E>> {
    if (this.state === 'new') this.open();
    const queued = this.queue.shift();
    if (queued) {
      queued.taken();
      return Promise.resolve({ done: false, value: queued.event });
    }
    if (this.state === 'stopped') return this.failure ? Promise.reject(this.failure.error) : Promise.resolve(done);
    return new Promise((resolve, reject) => (this.waiting = { resolve, reject }));
  }

  async return(): Promise<IteratorResult<E>> {
    await this.stop();
    return done;
  }

  async throw(error: unknown): Promise<IteratorResult<E>> {
    await this.stop();
    throw error;
  }

  /**
   * Hands every event to `sink` as it comes, instead of through `next` (see
   * realtime/shared-rendering.ts); starts the stream if need be. Resolves when the stream ends,
   * rejects with what ended it.
   */
  attach(sink: (event: E) => void | Promise<void>): Promise<void> {
    this.sink = sink;
    if (this.state === 'stopped') return this.failure ? Promise.reject(this.failure.error) : Promise.resolve();
    const ended = new Promise<void>((resolve, reject) => (this.ended = { resolve, reject }));
    if (this.state === 'new') this.open();
    return ended;
  }

  /**
   * Hands an event to the subscriber; what it answers resolves once the event is taken (nothing
   * when it was taken at once). Throws once the stream has ended, to end a replay.
   */
  push(event: E): void | Promise<void> {
    if (this.state === 'stopped') throw new Error('stream stopped');
    const { metrics } = this.deps.realtime;
    this.delivered(event.type).inc();
    metrics.deliveryLag.observe(Math.max(0, Date.now() - event.publishedAt) / 1000);
    if (this.sink) return this.sink(event);
    if (this.waiting) {
      const { resolve } = this.waiting;
      this.waiting = null;
      resolve({ done: false, value: event });
      return;
    }
    return new Promise<void>((taken) => this.queue.push({ event, taken }));
  }

  /** Runs a task in the stream's order after a delay, unless the stream has ended by then. */
  later(ms: number, task: () => Promise<void>): void {
    const timers = (this.timers ??= new Set());
    const timer = setTimeout(() => {
      timers.delete(timer);
      this.enqueue(task);
    }, ms);
    timers.add(timer);
  }

  private delivered(type: string) {
    const counter = this.deps.realtime.metrics.eventsDelivered;
    let children = deliveredCounters.get(counter);
    if (!children) deliveredCounters.set(counter, (children = new Map()));
    let child = children.get(type);
    if (!child) children.set(type, (child = counter.labels({ type })));
    return child;
  }

  /**
   * Runs tasks one after another. With nothing ahead of it a task runs at once, so a live event
   * in order, delivered at once, costs its subscriber no promise and no tick.
   */
  private enqueue(task: () => void | Promise<void>) {
    if (this.pending === 0) {
      if (this.state === 'stopped') return;
      let running: void | Promise<void>;
      try {
        running = task();
      } catch (error) {
        void this.stop(error);
        return;
      }
      if (running) this.track(running);
      return;
    }
    this.track(this.chain!.then(() => (this.state === 'stopped' ? undefined : task())));
  }

  private track(running: Promise<void>) {
    this.pending++;
    this.chain = running.then(
      () => void this.pending--,
      (error: unknown) => {
        this.pending--;
        return this.stop(error);
      },
    );
  }

  private open() {
    this.state = 'open';
    const { realtime } = this.deps;
    // `start` is first in line, before any event: the listener may be called before `subscribe`
    // returns (over Redis, in the same read as the SUBSCRIBE reply), and those events must wait
    // for the replay, not run ahead of it. It runs once the subscription is active.
    const subscribed = realtime.pubsub.subscribe<E>(this.topic, (event) => this.enqueue(() => this.handlers.handle(event, this))).then(
      (unsubscribe) => {
        if (this.state === 'stopped') {
          void unsubscribe();
          return null;
        }
        this.untrack = realtime.connections.track(this.viewer, () => void this.stop());
        realtime.metrics.activeSubscriptions.inc();
        return unsubscribe;
      },
      (error: unknown) => {
        void this.stop(error);
        return null;
      },
    );
    this.unsubscribe = subscribed;
    this.enqueue(async () => {
      if ((await subscribed) && this.handlers.start) await this.handlers.start(this);
    });
  }

  /** Ends the stream: queued work is skipped, a replay in progress ends at its next push, and the topic is let go. */
  private async stop(error?: unknown): Promise<void> {
    if (this.state === 'stopped') return;
    const wasOpen = this.state === 'open';
    this.state = 'stopped';
    if (error !== undefined) this.failure = { error };
    if (this.ended) {
      const { resolve, reject } = this.ended;
      this.ended = null;
      if (this.failure) reject(this.failure.error);
      else resolve();
    }
    // a consumer waiting gets the end now; events already queued are still taken first
    if (this.waiting) {
      const { resolve, reject } = this.waiting;
      this.waiting = null;
      if (this.failure) reject(this.failure.error);
      else resolve(done);
    }
    for (const queued of this.queue) queued.taken();
    if (this.timers) for (const timer of this.timers) clearTimeout(timer);
    this.timers = null;
    if (!wasOpen) return;
    const unsubscribe = await this.unsubscribe;
    if (!unsubscribe) return;
    this.deps.realtime.metrics.activeSubscriptions.dec();
    this.untrack?.();
    this.untrack = null;
    await unsubscribe();
  }
}

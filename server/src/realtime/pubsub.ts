import { EventEmitter } from 'node:events';
import type { Redis } from 'ioredis';

export type Listener<T> = (payload: T) => void;

/**
 * Publish/subscribe between server instances. `subscribe` resolves once the subscription is
 * active, so a caller can subscribe first and then read the database without a gap.
 */
export interface PubSub {
  publish(topic: string, payload: unknown): Promise<void>;
  subscribe<T>(topic: string, listener: Listener<T>): Promise<() => Promise<void>>;
  /** open topics and listeners on this instance, for metrics and leak tests */
  stats(): { topics: number; listeners: number };
  close(): Promise<void>;
}

/** One process: events never leave it. */
export function createLocalPubSub(): PubSub {
  const emitter = new EventEmitter();
  emitter.setMaxListeners(0);
  return {
    async publish(topic, payload) {
      // a copy through JSON, so local delivery sees exactly what Redis would deliver
      emitter.emit(topic, JSON.parse(JSON.stringify(payload)));
    },
    async subscribe(topic, listener) {
      emitter.on(topic, listener as Listener<unknown>);
      return async () => {
        emitter.off(topic, listener as Listener<unknown>);
      };
    },
    stats: () => ({
      topics: emitter.eventNames().length,
      listeners: emitter.eventNames().reduce((n, name) => n + emitter.listenerCount(name), 0),
    }),
    async close() {
      emitter.removeAllListeners();
    },
  };
}

/**
 * Several instances over Redis: one subscriber connection per instance, one Redis
 * channel per topic while any local listener wants it. ioredis resubscribes by itself
 * after a reconnect.
 */
export function createRedisPubSub(publisher: Redis, subscriber: Redis, prefix: string): PubSub {
  const listeners = new Map<string, Set<Listener<unknown>>>();
  const pending = new Map<string, Promise<unknown>>();
  subscriber.on('message', (channel: string, message: string) => {
    const topic = channel.slice(prefix.length);
    const set = listeners.get(topic);
    if (!set) return;
    const payload = JSON.parse(message) as unknown;
    for (const listener of set) listener(payload);
  });
  return {
    async publish(topic, payload) {
      await publisher.publish(prefix + topic, JSON.stringify(payload));
    },
    async subscribe(topic, listener) {
      let set = listeners.get(topic);
      if (!set) {
        set = new Set();
        listeners.set(topic, set);
        pending.set(topic, subscriber.subscribe(prefix + topic));
      }
      set.add(listener as Listener<unknown>);
      const subscribed = pending.get(topic)!;
      try {
        await subscribed;
      } catch (error) {
        // A failed SUBSCRIBE (Redis down) must not poison the topic: the next subscriber tries again.
        set.delete(listener as Listener<unknown>);
        if (pending.get(topic) === subscribed) {
          listeners.delete(topic);
          pending.delete(topic);
        }
        throw error;
      }
      return async () => {
        const current = listeners.get(topic);
        if (!current?.delete(listener as Listener<unknown>) || current.size > 0) return;
        listeners.delete(topic);
        pending.delete(topic);
        await subscriber.unsubscribe(prefix + topic).catch(() => {});
      };
    },
    stats: () => ({ topics: listeners.size, listeners: [...listeners.values()].reduce((n, s) => n + s.size, 0) }),
    async close() {
      listeners.clear();
      pending.clear();
    },
  };
}

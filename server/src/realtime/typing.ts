import type { Redis } from 'ioredis';
import type { Logger } from '../shared/logger.js';

/** A typing indicator lasts this long unless renewed. */
export const typingTtlMs = 5_000;

export type TypingKey = { accountId: string; conversationId: string; author: string };

/**
 * Remembers who is typing, so an indicator nobody renews turns itself off. The mark is
 * kept in Redis when configured, so a renewal on any instance keeps it alive; the
 * instance that armed the timer announces the end once the mark is gone. It is kept here
 * too, so typing goes on working (per instance) while Redis is unreachable.
 */
export function createTyping(redis: Redis | null, prefix: string, onExpired: (key: TypingKey) => void, logger?: Pick<Logger, 'warn'>) {
  const timers = new Map<string, NodeJS.Timeout>();
  const local = new Map<string, number>();
  const name = (key: TypingKey) => `${prefix}typing:${key.conversationId}:${key.author}`;
  const typingHere = (key: TypingKey) => (local.get(name(key)) ?? 0) > Date.now();
  /** Redis unreachable: answer from this instance's own marks rather than fail the request. */
  const orHere = <T>(fallback: T) => (error: unknown): T => {
    logger?.warn({ err: error }, 'typing: Redis unreachable, answering from this instance');
    return fallback;
  };

  async function stillTyping(key: TypingKey): Promise<boolean> {
    if (!redis) return typingHere(key);
    return redis.exists(name(key)).then((n) => n === 1, orHere(typingHere(key)));
  }

  function arm(key: TypingKey, delay: number) {
    clearTimeout(timers.get(name(key)));
    const timer = setTimeout(() => {
      timers.delete(name(key));
      stillTyping(key)
        .then((typing) => {
          if (typing) return arm(key, typingTtlMs);
          local.delete(name(key));
          onExpired(key);
        })
        .catch(() => onExpired(key));
    }, delay);
    timer.unref();
    timers.set(name(key), timer);
  }

  return {
    /** Records a change; answers whether it changes what others see (a renewal does not). */
    async set(key: TypingKey, isTyping: boolean): Promise<boolean> {
      const wasHere = typingHere(key);
      if (isTyping) {
        local.set(name(key), Date.now() + typingTtlMs);
        const wasTyping = redis
          ? await redis.set(name(key), '1', 'PX', typingTtlMs, 'GET').then((previous) => previous !== null, orHere(wasHere))
          : wasHere;
        arm(key, typingTtlMs + 50);
        return !wasTyping;
      }
      clearTimeout(timers.get(name(key)));
      timers.delete(name(key));
      local.delete(name(key));
      if (!redis) return wasHere;
      // unsure whether another instance saw it start: announcing the stop once more is harmless
      return redis.del(name(key)).then((n) => n === 1, orHere(true));
    },
    stats: () => ({ timers: timers.size }),
    close() {
      for (const timer of timers.values()) clearTimeout(timer);
      timers.clear();
      local.clear();
    },
  };
}

export type Typing = ReturnType<typeof createTyping>;

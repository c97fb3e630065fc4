import type { Redis } from 'ioredis';

/** A typing indicator lasts this long unless renewed. */
export const typingTtlMs = 5_000;

export type TypingKey = { accountId: string; conversationId: string; author: string };

/**
 * Remembers who is typing, so an indicator nobody renews turns itself off. The mark is
 * kept in Redis when configured, so a renewal on any instance keeps it alive; the
 * instance that armed the timer announces the end once the mark is gone.
 */
export function createTyping(redis: Redis | null, prefix: string, onExpired: (key: TypingKey) => void) {
  const timers = new Map<string, NodeJS.Timeout>();
  const local = new Map<string, number>();
  const name = (key: TypingKey) => `${prefix}typing:${key.conversationId}:${key.author}`;

  async function stillTyping(key: TypingKey): Promise<boolean> {
    if (redis) return (await redis.exists(name(key))) === 1;
    return (local.get(name(key)) ?? 0) > Date.now();
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
      const now = Date.now();
      if (isTyping) {
        let wasTyping: boolean;
        if (redis) wasTyping = (await redis.set(name(key), '1', 'PX', typingTtlMs, 'GET')) !== null;
        else {
          wasTyping = (local.get(name(key)) ?? 0) > now;
          local.set(name(key), now + typingTtlMs);
        }
        arm(key, typingTtlMs + 50);
        return !wasTyping;
      }
      clearTimeout(timers.get(name(key)));
      timers.delete(name(key));
      const wasTyping = redis ? (await redis.del(name(key))) === 1 : (local.get(name(key)) ?? 0) > now;
      local.delete(name(key));
      return wasTyping;
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

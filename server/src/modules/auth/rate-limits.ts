import type { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { RateLimitedError } from '../../shared/errors.js';

/** Sign-in failures allowed per email and per IP address within the window. */
export const signInFailureLimit = { points: 10, durationSeconds: 15 * 60 };

export type RateLimits = {
  signInByEmail: RateLimiterAbstract;
  signInByIp: RateLimiterAbstract;
  /** widget page loads (startVisitorSession) per client IP and minute; null: unlimited */
  visitorSessionsByIp: RateLimiterAbstract | null;
  /** messages per visitor and minute; null: unlimited */
  visitorMessages: RateLimiterAbstract | null;
};

/** Per minute; 0 turns a limit off. */
export type VisitorLimits = { sessionsPerMinute: number; messagesPerMinute: number };

/** In-process counters, or Redis-backed ones that hold across instances when Redis is configured. */
export function createRateLimits(redis: Redis | null, prefix: string, visitors: VisitorLimits): RateLimits {
  const make = (name: string, points: number, duration: number) => {
    const opts = { keyPrefix: `${prefix}${name}`, points, duration };
    // while Redis is unreachable, each instance counts on its own rather than failing the request
    return redis
      ? new RateLimiterRedis({ ...opts, storeClient: redis, insuranceLimiter: new RateLimiterMemory(opts) })
      : new RateLimiterMemory(opts);
  };
  return {
    signInByEmail: make('signin-email', signInFailureLimit.points, signInFailureLimit.durationSeconds),
    signInByIp: make('signin-ip', signInFailureLimit.points, signInFailureLimit.durationSeconds),
    visitorSessionsByIp: visitors.sessionsPerMinute > 0 ? make('visitor-sessions', visitors.sessionsPerMinute, 60) : null,
    visitorMessages: visitors.messagesPerMinute > 0 ? make('visitor-messages', visitors.messagesPerMinute, 60) : null,
  };
}

/** Spends one point of `key`; refuses with RATE_LIMITED (and when to try again) once they are spent. */
export async function consumeOrRefuse(limiter: RateLimiterAbstract | null, key: string): Promise<void> {
  if (!limiter) return;
  try {
    await limiter.consume(key);
  } catch (rejection) {
    if (rejection instanceof Error) throw rejection;
    const msBeforeNext = (rejection as { msBeforeNext?: number }).msBeforeNext ?? 1000;
    throw new RateLimitedError(Math.max(1, Math.ceil(msBeforeNext / 1000)));
  }
}

/** Refuses with RATE_LIMITED while any of the keys has used up its failures. */
export async function assertNotLimited(checks: [RateLimiterAbstract, string][]): Promise<void> {
  for (const [limiter, key] of checks) {
    const state = await limiter.get(key);
    if (state && state.consumedPoints >= limiter.points) {
      throw new RateLimitedError(Math.ceil(state.msBeforeNext / 1000));
    }
  }
}

/** Counts one failure against each key. */
export async function recordFailure(checks: [RateLimiterAbstract, string][]): Promise<void> {
  await Promise.all(checks.map(([limiter, key]) => limiter.penalty(key, 1)));
}

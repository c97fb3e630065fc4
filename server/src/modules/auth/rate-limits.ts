import type { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { RateLimitedError } from '../../shared/errors.js';

/** Sign-in failures allowed per email and per IP address within the window. */
export const signInFailureLimit = { points: 10, durationSeconds: 15 * 60 };

export type RateLimits = { signInByEmail: RateLimiterAbstract; signInByIp: RateLimiterAbstract };

/** In-process counters, or Redis-backed ones that hold across instances when Redis is configured. */
export function createRateLimits(redis: Redis | null, prefix: string): RateLimits {
  const make = (name: string) => {
    const opts = { keyPrefix: `${prefix}${name}`, points: signInFailureLimit.points, duration: signInFailureLimit.durationSeconds };
    // while Redis is unreachable, each instance counts on its own rather than failing sign-in
    return redis
      ? new RateLimiterRedis({ ...opts, storeClient: redis, insuranceLimiter: new RateLimiterMemory(opts) })
      : new RateLimiterMemory(opts);
  };
  return { signInByEmail: make('signin-email'), signInByIp: make('signin-ip') };
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

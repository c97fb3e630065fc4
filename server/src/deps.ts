import type { Redis } from 'ioredis';
import type { Config } from './config.js';
import type { Orm } from './db/orm.js';
import type { Logger } from './shared/logger.js';
import type { RateLimits } from './modules/auth/rate-limits.js';
import type { Realtime } from './realtime/realtime.js';

/** The long-lived parts a running server shares between requests. */
export type Deps = {
  config: Config;
  orm: Orm;
  logger: Logger;
  rateLimits: RateLimits;
  /** present when REDIS_URL is set */
  redis: Redis | null;
  realtime: Realtime;
};

import type { AddressInfo } from 'node:net';
import { Redis } from 'ioredis';
import type { Config } from './config.js';
import type { EntityManager } from '@mikro-orm/postgresql';
import { createApp } from './app.js';
import { scheduleRetention } from './modules/privacy/retention.js';
import { startEmbeddedPostgres, type EmbeddedDatabase } from './db/embedded.js';
import { openOrm } from './db/orm.js';
import { seedDemo } from './db/seed.js';
import type { Deps } from './deps.js';
import { createRateLimits } from './modules/auth/rate-limits.js';
import { presenceChanged, typingExpired } from './modules/events/events.hooks.js';
import { createRealtime } from './realtime/realtime.js';
import type { Logger } from './shared/logger.js';

export type Runtime = {
  url: string;
  deps: Deps;
  /** the demo sign-in, when this start seeded an empty database */
  seeded: Awaited<ReturnType<typeof seedDemo>>;
  stop: () => Promise<void>;
};

/**
 * Opens the database (embedded when DATABASE_URL is unset) and Redis (when REDIS_URL is
 * set), migrates, seeds, and listens. `stop` closes everything in reverse order.
 */
export async function startRuntime(config: Config, logger: Logger): Promise<Runtime> {
  let embedded: EmbeddedDatabase | null = null;
  let databaseUrl = config.databaseUrl;
  if (!databaseUrl) {
    embedded = await startEmbeddedPostgres(config.dataDir);
    databaseUrl = embedded.url;
    logger.info({ dataDir: config.dataDir }, 'embedded PostgreSQL started');
  }
  const orm = await openOrm(databaseUrl, { migrate: config.migrateOnStart, logger });
  // Commands fail at once while Redis is unreachable instead of waiting in ioredis' offline
  // queue (seconds per command in a long outage): every use is best-effort or has a fallback,
  // and no request should hang on Redis.
  const redis = config.redisUrl
    ? new Redis(config.redisUrl, { lazyConnect: true, maxRetriesPerRequest: 2, enableOfflineQueue: false })
    : null;
  // a connection in subscriber mode can run no other command; ioredis resubscribes after reconnecting
  const subscriber = config.redisUrl ? new Redis(config.redisUrl, { lazyConnect: true, enableReadyCheck: false }) : null;
  if (redis) watchRedis(redis, 'commands', logger);
  if (subscriber) watchRedis(subscriber, 'subscriber', logger);
  if (redis && subscriber) await Promise.all([redis.connect(), subscriber.connect()]);
  const seeded = config.seedDemo ? await seedDemo(orm.em.fork() as EntityManager) : null;

  let deps: Deps | undefined;
  const realtime = await createRealtime({
    redis: redis && subscriber ? { client: redis, subscriber } : null,
    prefix: config.redisPrefix,
    logger,
    onPresence: presenceChanged(() => deps!),
    onTypingExpired: typingExpired(() => deps!),
  });
  deps = { config, orm, logger, redis, realtime, rateLimits: createRateLimits(redis, config.redisPrefix, config.visitorLimits) };
  orm.em.getConnection().getKnex().on('query', () => realtime.metrics.sqlStatements.inc());
  const { server, closeSockets } = createApp(deps);
  const retention =
    config.retentionIntervalMinutes > 0
      ? scheduleRetention(orm.em as EntityManager, logger, config.retentionIntervalMinutes * 60_000, (id) => realtime.revoke({ kind: 'visitor', id }))
      : null;
  await new Promise<void>((resolve) => server.listen(config.port, config.host, resolve));
  const { port } = server.address() as AddressInfo;
  const host = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;

  const stop = async () => {
    await retention?.stop();
    await closeSockets();
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeIdleConnections();
      setTimeout(() => server.closeAllConnections(), 5_000).unref();
    });
    await realtime.close();
    await orm.close();
    for (const connection of [subscriber, redis]) await connection?.quit().catch(() => connection.disconnect());
    if (embedded) await embedded.stop();
  };
  return { url: config.publicUrl ?? `${config.tls ? 'https' : 'http'}://${host}:${port}`, deps: deps!, seeded, stop };
}

/**
 * Logs a Redis connection going down once per outage (ioredis emits an error per reconnect
 * attempt, and prints unhandled ones to stderr) and its coming back.
 */
function watchRedis(connection: Redis, name: string, logger: Logger) {
  let down = false;
  connection.on('error', (error: Error) => {
    if (down) return;
    down = true;
    logger.warn({ err: error, connection: name }, 'Redis unreachable; reconnecting');
  });
  connection.on('ready', () => {
    if (!down) return;
    down = false;
    logger.warn({ connection: name }, 'Redis reachable again');
  });
}

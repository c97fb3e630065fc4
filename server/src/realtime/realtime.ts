import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Logger } from '../shared/logger.js';
import { createConnections } from './connections.js';
import { createMetrics } from './metrics.js';
import { createLocalPresence, createRedisPresence, type PresenceChange } from './presence.js';
import { createLocalPubSub, createRedisPubSub } from './pubsub.js';
import { topics, type Revocation } from './topics.js';
import { createTyping, type TypingKey } from './typing.js';

export type RealtimeOptions = {
  /** Redis connections: one for commands and publishing, one in subscriber mode */
  redis: { client: Redis; subscriber: Redis } | null;
  prefix: string;
  logger: Logger;
  onPresence: PresenceChange;
  onTypingExpired: (key: TypingKey) => void;
};

/** After Redis comes back, how long before revocations that could not be published are published a second time. */
const republishDelayMs = 2_000;

/**
 * Everything real-time of one instance: pub/sub, presence, typing, open connections and
 * metrics. In-process when Redis is not configured; through Redis across instances when it is.
 */
export async function createRealtime(options: RealtimeOptions) {
  const { redis, prefix, logger } = options;
  const instanceId = randomUUID();
  const metrics = createMetrics();
  const pubsub = redis ? createRedisPubSub(redis.client, redis.subscriber, prefix) : createLocalPubSub();
  const presence = redis
    ? createRedisPresence(redis.client, prefix, instanceId, options.onPresence, logger)
    : createLocalPresence(options.onPresence);
  const typing = createTyping(redis?.client ?? null, prefix, options.onTypingExpired, logger);
  const connections = createConnections();

  const stopRevocations = await pubsub.subscribe<Revocation>(topics.revocations, (revocation) => {
    const closed = connections.revoke(revocation);
    if (closed > 0) logger.info({ revocation: revocation.kind, closed }, 'closed revoked connections');
  });

  /** Publishes after commit; a failure is logged, never thrown: the write it reports has happened. */
  async function publish(topic: string, event: { type: string }): Promise<void> {
    try {
      await pubsub.publish(topic, event);
      metrics.eventsPublished.inc({ type: event.type });
    } catch (error) {
      logger.error({ err: error, topic, type: event.type }, 'publish failed');
    }
  }

  /**
   * Revocations must not be lost to a Redis outage: sockets are never re-authenticated, so a
   * revocation that reached no instance would leave them open for good. This instance acts at
   * once; one that could not be published is published again when Redis is back, and once more
   * a little later, as the other instances' subscribers reconnect on their own schedule.
   */
  const unpublished = new Map<string, Revocation>();
  async function revoke(revocation: Revocation): Promise<void> {
    const closed = connections.revoke(revocation);
    if (closed > 0) logger.info({ revocation: revocation.kind, closed }, 'closed revoked connections');
    try {
      await pubsub.publish(topics.revocations, { type: 'Revocation', ...revocation });
      metrics.eventsPublished.inc({ type: 'Revocation' });
    } catch (error) {
      unpublished.set(`${revocation.kind}:${revocation.id}`, revocation);
      logger.error({ err: error, revocation: revocation.kind }, 'revocation not published; retrying once Redis is back');
    }
  }
  const republish = () => {
    if (unpublished.size === 0) return;
    const again = [...unpublished.values()];
    unpublished.clear();
    const send = () => Promise.all(again.map((revocation) => revoke(revocation)));
    void send();
    setTimeout(send, republishDelayMs).unref();
  };
  redis?.client.on('ready', republish);

  return {
    instanceId,
    metrics,
    pubsub,
    presence,
    typing,
    connections,
    publish,
    /** Closes the principal's sockets and streams on every instance. */
    revoke,
    /** Counts of what is open, for metrics and leak tests. */
    stats: () => ({ ...pubsub.stats(), ...presence.stats(), ...typing.stats(), connections: connections.stats().open }),
    async close() {
      redis?.client.off('ready', republish);
      await stopRevocations();
      typing.close();
      await presence.close();
      await pubsub.close();
    },
  };
}

export type Realtime = Awaited<ReturnType<typeof createRealtime>>;

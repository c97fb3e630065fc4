import type { Redis } from 'ioredis';
import type { Logger } from '../shared/logger.js';

export type PresenceKind = 'visitor' | 'agent';
export type PresenceKey = { kind: PresenceKind; accountId: string; id: string };
/** Called when a visitor or agent comes online (first socket anywhere) or goes offline (last one gone). */
export type PresenceChange = (key: PresenceKey, online: boolean) => void;

/** How long a heartbeat keeps someone online, and how often heartbeats and sweeps run. */
export const presenceTtlMs = 30_000;
export const heartbeatMs = 10_000;

/**
 * Who has a socket open, across instances. Each instance counts its own sockets and
 * renews a heartbeat with expiry for everyone it holds; a crashed instance's heartbeats
 * expire, and whoever notices first (sweep) reports them offline exactly once.
 */
export interface Presence {
  connect(key: PresenceKey): Promise<void>;
  disconnect(key: PresenceKey): Promise<void>;
  /** the ids among `ids` (of one account) that are online */
  online(kind: PresenceKind, accountId: string, ids: string[]): Promise<Set<string>>;
  /** every online id of one account */
  onlineIn(kind: PresenceKind, accountId: string): Promise<string[]>;
  /** local sockets counted, for metrics and leak tests */
  stats(): { tracked: number };
  close(): Promise<void>;
}

const memberOf = (key: PresenceKey) => `${key.accountId}:${key.id}`;
const keyOf = (kind: PresenceKind, member: string): PresenceKey => {
  const [accountId, id] = member.split(':') as [string, string];
  return { kind, accountId, id };
};

/** One process: presence is the local socket count. */
export function createLocalPresence(onChange: PresenceChange): Presence {
  const counts = new Map<string, { key: PresenceKey; sockets: number }>();
  const name = (key: PresenceKey) => `${key.kind}:${memberOf(key)}`;
  return {
    async connect(key) {
      const entry = counts.get(name(key));
      if (entry) {
        entry.sockets++;
        return;
      }
      counts.set(name(key), { key, sockets: 1 });
      onChange(key, true);
    },
    async disconnect(key) {
      const entry = counts.get(name(key));
      if (!entry) return;
      if (--entry.sockets > 0) return;
      counts.delete(name(key));
      onChange(key, false);
    },
    async online(kind, accountId, ids) {
      return new Set(ids.filter((id) => counts.has(name({ kind, accountId, id }))));
    },
    async onlineIn(kind, accountId) {
      return [...counts.values()].filter((e) => e.key.kind === kind && e.key.accountId === accountId).map((e) => e.key.id);
    },
    stats: () => ({ tracked: counts.size }),
    async close() {
      counts.clear();
    },
  };
}

/**
 * Redis: a sorted set per kind holds `account:id` scored by the heartbeat's expiry (the
 * latest of all instances); a sorted set per person holds the instances that have a socket.
 *
 * Presence is best-effort while Redis is unreachable: sockets still connect and close,
 * questions are answered from this instance's own sockets, and once Redis is back every
 * local socket is renewed at once and whoever was missing from Redis is announced again.
 */
export function createRedisPresence(
  redis: Redis,
  prefix: string,
  instanceId: string,
  onChange: PresenceChange,
  logger?: Pick<Logger, 'warn'>,
): Presence {
  const local = new Map<string, { key: PresenceKey; sockets: number }>();
  const warn = (error: unknown, what: string) => logger?.warn({ err: error }, `presence: ${what} failed; Redis unreachable?`);
  const all = (kind: PresenceKind) => `${prefix}presence:${kind}`;
  const holders = (key: PresenceKey) => `${prefix}presence:${key.kind}:${memberOf(key)}`;
  const name = (key: PresenceKey) => `${key.kind}:${memberOf(key)}`;

  async function beat(key: PresenceKey, now = Date.now()): Promise<boolean> {
    const expiry = now + presenceTtlMs;
    const results = await redis
      .multi()
      .zscore(all(key.kind), memberOf(key))
      .zadd(all(key.kind), 'GT', expiry, memberOf(key))
      .zadd(holders(key), expiry, instanceId)
      .pexpire(holders(key), presenceTtlMs)
      .exec();
    const previous = results?.[0]?.[1] as string | null;
    return previous === null || Number(previous) < now;
  }

  // Removes an expired member only if no instance renewed it meanwhile; 1 when removed.
  const removeIfExpired = `if tonumber(redis.call('zscore', KEYS[1], ARGV[1]) or '0') < tonumber(ARGV[2])
    then return redis.call('zrem', KEYS[1], ARGV[1]) else return 0 end`;
  // Drops this instance's hold; when no instance holds the member any more, removes it: 1 when removed.
  const release = `redis.call('zrem', KEYS[2], ARGV[2])
    if redis.call('zcount', KEYS[2], ARGV[3], '+inf') > 0 then return 0 end
    return redis.call('zrem', KEYS[1], ARGV[1])`;

  /** Reports offline whoever was left behind by an instance that died. */
  async function sweep(now: number) {
    for (const kind of ['visitor', 'agent'] as const) {
      for (const member of await redis.zrangebyscore(all(kind), '-inf', now)) {
        if ((await redis.eval(removeIfExpired, 1, all(kind), member, now)) === 1) onChange(keyOf(kind, member), false);
      }
    }
  }

  /** Renews everyone this instance holds; anyone Redis did not count as online (lost in an outage) is announced. */
  function renew() {
    const now = Date.now();
    Promise.all(
      [...local.values()].map(async ({ key }) => {
        if ((await beat(key, now)) && local.has(name(key))) onChange(key, true);
      }),
    )
      .then(() => sweep(now))
      .catch(() => {});
  }

  const timer = setInterval(renew, heartbeatMs);
  timer.unref();
  // after a reconnect (Redis restarted, possibly empty), without waiting for the next heartbeat
  redis.on('ready', renew);

  return {
    async connect(key) {
      const entry = local.get(name(key));
      if (entry) {
        entry.sockets++;
        return;
      }
      local.set(name(key), { key, sockets: 1 });
      // Redis down: the socket is held locally, and `renew` announces it once Redis is back
      const cameOnline = await beat(key).catch((error: unknown) => {
        warn(error, 'connect');
        return false;
      });
      if (cameOnline) onChange(key, true);
    },
    async disconnect(key) {
      const entry = local.get(name(key));
      if (!entry) return;
      if (--entry.sockets > 0) return;
      local.delete(name(key));
      // Redis down: the heartbeat is no longer renewed, so it expires and a sweep reports the departure
      const released = await redis
        .eval(release, 2, all(key.kind), holders(key), memberOf(key), instanceId, Date.now())
        .catch((error: unknown) => warn(error, 'disconnect'));
      if (released === 1) onChange(key, false);
    },
    async online(kind, accountId, ids) {
      if (ids.length === 0) return new Set();
      try {
        const scores = await redis.zmscore(all(kind), ...ids.map((id) => `${accountId}:${id}`));
        const now = Date.now();
        return new Set(ids.filter((_, i) => scores[i] != null && Number(scores[i]) > now));
      } catch (error) {
        warn(error, 'online');
        return new Set(ids.filter((id) => local.has(name({ kind, accountId, id }))));
      }
    },
    async onlineIn(kind, accountId) {
      try {
        const members = await redis.zrangebyscore(all(kind), Date.now(), '+inf');
        return members.filter((m) => m.startsWith(`${accountId}:`)).map((m) => m.split(':')[1]!);
      } catch (error) {
        warn(error, 'onlineIn');
        return [...local.values()].filter((e) => e.key.kind === kind && e.key.accountId === accountId).map((e) => e.key.id);
      }
    },
    stats: () => ({ tracked: local.size }),
    async close() {
      clearInterval(timer);
      redis.off('ready', renew);
      local.clear();
    },
  };
}

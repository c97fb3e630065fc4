import type { WebSocket } from 'ws';

/**
 * The sockets' heartbeat: each socket is pinged once per interval and terminated when it has
 * not answered the previous ping, so a peer that vanished (no close, no FIN) frees its
 * subscriptions and presence, and proxies see traffic on idle sockets.
 *
 * One timer serves every socket: the sockets are dealt into slices and each tick pings one slice,
 * so twenty thousand idle sockets cost a wakeup per tick and a ping each per interval, spread
 * evenly, instead of a timer each (and a timeout and a listener per ping), or a burst of twenty
 * thousand writes at once that would hold up deliveries.
 */
export function createKeepAlive(intervalMs: number, tickMs = 1_000) {
  const slices = Math.max(1, Math.round(intervalMs / tickMs));
  const buckets = Array.from({ length: slices }, () => new Set<WebSocket>());
  const bucketOf = new WeakMap<WebSocket, Set<WebSocket>>();
  const unanswered = new WeakSet<WebSocket>();
  let dealt = 0;
  let tick = 0;
  function answered(this: WebSocket) {
    unanswered.delete(this);
  }
  const timer = setInterval(() => {
    for (const socket of buckets[tick++ % slices]!) {
      if (socket.readyState !== socket.OPEN) continue;
      if (unanswered.has(socket)) {
        socket.terminate();
        continue;
      }
      unanswered.add(socket);
      socket.ping();
    }
  }, intervalMs / slices);
  timer.unref();
  return {
    add(socket: WebSocket) {
      const bucket = buckets[dealt++ % slices]!;
      bucket.add(socket);
      bucketOf.set(socket, bucket);
      socket.on('pong', answered);
    },
    delete(socket: WebSocket) {
      bucketOf.get(socket)?.delete(socket);
      bucketOf.delete(socket);
    },
    /** sockets watched, for leak tests */
    size: () => buckets.reduce((n, bucket) => n + bucket.size, 0),
    close() {
      clearInterval(timer);
      for (const bucket of buckets) bucket.clear();
    },
  };
}

export type KeepAlive = ReturnType<typeof createKeepAlive>;

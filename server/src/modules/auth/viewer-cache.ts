import type { Realtime } from '../../realtime/realtime.js';
import { revokes } from '../../realtime/connections.js';
import type { Revocation } from '../../realtime/topics.js';
import type { Viewer } from './viewer.js';

/** How long a resolved token is trusted without asking the database again. */
export const viewerCacheTtlMs = 10_000;
/** Entries kept at most; the oldest go first. */
export const viewerCacheMax = 10_000;

type Entry = { viewer: Viewer; until: number };

/**
 * Token hash → viewer, for a few seconds, so a busy client's requests cost no token lookup
 * each. Correctness rests on revocations: every revocation (signOut, revokeApiToken,
 * removeAgent, …) passes through `connections.revoke` on every instance, at once on the one
 * that revoked and through pub/sub elsewhere, and drops the entries it applies to. The TTL
 * bounds what a revocation lost to a pub/sub outage could leave behind, and an entry never
 * outlives its session's expiry. Anything else that changes a viewer (e.g. an agent's role,
 * which the viewer carries) must revoke too.
 *
 * A lookup that was in flight while a revocation arrived is not cached: it may have read the
 * row before the revoking transaction committed.
 */
export function createViewerCache(opts: { ttlMs?: number; max?: number; now?: () => number } = {}) {
  const ttlMs = opts.ttlMs ?? viewerCacheTtlMs;
  const max = opts.max ?? viewerCacheMax;
  const now = opts.now ?? Date.now;
  const entries = new Map<string, Entry>();
  let generation = 0;
  return {
    get(tokenHash: string): Viewer | undefined {
      const entry = entries.get(tokenHash);
      if (!entry) return undefined;
      if (entry.until <= now()) {
        entries.delete(tokenHash);
        return undefined;
      }
      return entry.viewer;
    },
    /** The revocation count so far: pass it to `set` to cache only what no revocation overtook. */
    generation: () => generation,
    set(tokenHash: string, viewer: Viewer, since: number, expiresAt?: Date) {
      if (since !== generation || viewer.kind === 'ANONYMOUS') return;
      const until = Math.min(now() + ttlMs, expiresAt ? expiresAt.getTime() : Infinity);
      if (until <= now()) return;
      entries.delete(tokenHash);
      entries.set(tokenHash, { viewer, until });
      if (entries.size > max) entries.delete(entries.keys().next().value!);
    },
    revoke(revocation: Revocation) {
      generation++;
      for (const [hash, entry] of entries) if (revokes(revocation, entry.viewer)) entries.delete(hash);
    },
    clear() {
      generation++;
      entries.clear();
    },
    size: () => entries.size,
  };
}

export type ViewerCache = ReturnType<typeof createViewerCache>;

const caches = new WeakMap<Realtime['connections'], ViewerCache>();

/** The instance's one cache, fed every revocation the instance sees. */
export function viewerCacheOf(realtime: Pick<Realtime, 'connections'>): ViewerCache {
  let cache = caches.get(realtime.connections);
  if (!cache) {
    const created = createViewerCache();
    realtime.connections.onRevoke((revocation) => created.revoke(revocation));
    caches.set(realtime.connections, created);
    cache = created;
  }
  return cache;
}

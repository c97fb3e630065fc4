import type { Viewer } from '../modules/auth/viewer.js';
import type { Revocation } from './topics.js';

/** Something open on behalf of a viewer that must end when the viewer loses access. */
type Open = { viewer: Viewer; close: () => void };

/** Does this revocation take away this viewer's access? */
export function revokes(revocation: Revocation, viewer: Viewer): boolean {
  switch (revocation.kind) {
    case 'session':
      return viewer.kind === 'AGENT' && viewer.sessionId === revocation.id;
    case 'apiToken':
      return viewer.kind === 'API_TOKEN' && viewer.apiTokenId === revocation.id;
    case 'agent':
      return viewer.kind === 'AGENT' && viewer.agentId === revocation.id;
    case 'visitor':
      return viewer.kind === 'VISITOR' && viewer.visitorId === revocation.id;
    case 'account':
      return viewer.kind !== 'ANONYMOUS' && viewer.accountId === revocation.id;
  }
}

/** The sockets and event streams open on this instance, and who they act for. */
export function createConnections() {
  const open = new Set<Open>();
  const listeners = new Set<(revocation: Revocation) => void>();
  return {
    /** Registers something to close on revocation; returns its unregistration. */
    track(viewer: Viewer, close: () => void): () => void {
      const entry = { viewer, close };
      open.add(entry);
      return () => open.delete(entry);
    },
    /** Closes everything the revocation applies to; answers how many. */
    revoke(revocation: Revocation): number {
      for (const listener of listeners) listener(revocation);
      let closed = 0;
      for (const entry of [...open]) {
        if (!revokes(revocation, entry.viewer)) continue;
        open.delete(entry);
        entry.close();
        closed++;
      }
      return closed;
    },
    /**
     * Tells `listener` of every revocation this instance applies, its own at once and other
     * instances' as they arrive (e.g. the cache of resolved tokens); returns its removal.
     */
    onRevoke(listener: (revocation: Revocation) => void): () => void {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    stats: () => ({ open: open.size }),
  };
}

export type Connections = ReturnType<typeof createConnections>;

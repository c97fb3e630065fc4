import type { EntityManager } from '@mikro-orm/postgresql';
import type { Deps } from './deps.js';
import { resolveViewer } from './modules/auth/auth.service.js';
import type { Viewer } from './modules/auth/viewer.js';
import { createLoaders, type Loaders } from './loaders.js';

/** What the server knows of the client's connection, taken from the request. */
export type ClientInfo = { ip: string | null; userAgent: string | null };

/** Everything a resolver gets: the caller, a fresh entity manager, per-operation loaders. */
export type Context = {
  viewer: Viewer;
  em: EntityManager;
  loaders: Loaders;
  client: ClientInfo;
  deps: Deps;
  /** answers to policy questions that need the database, cached for this operation */
  policyCache: Map<string, Promise<boolean>>;
};

/** One context factory for HTTP requests and websocket operations alike. */
export async function createContext(deps: Deps, authorization: string | null | undefined, client: ClientInfo): Promise<Context> {
  const viewer = await resolveViewer(deps.orm.em.fork() as EntityManager, authorization);
  return contextFor(deps, viewer, client);
}

/** A context for a viewer already known (a websocket resolves its token once, at connection_init). */
export function contextFor(deps: Deps, viewer: Viewer, client: ClientInfo): Context {
  const em = deps.orm.em.fork() as EntityManager;
  return { viewer, em, loaders: createLoaders(em, viewer, deps.realtime.presence), client, deps, policyCache: new Map() };
}

/**
 * After sign-in, sign-up, accepting an invite or starting a visitor session, the rest of
 * the operation acts as the principal whose token it just returned.
 */
export async function actAs(ctx: Context, viewer: Viewer): Promise<void> {
  ctx.viewer = viewer;
  ctx.loaders = createLoaders(ctx.em, viewer, ctx.deps.realtime.presence);
  ctx.policyCache.clear();
}

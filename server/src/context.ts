import type { EntityManager } from '@mikro-orm/postgresql';
import type { Deps } from './deps.js';
import { resolveViewer } from './modules/auth/auth.service.js';
import { viewerCacheOf } from './modules/auth/viewer-cache.js';
import type { Viewer } from './modules/auth/viewer.js';
import { createLoaders, type Loaders } from './loaders.js';

/** What the server knows of the client's connection, taken from the request. */
export type ClientInfo = { ip: string | null; userAgent: string | null; origin: string | null };

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
  // the lookup runs plain statements on a connection and loads no entity: no unit of work of its own needed
  const viewer = await resolveViewer(deps.orm.em as EntityManager, authorization, viewerCacheOf(deps.realtime));
  return contextFor(deps, viewer, client);
}

/** A context for a viewer already known (a websocket resolves its token once, at connection_init). */
export function contextFor(deps: Deps, viewer: Viewer, client: ClientInfo): Context {
  const em = deps.orm.em.fork() as EntityManager;
  return { viewer, em, loaders: createLoaders(em, viewer, deps.realtime.presence), client, deps, policyCache: new Map() };
}

/**
 * Lets go of the context's entity manager and loaders, which are made again on first use. A
 * subscription holds its context for as long as it is open, often hours, while what it loaded to
 * set itself up is needed no more (each event is rendered with an entity manager and loaders of
 * its own, see events.schema.ts): thousands of idle subscriptions would keep thousands of units
 * of work and loader caches alive. A context derived from this one (`Object.create`) makes its
 * own on first use too, and keeps them to itself.
 */
export function releaseResources(ctx: Context): void {
  const deferred = <K extends 'em' | 'loaders'>(key: K, make: (owner: Context) => Context[K]) => {
    const own = (owner: Context, value: Context[K]) =>
      Object.defineProperty(owner, key, { value, writable: true, enumerable: true, configurable: true });
    Object.defineProperty(ctx, key, {
      enumerable: true,
      configurable: true,
      get(this: Context) {
        const value = make(this);
        own(this, value);
        return value;
      },
      set(this: Context, value: Context[K]) {
        own(this, value);
      },
    });
  };
  deferred('em', (owner) => owner.deps.orm.em.fork() as EntityManager);
  deferred('loaders', (owner) => createLoaders(owner.em, owner.viewer, owner.deps.realtime.presence));
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

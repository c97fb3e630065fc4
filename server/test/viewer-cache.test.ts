import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createViewerCache } from '../src/modules/auth/viewer-cache.js';
import type { Viewer } from '../src/modules/auth/viewer.js';
import { startTestApp, type TestApp } from './app.js';
import { createAccount, createAgent, createApiToken, createVisitor } from './factories.js';
import { expectError, gql, ok } from './graphql.js';
import { createDatabase, hasExecutable, killAll, startRedis, startServer, type RedisProcess, type ServerProcess } from './processes.js';

const agent: Viewer = { kind: 'AGENT', accountId: 'acc-1', agentId: 'agent-1', role: 'AGENT', sessionId: 'session-1' };
const api: Viewer = { kind: 'API_TOKEN', accountId: 'acc-1', apiTokenId: 'api-1' };
const visitor: Viewer = { kind: 'VISITOR', accountId: 'acc-2', visitorId: 'visitor-1' };

describe('the cache of resolved tokens', () => {
  it('answers an entry until its TTL, and never past the session’s expiry', () => {
    let now = 1_000;
    const cache = createViewerCache({ ttlMs: 100, now: () => now });
    cache.set('a', agent, cache.generation());
    cache.set('b', agent, cache.generation(), new Date(1_050));
    expect([cache.get('a'), cache.get('b')]).toEqual([agent, agent]);
    now = 1_050;
    expect([cache.get('a'), cache.get('b')]).toEqual([agent, undefined]);
    now = 1_100;
    expect(cache.get('a')).toBeUndefined();
    cache.set('c', agent, cache.generation(), new Date(900));
    expect(cache.get('c')).toBeUndefined();
  });

  it('drops exactly the entries a revocation applies to', () => {
    const cache = createViewerCache();
    const fill = () => {
      cache.clear();
      cache.set('agent', agent, cache.generation());
      cache.set('api', api, cache.generation());
      cache.set('visitor', visitor, cache.generation());
    };
    const left = () => ['agent', 'api', 'visitor'].filter((key) => cache.get(key));
    fill();
    cache.revoke({ kind: 'session', id: 'session-1' });
    expect(left()).toEqual(['api', 'visitor']);
    fill();
    cache.revoke({ kind: 'session', id: 'session-2' });
    expect(left()).toEqual(['agent', 'api', 'visitor']);
    cache.revoke({ kind: 'agent', id: 'agent-1' });
    expect(left()).toEqual(['api', 'visitor']);
    fill();
    cache.revoke({ kind: 'apiToken', id: 'api-1' });
    expect(left()).toEqual(['agent', 'visitor']);
    fill();
    cache.revoke({ kind: 'visitor', id: 'visitor-1' });
    expect(left()).toEqual(['agent', 'api']);
    fill();
    cache.revoke({ kind: 'account', id: 'acc-1' });
    expect(left()).toEqual(['visitor']);
  });

  it('does not keep a lookup a revocation overtook', () => {
    const cache = createViewerCache();
    const since = cache.generation();
    cache.revoke({ kind: 'session', id: 'someone-else' });
    cache.set('a', agent, since);
    expect(cache.get('a')).toBeUndefined();
    cache.set('a', agent, cache.generation());
    expect(cache.get('a')).toEqual(agent);
  });

  it('keeps at most `max` entries, dropping the oldest', () => {
    const cache = createViewerCache({ max: 2 });
    for (const key of ['a', 'b', 'c']) cache.set(key, agent, cache.generation());
    expect([cache.get('a'), cache.get('b'), cache.get('c')]).toEqual([undefined, agent, agent]);
    expect(cache.size()).toBe(2);
  });
});

describe('tokens over HTTP, with the cache', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(async () => {
    await app?.stop();
  });
  const statements = async () => (await app.deps.realtime.metrics.sqlStatements.get()).values[0]?.value ?? 0;
  const kind = (token: string) => gql(app.url, '{ viewer { kind } }', {}, { token });

  it('a token used again costs no lookup', async () => {
    const owner = await createAccount(app.url);
    const member = await createVisitor(app.url, owner.account.widgetKey);
    const integration = await createApiToken(app.url, owner.token);
    for (const token of [owner.token, member.token, integration.token]) {
      ok(await kind(token));
      const before = await statements();
      expect(ok(await kind(token)).viewer.kind).toMatch(/AGENT|VISITOR|API_TOKEN/);
      expect(await statements()).toBe(before);
    }
  });

  it('a revoked API token, a signed-out session and a removed agent stop working at once, though cached', async () => {
    const owner = await createAccount(app.url);
    const integration = await createApiToken(app.url, owner.token);
    const leaving = await createAgent(app.url, owner.token);
    const removed = await createAgent(app.url, owner.token);
    for (const token of [integration.token, leaving.token, removed.token]) ok(await kind(token));

    ok(await gql(app.url, 'mutation($id: ID!) { revokeApiToken(id: $id) }', { id: integration.id }, { token: owner.token }));
    expectError(await kind(integration.token), 'UNAUTHENTICATED');
    ok(await gql(app.url, 'mutation { signOut }', {}, { token: leaving.token }));
    expectError(await kind(leaving.token), 'UNAUTHENTICATED');
    ok(await gql(app.url, 'mutation($id: ID!) { removeAgent(id: $id) { id } }', { id: removed.id }, { token: owner.token }));
    expectError(await kind(removed.token), 'UNAUTHENTICATED');
    // the others' tokens still work
    expect(ok(await kind(owner.token)).viewer.kind).toBe('AGENT');
  });

  it('a bad token is refused every time, and not remembered as good', async () => {
    expectError(await kind('lcs_not-a-real-token'), 'UNAUTHENTICATED');
    expectError(await kind('lcs_not-a-real-token'), 'UNAUTHENTICATED');
  });
});

const redisInstalled = hasExecutable('redis-server');

describe.skipIf(!redisInstalled)('tokens cached on one instance, revoked through another', () => {
  let redis: RedisProcess;
  let db: Awaited<ReturnType<typeof createDatabase>>;
  let a: ServerProcess;
  let b: ServerProcess;

  beforeAll(async () => {
    redis = await startRedis();
    db = await createDatabase(inject('databaseUrl'));
    const env = { DATABASE_URL: db.url, REDIS_URL: redis.url, REDIS_PREFIX: `${db.name}:`, LOG_LEVEL: 'warn' };
    a = await startServer({ ...env, MIGRATE_ON_START: 'true' });
    b = await startServer({ ...env, MIGRATE_ON_START: 'false' });
  }, 90_000);
  afterAll(async () => {
    await killAll();
    await db?.drop();
  });

  /** Milliseconds until `token` is refused at `url`, polled. */
  async function refusedWithin(url: string, token: string, limitMs: number) {
    const since = Date.now();
    for (;;) {
      const response = await gql(url, '{ viewer { kind } }', {}, { token });
      if (response.errors?.[0]?.extensions?.code === 'UNAUTHENTICATED') return Date.now() - since;
      if (Date.now() - since > limitMs) throw new Error(`still accepted at ${url} after ${limitMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  it('the other instance refuses it within a second', async () => {
    const owner = await createAccount(b.url);
    const integration = await createApiToken(b.url, owner.token);
    const leaving = await createAgent(b.url, owner.token);
    for (const token of [integration.token, leaving.token]) {
      ok(await gql(a.url, '{ viewer { kind } }', {}, { token }));
      ok(await gql(a.url, '{ viewer { kind } }', {}, { token }));
    }
    ok(await gql(b.url, 'mutation($id: ID!) { revokeApiToken(id: $id) }', { id: integration.id }, { token: owner.token }));
    const afterRevoke = await refusedWithin(a.url, integration.token, 1_000);
    ok(await gql(b.url, 'mutation { signOut }', {}, { token: leaving.token }));
    const afterSignOut = await refusedWithin(a.url, leaving.token, 1_000);
    console.log(`cached tokens refused on the other instance ${afterRevoke} ms after revokeApiToken, ${afterSignOut} ms after signOut`);
    expect(ok(await gql(a.url, '{ viewer { kind } }', {}, { token: owner.token })).viewer.kind).toBe('AGENT');
  });
});

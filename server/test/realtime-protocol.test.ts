import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './app.js';
import { gql, ok } from './graphql.js';
import { sendMessage } from './factories.js';
import { collect } from './ws.js';
import { websocketLimits } from '../src/graphql/websocket.js';
import { encodeCursor } from '../src/shared/keyset.js';
import { conversationEvents, disposeAll, eventually, gauge, rawSocket, serving, socket, world } from './realtime-helpers.js';

/** The websocket protocol: authentication, limits, and the errors a subscription can end with. */

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(async () => {
  await app?.stop();
});

/** Nothing of the server's insides in what a client receives. */
const internals = /\bat .*\.(ts|js):\d+|node_modules|\/work\/|select |insert into|update |"messages"|stack/i;

describe('connection_init', () => {
  it('a bad, malformed or revoked token closes the socket with 4403', async () => {
    const w = await world(app.url);
    ok(await gql(app.url, 'mutation($id: ID!) { revokeApiToken(id: $id) }', { id: w.api.id }, { token: w.owner.token }));
    for (const authorization of ['Bearer lcs_not-a-real-token', 'Bearer lcv_forged', 'Token abc', `Bearer ${w.api.token}`, 'Bearer']) {
      const raw = await rawSocket(app.url);
      raw.send({ type: 'connection_init', payload: { authorization } });
      const closed = await raw.closed;
      expect(closed.code, authorization).toBe(4403);
      expect(raw.messages).toEqual([]);
    }
    // and a good one is acknowledged
    const raw = await rawSocket(app.url);
    raw.send({ type: 'connection_init', payload: { authorization: `Bearer ${w.visitor.token}` } });
    await eventually(() => raw.messages, (m) => m.length > 0);
    expect(raw.messages).toEqual([{ type: 'connection_ack' }]);
    raw.ws.close();
    await raw.closed;
  });

  it(
    'a socket that never sends connection_init is closed when the wait is over',
    async () => {
      const raw = await rawSocket(app.url);
      const opened = Date.now();
      try {
        const closed = await raw.closed;
        expect(closed.code).toBe(4408);
        expect(Date.now() - opened).toBeGreaterThanOrEqual(websocketLimits.connectionInitWaitMs - 100);
      } finally {
        raw.ws.terminate();
      }
    },
    websocketLimits.connectionInitWaitMs + 10_000,
  );

  it('a socket closed while its token is being checked leaves nothing behind', async () => {
    const w = await world(app.url);
    const baseline = app.deps.realtime.stats();
    const lock = new pg.Client({ connectionString: app.databaseUrl });
    await lock.connect();
    try {
      // hold the token lookup until the client has gone
      await lock.query('begin');
      await lock.query('lock table visitors in access exclusive mode');
      const raw = await rawSocket(app.url);
      raw.send({ type: 'connection_init', payload: { authorization: `Bearer ${w.visitor.token}` } });
      await eventually(
        async () =>
          (await app.sql("select count(*)::int as n from pg_stat_activity where wait_event_type = 'Lock' and query like '%from visitors where token_hash%'")).rows[0].n,
        (n) => n > 0,
        5_000,
        'the token lookup to wait',
      );
      raw.ws.terminate();
      await raw.closed;
      await eventually(() => gauge(app, 'openSockets'), (n) => n === 0, 5_000, 'the server to see the socket close');
      await lock.query('rollback');
      // the lookup finishes after the socket is gone: the visitor must not be left online
      await eventually(
        async () => (await app.sql("select count(*)::int as n from pg_stat_activity where wait_event_type = 'Lock'")).rows[0].n,
        (n) => n === 0,
      );
      const visitor = ok(await gql(app.url, 'query($id: ID!) { node(id: $id) { ... on Visitor { online } } }', { id: w.visitor.id }, { token: w.owner.token }));
      expect(visitor.node.online).toBe(false);
      await eventually(() => app.deps.realtime.stats(), (s) => JSON.stringify(s) === JSON.stringify(baseline), 2_000, 'stats back to baseline');
    } finally {
      await lock.query('rollback').catch(() => {});
      await lock.end();
    }
  });
});

describe('limits', () => {
  it(`a message larger than ${websocketLimits.maxPayloadBytes} bytes closes the socket; one just under is served`, async () => {
    const w = await world(app.url);
    const raw = await rawSocket(app.url);
    try {
      raw.send({ type: 'connection_init', payload: { authorization: `Bearer ${w.owner.token}` } });
      await eventually(() => raw.messages, (m) => m.some((x) => x.type === 'connection_ack'));
      const query = 'query($id: ID!) { node(id: $id) { id } }';
      // just under the limit: answered (the padding id is no node)
      raw.send({ id: '1', type: 'subscribe', payload: { query, variables: { id: 'x'.repeat(websocketLimits.maxPayloadBytes - 200) } } });
      await eventually(() => raw.messages, (m) => m.some((x) => x.id === '1' && x.type === 'complete'));
      expect(raw.messages.find((x) => x.id === '1' && x.type === 'next').payload.data).toEqual({ node: null });
      // over it: the socket is closed (1009, message too big)
      raw.send({ id: '2', type: 'subscribe', payload: { query, variables: { id: 'x'.repeat(websocketLimits.maxPayloadBytes + 1) } } });
      expect((await raw.closed).code).toBe(1009);
      expect(raw.messages.some((x) => x.id === '2')).toBe(false);
    } finally {
      raw.ws.terminate();
    }
    await eventually(() => gauge(app, 'openSockets'), (n) => n === 0);
  });
});

describe('errors in subscriptions', () => {
  it('carry a contract code, and no stack, SQL or internals', async () => {
    const w = await world(app.url);
    const agent = socket(app.url, w.owner.token);
    try {
      const cases: [string, string, Record<string, unknown>, string][] = [
        ['a malformed cursor', conversationEvents, { id: w.conversationId, after: 'not-a-cursor' }, 'BAD_USER_INPUT'],
        ['an id that is no conversation', conversationEvents, { id: w.visitor.id }, 'FORBIDDEN'],
        ['a syntax error', 'subscription { conversationEvents(', {}, 'BAD_USER_INPUT'],
        ['an unknown field', 'subscription { accountEvents { nope } }', {}, 'BAD_USER_INPUT'],
        ['a missing variable', conversationEvents, {}, 'BAD_USER_INPUT'],
        [
          'an operation over the cost limit',
          `subscription { accountEvents { ... on ConversationStarted { conversation { messages(first: 100) { edges { node {
             conversation { messages(first: 100) { edges { node { id } } } } } } } } } } }`,
          {},
          'BAD_USER_INPUT',
        ],
        [
          'an operation over the depth limit',
          `subscription { accountEvents { ... on MessageAdded { message { conversation { visitor { conversations { edges { node {
             assignee { account { visitors { edges { node { id } } } } } } } } } } } } } }`,
          {},
          'BAD_USER_INPUT',
        ],
        [
          'too many aliases',
          `subscription { accountEvents { ... on AgentUpdated { ${Array.from({ length: 20 }, (_, i) => `a${i}: agent { id }`).join(' ')} } } }`,
          {},
          'BAD_USER_INPUT',
        ],
        ['too many tokens', `subscription { accountEvents { ${'__typename '.repeat(2_100)} } }`, {}, 'BAD_USER_INPUT'],
      ];
      for (const [name, query, variables, code] of cases) {
        const stream = collect(agent.client, query, variables);
        await stream.until(() => false).catch((error: Error) => Promise.reject(new Error(`${name}: ${error.message}`)));
        const errors = [...stream.received.flatMap((r) => r.errors ?? []), ...(Array.isArray(stream.error) ? stream.error : [])];
        expect(errors.length, name).toBeGreaterThan(0);
        expect(errors.map((e: any) => e.extensions?.code), `${name}: ${JSON.stringify(errors)}`).toEqual(errors.map(() => code));
        expect(JSON.stringify(errors), name).not.toMatch(internals);
      }
      expect(agent.closes.filter((c) => c !== 1000)).toEqual([]);
    } finally {
      await disposeAll([agent.client]);
    }
  });

  it('a database failure while replaying ends the stream with INTERNAL, without the SQL', async () => {
    const w = await world(app.url);
    for (const i of [1, 2, 3]) await sendMessage(app.url, w.owner.token, `m${i}`, w.conversationId);
    const base = await gauge(app, 'activeSubscriptions');
    const lock = new pg.Client({ connectionString: app.databaseUrl });
    await lock.connect();
    const agent = socket(app.url, w.owner.token);
    try {
      await lock.query('begin');
      await lock.query('lock table messages in access exclusive mode');
      const stream = collect(agent.client, conversationEvents, { id: w.conversationId, after: encodeCursor([0]) });
      // the replay waits on the lock; cut its connection off, as a failover would
      const waiting = await eventually(
        async () => (await app.sql(`select pid from pg_stat_activity where wait_event_type = 'Lock' and query like '%from "messages"%'`)).rows,
        (rows) => rows.length > 0,
        5_000,
        'the replay to wait on the lock',
      );
      await app.sql('select pg_terminate_backend($1)', [waiting[0].pid]);
      await lock.query('rollback');
      await stream.until(() => false);
      expect(stream.received.filter((r) => r.data)).toEqual([]);
      const errors = Array.isArray(stream.error) ? stream.error : stream.received.flatMap((r) => r.errors ?? []);
      expect(errors.map((e: any) => e.extensions?.code), JSON.stringify(errors)).toEqual(['INTERNAL']);
      expect(JSON.stringify(errors)).not.toMatch(internals);
      await serving(app, base);
      // the server goes on serving
      const again = collect(agent.client, conversationEvents, { id: w.conversationId, after: encodeCursor([0]) });
      await again.until((r) => r.length >= 4);
      expect(again.received.map((r) => r.data?.conversationEvents.message.seq)).toEqual([1, 2, 3, 4]);
    } finally {
      await lock.query('rollback').catch(() => {});
      await lock.end();
      await disposeAll([agent.client]);
    }
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './app.js';
import { gql, ok } from './graphql.js';
import { createVisitor, sendMessage } from './factories.js';
import { collect } from './ws.js';
import { encodeCursor } from '../src/shared/keyset.js';
import {
  accountEvents,
  conversationEvents,
  disposeAll,
  eventually,
  gauge,
  hasBody,
  rawSocket,
  serving,
  socket,
  world,
} from './realtime-helpers.js';

/** What open sockets and subscriptions cost the server, and that closing them gives it all back. */

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(async () => {
  await app?.stop();
});

const stats = () => app.deps.realtime.stats();
const setTyping = `mutation($input: SetTypingInput!) { setTyping(input: $input) }`;

describe('cleanup', () => {
  it('sockets and subscriptions closed in every way leave no listener, topic, timer, presence or connection behind', async () => {
    const w = await world(app.url);
    const visitors = [w.visitor, ...(await Promise.all([1, 2, 3, 4].map(() => createVisitor(app.url, w.owner.account.widgetKey))))];
    const conversations = [w.conversationId];
    for (const v of visitors.slice(1)) conversations.push((await sendMessage(app.url, v.token, 'hi')).conversation.id);
    const baseline = stats();
    const baseSockets = await gauge(app, 'openSockets');
    const baseSubscriptions = await gauge(app, 'activeSubscriptions');
    expect(baseline).toMatchObject({ tracked: 0, timers: 0 });

    const staff = [w.owner.token, w.agent.token, w.api.token];
    const clients = [
      ...Array.from({ length: 12 }, (_, i) => ({ ...socket(app.url, staff[i % 3]), kind: 'staff', i })),
      ...visitors.map((v, i) => ({ ...socket(app.url, v.token), kind: 'visitor', i })),
    ];
    const raws: Awaited<ReturnType<typeof rawSocket>>[] = [];
    try {
      const streams = clients.flatMap((c) =>
        c.kind === 'staff'
          ? [
              collect(c.client, accountEvents),
              collect(c.client, conversationEvents, { id: conversations[c.i % conversations.length], after: c.i % 2 ? encodeCursor([0]) : null }),
            ]
          : [collect(c.client, conversationEvents, { id: conversations[c.i] })],
      );
      // three raw sockets that will drop without a close frame, mid-subscription
      for (const token of [w.owner.token, visitors[1]!.token, w.api.token]) {
        const raw = await rawSocket(app.url);
        raw.send({ type: 'connection_init', payload: { authorization: `Bearer ${token}` } });
        await eventually(() => raw.messages, (m) => m.some((x) => x.type === 'connection_ack'));
        raw.send({ id: '1', type: 'subscribe', payload: { query: conversationEvents, variables: { id: conversations[1] } } });
        raws.push(raw);
      }
      const subscriptions = streams.length + raws.length;
      await serving(app, baseSubscriptions + subscriptions);
      expect(await gauge(app, 'openSockets')).toBe(baseSockets + clients.length + raws.length);
      // typing timers, some switched off and some left running
      for (const [i, v] of visitors.entries()) {
        ok(await gql(app.url, setTyping, { input: { conversationId: conversations[i], isTyping: true } }, { token: v.token }));
      }
      const during = stats();
      expect(during.listeners).toBe(baseline.listeners + subscriptions);
      expect(during.topics).toBe(baseline.topics + conversations.length + 1);
      expect(during.tracked).toBe(baseline.tracked + 2 + visitors.length); // the owner and the agent, and each visitor
      expect(during.connections).toBe(baseline.connections + clients.length + raws.length + subscriptions);
      expect(during.timers).toBe(visitors.length);
      await sendMessage(app.url, w.owner.token, 'to everyone', w.conversationId);
      await streams[0]!.until(hasBody('to everyone', 'accountEvents'));

      // some subscriptions end while their socket stays open
      for (const stream of streams.slice(0, 6)) stream.dispose();
      await serving(app, baseSubscriptions + subscriptions - 6);
      expect(stats().listeners).toBe(baseline.listeners + subscriptions - 6);
      for (const [i, v] of visitors.slice(0, 2).entries()) {
        ok(await gql(app.url, setTyping, { input: { conversationId: conversations[i], isTyping: false } }, { token: v.token }));
      }
      // then everything goes: politely, and abruptly
      await disposeAll(clients.map((c) => c.client));
      for (const raw of raws) raw.ws.terminate();
      await eventually(stats, (s) => JSON.stringify(s) === JSON.stringify(baseline), 8_000, `stats back to ${JSON.stringify(baseline)}`);
      expect(await gauge(app, 'openSockets')).toBe(baseSockets);
      expect(await gauge(app, 'activeSubscriptions')).toBe(baseSubscriptions);
      if (app.deps.redis) {
        const channels = await app.deps.redis.pubsub('CHANNELS', `${app.deps.config.redisPrefix}*`);
        expect(channels).toEqual([`${app.deps.config.redisPrefix}revocations`]);
      }
    } finally {
      await disposeAll(clients.map((c) => c.client));
      for (const raw of raws) raw.ws.terminate();
    }
  });
});

describe('/metrics', () => {
  const scrape = async () => {
    const text = await (await fetch(`${app.url}/metrics`)).text();
    const value = (name: string) => {
      const line = text.split('\n').find((l) => l.startsWith(`${name} `) || l.startsWith(`${name}{`));
      return line ? Number(line.split(' ').at(-1)) : undefined;
    };
    return { text, value };
  };

  it('counts sockets, subscriptions, events published and delivered, and the delivery lag', async () => {
    const w = await world(app.url);
    const before = await scrape();
    const baseSockets = before.value('livechat_open_sockets')!;
    const baseSubscriptions = before.value('livechat_active_subscriptions')!;
    const published = (m: Awaited<ReturnType<typeof scrape>>) => m.value('livechat_events_published_total{type="MessageAdded"}') ?? 0;
    const delivered = (m: Awaited<ReturnType<typeof scrape>>) => m.value('livechat_events_delivered_total{type="MessageAdded"}') ?? 0;
    const lagCount = (m: Awaited<ReturnType<typeof scrape>>) => m.value('livechat_event_delivery_lag_seconds_count') ?? 0;
    const agent = socket(app.url, w.owner.token);
    const visitor = socket(app.url, w.visitor.token);
    try {
      const streams = [
        collect(agent.client, accountEvents),
        collect(agent.client, conversationEvents, { id: w.conversationId }),
        collect(visitor.client, conversationEvents, { id: w.conversationId }),
      ];
      await serving(app, baseSubscriptions + 3);
      const open = await scrape();
      expect(open.value('livechat_open_sockets')).toBe(baseSockets + 2);
      expect(open.value('livechat_active_subscriptions')).toBe(baseSubscriptions + 3);

      await sendMessage(app.url, w.owner.token, 'counted', w.conversationId);
      await streams[0]!.until(hasBody('counted', 'accountEvents'));
      await streams[1]!.until(hasBody('counted'));
      await streams[2]!.until(hasBody('counted'));
      const after = await scrape();
      expect(published(after) - published(open)).toBe(2); // its conversation's topic and its account's
      expect(delivered(after) - delivered(open)).toBe(3);
      expect(lagCount(after) - lagCount(open)).toBe(3);
      const lagSum = after.value('livechat_event_delivery_lag_seconds_sum')! - (open.value('livechat_event_delivery_lag_seconds_sum') ?? 0);
      expect(lagSum).toBeGreaterThanOrEqual(0);
      expect(lagSum / 3).toBeLessThan(1);
      expect(after.value('livechat_event_delivery_lag_seconds_bucket{le="+Inf"}')).toBe(lagCount(after));
      for (const name of ['livechat_open_sockets', 'livechat_active_subscriptions', 'livechat_events_published_total', 'livechat_events_delivered_total', 'livechat_event_delivery_lag_seconds']) {
        expect(after.text).toContain(`# TYPE ${name} `);
      }
    } finally {
      await disposeAll([agent.client, visitor.client]);
    }
    await eventually(scrape, (m) => m.value('livechat_open_sockets') === baseSockets && m.value('livechat_active_subscriptions') === baseSubscriptions);
  });
});

describe('delivery cost', () => {
  const messageAdded = `cursor message { id seq body authorKind createdAt clientMessageId agent { id name jobTitle motto status }
    conversation { id status lastSeq lastMessageAt assignee { id name jobTitle } visitor { id name email online } } }`;
  const staffConversation = `subscription($id: ID!) { conversationEvents(conversationId: $id) { __typename ... on MessageAdded { ${messageAdded} } } }`;
  const staffAccount = `subscription { accountEvents { __typename ... on MessageAdded { ${messageAdded} } ... on ConversationUpdated { conversation { id assignee { id } } } } }`;
  const widget = `subscription($id: ID!) { conversationEvents(conversationId: $id) { __typename ... on MessageAdded { cursor message { id seq body authorKind
    agent { name jobTitle motto status } conversation { id status assignee { name jobTitle motto } visitor { id name online } } } } } }`;

  /** SQL statements the server runs while one message is sent and reaches every subscriber. */
  async function costOfOneMessage(subscribers: number) {
    const w = await world(app.url);
    await sendMessage(app.url, w.owner.token, 'Hello, I am Olivia', w.conversationId); // the owner takes the conversation
    // the API token's "last used" is written at most once a minute: have it written now, not while counting
    ok(await gql(app.url, '{ viewer { kind } }', {}, { token: w.api.token }));
    const base = await gauge(app, 'activeSubscriptions');
    const sockets = [socket(app.url, w.visitor.token)];
    const streams = [collect(sockets[0]!.client, widget, { id: w.conversationId })];
    const staff = [w.owner.token, w.agent.token, w.api.token];
    for (let i = 1; i < subscribers; i++) {
      const s = socket(app.url, staff[i % 3]);
      sockets.push(s);
      streams.push(i % 2 ? collect(s.client, staffAccount) : collect(s.client, staffConversation, { id: w.conversationId }));
    }
    const field = (i: number) => (i > 0 && i % 2 ? 'accountEvents' : 'conversationEvents');
    const knex = app.deps.orm.em.getConnection().getKnex();
    try {
      await serving(app, base + subscribers);
      const deliver = async (token: string, body: string) => {
        await sendMessage(app.url, token, body, w.conversationId);
        for (const [i, stream] of streams.entries()) await stream.until(hasBody(body, field(i)), 10_000);
      };
      // the first delivery also ends each stream's start (reading where the conversation is)
      await deliver(w.owner.token, 'warm-up');
      const counts: Record<string, number | string[]> = {};
      for (const [author, token] of [['visitor', w.visitor.token], ['agent', w.agent.token], ['api', w.api.token]] as const) {
        const statements: string[] = [];
        const count = (query: { sql: string }) => statements.push(query.sql.replace(/\s+/g, ' ').slice(0, 80));
        knex.on('query', count);
        try {
          await deliver(token, `from the ${author}`);
        } finally {
          knex.off('query', count);
        }
        counts[author] = statements.length;
        counts[`${author}: what ran`] = statements.sort(); // shown when the counts differ
      }
      for (const stream of streams) expect(stream.received.flatMap((r) => r.errors ?? [])).toEqual([]);
      return counts;
    } finally {
      await disposeAll(sockets.map((s) => s.client));
      await serving(app, base);
    }
  }

  it('does not grow with the number of subscribers', async () => {
    // the visitor alone, then with agents and API tokens following the conversation and the account
    const alone = await costOfOneMessage(1);
    const few = await costOfOneMessage(5);
    const many = await costOfOneMessage(30);
    expect(alone.visitor).toBeGreaterThan(0); // the hook does see the statements
    const numbers = (counts: typeof alone) => Object.fromEntries(Object.entries(counts).filter(([, v]) => typeof v === 'number'));
    expect(numbers(few), JSON.stringify({ alone, few }, null, 1)).toEqual(numbers(alone));
    expect(numbers(many), JSON.stringify({ alone, many }, null, 1)).toEqual(numbers(alone));
  });
});

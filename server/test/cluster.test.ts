import { randomBytes } from 'node:crypto';
import WebSocket from 'ws';
import { createClient, type Client } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { encodeCursor } from '../src/shared/keyset.js';
import { parseGlobalId } from '../src/shared/ids.js';
import { createAccount, createAgent, createApiToken, createVisitor, sendMessage } from './factories.js';
import { gql, ok } from './graphql.js';
import {
  createDatabase,
  hasExecutable,
  killAll,
  metric,
  resumingSubscription,
  startRedis,
  startServer,
  waitFor,
  type RedisProcess,
  type ResumingSubscription,
  type ServerProcess,
} from './processes.js';
import { collect, wsClient } from './ws.js';

/**
 * Several real server processes over one PostgreSQL database and one Redis of the suite's
 * own: events, presence and revocation cross instances, and a chat survives an instance
 * killed with -9 and a Redis restart with every message delivered exactly once, in order.
 */

const redisInstalled = hasExecutable('redis-server');
if (!redisInstalled) console.warn('cluster.test.ts skipped: redis-server is not installed (apt-get install redis-server)');

const conversationEventsQuery = `subscription($id: ID!, $after: String) {
  conversationEvents(conversationId: $id, after: $after) {
    __typename
    ... on MessageAdded { cursor message { seq body authorKind } }
    ... on TypingChanged { conversationId authorKind isTyping agent { name } }
    ... on MessagesRead { conversationId authorKind messageId seq }
  }
}`;

const accountEventsQuery = `subscription { accountEvents {
  __typename
  ... on ConversationStarted { conversation { id } }
  ... on MessageAdded { cursor message { seq body conversation { id } } }
  ... on VisitorUpdated { visitor { id online } }
} }`;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const uniqueId = () => randomBytes(8).toString('hex');

/** Things a test opened, closed in the cleanup test (or after all, when a test failed first). */
const openedClients = new Set<{ dispose: () => unknown }>();
function opened<T extends { dispose: () => unknown }>(thing: T): T {
  openedClients.add(thing);
  return thing;
}
async function closeOpened() {
  await Promise.all([...openedClients].map((c) => c.dispose()));
  openedClients.clear();
}

/** A graphql-ws client that connects at once and reports how its socket closed. */
async function connectedClient(url: string, token: string) {
  let closeCode: number | null = null;
  let closedAt = 0;
  const client: Client = createClient({
    url: url.replace(/^http/, 'ws') + '/graphql',
    webSocketImpl: WebSocket,
    connectionParams: { authorization: `Bearer ${token}` },
    retryAttempts: 0,
    lazy: false,
    onNonLazyError: () => {},
  });
  opened(client);
  client.on('closed', (event) => {
    closeCode ??= (event as { code: number }).code;
    closedAt = Date.now();
  });
  await new Promise<void>((resolve, reject) => {
    client.on('connected', () => resolve());
    client.on('closed', (event) => reject(new Error(`socket to ${url} closed before it was acknowledged: ${(event as { code: number }).code}`)));
    client.on('error', reject);
  });
  return {
    client,
    get closeCode() {
      return closeCode;
    },
    get closedAt() {
      return closedAt;
    },
  };
}

/** A message sent over HTTP with a time limit, so a dying instance cannot hang the sender. */
async function send(url: string, token: string, conversationId: string | undefined, body: string, clientMessageId: string) {
  const res = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({
      query: 'mutation($input: SendMessageInput!) { sendMessage(input: $input) { message { id seq } } }',
      variables: { input: { conversationId, body, clientMessageId } },
    }),
    signal: AbortSignal.timeout(5_000),
  });
  const json = (await res.json()) as { data?: { sendMessage: { message: { id: string; seq: number } } }; errors?: unknown[] };
  if (json.errors) throw new Error(`sendMessage failed on ${url}: ${JSON.stringify(json.errors)}`);
  return json.data!.sendMessage.message;
}

const typename = (name: string) => (r: { data?: any }) =>
  r.data?.conversationEvents?.__typename === name || r.data?.accountEvents?.__typename === name;
const messagesIn = (received: { data?: any }[]) =>
  received.filter(typename('MessageAdded')).map((r) => (r.data.conversationEvents ?? r.data.accountEvents).message);

describe.skipIf(!redisInstalled)('several server processes over one database and one Redis', () => {
  let redis: RedisProcess;
  let db: Awaited<ReturnType<typeof createDatabase>>;
  let a: ServerProcess;
  let b: ServerProcess;
  let env: Record<string, string>;

  /** Waits until `url` serves `count` subscriptions, so what is sent next is received live. */
  const subscriptionsAt = (url: string, count: number) =>
    waitFor(async () => (await metric(url, 'livechat_active_subscriptions')) >= count, 5_000, `${count} subscriptions at ${url}`);

  beforeAll(async () => {
    redis = await startRedis();
    db = await createDatabase(inject('databaseUrl'));
    env = { DATABASE_URL: db.url, REDIS_URL: redis.url, REDIS_PREFIX: `${db.name}:`, LOG_LEVEL: 'warn' };
    // the first instance migrates the new database; the others find it ready
    a = await startServer({ ...env, MIGRATE_ON_START: 'true' });
    b = await startServer({ ...env, MIGRATE_ON_START: 'false' });
  }, 90_000);

  afterAll(async () => {
    await closeOpened().catch(() => {});
    await killAll();
    await db?.drop();
  });

  /** An account with a visitor on instance A whose first message started a conversation; both sides follow it. */
  async function openChat() {
    const owner = await createAccount(a.url);
    const visitor = await createVisitor(a.url, owner.account.widgetKey);
    const first = await sendMessage(a.url, visitor.token, 'Hello, is anyone there?');
    const conversationId = first.conversation.id;
    const after = encodeCursor([first.message.seq]);
    const [subsA, subsB] = await Promise.all([metric(a.url, 'livechat_active_subscriptions'), metric(b.url, 'livechat_active_subscriptions')]);
    const visitorSide = collect(opened(wsClient(a.url, visitor.token)), conversationEventsQuery, { id: conversationId, after });
    const agentSide = collect(opened(wsClient(b.url, owner.token)), conversationEventsQuery, { id: conversationId, after });
    await Promise.all([subscriptionsAt(a.url, subsA + 1), subscriptionsAt(b.url, subsB + 1)]);
    return { owner, visitor, first, conversationId, visitorSide, agentSide };
  }

  it('chats across instances: a visitor on A and an agent on B see every message sent to either', async () => {
    const owner = await createAccount(b.url);
    const subsB = await metric(b.url, 'livechat_active_subscriptions');
    const inbox = collect(opened(wsClient(b.url, owner.token)), accountEventsQuery);
    await subscriptionsAt(b.url, subsB + 1);

    const visitor = await createVisitor(a.url, owner.account.widgetKey);
    const first = await sendMessage(a.url, visitor.token, 'Hi from instance A');
    const conversationId = first.conversation.id;
    await inbox.until((r) => r.some(typename('ConversationStarted')) && messagesIn(r).length >= 1);
    const started = inbox.received.find(typename('ConversationStarted'))!;
    expect(started.data.accountEvents.conversation.id).toBe(conversationId);
    const [announced] = messagesIn(inbox.received);
    expect(announced).toMatchObject({ seq: 1, body: 'Hi from instance A', conversation: { id: conversationId } });
    const cursor = inbox.received.find(typename('MessageAdded'))!.data.accountEvents.cursor as string;

    const [subsA, subsB2] = await Promise.all([metric(a.url, 'livechat_active_subscriptions'), metric(b.url, 'livechat_active_subscriptions')]);
    const visitorSide = collect(opened(wsClient(a.url, visitor.token)), conversationEventsQuery, { id: conversationId, after: cursor });
    const agentSide = collect(opened(wsClient(b.url, owner.token)), conversationEventsQuery, { id: conversationId, after: cursor });
    await Promise.all([subscriptionsAt(a.url, subsA + 1), subscriptionsAt(b.url, subsB2 + 1)]);

    await sendMessage(a.url, visitor.token, 'visitor via A', conversationId);
    await sendMessage(b.url, owner.token, 'agent via B', conversationId);
    await sendMessage(a.url, owner.token, 'agent via A', conversationId);
    await sendMessage(b.url, visitor.token, 'visitor via B', conversationId);
    const expected = [
      { seq: 2, body: 'visitor via A', authorKind: 'VISITOR' },
      { seq: 3, body: 'agent via B', authorKind: 'AGENT' },
      { seq: 4, body: 'agent via A', authorKind: 'AGENT' },
      { seq: 5, body: 'visitor via B', authorKind: 'VISITOR' },
    ];
    for (const side of [visitorSide, agentSide]) {
      await side.until((r) => messagesIn(r).length >= 4);
      expect(messagesIn(side.received)).toEqual(expected);
    }
    await inbox.until((r) => messagesIn(r).length >= 5);
    expect(messagesIn(inbox.received).map((m) => m.seq)).toEqual([1, 2, 3, 4, 5]);
  });

  it('carries typing and read receipts across instances', async () => {
    const { owner, visitor, first, conversationId, visitorSide, agentSide } = await openChat();
    const typing = 'mutation($input: SetTypingInput!) { setTyping(input: $input) }';
    const markRead = 'mutation($input: MarkReadInput!) { markRead(input: $input) }';

    ok(await gql(a.url, typing, { input: { conversationId, isTyping: true } }, { token: visitor.token }));
    await agentSide.until((r) => r.some(typename('TypingChanged')));
    expect(agentSide.received.find(typename('TypingChanged'))!.data.conversationEvents).toMatchObject({
      conversationId,
      authorKind: 'VISITOR',
      isTyping: true,
      agent: null,
    });

    // the agent answers first: a visitor sees the agents who took part in its conversation
    const reply = await sendMessage(b.url, owner.token, 'How can I help?', conversationId);
    ok(await gql(b.url, typing, { input: { conversationId, isTyping: true } }, { token: owner.token }));
    ok(await gql(a.url, typing, { input: { conversationId, isTyping: false } }, { token: owner.token }));
    const agentTyping = (r: { data?: any }[]) => r.filter(typename('TypingChanged')).map((e) => e.data.conversationEvents).filter((e) => e.authorKind === 'AGENT');
    await visitorSide.until((r) => agentTyping(r).length >= 2);
    expect(agentTyping(visitorSide.received)).toEqual([
      { __typename: 'TypingChanged', conversationId, authorKind: 'AGENT', isTyping: true, agent: { name: 'Olivia Owner' } },
      { __typename: 'TypingChanged', conversationId, authorKind: 'AGENT', isTyping: false, agent: { name: 'Olivia Owner' } },
    ]);

    ok(await gql(b.url, markRead, { input: { conversationId, messageId: first.message.id } }, { token: owner.token }));
    await visitorSide.until((r) => r.some(typename('MessagesRead')));
    expect(visitorSide.received.find(typename('MessagesRead'))!.data.conversationEvents).toMatchObject({
      authorKind: 'AGENT',
      messageId: first.message.id,
      seq: 1,
    });

    ok(await gql(a.url, markRead, { input: { conversationId, messageId: reply.message.id } }, { token: visitor.token }));
    const visitorRead = (r: { data?: any }[]) => r.filter(typename('MessagesRead')).map((e) => e.data.conversationEvents).filter((e) => e.authorKind === 'VISITOR');
    await agentSide.until((r) => visitorRead(r).length >= 1);
    expect(visitorRead(agentSide.received)).toEqual([
      { __typename: 'MessagesRead', conversationId, authorKind: 'VISITOR', messageId: reply.message.id, seq: 2 },
    ]);
  });

  it('knows across instances whether a visitor is online', async () => {
    const owner = await createAccount(b.url);
    const subsB = await metric(b.url, 'livechat_active_subscriptions');
    const inbox = collect(opened(wsClient(b.url, owner.token)), accountEventsQuery);
    await subscriptionsAt(b.url, subsB + 1);
    const visitor = await createVisitor(a.url, owner.account.widgetKey);
    const onlineAtB = async () =>
      ok(await gql(b.url, 'query($id: ID!) { node(id: $id) { ... on Visitor { online } } }', { id: visitor.id }, { token: owner.token }))
        .node.online as boolean;
    expect(await onlineAtB()).toBe(false);

    // starting the session announced the visitor (offline); what follows is the socket's doing
    const presenceEvents = () =>
      inbox.received
        .filter(typename('VisitorUpdated'))
        .map((r) => r.data.accountEvents.visitor)
        .filter((v) => v.id === visitor.id)
        .slice(1);
    await inbox.until((r) => r.some(typename('VisitorUpdated')));

    const widget = await connectedClient(a.url, visitor.token);
    expect(await onlineAtB()).toBe(true);
    await inbox.until(() => presenceEvents().length >= 1);
    expect(presenceEvents()).toEqual([{ id: visitor.id, online: true }]);

    await widget.client.dispose();
    await inbox.until(() => presenceEvents().length >= 2);
    expect(presenceEvents()).toEqual([
      { id: visitor.id, online: true },
      { id: visitor.id, online: false },
    ]);
    expect(await onlineAtB()).toBe(false);
  });

  it('closes sockets on A with 4403 within seconds when access is revoked through B', async () => {
    const owner = await createAccount(b.url);
    const signedOut = await createAgent(b.url, owner.token);
    const removed = await createAgent(b.url, owner.token);
    const apiToken = await createApiToken(b.url, owner.token);

    const sockets = {
      signedOut: await connectedClient(a.url, signedOut.token),
      signedOutSecond: await connectedClient(a.url, signedOut.token),
      removed: await connectedClient(a.url, removed.token),
      apiToken: await connectedClient(a.url, apiToken.token),
      bystander: await connectedClient(a.url, owner.token),
    };
    const closedWithin = async (socket: { closeCode: number | null; closedAt: number }, since: number) => {
      await waitFor(() => socket.closeCode !== null, 3_000, 'the socket to close');
      expect(socket.closeCode).toBe(4403);
      return socket.closedAt - since;
    };

    let since = Date.now();
    ok(await gql(b.url, 'mutation { signOut }', {}, { token: signedOut.token }));
    const afterSignOut = await closedWithin(sockets.signedOut, since);
    await closedWithin(sockets.signedOutSecond, since);

    since = Date.now();
    ok(await gql(b.url, 'mutation($id: ID!) { revokeApiToken(id: $id) }', { id: apiToken.id }, { token: owner.token }));
    const afterRevoke = await closedWithin(sockets.apiToken, since);

    since = Date.now();
    ok(await gql(b.url, 'mutation($id: ID!) { removeAgent(id: $id) { id } }', { id: removed.id }, { token: owner.token }));
    const afterRemove = await closedWithin(sockets.removed, since);

    console.log(`revocation across instances: socket closed ${afterSignOut} ms after signOut, ${afterRevoke} ms after revokeApiToken, ${afterRemove} ms after removeAgent`);
    await sleep(100);
    expect(sockets.bystander.closeCode).toBeNull();
  });

  it('survives kill -9 of an instance mid-chat: its clients resume elsewhere with every message exactly once, in order', async () => {
    const c = await startServer({ ...env, MIGRATE_ON_START: 'false' });
    const owner = await createAccount(a.url);
    const agent = await createAgent(a.url, owner.token);
    const visitor = await createVisitor(c.url, owner.account.widgetKey);
    const first = await sendMessage(c.url, visitor.token, 'first message, through the instance that will die');
    const conversationId = first.conversation.id;
    const after = encodeCursor([first.message.seq]);

    const [subsA, subsC] = await Promise.all([metric(a.url, 'livechat_active_subscriptions'), metric(c.url, 'livechat_active_subscriptions')]);
    const followers: ResumingSubscription[] = [
      resumingSubscription({ name: 'visitor (on the dying instance)', urls: [c.url, a.url, b.url], token: visitor.token, conversationId, after }),
      resumingSubscription({ name: 'owner (on the dying instance)', urls: [c.url, b.url, a.url], token: owner.token, conversationId, after }),
      resumingSubscription({ name: 'agent (on a surviving instance)', urls: [a.url, b.url], token: agent.token, conversationId, after }),
    ];
    followers.forEach((f) => opened({ dispose: f.stop }));
    await Promise.all([subscriptionsAt(c.url, subsC + 2), subscriptionsAt(a.url, subsA + 1)]);

    const sent = new Map<string, number>(); // clientMessageId -> seq
    const failures: string[] = [];
    // 200 agent messages over ~5 s through the instances that stay
    const survivors = (async () => {
      const started = Date.now();
      for (let i = 0; i < 200; i++) {
        await sleep(Math.max(0, started + i * 25 - Date.now()));
        const id = `survivor-${i}-${uniqueId()}`;
        const [url, token] = i % 2 === 0 ? [a.url, owner.token] : [b.url, agent.token];
        try {
          sent.set(id, (await send(url, token, conversationId, `agent message ${i}`, id)).seq);
        } catch (error) {
          failures.push(String(error));
        }
      }
    })();
    // visitor messages through the dying instance until it dies; the one cut off is sent again elsewhere
    let sentThroughDying = 0;
    const dying = (async () => {
      for (let i = 0; ; i++) {
        const id = `dying-${i}-${uniqueId()}`;
        try {
          sent.set(id, (await send(c.url, visitor.token, conversationId, `visitor message ${i}`, id)).seq);
          sentThroughDying++;
        } catch {
          // the answer was lost with the instance; the same clientMessageId makes the retry safe
          sent.set(id, (await send(a.url, visitor.token, conversationId, `visitor message ${i}`, id)).seq);
          return;
        }
        await sleep(40);
      }
    })();
    await sleep(2_000);
    await c.crash();
    await Promise.all([survivors, dying]);
    expect(failures).toEqual([]);

    const rows = await db.sql('select seq, client_message_id from messages where conversation_id = $1 order by seq', [
      parseGlobalId(conversationId)!.id,
    ]);
    const stored = rows.rows.map((r) => Number(r.seq));
    const lastSeq = stored.at(-1)!;
    expect(stored).toEqual(Array.from({ length: lastSeq }, (_, i) => i + 1)); // no gap in seq
    expect(new Set(rows.rows.map((r) => r.client_message_id)).size).toBe(rows.rows.length);
    expect([...sent.values()].sort((x, y) => x - y)).toEqual(stored.slice(1)); // every send stored exactly once
    const expected = stored.slice(1);

    await waitFor(() => followers.every((f) => f.lastSeq >= lastSeq), 15_000, () => followers.map((f) => `${f.name}: ${f.lastSeq}/${lastSeq}`).join(', '));
    await sleep(200); // a late duplicate would arrive now
    console.log(
      `kill -9 of an instance: ${expected.length} messages sent (${sentThroughDying} through the dying instance before it died), seq 2..${lastSeq}\n` +
        followers
          .map((f) => `  ${f.name}: received ${f.received.length}, duplicates ${f.duplicates}, missing ${f.missing(expected).length}, out of order ${f.outOfOrder}, connections ${f.connections.length}`)
          .join('\n'),
    );
    for (const follower of followers) {
      expect(follower.duplicates, follower.name).toBe(0);
      expect(follower.missing(expected), follower.name).toEqual([]);
      expect(follower.received, follower.name).toEqual(expected);
    }
    // the dying instance's clients did move
    expect(followers[0]!.connections.length).toBeGreaterThan(1);
    expect(followers[1]!.connections.length).toBeGreaterThan(1);
    expect(sentThroughDying).toBeGreaterThan(0);
    await Promise.all(followers.map((f) => f.stop()));
  }, 45_000);

  it('survives a Redis restart mid-chat: sends keep succeeding, and every client ends with every message exactly once, in order', async () => {
    const owner = await createAccount(a.url);
    const agent = await createAgent(a.url, owner.token);
    const leaving = await createAgent(a.url, owner.token);
    const visitor = await createVisitor(a.url, owner.account.widgetKey);
    const first = await sendMessage(a.url, visitor.token, 'before the Redis restart');
    const conversationId = first.conversation.id;
    const after = encodeCursor([first.message.seq]);

    const [subsA, subsB] = await Promise.all([metric(a.url, 'livechat_active_subscriptions'), metric(b.url, 'livechat_active_subscriptions')]);
    const followers: ResumingSubscription[] = [
      resumingSubscription({ name: 'visitor on A', urls: [a.url, b.url], token: visitor.token, conversationId, after }),
      resumingSubscription({ name: 'owner on B', urls: [b.url, a.url], token: owner.token, conversationId, after }),
      resumingSubscription({ name: 'agent on A', urls: [a.url, b.url], token: agent.token, conversationId, after }),
    ];
    followers.forEach((f) => opened({ dispose: f.stop }));
    await Promise.all([subscriptionsAt(a.url, subsA + 2), subscriptionsAt(b.url, subsB + 1)]);

    const sent = new Map<string, number>();
    const failures: string[] = [];
    let sentDuringOutage = 0;
    let outage = false;
    const sender = (async () => {
      const started = Date.now();
      for (let i = 0; i < 200; i++) {
        await sleep(Math.max(0, started + i * 25 - Date.now()));
        const id = `message-${i}-${uniqueId()}`;
        const url = i % 2 === 0 ? a.url : b.url;
        const token = i % 3 === 0 ? visitor.token : owner.token;
        const duringOutage = outage;
        try {
          sent.set(id, (await send(url, token, conversationId, `message ${i}`, id)).seq);
          if (duringOutage) sentDuringOutage++;
        } catch (error) {
          failures.push(String(error));
        }
      }
    })();
    const leavingOnA = await connectedClient(a.url, leaving.token);
    const leavingOnB = await connectedClient(b.url, leaving.token);
    await sleep(1_500);
    outage = true;
    await redis.crash();
    const outageStarted = Date.now();
    const restart = () => (redis.child.exitCode === null && redis.child.signalCode === null ? Promise.resolve() : redis.restart());
    let lateWidget: Awaited<ReturnType<typeof connectedClient>> | undefined;
    try {
      // While Redis is down: a widget can still connect, typing and presence answer, and a
      // sign-out closes the sockets of the instance that served it at once.
      lateWidget = await connectedClient(b.url, visitor.token);
      ok(await gql(b.url, 'mutation($input: SetTypingInput!) { setTyping(input: $input) }', { input: { conversationId, isTyping: true } }, { token: visitor.token }));
      const online = ok(await gql(b.url, 'query($id: ID!) { node(id: $id) { ... on Visitor { online } } }', { id: visitor.id }, { token: owner.token }));
      expect(online.node.online).toBe(true); // this instance holds its socket
      ok(await gql(b.url, 'mutation { signOut }', {}, { token: leaving.token }));
      await waitFor(() => leavingOnB.closeCode !== null, 1_000, 'the signed-out socket on B to close');
      expect(leavingOnB.closeCode).toBe(4403);
      await sleep(Math.max(0, outageStarted + 1_000 - Date.now()));
    } finally {
      await restart(); // even when a check above failed, so the tests after this one have their Redis
    }
    const redisBack = Date.now();
    outage = false;
    // the sign-out reaches A once Redis is back
    await waitFor(() => leavingOnA.closeCode !== null, 5_000, 'the signed-out socket on A to close');
    expect(leavingOnA.closeCode).toBe(4403);
    const revokedOnALate = leavingOnA.closedAt - redisBack;
    await sender;
    await lateWidget!.client.dispose();
    // Redis came back empty: the instances restore who is online at once, not at the next heartbeat
    await waitFor(
      async () => ok(await gql(b.url, 'query($id: ID!) { node(id: $id) { ... on Visitor { online } } }', { id: visitor.id }, { token: owner.token })).node.online === true,
      2_000,
      'the visitor, whose socket is on A, to be online again at B',
    );
    expect(failures).toEqual([]);
    expect(sentDuringOutage).toBeGreaterThan(0);

    const rows = await db.sql('select seq from messages where conversation_id = $1 order by seq', [parseGlobalId(conversationId)!.id]);
    const stored = rows.rows.map((r) => Number(r.seq));
    const lastSeq = stored.at(-1)!;
    expect([...sent.values()].sort((x, y) => x - y)).toEqual(stored.slice(1));
    const expected = stored.slice(1);

    await waitFor(() => followers.every((f) => f.lastSeq >= lastSeq), 15_000, () => followers.map((f) => `${f.name}: ${f.lastSeq}/${lastSeq}`).join(', '));
    await sleep(200);
    console.log(
      `Redis restart: ${expected.length} messages sent (${sentDuringOutage} while Redis was down), seq 2..${lastSeq}; ` +
        `a sign-out during the outage closed its socket on the other instance ${revokedOnALate} ms after Redis was back\n` +
        followers
          .map((f) => `  ${f.name}: received ${f.received.length}, duplicates ${f.duplicates}, missing ${f.missing(expected).length}, out of order ${f.outOfOrder}, connections ${f.connections.length}`)
          .join('\n'),
    );
    for (const follower of followers) {
      expect(follower.duplicates, follower.name).toBe(0);
      expect(follower.missing(expected), follower.name).toEqual([]);
      expect(follower.received, follower.name).toEqual(expected);
    }
    // the failed publishes were logged, not thrown; both instances lived through it and are ready again
    expect(a.output() + b.output()).toMatch(/publish failed/);
    expect([a.child.exitCode, b.child.exitCode]).toEqual([null, null]);
    for (const url of [a.url, b.url]) expect((await fetch(`${url}/ready`)).status).toBe(200);
    await Promise.all(followers.map((f) => f.stop()));

    // pub/sub works across instances again: revocation and presence
    const apiToken = await createApiToken(b.url, owner.token);
    const socket = await connectedClient(a.url, apiToken.token);
    ok(await gql(b.url, 'mutation($id: ID!) { revokeApiToken(id: $id) }', { id: apiToken.id }, { token: owner.token }));
    await waitFor(() => socket.closeCode !== null, 3_000, 'the revoked socket to close');
    expect(socket.closeCode).toBe(4403);
  }, 45_000);

  it('leaves no socket or subscription open on any instance once the clients are gone', async () => {
    await closeOpened();
    for (const url of [a.url, b.url]) {
      await waitFor(
        async () => (await metric(url, 'livechat_open_sockets')) === 0 && (await metric(url, 'livechat_active_subscriptions')) === 0,
        5_000,
        `no open sockets and subscriptions at ${url}`,
      );
      expect(await metric(url, 'livechat_open_sockets')).toBe(0);
      expect(await metric(url, 'livechat_active_subscriptions')).toBe(0);
    }
  });
});

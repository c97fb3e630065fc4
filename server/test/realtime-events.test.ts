import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './app.js';
import { gql, ok } from './graphql.js';
import { createVisitor, rawId, sendMessage } from './factories.js';
import { collect, type Received } from './ws.js';
import { typingTtlMs } from '../src/realtime/typing.js';
import { agentOfflineGraceMs } from '../src/modules/events/events.hooks.js';
import { accountEvents, conversationEvents, disposeAll, eventsOf, eventually, gauge, hasBody, serving, socket, world } from './realtime-helpers.js';

/** Typing, read receipts, what a visitor sees inside events, and presence. */

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(async () => {
  await app?.stop();
});

const setTyping = `mutation($input: SetTypingInput!) { setTyping(input: $input) }`;
const markRead = `mutation($input: MarkReadInput!) { markRead(input: $input) }`;
const typing = (received: Received[]) => eventsOf(received).filter((e) => e.__typename === 'TypingChanged');
const reads = (received: Received[]) => eventsOf(received).filter((e) => e.__typename === 'MessagesRead');

describe('typing', () => {
  it('reaches the other side both ways, and turns itself off when not renewed', async () => {
    const w = await world(app.url);
    await sendMessage(app.url, w.owner.token, 'Hi, I am here', w.conversationId); // the owner takes the conversation
    const base = await gauge(app, 'activeSubscriptions');
    const agent = socket(app.url, w.owner.token);
    const visitor = socket(app.url, w.visitor.token);
    try {
      const agentStream = collect(agent.client, conversationEvents, { id: w.conversationId });
      const visitorStream = collect(visitor.client, conversationEvents, { id: w.conversationId });
      await serving(app, base + 2);

      // agent -> visitor, on and off
      ok(await gql(app.url, setTyping, { input: { conversationId: w.conversationId, isTyping: true } }, { token: w.owner.token }));
      await visitorStream.until((r) => typing(r).length >= 1);
      ok(await gql(app.url, setTyping, { input: { conversationId: w.conversationId, isTyping: false } }, { token: w.owner.token }));
      await visitorStream.until((r) => typing(r).length >= 2);
      expect(typing(visitorStream.received)).toEqual([
        { __typename: 'TypingChanged', conversationId: w.conversationId, authorKind: 'AGENT', isTyping: true, agent: { id: w.owner.agent.id, name: 'Olivia Owner' } },
        { __typename: 'TypingChanged', conversationId: w.conversationId, authorKind: 'AGENT', isTyping: false, agent: { id: w.owner.agent.id, name: 'Olivia Owner' } },
      ]);

      // another agent of the account, who has not written yet, typing in it: the visitor sees who it is
      for (const isTyping of [true, false]) {
        ok(await gql(app.url, setTyping, { input: { conversationId: w.conversationId, isTyping } }, { token: w.agent.token }));
      }
      await visitorStream.until((r) => typing(r).length >= 4);
      expect(typing(visitorStream.received).slice(2).map((e) => [e.isTyping, e.agent])).toEqual([
        [true, { id: w.agent.id, name: 'Adam Agent' }],
        [false, { id: w.agent.id, name: 'Adam Agent' }],
      ]);
      expect(visitorStream.received.flatMap((r) => r.errors ?? [])).toEqual([]);

      // visitor -> agent, renewed once (a renewal announces nothing), then left to expire
      ok(await gql(app.url, setTyping, { input: { conversationId: w.conversationId, isTyping: true } }, { token: w.visitor.token }));
      const started = Date.now();
      ok(await gql(app.url, setTyping, { input: { conversationId: w.conversationId, isTyping: true } }, { token: w.visitor.token }));
      const visitorTyping = (r: Received[]) => typing(r).filter((e) => e.authorKind === 'VISITOR');
      await agentStream.until((r) => visitorTyping(r).length >= 1);
      expect(app.deps.realtime.stats().timers).toBeGreaterThan(0);
      await agentStream.until((r) => visitorTyping(r).length >= 2, typingTtlMs + 2_000);
      const elapsed = Date.now() - started;
      expect(visitorTyping(agentStream.received)).toEqual([
        { __typename: 'TypingChanged', conversationId: w.conversationId, authorKind: 'VISITOR', isTyping: true, agent: null },
        { __typename: 'TypingChanged', conversationId: w.conversationId, authorKind: 'VISITOR', isTyping: false, agent: null },
      ]);
      expect(elapsed).toBeGreaterThanOrEqual(typingTtlMs - 200);
      expect(elapsed).toBeLessThan(typingTtlMs + 2_000);
      // the visitor's own stream carries its typing too (the widget ignores its own), and nothing else arrived
      expect(agentStream.received.flatMap((r) => r.errors ?? [])).toEqual([]);
      await eventually(() => app.deps.realtime.stats().timers, (n) => n === 0, 2_000, 'typing timers to end');
    } finally {
      await disposeAll([agent.client, visitor.client]);
    }
  });
});

describe('read receipts', () => {
  it('markRead publishes MessagesRead with the reading side and message; moving backwards publishes nothing', async () => {
    const w = await world(app.url);
    const m2 = await sendMessage(app.url, w.owner.token, 'How can I help?', w.conversationId);
    const m3 = await sendMessage(app.url, w.visitor.token, 'My order is late', w.conversationId);
    const base = await gauge(app, 'activeSubscriptions');
    const agent = socket(app.url, w.owner.token);
    const visitor = socket(app.url, w.visitor.token);
    try {
      const agentStream = collect(agent.client, conversationEvents, { id: w.conversationId });
      const visitorStream = collect(visitor.client, conversationEvents, { id: w.conversationId });
      await serving(app, base + 2);
      const read = (token: string, messageId: string) =>
        gql(app.url, markRead, { input: { conversationId: w.conversationId, messageId } }, { token }).then(ok);

      await read(w.visitor.token, m2.message.id);
      await read(w.owner.token, m3.message.id);
      // backwards, and the same again: accepted, but nothing to announce
      await read(w.visitor.token, w.firstMessageId);
      await read(w.owner.token, m2.message.id);
      await read(w.owner.token, m3.message.id);
      await sendMessage(app.url, w.owner.token, 'sentinel', w.conversationId);

      const expected = [
        { __typename: 'MessagesRead', conversationId: w.conversationId, authorKind: 'VISITOR', messageId: m2.message.id, seq: 2 },
        { __typename: 'MessagesRead', conversationId: w.conversationId, authorKind: 'AGENT', messageId: m3.message.id, seq: 3 },
      ];
      for (const stream of [agentStream, visitorStream]) {
        await stream.until(hasBody('sentinel'));
        expect(reads(stream.received)).toEqual(expected);
      }
      const { rows } = await app.sql('select visitor_read_seq, agent_read_seq from conversations where id = $1', [rawId(w.conversationId)]);
      expect(rows[0]).toEqual({ visitor_read_seq: 2, agent_read_seq: 3 });
    } finally {
      await disposeAll([agent.client, visitor.client]);
    }
  });
});

describe('what a visitor sees inside events', () => {
  const selection = `subscription($id: ID!) { conversationEvents(conversationId: $id) { __typename
    ... on MessageAdded { message { body agent { name jobTitle motto } private: agent { email }
      conversation { visitor { id name ipAddress userAgent browser { name } os { name } location { country } } } } }
    ... on ConversationUpdated { conversation { status assignee { name } visitor { id ipAddress userAgent } } } } }`;

  it("sees the agent's public profile but not its email, and not its own technical data", async () => {
    const w = await world(app.url);
    ok(
      await gql(app.url, 'mutation { updateProfile(input: { jobTitle: "Support lead", motto: "Happy to help" }) { id } }', {}, { token: w.owner.token }),
    );
    const base = await gauge(app, 'activeSubscriptions');
    const visitor = socket(app.url, w.visitor.token);
    const agent = socket(app.url, w.owner.token);
    try {
      const visitorStream = collect(visitor.client, selection, { id: w.conversationId });
      const agentStream = collect(agent.client, selection, { id: w.conversationId });
      await serving(app, base + 2);
      await sendMessage(app.url, w.owner.token, 'Hello from support', w.conversationId);
      ok(
        await gql(app.url, 'mutation($input: SetConversationStatusInput!) { setConversationStatus(input: $input) { id } }', {
          input: { conversationId: w.conversationId, status: 'PENDING' },
        }, { token: w.owner.token }),
      );
      const both = (r: Received[]) => r.some((x) => x.data?.conversationEvents?.__typename === 'ConversationUpdated');
      await visitorStream.until(both);
      await agentStream.until(both);

      const [message, updated] = visitorStream.received;
      expect(message!.data!.conversationEvents).toEqual({
        __typename: 'MessageAdded',
        message: {
          body: 'Hello from support',
          agent: { name: 'Olivia Owner', jobTitle: 'Support lead', motto: 'Happy to help' },
          private: null,
          conversation: { visitor: { id: w.visitor.id, name: null, ipAddress: null, userAgent: null, browser: null, os: null, location: null } },
        },
      });
      const refused = (r: Received) => (r.errors ?? []).map((e: any) => [e.path.slice(1).join('.'), e.extensions?.code]).sort();
      expect(refused(message!)).toEqual(
        [
          ['message.private.email', 'FORBIDDEN'],
          ...['ipAddress', 'userAgent', 'browser', 'os', 'location'].map((f) => [`message.conversation.visitor.${f}`, 'FORBIDDEN']),
        ].sort(),
      );
      expect(updated!.data!.conversationEvents).toEqual({
        __typename: 'ConversationUpdated',
        conversation: { status: 'PENDING', assignee: { name: 'Olivia Owner' }, visitor: { id: w.visitor.id, ipAddress: null, userAgent: null } },
      });
      expect(refused(updated!)).toEqual([
        ['conversation.visitor.ipAddress', 'FORBIDDEN'],
        ['conversation.visitor.userAgent', 'FORBIDDEN'],
      ]);
      expect(JSON.stringify(visitorStream.received)).not.toContain(w.owner.email);

      // the account's own agent sees all of it through the same events
      const [staffMessage] = agentStream.received;
      expect(staffMessage!.errors).toBeUndefined();
      expect(staffMessage!.data!.conversationEvents.message.private).toEqual({ email: w.owner.email });
      expect(staffMessage!.data!.conversationEvents.message.conversation.visitor.ipAddress).toBe('127.0.0.0');
    } finally {
      await disposeAll([visitor.client, agent.client]);
    }
  });
});

describe('presence', () => {
  const onlineQuery = `query($id: ID!) { node(id: $id) { ... on Visitor { online } }
    viewer { account { visitors(online: true, first: 100) { edges { node { id } } } } } }`;
  const presenceOf = async (token: string, visitorId: string) => {
    const data = ok(await gql(app.url, onlineQuery, { id: visitorId }, { token }));
    return { online: data.node.online as boolean, listed: data.viewer.account.visitors.edges.some((e: any) => e.node.id === visitorId) };
  };
  const visitorUpdates = (received: Received[], id: string) =>
    eventsOf(received, 'accountEvents')
      .filter((e) => e.__typename === 'VisitorUpdated' && e.visitor.id === id)
      .map((e) => e.visitor.online as boolean);

  it('a visitor is online while a socket of theirs is open, announced to the account both ways', async () => {
    const w = await world(app.url);
    const newcomer = await createVisitor(app.url, w.owner.account.widgetKey);
    const base = await gauge(app, 'activeSubscriptions');
    const watcher = socket(app.url, w.agent.token);
    const tabs: ReturnType<typeof socket>[] = [];
    try {
      const stream = collect(watcher.client, accountEvents);
      await serving(app, base + 1);
      expect(await presenceOf(w.owner.token, newcomer.id)).toEqual({ online: false, listed: false });
      tabs.push(socket(app.url, newcomer.token, { lazy: false }), socket(app.url, newcomer.token, { lazy: false }));
      await eventually(() => tabs.every((t) => t.connected), Boolean, 5_000, 'both tabs connected');
      await stream.until((r) => visitorUpdates(r, newcomer.id).length >= 1);
      expect(await presenceOf(w.owner.token, newcomer.id)).toEqual({ online: true, listed: true });

      // one tab closes: still online
      const connections = app.deps.realtime.stats().connections;
      await tabs[0]!.client.dispose();
      await eventually(() => app.deps.realtime.stats().connections, (n) => n === connections - 1, 5_000, 'the first tab to close');
      expect(await presenceOf(w.owner.token, newcomer.id)).toEqual({ online: true, listed: true });
      // the last one closes: offline, announced
      await tabs[1]!.client.dispose();
      await stream.until((r) => visitorUpdates(r, newcomer.id).length >= 2);
      expect(visitorUpdates(stream.received, newcomer.id)).toEqual([true, false]);
      expect(await presenceOf(w.owner.token, newcomer.id)).toEqual({ online: false, listed: false });
    } finally {
      await disposeAll([watcher.client, ...tabs.map((t) => t.client)]);
    }
  });

  it('an agent whose socket comes back within the grace period (a reload) stays ONLINE', async () => {
    const w = await world(app.url);
    ok(await gql(app.url, 'mutation { setPresence(status: ONLINE) { status } }', {}, { token: w.owner.token }));
    const status = async () => (await app.sql('select status from agents where id = $1', [rawId(w.owner.agent.id)])).rows[0].status;
    const before = socket(app.url, w.owner.token, { lazy: false });
    let after: ReturnType<typeof socket> | undefined;
    try {
      await eventually(() => before.connected, Boolean, 5_000, 'the first socket connected');
      await before.client.dispose();
      after = socket(app.url, w.owner.token, { lazy: false });
      await eventually(() => after!.connected, Boolean, 5_000, 'the second socket connected');
      await new Promise((resolve) => setTimeout(resolve, agentOfflineGraceMs + 1000));
      expect(await status()).toBe('ONLINE');
    } finally {
      await disposeAll([before.client, ...(after ? [after.client] : [])]);
    }
  });

  it('an ONLINE agent drops to OFFLINE when its last socket closes, not before', async () => {
    const w = await world(app.url);
    ok(await gql(app.url, 'mutation { setPresence(status: ONLINE) { status } }', {}, { token: w.owner.token }));
    const base = await gauge(app, 'activeSubscriptions');
    const watcher = socket(app.url, w.api.token);
    const sockets = [socket(app.url, w.owner.token, { lazy: false }), socket(app.url, w.owner.token, { lazy: false })];
    const status = async () => (await app.sql('select status from agents where id = $1', [rawId(w.owner.agent.id)])).rows[0].status;
    const held = async () => (await app.deps.realtime.presence.online('agent', rawId(w.owner.account.id), [rawId(w.owner.agent.id)])).size;
    const agentUpdates = (r: Received[]) =>
      eventsOf(r, 'accountEvents').filter((e) => e.__typename === 'AgentUpdated' && e.agent.id === w.owner.agent.id);
    try {
      const stream = collect(watcher.client, accountEvents);
      await serving(app, base + 1);
      await eventually(() => sockets.every((s) => s.connected), Boolean, 5_000, 'both sockets connected');
      expect(await held()).toBe(1);

      const connections = app.deps.realtime.stats().connections;
      await sockets[0]!.client.dispose();
      await eventually(() => app.deps.realtime.stats().connections, (n) => n === connections - 1, 5_000, 'the first socket to close');
      expect(await held()).toBe(1);
      await sendMessage(app.url, w.agent.token, 'sentinel', w.conversationId);
      await stream.until(hasBody('sentinel', 'accountEvents'));
      expect(agentUpdates(stream.received)).toEqual([]);
      expect(await status()).toBe('ONLINE');

      await sockets[1]!.client.dispose();
      await stream.until((r) => agentUpdates(r).length >= 1);
      expect(agentUpdates(stream.received)).toEqual([{ __typename: 'AgentUpdated', agent: { id: w.owner.agent.id, status: 'OFFLINE' } }]);
      expect(await status()).toBe('OFFLINE');
      expect(await held()).toBe(0);
    } finally {
      await disposeAll([watcher.client, ...sockets.map((s) => s.client)]);
    }
  });
});

import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './app.js';
import { createAccount, createVisitor, sendMessage } from './factories.js';
import { collect, wsClient } from './ws.js';
import { conversationEvents, eventsOf, newestCursor, serving } from './realtime-helpers.js';
import { gql, ok } from './graphql.js';
import { toRow } from '../src/realtime/rows.js';
import { topics } from '../src/realtime/topics.js';
import type { EntityManager } from '@mikro-orm/postgresql';
import { Message } from '../src/modules/messages/message.entity.js';
import { Conversation } from '../src/modules/conversations/conversation.entity.js';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(async () => {
  await app?.stop();
});

const subscription = 'subscription($id: ID!) { conversationEvents(conversationId: $id) { ... on MessageAdded { message { seq body } } } }';
const uuidOf = (globalId: string) => Buffer.from(globalId, 'base64').toString('utf8').split(':')[1]!;
const bodies = (received: { data?: any }[]) => received.map((r) => r.data.conversationEvents.message.body as string);

it('a message that was never published live is read from the database, in its place', async () => {
  const owner = await createAccount(app.url);
  const visitor = await createVisitor(app.url, owner.account.widgetKey);
  const first = await sendMessage(app.url, visitor.token, 'one');
  const client = wsClient(app.url, owner.token);
  try {
    const sub = collect(client, subscription, { id: first.conversation.id });
    await serving(app, 1);
    // seq 2 is committed the way sendMessage commits it, but its event is lost (a Redis outage, say)
    const conversationId = uuidOf(first.conversation.id);
    await app.sql('update conversations set last_seq = 2 where id = $1', [conversationId]);
    await app.sql(
      `insert into messages (id, account_id, conversation_id, seq, author_kind, body, created_at)
       select gen_random_uuid(), account_id, id, 2, 'VISITOR', 'two, never published', now() from conversations where id = $1`,
      [conversationId],
    );
    await sendMessage(app.url, visitor.token, 'three');
    await sub.until((r) => r.length >= 2);
    expect(bodies(sub.received)).toEqual(['two, never published', 'three']);
  } finally {
    await client.dispose();
  }
});

it('a message published ahead of its predecessor waits for it, and no database read is needed', async () => {
  const owner = await createAccount(app.url);
  const visitor = await createVisitor(app.url, owner.account.widgetKey);
  const first = await sendMessage(app.url, visitor.token, 'one');
  const second = await sendMessage(app.url, visitor.token, 'two');
  const third = await sendMessage(app.url, visitor.token, 'three');
  await app.sql('update conversations set last_seq = 1 where id = $1', [uuidOf(first.conversation.id)]);
  const client = wsClient(app.url, owner.token);
  try {
    // follow from seq 1 on: the live stream starts after the conversation's last_seq
    const sub = collect(client, subscription, { id: first.conversation.id });
    await serving(app, 1);
    await app.sql('update conversations set last_seq = 3 where id = $1', [uuidOf(first.conversation.id)]);
    const em = app.deps.orm.em.fork() as EntityManager;
    const rows = await em.find(Message, { id: { $in: [second.message.id, third.message.id].map(uuidOf) } }, { orderBy: { seq: 'asc' } });
    const conversation = await em.findOneOrFail(Conversation, { id: uuidOf(first.conversation.id) });
    const event = (m: Message) => ({
      type: 'MessageAdded', accountId: m.accountId, conversationId: m.conversationId, publishedAt: Date.now(),
      message: toRow(m), conversation: toRow(conversation), visitor: null, agent: null, assignee: null,
    });
    const queries: string[] = [];
    const knex = app.deps.orm.em.getConnection().getKnex();
    const count = (q: { sql: string }) => queries.push(q.sql);
    knex.on('query', count);
    // three arrives before two
    await app.deps.realtime.pubsub.publish(topics.conversation(conversation.id), event(rows[1]!));
    await new Promise((resolve) => setTimeout(resolve, 30));
    await app.deps.realtime.pubsub.publish(topics.conversation(conversation.id), event(rows[0]!));
    await sub.until((r) => r.length >= 2);
    knex.off('query', count);
    expect(bodies(sub.received)).toEqual(['two', 'three']);
    expect(queries.filter((q) => /from "messages"/.test(q))).toEqual([]);
  } finally {
    await client.dispose();
  }
});

it('a resumed subscription also learns what changed while it was away: the reads of both sides and a close', async () => {
  const owner = await createAccount(app.url);
  const visitor = await createVisitor(app.url, owner.account.widgetKey);
  const first = await sendMessage(app.url, visitor.token, 'Hello?');
  const conversationId = first.conversation.id;
  const cursor = await newestCursor(app.url, visitor.token, conversationId);
  // while the visitor is away: the agent answers, reads, closes; nothing is subscribed
  const reply = await sendMessage(app.url, owner.token, 'Hi, how can I help?', conversationId);
  ok(await gql(app.url, 'mutation($input: MarkReadInput!) { markRead(input: $input) }', { input: { conversationId, messageId: first.message.id } }, { token: owner.token }));
  ok(await gql(app.url, 'mutation($input: SetConversationStatusInput!) { setConversationStatus(input: $input) { id } }', {
    input: { conversationId, status: 'CLOSED' },
  }, { token: owner.token }));

  const client = wsClient(app.url, visitor.token);
  const stream = collect(client, conversationEvents, { id: conversationId, after: cursor.cursor });
  try {
    await stream.until((r) => eventsOf(r).some((e) => e.__typename === 'MessagesRead'));
    const events = eventsOf(stream.received).map((e) =>
      e.__typename === 'MessageAdded' ? `added ${e.message.seq}` : e.__typename === 'MessagesRead' ? `read ${e.authorKind} ${e.seq}` : `${e.__typename} ${e.conversation?.status}`,
    );
    // the missed message first, then where the conversation stands (the visitor has read nothing yet)
    expect(events).toEqual([`added ${reply.message.seq}`, 'ConversationUpdated CLOSED', 'read AGENT 1']);
  } finally {
    stream.dispose();
    await client.dispose();
  }
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './app.js';
import { gql, ok } from './graphql.js';
import { rawId, sendMessage } from './factories.js';
import { collect } from './ws.js';
import type { Listener } from '../src/realtime/pubsub.js';
import {
  accountEvents,
  conversationEvents,
  cursorOf,
  disposeAll,
  eventually,
  gauge,
  hasBody,
  messagesOf,
  newestCursor,
  range,
  seqsOf,
  serving,
  socket,
  startSender,
  world,
} from './realtime-helpers.js';

/**
 * Delivery of messages over conversationEvents and accountEvents: order, completeness,
 * resume by cursor and idempotent retries, with real senders, sockets and database.
 */

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(async () => {
  await app?.stop();
});


describe('conversationEvents: order and completeness', () => {
  it('interleaved senders: the agent and the visitor each get every message once, in seq order, without a gap', async () => {
    const w = await world(app.url);
    const base = await gauge(app, 'activeSubscriptions');
    const agentSocket = socket(app.url, w.owner.token);
    const visitorSocket = socket(app.url, w.visitor.token);
    const accountSocket = socket(app.url, w.agent.token);
    try {
      const agentStream = collect(agentSocket.client, conversationEvents, { id: w.conversationId });
      const visitorStream = collect(visitorSocket.client, conversationEvents, { id: w.conversationId });
      const accountStream = collect(accountSocket.client, accountEvents);
      await serving(app, base + 3);

      const senders = [w.visitor.token, w.owner.token, w.agent.token, w.api.token];
      const perSender = 15;
      const sent = await Promise.all(
        senders.flatMap((token, s) => range(1, perSender).map((i) => sendMessage(app.url, token, `s${s}-m${i}`, w.conversationId))),
      );
      const last = 1 + senders.length * perSender;
      expect(sent.map((r) => r.message.seq).sort((a, b) => a - b)).toEqual(range(2, last));
      // sent after everything else: once it is in, every earlier event has been handled
      const sentinel = await sendMessage(app.url, w.owner.token, 'sentinel', w.conversationId);
      const bodyBySeq = new Map([...sent, sentinel].map((r) => [r.message.seq, r.message.body]));

      for (const stream of [agentStream, visitorStream]) {
        await stream.until(hasBody('sentinel'), 15_000);
        expect(seqsOf(stream.received)).toEqual(range(2, last + 1));
        for (const event of messagesOf(stream.received)) expect(event.message.body).toBe(bodyBySeq.get(event.message.seq));
        expect(stream.received.every((r) => !r.errors)).toBe(true);
      }
      await accountStream.until(hasBody('sentinel', 'accountEvents'), 15_000);
      const accountSeqs = seqsOf(accountStream.received, 'accountEvents');
      expect([...accountSeqs].sort((a, b) => a - b)).toEqual(range(2, last + 1));
      // the database agrees
      const { rows } = await app.sql('select seq from messages where conversation_id = $1 order by seq', [rawId(w.conversationId)]);
      expect(rows.map((r) => r.seq)).toEqual(range(1, last + 1));
    } finally {
      await disposeAll([agentSocket.client, visitorSocket.client, accountSocket.client]);
    }
  });
});

describe('conversationEvents: resume by cursor', () => {
  it('under live traffic, subscribers joining at several cursors get exactly k+1..N in order', async () => {
    const w = await world(app.url);
    const base = await gauge(app, 'activeSubscriptions');
    // a history long enough that replaying it takes more than one page
    const sender = startSender(app.url, w.visitor.token, w.conversationId, 'live');
    const sockets = [socket(app.url, w.owner.token), socket(app.url, w.agent.token), socket(app.url, w.visitor.token), socket(app.url, w.api.token)];
    try {
      await sender.until(130);
      const joins: { k: number; after: string | null }[] = [
        { k: 5, after: await cursorOf(app.url, w.owner.token, w.conversationId, 5) },
        { k: 60, after: await cursorOf(app.url, w.agent.token, w.conversationId, 60) },
        await newestCursor(app.url, w.visitor.token, w.conversationId).then((c) => ({ k: c.seq, after: c.cursor })),
        { k: 0, after: null }, // no cursor: from now on
      ];
      const streams = joins.map((j, i) => collect(sockets[i]!.client, conversationEvents, { id: w.conversationId, after: j.after }));
      await serving(app, base + joins.length);
      const atJoin = sender.last;
      await sender.until(atJoin + 40);
      const all = await sender.stop();
      const sentinel = await sendMessage(app.url, w.owner.token, 'sentinel', w.conversationId);
      const last = sentinel.message.seq;
      expect(all.at(-1)).toBe(last - 1);

      for (const [i, stream] of streams.entries()) {
        await stream.until(hasBody('sentinel'), 15_000);
        const seqs = seqsOf(stream.received);
        const from = joins[i]!.after ? joins[i]!.k + 1 : seqs[0]!;
        expect(seqs, `joined after ${joins[i]!.k}`).toEqual(range(from, last));
        expect(stream.received.every((r) => !r.errors)).toBe(true);
      }
    } finally {
      await sender.stop();
      await disposeAll(sockets.map((s) => s.client));
    }
  });

  it('a client cut off mid-stream resumes from its last cursor: together its two streams hold every message once', async () => {
    const w = await world(app.url);
    const base = await gauge(app, 'activeSubscriptions');
    const first = socket(app.url, w.visitor.token);
    const second = socket(app.url, w.visitor.token);
    let sender: ReturnType<typeof startSender> | undefined;
    try {
      const before = collect(first.client, conversationEvents, { id: w.conversationId, after: await cursorOf(app.url, w.visitor.token, w.conversationId, 1) });
      await serving(app, base + 1);
      sender = startSender(app.url, w.owner.token, w.conversationId, 'agent');
      await before.until((r) => messagesOf(r).length >= 20);
      await first.client.dispose();
      const got = messagesOf(before.received);
      const lastCursor = got.at(-1)!.cursor as string;
      await serving(app, base);
      await sender.until(got.length + 20); // traffic while it is away
      const after = collect(second.client, conversationEvents, { id: w.conversationId, after: lastCursor });
      await serving(app, base + 1);
      await sender.until(sender.seqs.length + 20);
      await sender.stop();
      const sentinel = await sendMessage(app.url, w.owner.token, 'sentinel', w.conversationId);
      await after.until(hasBody('sentinel'), 15_000);

      const firstSeqs = got.map((e) => e.message.seq as number);
      const secondSeqs = seqsOf(after.received);
      expect(firstSeqs).toEqual(range(2, firstSeqs.at(-1)!));
      expect(secondSeqs).toEqual(range(firstSeqs.at(-1)! + 1, sentinel.message.seq));
      expect([...firstSeqs, ...secondSeqs]).toEqual(range(2, sentinel.message.seq));
    } finally {
      await sender?.stop();
      await disposeAll([first.client, second.client]);
    }
  });

  it('messages published while the subscription is being set up are replayed once, not twice', async () => {
    const w = await world(app.url);
    for (const i of range(1, 4)) await sendMessage(app.url, w.owner.token, `history-${i}`, w.conversationId);
    const k = 3;
    const after = await cursorOf(app.url, w.owner.token, w.conversationId, k);
    const topic = `conversation:${rawId(w.conversationId)}`;
    const pubsub = app.deps.realtime.pubsub;
    const original = pubsub.subscribe;
    const listen = original.bind(pubsub) as typeof original;
    // An observer that sees what reaches the topic, to know when the traffic has been delivered.
    const observed: number[] = [];
    const unobserve = await listen(topic, (event: any) => {
      if (event.type === 'MessageAdded') observed.push(Number(event.message.seq));
    });
    // Messages land and are delivered to the new listener after it is registered but before
    // the subscribe call has returned to the stream (over Redis: in the same read as the
    // SUBSCRIBE reply); the stream must still replay them once and drop the live copies.
    pubsub.subscribe = async <T,>(t: string, listener: Listener<T>) => {
      const unsubscribe = await listen(t, listener);
      if (t === topic) {
        pubsub.subscribe = original;
        const sent: number[] = [];
        for (const i of range(1, 3)) sent.push((await sendMessage(app.url, w.visitor.token, `during-${i}`, w.conversationId)).message.seq);
        await eventually(() => observed, (seen) => sent.every((s) => seen.includes(s)), 5_000, 'the traffic to be delivered');
      }
      return unsubscribe;
    };
    const agent = socket(app.url, w.owner.token);
    try {
      const stream = collect(agent.client, conversationEvents, { id: w.conversationId, after });
      await stream.until((r) => seqsOf(r).includes(8), 10_000);
      const sentinel = await sendMessage(app.url, w.owner.token, 'sentinel', w.conversationId);
      await stream.until(hasBody('sentinel'));
      expect(seqsOf(stream.received)).toEqual(range(k + 1, sentinel.message.seq));
    } finally {
      pubsub.subscribe = original;
      await unobserve();
      await disposeAll([agent.client]);
    }
  });
});

describe('idempotent retries', () => {
  it('concurrent sendMessage with one clientMessageId publish exactly one MessageAdded', async () => {
    const w = await world(app.url);
    const base = await gauge(app, 'activeSubscriptions');
    const agent = socket(app.url, w.owner.token);
    const visitor = socket(app.url, w.visitor.token);
    try {
      const conversation = collect(agent.client, conversationEvents, { id: w.conversationId });
      const account = collect(agent.client, accountEvents);
      const own = collect(visitor.client, conversationEvents, { id: w.conversationId });
      await serving(app, base + 3);
      const send = `mutation($input: SendMessageInput!) { sendMessage(input: $input) { message { id seq clientMessageId } } }`;
      const input = { conversationId: w.conversationId, body: 'Once only', clientMessageId: 'retry-1' };
      const results = await Promise.all(range(1, 20).map(() => gql(app.url, send, { input }, { token: w.visitor.token })));
      const ids = new Set(results.map((r) => ok(r).sendMessage.message.id));
      expect(ids.size).toBe(1);
      // a retry long after the first is just as harmless
      ok(await gql(app.url, send, { input }, { token: w.visitor.token }));
      await sendMessage(app.url, w.owner.token, 'sentinel', w.conversationId);
      for (const [stream, field] of [[conversation, 'conversationEvents'], [account, 'accountEvents'], [own, 'conversationEvents']] as const) {
        await stream.until(hasBody('sentinel', field));
        const messages = messagesOf(stream.received, field);
        expect(messages.filter((e) => e.message.clientMessageId === 'retry-1').map((e) => e.message.id)).toEqual([...ids]);
        expect(messages.map((e) => e.message.seq)).toEqual([2, 3]);
      }
    } finally {
      await disposeAll([agent.client, visitor.client]);
    }
  });
});

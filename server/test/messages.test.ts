import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './app.js';
import { expectError, gql, ok } from './graphql.js';
import { createAccount, createAgent, createApiToken, createVisitor, rawId, sendMessage } from './factories.js';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(async () => {
  await app?.stop();
});

const send = `mutation($input: SendMessageInput!) { sendMessage(input: $input) {
  message { id seq body authorKind clientMessageId createdAt agent { id } conversation { id } }
  conversation { id status lastSeq lastMessageAt assignee { id } visitor { id } } } }`;
const conversationQuery = `query($id: ID!) { node(id: $id) { ... on Conversation {
  id status lastSeq lastMessageAt visitorReadSeq agentReadSeq assignee { id } } } }`;
const markRead = `mutation($input: MarkReadInput!) { markRead(input: $input) }`;

/** The row id inside an opaque global id, for direct database checks. */
const count = async (table: string) => (await app.sql(`select count(*)::int as n from ${table}`)).rows[0].n as number;
const seqsOf = async (conversationId: string) =>
  (await app.sql('select seq from messages where conversation_id = $1 order by seq', [rawId(conversationId)])).rows.map((r) => r.seq);
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

/** A company with its owner, a visitor of it, and that visitor's first conversation. */
async function world() {
  const owner = await createAccount(app.url);
  const visitor = await createVisitor(app.url, owner.account.widgetKey);
  const first = await sendMessage(app.url, visitor.token, 'Hello?');
  return { owner, visitor, conversationId: first.conversation.id };
}

describe('sendMessage', () => {
  it('a visitor starts a conversation, then keeps writing into its open one', async () => {
    const owner = await createAccount(app.url);
    const visitor = await createVisitor(app.url, owner.account.widgetKey);
    const first = ok(await gql(app.url, send, { input: { body: '  Hi, is anyone there?\n' } }, { token: visitor.token })).sendMessage;
    expect(first.message).toMatchObject({ seq: 1, body: 'Hi, is anyone there?', authorKind: 'VISITOR', agent: null, clientMessageId: null });
    expect(first.conversation).toMatchObject({ status: 'OPEN', lastSeq: 1, assignee: null, visitor: { id: visitor.id } });
    expect(first.conversation.lastMessageAt).toBe(first.message.createdAt);
    expect(first.message.conversation.id).toBe(first.conversation.id);

    const second = ok(await gql(app.url, send, { input: { body: 'Hello again' } }, { token: visitor.token })).sendMessage;
    expect(second.conversation.id).toBe(first.conversation.id);
    expect(second.message.seq).toBe(2);
    expect(second.conversation.lastSeq).toBe(2);
    expect(new Date(second.conversation.lastMessageAt).getTime()).toBeGreaterThanOrEqual(new Date(first.conversation.lastMessageAt).getTime());
    const { rows } = await app.sql('select count(*)::int as n from conversations where visitor_id = $1', [rawId(visitor.id)]);
    expect(rows[0].n).toBe(1);
    const stored = await app.sql('select body, author_kind from messages where conversation_id = $1 order by seq', [rawId(first.conversation.id)]);
    expect(stored.rows).toEqual([
      { body: 'Hi, is anyone there?', author_kind: 'VISITOR' },
      { body: 'Hello again', author_kind: 'VISITOR' },
    ]);
  });

  it("an agent's first reply takes the unassigned conversation; a later agent does not take it over", async () => {
    const { owner, conversationId } = await world();
    const colleague = await createAgent(app.url, owner.token);
    const reply = ok(await gql(app.url, send, { input: { conversationId, body: 'Hello, how can I help?' } }, { token: owner.token })).sendMessage;
    expect(reply.message).toMatchObject({ seq: 2, authorKind: 'AGENT', agent: { id: owner.agent.id } });
    expect(reply.conversation).toMatchObject({ lastSeq: 2, assignee: { id: owner.agent.id } });
    const other = ok(await gql(app.url, send, { input: { conversationId, body: 'Me too' } }, { token: colleague.token })).sendMessage;
    expect(other.message).toMatchObject({ seq: 3, authorKind: 'AGENT', agent: { id: colleague.id } });
    expect(other.conversation.assignee).toEqual({ id: owner.agent.id });
    expect(await seqsOf(conversationId)).toEqual([1, 2, 3]);
  });

  it('an API token writes as SYSTEM, without an agent and without assigning', async () => {
    const { owner, conversationId } = await world();
    const api = await createApiToken(app.url, owner.token);
    const data = ok(await gql(app.url, send, { input: { conversationId, body: 'Your order has shipped.' } }, { token: api.token })).sendMessage;
    expect(data.message).toMatchObject({ seq: 2, authorKind: 'SYSTEM', agent: null });
    expect(data.conversation).toMatchObject({ lastSeq: 2, assignee: null });
    const { rows } = await app.sql('select author_kind, agent_id, api_token_id from messages where id = $1', [rawId(data.message.id)]);
    expect(rows[0]).toEqual({ author_kind: 'SYSTEM', agent_id: null, api_token_id: rawId(api.id) });
  });

  it('accepts a body of exactly 10,000 characters', async () => {
    const { visitor, conversationId } = await world();
    const body = 'x'.repeat(10_000);
    const data = ok(await gql(app.url, send, { input: { conversationId, body } }, { token: visitor.token })).sendMessage;
    expect(data.message.body).toBe(body);
    expect(data.message.seq).toBe(2);
  });

  it('refuses an anonymous caller', async () => {
    expectError(await gql(app.url, send, { input: { body: 'hi' } }), 'UNAUTHENTICATED');
  });
});

describe('sendMessage refuses bad input and writes nothing', () => {
  type World = Awaited<ReturnType<typeof world>> & { newcomer: { token: string } };
  type Case = [string, (w: World) => { token: string; input: Record<string, unknown> }, string, string?];
  const cases: Case[] = [
    ['an empty body', (w) => ({ token: w.visitor.token, input: { conversationId: w.conversationId, body: '' } }), 'BAD_USER_INPUT', 'input.body'],
    ['a blank body', (w) => ({ token: w.visitor.token, input: { conversationId: w.conversationId, body: ' \n\t ' } }), 'BAD_USER_INPUT', 'input.body'],
    ['a blank body without conversation', (w) => ({ token: w.newcomer.token, input: { body: '   ' } }), 'BAD_USER_INPUT', 'input.body'],
    ['a body of 10,001 characters', (w) => ({ token: w.owner.token, input: { conversationId: w.conversationId, body: 'x'.repeat(10_001) } }), 'BAD_USER_INPUT', 'input.body'],
    ['a malformed conversationId', (w) => ({ token: w.owner.token, input: { conversationId: 'not-an-id', body: 'hi' } }), 'BAD_USER_INPUT', 'input.conversationId'],
    ['a conversationId of another type', (w) => ({ token: w.owner.token, input: { conversationId: w.visitor.id, body: 'hi' } }), 'BAD_USER_INPUT', 'input.conversationId'],
    ['a body with a NUL character, without conversation', (w) => ({ token: w.newcomer.token, input: { body: 'a\u0000b' } }), 'BAD_USER_INPUT', 'input.body'],
    ['a clientMessageId with a NUL character', (w) => ({ token: w.newcomer.token, input: { body: 'hi', clientMessageId: 'x\u0000' } }), 'BAD_USER_INPUT', 'input.clientMessageId'],
    ['a clientMessageId of 101 characters', (w) => ({ token: w.newcomer.token, input: { body: 'hi', clientMessageId: 'c'.repeat(101) } }), 'BAD_USER_INPUT', 'input.clientMessageId'],
    ['staff without conversationId', (w) => ({ token: w.owner.token, input: { body: 'hi' } }), 'BAD_USER_INPUT', 'input.conversationId'],
  ];
  it.each(cases)('%s', async (_name, make, code, field) => {
    const base = await world();
    // a visitor without any conversation yet: a refused first message must not open one
    const w = { ...base, newcomer: await createVisitor(app.url, base.owner.account.widgetKey) };
    const [messages, conversations] = [await count('messages'), await count('conversations')];
    const { token, input } = make(w);
    expectError(await gql(app.url, send, { input }, { token }), code, field);
    expect(await count('messages')).toBe(messages);
    expect(await count('conversations')).toBe(conversations);
    const { rows } = await app.sql('select last_seq from conversations where id = $1', [rawId(w.conversationId)]);
    expect(rows[0].last_seq).toBe(1);
  });

  it("answers NOT_FOUND for another account's conversation, or another visitor's", async () => {
    const w = await world();
    const stranger = await createAccount(app.url);
    const otherVisitor = await createVisitor(app.url, w.owner.account.widgetKey);
    const messages = await count('messages');
    expectError(await gql(app.url, send, { input: { conversationId: w.conversationId, body: 'hi' } }, { token: stranger.token }), 'NOT_FOUND');
    expectError(await gql(app.url, send, { input: { conversationId: w.conversationId, body: 'hi' } }, { token: otherVisitor.token }), 'NOT_FOUND');
    expect(await count('messages')).toBe(messages);
  });
});

describe('what sendMessage costs', () => {
  const statements = async () => (await app.deps.realtime.metrics.sqlStatements.get()).values[0]?.value ?? 0;

  it('one SQL statement per message once the token is known, the response and the event included', async () => {
    // (a visitor shown an agent costs the policy's check that the agent took part: not asked here)
    const send = `mutation($input: SendMessageInput!) { sendMessage(input: $input) {
      message { id seq body authorKind conversation { id } } conversation { id status lastSeq visitor { id name } } } }`;
    const { owner, visitor, conversationId } = await world();
    const api = await createApiToken(app.url, owner.token);
    for (const [token, clientMessageId] of [[visitor.token, null], [owner.token, 'c-1'], [api.token, null], [visitor.token, 'c-2']] as const) {
      await gql(app.url, '{ viewer { kind } }', {}, { token });
      const before = await statements();
      const data = ok(await gql(app.url, send, { input: { conversationId, body: 'counted', clientMessageId } }, { token })).sendMessage;
      expect(data.conversation).toMatchObject({ id: conversationId, lastSeq: data.message.seq, visitor: { id: visitor.id } });
      expect(await statements(), `${token.slice(0, 4)} ${clientMessageId}`).toBe(before + 1);
    }
    expect(await seqsOf(conversationId)).toEqual([1, 2, 3, 4, 5]);
  });

  it('a clientMessageId sent again leaves no gap in seq, and the next message takes the next seq', async () => {
    const { visitor, conversationId } = await world();
    const input = { conversationId, body: 'once', clientMessageId: 'again' };
    const first = ok(await gql(app.url, send, { input }, { token: visitor.token })).sendMessage;
    const again = ok(await gql(app.url, send, { input }, { token: visitor.token })).sendMessage;
    expect(again.message.id).toBe(first.message.id);
    expect(again.conversation.lastSeq).toBe(2);
    const next = ok(await gql(app.url, send, { input: { conversationId, body: 'next' } }, { token: visitor.token })).sendMessage;
    expect(next.message.seq).toBe(3);
    expect(await seqsOf(conversationId)).toEqual([1, 2, 3]);
  });

  it("another visitor's conversation is NOT_FOUND and is left as it was", async () => {
    const { owner, conversationId } = await world();
    const stranger = await createVisitor(app.url, owner.account.widgetKey);
    const before = (await app.sql('select last_seq, last_activity_at from conversations where id = $1', [rawId(conversationId)])).rows[0];
    expectError(await gql(app.url, send, { input: { conversationId, body: 'sneaky' } }, { token: stranger.token }), 'NOT_FOUND');
    const after = (await app.sql('select last_seq, last_activity_at from conversations where id = $1', [rawId(conversationId)])).rows[0];
    expect(after).toEqual(before);
  });
});

describe('sendMessage under concurrency', () => {
  it('20 concurrent retries with one clientMessageId store one message and advance seq by one', async () => {
    const { visitor, conversationId } = await world();
    const input = { conversationId, body: 'Sent once, retried often', clientMessageId: 'client-123' };
    const responses = await Promise.all(range(1, 20).map(() => gql(app.url, send, { input }, { token: visitor.token })));
    const messages = responses.map((r) => ok(r).sendMessage.message);
    expect(new Set(messages.map((m) => m.id)).size).toBe(1);
    expect(messages.every((m) => m.seq === 2 && m.clientMessageId === 'client-123')).toBe(true);
    const { rows } = await app.sql('select count(*)::int as n from messages where client_message_id = $1', ['client-123']);
    expect(rows[0].n).toBe(1);
    const conversation = await app.sql('select last_seq from conversations where id = $1', [rawId(conversationId)]);
    expect(conversation.rows[0].last_seq).toBe(2);
    // a later retry, even with another body, still answers the first message
    const later = ok(await gql(app.url, send, { input: { ...input, body: 'changed' } }, { token: visitor.token })).sendMessage;
    expect(later.message).toMatchObject({ id: messages[0].id, body: 'Sent once, retried often', seq: 2 });
    expect(await seqsOf(conversationId)).toEqual([1, 2]);
  });

  it('a visitor without conversationId retrying concurrently gets one conversation and one message', async () => {
    const owner = await createAccount(app.url);
    const visitor = await createVisitor(app.url, owner.account.widgetKey);
    const input = { body: 'First words', clientMessageId: 'first' };
    const responses = await Promise.all(range(1, 10).map(() => gql(app.url, send, { input }, { token: visitor.token })));
    const payloads = responses.map((r) => ok(r).sendMessage);
    expect(new Set(payloads.map((p) => p.message.id)).size).toBe(1);
    expect(new Set(payloads.map((p) => p.conversation.id)).size).toBe(1);
    expect(await seqsOf(payloads[0].conversation.id)).toEqual([1]);
  });

  it('concurrent sends from a visitor, two agents and an API token get seq 1..N without gaps or duplicates', async () => {
    const { owner, visitor, conversationId } = await world();
    const agent = await createAgent(app.url, owner.token);
    const api = await createApiToken(app.url, owner.token);
    const tokens = [visitor.token, owner.token, agent.token, api.token];
    const responses = await Promise.all(
      range(1, 40).map((i) =>
        gql(app.url, send, { input: { conversationId, body: `message ${i}`, clientMessageId: `m-${i}` } }, { token: tokens[i % 4] }),
      ),
    );
    const seqs = responses.map((r) => ok(r).sendMessage.message.seq as number).sort((a, b) => a - b);
    expect(seqs).toEqual(range(2, 41));
    expect(await seqsOf(conversationId)).toEqual(range(1, 41));
    const { rows } = await app.sql('select last_seq from conversations where id = $1', [rawId(conversationId)]);
    expect(rows[0].last_seq).toBe(41);
  });

  it('two concurrent first messages from one visitor open only one conversation', async () => {
    const owner = await createAccount(app.url);
    const visitor = await createVisitor(app.url, owner.account.widgetKey);
    const [a, b] = await Promise.all([
      gql(app.url, send, { input: { body: 'one' } }, { token: visitor.token }),
      gql(app.url, send, { input: { body: 'two' } }, { token: visitor.token }),
    ]);
    expect(ok(a).sendMessage.conversation.id).toBe(ok(b).sendMessage.conversation.id);
    const { rows } = await app.sql('select count(*)::int as n from conversations where visitor_id = $1', [rawId(visitor.id)]);
    expect(rows[0].n).toBe(1);
    expect(await seqsOf(ok(a).sendMessage.conversation.id)).toEqual([1, 2]);
  });
});

describe('Conversation.messages', () => {
  const page = `query($id: ID!, $first: Int, $after: String, $last: Int, $before: String) { node(id: $id) { ... on Conversation {
    messages(first: $first, after: $after, last: $last, before: $before) {
      edges { cursor node { seq body } } pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } } } }`;
  let owner: Awaited<ReturnType<typeof createAccount>>;
  let conversationId: string;
  let visitorToken: string;
  const read = async (args: Record<string, unknown>, token = owner.token) => {
    const connection = ok(await gql(app.url, page, { id: conversationId, ...args }, { token })).node.messages;
    return { ...connection, seqs: connection.edges.map((e: { node: { seq: number } }) => e.node.seq) as number[] };
  };

  beforeAll(async () => {
    owner = await createAccount(app.url);
    const visitor = await createVisitor(app.url, owner.account.widgetKey);
    visitorToken = visitor.token;
    conversationId = (await sendMessage(app.url, visitor.token, '#1')).conversation.id;
    for (let i = 2; i <= 120; i++) await sendMessage(app.url, i % 3 ? visitor.token : owner.token, `#${i}`, conversationId);
  });

  it('pages forward with first/after through every message once, in order', async () => {
    const seen: number[] = [];
    let after: string | null = null;
    const flags: [boolean, boolean][] = [];
    for (;;) {
      const conn = await read({ first: 50, after });
      expect(conn.edges.every((e: { node: { seq: number; body: string } }) => e.node.body === `#${e.node.seq}`)).toBe(true);
      seen.push(...conn.seqs);
      flags.push([conn.pageInfo.hasPreviousPage, conn.pageInfo.hasNextPage]);
      expect(conn.pageInfo.endCursor).toBe(conn.edges.at(-1).cursor);
      if (!conn.pageInfo.hasNextPage) break;
      after = conn.pageInfo.endCursor;
    }
    expect(seen).toEqual(range(1, 120));
    expect(flags).toEqual([[false, true], [true, true], [true, false]]);
  });

  it('pages backward with last/before from the newest', async () => {
    const pages: number[][] = [];
    const flags: [boolean, boolean][] = [];
    let before: string | null = null;
    for (;;) {
      const conn = await read({ last: 50, before });
      pages.push(conn.seqs);
      flags.push([conn.pageInfo.hasPreviousPage, conn.pageInfo.hasNextPage]);
      expect(conn.pageInfo.startCursor).toBe(conn.edges[0].cursor);
      if (!conn.pageInfo.hasPreviousPage) break;
      before = conn.pageInfo.startCursor;
    }
    expect(pages).toEqual([range(71, 120), range(21, 70), range(1, 20)]);
    expect(flags).toEqual([[true, false], [true, true], [false, true]]);
  });

  it('answers a default page, an empty page for first: 0, and mixes directions by cursor', async () => {
    const defaults = await read({});
    expect(defaults.seqs).toEqual(range(1, 20));
    expect(defaults.pageInfo.hasNextPage).toBe(true);
    const empty = await read({ first: 0 });
    expect(empty.edges).toEqual([]);
    expect(empty.pageInfo).toMatchObject({ startCursor: null, endCursor: null });
    const newest = await read({ last: 10 });
    expect(newest.seqs).toEqual(range(111, 120));
    expect((await read({ first: 5, after: newest.edges[0].cursor })).seqs).toEqual(range(112, 116));
    const tail = await read({ first: 10, after: newest.pageInfo.endCursor });
    expect(tail.seqs).toEqual([]);
    expect(tail.pageInfo.hasNextPage).toBe(false);
    // the visitor reads its own conversation the same way
    expect((await read({ last: 3 }, visitorToken)).seqs).toEqual([118, 119, 120]);
  });

  it.each([
    [{ first: 101 }, 'first'],
    [{ last: 101 }, 'last'],
    [{ first: -1 }, 'first'],
    [{ after: 'garbage' }, 'after'],
    [{ after: Buffer.from('["x"]').toString('base64url') }, 'after'],
    [{ last: 5, before: 'bm9wZQ' }, 'before'],
  ])('refuses %j with BAD_USER_INPUT', async (args, field) => {
    expectError(await gql(app.url, page, { id: conversationId, ...args }, { token: owner.token }), 'BAD_USER_INPUT', field);
  });
});

describe('markRead', () => {
  it("moves each side's read position separately and never backwards", async () => {
    const { owner, visitor, conversationId } = await world();
    const api = await createApiToken(app.url, owner.token);
    const m2 = await sendMessage(app.url, owner.token, 'Hi there', conversationId);
    const m3 = await sendMessage(app.url, visitor.token, 'Thanks', conversationId);
    const first = await gql(app.url, `query($id: ID!) { node(id: $id) { ... on Conversation { messages(first: 1) { edges { node { id } } } } } }`, { id: conversationId }, { token: owner.token });
    const m1Id = ok(first).node.messages.edges[0].node.id as string;
    const state = async () => ok(await gql(app.url, conversationQuery, { id: conversationId }, { token: owner.token })).node;
    const columns = async () =>
      (await app.sql('select visitor_read_seq, agent_read_seq from conversations where id = $1', [rawId(conversationId)])).rows[0];

    expect(ok(await gql(app.url, markRead, { input: { conversationId, messageId: m2.message.id } }, { token: visitor.token })).markRead).toBe(true);
    expect(await state()).toMatchObject({ visitorReadSeq: 2, agentReadSeq: 0 });
    expect(await columns()).toEqual({ visitor_read_seq: 2, agent_read_seq: 0 });

    ok(await gql(app.url, markRead, { input: { conversationId, messageId: m3.message.id } }, { token: owner.token }));
    expect(await state()).toMatchObject({ visitorReadSeq: 2, agentReadSeq: 3 });

    ok(await gql(app.url, markRead, { input: { conversationId, messageId: m1Id } }, { token: visitor.token }));
    ok(await gql(app.url, markRead, { input: { conversationId, messageId: m1Id } }, { token: api.token }));
    expect(await columns()).toEqual({ visitor_read_seq: 2, agent_read_seq: 3 });

    ok(await gql(app.url, markRead, { input: { conversationId, messageId: m3.message.id } }, { token: visitor.token }));
    expect(await columns()).toEqual({ visitor_read_seq: 3, agent_read_seq: 3 });
  });

  it('refuses a message of another conversation, a malformed id, and a foreign conversation', async () => {
    const a = await world();
    const otherVisitor = await createVisitor(app.url, a.owner.account.widgetKey);
    const elsewhere = await sendMessage(app.url, otherVisitor.token, 'Somewhere else');
    const foreign = await world();
    const foreignMessage = await sendMessage(app.url, foreign.owner.token, 'Foreign', foreign.conversationId);
    for (const messageId of [elsewhere.message.id, foreignMessage.message.id, a.conversationId, 'junk']) {
      expectError(await gql(app.url, markRead, { input: { conversationId: a.conversationId, messageId } }, { token: a.owner.token }), 'BAD_USER_INPUT', 'input.messageId');
    }
    expectError(
      await gql(app.url, markRead, { input: { conversationId: foreign.conversationId, messageId: foreignMessage.message.id } }, { token: a.owner.token }),
      'NOT_FOUND',
    );
    const { rows } = await app.sql('select visitor_read_seq, agent_read_seq from conversations where id = any($1)', [
      [rawId(a.conversationId), rawId(foreign.conversationId)],
    ]);
    expect(rows).toEqual([{ visitor_read_seq: 0, agent_read_seq: 0 }, { visitor_read_seq: 0, agent_read_seq: 0 }]);
  });
});

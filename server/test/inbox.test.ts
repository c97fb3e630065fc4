import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './app.js';
import { gql, ok } from './graphql.js';
import { createAccount, createAgent, createVisitor, rawId, sendMessage } from './factories.js';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(async () => {
  await app?.stop();
});

/** SQL statements this server has sent so far (what /metrics counts). */
const statements = async () => (await app.deps.realtime.metrics.sqlStatements.get()).values[0]?.value ?? 0;
/** The statements one operation costs. */
async function cost<T>(operation: () => Promise<T>): Promise<{ result: T; statements: number }> {
  const before = await statements();
  const result = await operation();
  return { result, statements: (await statements()) - before };
}

const inbox = `query($first: Int!, $after: String) { viewer { account { conversations(first: $first, after: $after) {
  edges { cursor node { id status lastMessageAt unreadCount
    assignee { id name }
    visitor { id name email online }
    lastMessage { id body createdAt authorKind seq conversation { id } } } }
  pageInfo { hasNextPage endCursor } } } } }`;

const oneConversation = `query($id: ID!) { node(id: $id) { ... on Conversation {
  id unreadCount lastSeq lastMessage { id body authorKind seq } visitor { id } assignee { id } } } }`;

const markRead = `mutation($input: MarkReadInput!) { markRead(input: $input) }`;

/** An account with `n` conversations, each opened by its own visitor; every other one answered by the owner. */
async function busyAccount(n: number) {
  const owner = await createAccount(app.url);
  const conversations: { id: string; visitor: { id: string; token: string } }[] = [];
  for (let i = 0; i < n; i++) {
    const visitor = await createVisitor(app.url, owner.account.widgetKey);
    const first = await sendMessage(app.url, visitor.token, `Question ${i}`);
    if (i % 2 === 0) await sendMessage(app.url, owner.token, `Answer ${i}`, first.conversation.id);
    conversations.push({ id: first.conversation.id, visitor });
  }
  return { owner, conversations };
}

describe('the inbox page', () => {
  it('shows each conversation with its visitor, assignee, last message and unread count', async () => {
    const { owner, conversations } = await busyAccount(3);
    const [answered, unanswered] = [conversations[2]!, conversations[1]!];
    await sendMessage(app.url, unanswered.visitor.token, 'Anyone?', unanswered.id);
    const page = ok(await gql(app.url, inbox, { first: 10 }, { token: owner.token })).viewer.account.conversations;
    expect(page.edges.map((e: { node: { id: string } }) => e.node.id)).toEqual([unanswered.id, answered.id, conversations[0]!.id]);
    const [first, second] = page.edges.map((e: { node: unknown }) => e.node);
    expect(first).toMatchObject({
      unreadCount: 2,
      assignee: null,
      visitor: { id: unanswered.visitor.id, online: false },
      lastMessage: { body: 'Anyone?', authorKind: 'VISITOR', seq: 2, conversation: { id: unanswered.id } },
    });
    expect(first.lastMessageAt).toBe(first.lastMessage.createdAt);
    expect(second).toMatchObject({
      unreadCount: 1,
      assignee: { id: owner.agent.id, name: 'Olivia Owner' },
      visitor: { id: answered.visitor.id },
      lastMessage: { body: 'Answer 2', authorKind: 'AGENT', seq: 2 },
    });
  });

  it('answers the same through node(id), where loaders read them', async () => {
    const { owner, conversations } = await busyAccount(2);
    const page = ok(await gql(app.url, inbox, { first: 10 }, { token: owner.token })).viewer.account.conversations;
    for (const { id } of conversations) {
      const fromNode = ok(await gql(app.url, oneConversation, { id }, { token: owner.token })).node;
      const inPage = page.edges.find((e: { node: { id: string } }) => e.node.id === id).node;
      expect(fromNode.unreadCount).toBe(inPage.unreadCount);
      expect(fromNode.lastMessage).toMatchObject({ id: inPage.lastMessage.id, body: inPage.lastMessage.body });
      expect(fromNode.visitor.id).toBe(inPage.visitor.id);
      expect(fromNode.assignee?.id ?? null).toBe(inPage.assignee?.id ?? null);
    }
  });

  it("counts unread messages for the caller's side: the visitor's for agents, the agents' and the system's for the visitor", async () => {
    const owner = await createAccount(app.url);
    const colleague = await createAgent(app.url, owner.token);
    const visitor = await createVisitor(app.url, owner.account.widgetKey);
    const m1 = await sendMessage(app.url, visitor.token, 'one');
    const id = m1.conversation.id;
    await sendMessage(app.url, visitor.token, 'two', id);
    const reply = await sendMessage(app.url, owner.token, 'three', id);
    const unread = async (token: string) => ok(await gql(app.url, oneConversation, { id }, { token })).node.unreadCount;
    expect([await unread(owner.token), await unread(colleague.token), await unread(visitor.token)]).toEqual([2, 2, 1]);

    ok(await gql(app.url, markRead, { input: { conversationId: id, messageId: m1.message.id } }, { token: colleague.token }));
    expect([await unread(owner.token), await unread(visitor.token)]).toEqual([1, 1]);
    ok(await gql(app.url, markRead, { input: { conversationId: id, messageId: reply.message.id } }, { token: visitor.token }));
    ok(await gql(app.url, markRead, { input: { conversationId: id, messageId: reply.message.id } }, { token: owner.token }));
    expect([await unread(owner.token), await unread(visitor.token)]).toEqual([0, 0]);
    await sendMessage(app.url, visitor.token, 'four', id);
    expect([await unread(owner.token), await unread(visitor.token)]).toEqual([1, 0]);

    // the visitor's own list, read in one statement too, counts from its side
    const mine = ok(
      await gql(app.url, `{ viewer { visitor { conversations(first: 5) { edges { node { id unreadCount lastMessage { body } } } } } } }`, {}, { token: visitor.token }),
    ).viewer.visitor.conversations.edges;
    expect(mine).toEqual([{ node: { id, unreadCount: 0, lastMessage: { body: 'four' } } }]);
  });

  it('answers lastMessage null for a conversation without messages', async () => {
    const owner = await createAccount(app.url);
    const visitor = await createVisitor(app.url, owner.account.widgetKey);
    await app.sql(
      `insert into conversations (id, account_id, visitor_id, status, created_at, last_activity_at)
       values (gen_random_uuid(), $1, $2, 'OPEN', now(), now())`,
      [rawId(owner.account.id), rawId(visitor.id)],
    );
    const [edge] = ok(await gql(app.url, inbox, { first: 5 }, { token: owner.token })).viewer.account.conversations.edges;
    expect(edge.node).toMatchObject({ lastMessage: null, lastMessageAt: null, unreadCount: 0, visitor: { id: visitor.id } });
    const { node } = ok(await gql(app.url, oneConversation, { id: edge.node.id }, { token: owner.token }));
    expect(node).toMatchObject({ lastMessage: null, unreadCount: 0, lastSeq: 0 });
  });

  it('costs one SQL statement whatever the page size, two for a token not seen yet', async () => {
    const { owner } = await busyAccount(12);
    await gql(app.url, inbox, { first: 1 }, { token: owner.token });
    for (const first of [1, 5, 12, 100]) {
      const { result, statements: n } = await cost(() => gql(app.url, inbox, { first }, { token: owner.token }));
      expect(ok(result).viewer.account.conversations.edges).toHaveLength(Math.min(first, 12));
      expect(n, `first: ${first}`).toBe(1);
    }
    // the next page by cursor, and the same fields through fragments
    const firstPage = ok(await gql(app.url, inbox, { first: 5 }, { token: owner.token })).viewer.account.conversations;
    const { statements: paged } = await cost(() => gql(app.url, inbox, { first: 5, after: firstPage.pageInfo.endCursor }, { token: owner.token }));
    expect(paged).toBe(1);
    const withFragments = `query { viewer { ...V } }
      fragment V on Viewer { account { conversations(first: 10) { edges { node { ...C } } } } }
      fragment C on Conversation { id unreadCount visitor { name } assignee { name } ... on Conversation { lastMessage { body } } }`;
    const { result, statements: fragmented } = await cost(() => gql(app.url, withFragments, {}, { token: owner.token }));
    expect(ok(result).viewer.account.conversations.edges[0].node.lastMessage.body).toBeTruthy();
    expect(fragmented).toBe(1);

    const signedIn = ok(
      await gql(app.url, 'mutation($input: SignInInput!) { signIn(input: $input) { token } }', { input: { email: owner.email, password: owner.password } }),
    ).signIn.token;
    const { statements: cold } = await cost(() => gql(app.url, inbox, { first: 50 }, { token: signedIn }));
    expect(cold).toBe(2);
  });

  it('still loads the account when a field of its own is asked for', async () => {
    const owner = await createAccount(app.url);
    const query = `{ viewer { account { ...A conversations(first: 1) { edges { cursor } } } } } fragment A on Account { id name widgetKey }`;
    await gql(app.url, '{ viewer { kind } }', {}, { token: owner.token });
    const { result, statements: n } = await cost(() => gql(app.url, query, {}, { token: owner.token }));
    expect(ok(result).viewer.account).toMatchObject({ id: owner.account.id, name: owner.account.name, widgetKey: owner.account.widgetKey });
    expect(n).toBe(2);
    const { result: idOnly, statements: none } = await cost(() => gql(app.url, '{ viewer { account { id __typename } } }', {}, { token: owner.token }));
    expect(ok(idOnly).viewer.account).toEqual({ id: owner.account.id, __typename: 'Account' });
    expect(none).toBe(0);
  });

  it("never shows another account's or another visitor's rows", async () => {
    const a = await busyAccount(2);
    const b = await busyAccount(2);
    const pageOfB = ok(await gql(app.url, inbox, { first: 50 }, { token: b.owner.token })).viewer.account.conversations.edges;
    const idsOfA = new Set([...a.conversations.map((c) => c.id), ...a.conversations.map((c) => c.visitor.id)]);
    for (const { node } of pageOfB) {
      expect(idsOfA.has(node.id)).toBe(false);
      expect(idsOfA.has(node.visitor.id)).toBe(false);
    }
    expect(pageOfB).toHaveLength(2);
    const { visitor, id } = a.conversations[0]!;
    const own = ok(
      await gql(app.url, `{ viewer { visitor { conversations(first: 5) { edges { node { id visitor { id } lastMessage { body } } } } } } }`, {}, { token: visitor.token }),
    ).viewer.visitor.conversations.edges;
    expect(own).toEqual([{ node: { id, visitor: { id: visitor.id }, lastMessage: { body: 'Answer 0' } } }]);
    // another visitor's conversation through node: null, as if it did not exist
    const other = ok(await gql(app.url, oneConversation, { id: a.conversations[1]!.id }, { token: visitor.token }));
    expect(other.node).toBeNull();
  });
});

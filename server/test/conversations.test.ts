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

const assign = `mutation($input: AssignConversationInput!) { assignConversation(input: $input) { id assignee { id } } }`;
const setStatus = `mutation($input: SetConversationStatusInput!) { setConversationStatus(input: $input) { id status } }`;
const send = `mutation($input: SendMessageInput!) { sendMessage(input: $input) { message { id seq } conversation { id status lastSeq } } }`;
const connection = 'edges { cursor node { id status } } pageInfo { hasNextPage hasPreviousPage endCursor }';
const accountConversations = `query($first: Int, $after: String, $status: ConversationStatus) { viewer { account {
  conversations(first: $first, after: $after, status: $status) { ${connection} } } } }`;

const row = async (conversationId: string) =>
  (await app.sql('select status, assignee_id, last_seq from conversations where id = $1', [rawId(conversationId)])).rows[0];
const ids = (conn: { edges: { node: { id: string } }[] }) => conn.edges.map((e) => e.node.id);

/** A company with its owner, a visitor of it, and that visitor's first conversation. */
async function world() {
  const owner = await createAccount(app.url);
  const visitor = await createVisitor(app.url, owner.account.widgetKey);
  const first = await sendMessage(app.url, visitor.token, 'Hello?');
  return { owner, visitor, conversationId: first.conversation.id };
}

describe('Account.conversations and Visitor.conversations', () => {
  it('lists the account conversations by latest activity, paged by keyset and filtered by status', async () => {
    const owner = await createAccount(app.url);
    const conversations: string[] = [];
    for (let i = 0; i < 5; i++) {
      const visitor = await createVisitor(app.url, owner.account.widgetKey);
      conversations.push((await sendMessage(app.url, visitor.token, `visitor ${i}`)).conversation.id);
    }
    const [latest, closed, , pending] = conversations as [string, string, string, string, string];
    ok(await gql(app.url, setStatus, { input: { conversationId: closed, status: 'CLOSED' } }, { token: owner.token }));
    ok(await gql(app.url, setStatus, { input: { conversationId: pending, status: 'PENDING' } }, { token: owner.token }));
    await sendMessage(app.url, owner.token, 'Back to you', latest);
    const { rows } = await app.sql('select id from conversations where account_id = $1 order by last_activity_at desc, id desc', [
      rawId(owner.account.id),
    ]);
    const expected = rows.map((r) => r.id as string);
    expect(expected[0]).toBe(rawId(latest));

    const seen: string[] = [];
    let after: string | null = null;
    for (let pages = 1; ; pages++) {
      const conn: any = ok(await gql(app.url, accountConversations, { first: 2, after }, { token: owner.token })).viewer.account.conversations;
      seen.push(...ids(conn));
      expect(conn.pageInfo.hasPreviousPage).toBe(after !== null);
      if (!conn.pageInfo.hasNextPage) {
        expect(pages).toBe(3);
        break;
      }
      after = conn.pageInfo.endCursor;
    }
    expect(seen.map(rawId)).toEqual(expected);
    const oldest = ok(await gql(app.url, `{ viewer { account { conversations(last: 2) { ${connection} } } } }`, {}, { token: owner.token }))
      .viewer.account.conversations;
    expect(ids(oldest).map(rawId)).toEqual(expected.slice(-2));
    expect(oldest.pageInfo).toMatchObject({ hasPreviousPage: true, hasNextPage: false });

    const byStatus = async (status: string) =>
      ids(ok(await gql(app.url, accountConversations, { status }, { token: owner.token })).viewer.account.conversations);
    expect(await byStatus('CLOSED')).toEqual([closed]);
    expect(await byStatus('PENDING')).toEqual([pending]);
    expect((await byStatus('OPEN')).map(rawId)).toEqual(expected.filter((id) => ![closed, pending].map(rawId).includes(id)));

    // an API token sees the same list; another company sees none of it
    const api = await createApiToken(app.url, owner.token);
    expect(ids(ok(await gql(app.url, accountConversations, {}, { token: api.token })).viewer.account.conversations).map(rawId)).toEqual(expected);
    const stranger = await createAccount(app.url);
    expect(ok(await gql(app.url, accountConversations, {}, { token: stranger.token })).viewer.account.conversations.edges).toEqual([]);
    expectError(await gql(app.url, accountConversations, { first: 101 }, { token: owner.token }), 'BAD_USER_INPUT', 'first');
  });

  it('filters by assignment: mine, unassigned, any; MINE is refused to an API token', async () => {
    const owner = await createAccount(app.url);
    const agent = await createAgent(app.url, owner.token);
    const started: string[] = [];
    for (let i = 0; i < 3; i++) {
      const visitor = await createVisitor(app.url, owner.account.widgetKey);
      started.push((await sendMessage(app.url, visitor.token, `visitor ${i}`)).conversation.id);
    }
    const [ownersOne, agentsOne, nobodys] = started as [string, string, string];
    ok(await gql(app.url, assign, { input: { conversationId: ownersOne, agentId: owner.agent.id } }, { token: owner.token }));
    ok(await gql(app.url, assign, { input: { conversationId: agentsOne, agentId: agent.id } }, { token: owner.token }));
    const byAssignment = `query($assignment: ConversationAssignment, $status: ConversationStatus) { viewer { account {
      conversations(assignment: $assignment, status: $status) { ${connection} } } } }`;
    const list = async (token: string, assignment?: string, status?: string) =>
      ids(ok(await gql(app.url, byAssignment, { assignment, status }, { token })).viewer.account.conversations).sort();

    expect(await list(owner.token, 'MINE')).toEqual([ownersOne]);
    expect(await list(agent.token, 'MINE')).toEqual([agentsOne]);
    expect(await list(agent.token, 'UNASSIGNED')).toEqual([nobodys]);
    expect(await list(agent.token, 'ANY')).toEqual([...started].sort());
    expect(await list(agent.token)).toEqual([...started].sort());
    // combined with the status filter
    ok(await gql(app.url, setStatus, { input: { conversationId: agentsOne, status: 'CLOSED' } }, { token: owner.token }));
    expect(await list(agent.token, 'MINE', 'OPEN')).toEqual([]);
    expect(await list(agent.token, 'MINE', 'CLOSED')).toEqual([agentsOne]);
    // the row in the database says the same
    expect((await row(agentsOne))).toMatchObject({ status: 'CLOSED', assignee_id: rawId(agent.id) });

    const api = await createApiToken(app.url, owner.token);
    expectError(await gql(app.url, byAssignment, { assignment: 'MINE' }, { token: api.token }), 'BAD_USER_INPUT', 'assignment');
    expect(await list(api.token, 'UNASSIGNED')).toEqual([nobodys]);
    // another company's agent sees none of them, whatever the filter
    const stranger = await createAccount(app.url);
    expect(await list(stranger.token, 'ANY')).toEqual([]);
    expect(await list(stranger.token, 'UNASSIGNED')).toEqual([]);
  });

  it("lists a visitor's conversations newest first, to staff and to the visitor itself", async () => {
    const { owner, visitor, conversationId: older } = await world();
    ok(await gql(app.url, setStatus, { input: { conversationId: older, status: 'CLOSED' } }, { token: owner.token }));
    const newer = (await sendMessage(app.url, visitor.token, 'Another question')).conversation.id;
    expect(newer).not.toBe(older);
    const staffQuery = `query($id: ID!, $first: Int, $after: String) { node(id: $id) { ... on Visitor { conversations(first: $first, after: $after) { ${connection} } } } }`;
    const all = ok(await gql(app.url, staffQuery, { id: visitor.id }, { token: owner.token })).node.conversations;
    expect(ids(all)).toEqual([newer, older]);
    const firstPage = ok(await gql(app.url, staffQuery, { id: visitor.id, first: 1 }, { token: owner.token })).node.conversations;
    expect(ids(firstPage)).toEqual([newer]);
    expect(firstPage.pageInfo.hasNextPage).toBe(true);
    const secondPage = ok(await gql(app.url, staffQuery, { id: visitor.id, first: 1, after: firstPage.pageInfo.endCursor }, { token: owner.token }))
      .node.conversations;
    expect(ids(secondPage)).toEqual([older]);
    expect(secondPage.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: true });

    const own = ok(await gql(app.url, `{ viewer { visitor { conversations { ${connection} } } } }`, {}, { token: visitor.token }));
    expect(ids(own.viewer.visitor.conversations)).toEqual([newer, older]);
    // another visitor of the same account has its own, empty list
    const other = await createVisitor(app.url, owner.account.widgetKey);
    const theirs = ok(await gql(app.url, `{ viewer { visitor { conversations { ${connection} } } } }`, {}, { token: other.token }));
    expect(theirs.viewer.visitor.conversations.edges).toEqual([]);
  });
});

describe('assignConversation', () => {
  it('assigns to an agent of the account and unassigns', async () => {
    const { owner, conversationId } = await world();
    const agent = await createAgent(app.url, owner.token);
    const assigned = ok(await gql(app.url, assign, { input: { conversationId, agentId: agent.id } }, { token: owner.token }));
    expect(assigned.assignConversation).toEqual({ id: conversationId, assignee: { id: agent.id } });
    expect((await row(conversationId)).assignee_id).toBe(rawId(agent.id));

    const api = await createApiToken(app.url, owner.token);
    const unassigned = ok(await gql(app.url, assign, { input: { conversationId } }, { token: api.token }));
    expect(unassigned.assignConversation.assignee).toBeNull();
    expect((await row(conversationId)).assignee_id).toBeNull();

    ok(await gql(app.url, assign, { input: { conversationId, agentId: owner.agent.id } }, { token: agent.token }));
    ok(await gql(app.url, assign, { input: { conversationId, agentId: null } }, { token: agent.token }));
    expect((await row(conversationId)).assignee_id).toBeNull();
  });

  it('refuses an agent of another account, a bad agent id, a visitor, and a foreign conversation', async () => {
    const { owner, visitor, conversationId } = await world();
    const agent = await createAgent(app.url, owner.token);
    ok(await gql(app.url, assign, { input: { conversationId, agentId: agent.id } }, { token: owner.token }));
    const stranger = await createAccount(app.url);
    for (const agentId of [stranger.agent.id, visitor.id, 'junk']) {
      expectError(await gql(app.url, assign, { input: { conversationId, agentId } }, { token: owner.token }), 'BAD_USER_INPUT', 'input.agentId');
    }
    expectError(await gql(app.url, assign, { input: { conversationId, agentId: agent.id } }, { token: visitor.token }), 'FORBIDDEN');
    expectError(await gql(app.url, assign, { input: { conversationId } }, { token: visitor.token }), 'FORBIDDEN');
    expectError(await gql(app.url, assign, { input: { conversationId, agentId: stranger.agent.id } }, { token: stranger.token }), 'NOT_FOUND');
    expect((await row(conversationId)).assignee_id).toBe(rawId(agent.id));
  });
});

describe('setConversationStatus', () => {
  it('closes, parks and reopens', async () => {
    const { owner, conversationId } = await world();
    for (const status of ['CLOSED', 'OPEN', 'PENDING', 'OPEN']) {
      const data = ok(await gql(app.url, setStatus, { input: { conversationId, status } }, { token: owner.token }));
      expect(data.setConversationStatus).toEqual({ id: conversationId, status });
      expect((await row(conversationId)).status).toBe(status);
    }
  });

  it('refuses a visitor, a foreign conversation and an unknown status', async () => {
    const { visitor, conversationId } = await world();
    const stranger = await createAccount(app.url);
    expectError(await gql(app.url, setStatus, { input: { conversationId, status: 'CLOSED' } }, { token: visitor.token }), 'FORBIDDEN');
    expectError(await gql(app.url, setStatus, { input: { conversationId, status: 'CLOSED' } }, { token: stranger.token }), 'NOT_FOUND');
    expectError(await gql(app.url, setStatus, { input: { conversationId, status: 'DELETED' } }, { token: stranger.token }), 'BAD_USER_INPUT');
    expect((await row(conversationId)).status).toBe('OPEN');
  });

  it('refuses to reopen when the visitor already has another conversation that is not closed', async () => {
    const { owner, visitor, conversationId: older } = await world();
    ok(await gql(app.url, setStatus, { input: { conversationId: older, status: 'CLOSED' } }, { token: owner.token }));
    const newer = (await sendMessage(app.url, visitor.token, 'New topic')).conversation.id;
    expect(newer).not.toBe(older);
    for (const status of ['OPEN', 'PENDING']) {
      expectError(await gql(app.url, setStatus, { input: { conversationId: older, status } }, { token: owner.token }), 'CONFLICT', 'input.status');
    }
    expect((await row(older)).status).toBe('CLOSED');
    expect((await row(newer)).status).toBe('OPEN');
    // once the newer one is closed, the older one may be reopened
    ok(await gql(app.url, setStatus, { input: { conversationId: newer, status: 'CLOSED' } }, { token: owner.token }));
    ok(await gql(app.url, setStatus, { input: { conversationId: older, status: 'OPEN' } }, { token: owner.token }));
  });

  it('a visitor writing into its closed conversation reopens it', async () => {
    const { owner, visitor, conversationId } = await world();
    ok(await gql(app.url, setStatus, { input: { conversationId, status: 'CLOSED' } }, { token: owner.token }));
    const data = ok(await gql(app.url, send, { input: { conversationId, body: 'One more thing' } }, { token: visitor.token })).sendMessage;
    expect(data.conversation).toEqual({ id: conversationId, status: 'OPEN', lastSeq: 2 });
    expect(data.message.seq).toBe(2);
    expect(await row(conversationId)).toMatchObject({ status: 'OPEN', last_seq: 2 });
    // and it is again the one a message without conversationId goes to
    expect((await sendMessage(app.url, visitor.token, 'And another')).conversation.id).toBe(conversationId);
  });

  it('a visitor writing into a closed conversation while another is open gets CONFLICT and writes nothing', async () => {
    const { owner, visitor, conversationId: older } = await world();
    ok(await gql(app.url, setStatus, { input: { conversationId: older, status: 'CLOSED' } }, { token: owner.token }));
    const newer = (await sendMessage(app.url, visitor.token, 'New topic')).conversation.id;
    for (const clientMessageId of [undefined, 'retry-1']) {
      const response = await gql(app.url, send, { input: { conversationId: older, body: 'About the old one', clientMessageId } }, { token: visitor.token });
      expectError(response, 'CONFLICT', 'input.conversationId');
    }
    expect(await row(older)).toMatchObject({ status: 'CLOSED', last_seq: 1 });
    expect(await row(newer)).toMatchObject({ status: 'OPEN', last_seq: 1 });
    const { rows } = await app.sql('select count(*)::int as n from messages where conversation_id = $1', [rawId(older)]);
    expect(rows[0].n).toBe(1);
  });
});

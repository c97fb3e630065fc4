import { randomBytes } from 'node:crypto';

/** The server the global setup started (http://127.0.0.1:<port>). */
export function baseUrl(): string {
  const url = process.env.E2E_BASE_URL;
  if (!url) throw new Error('E2E_BASE_URL is not set: run the tests with `npm run test -w e2e` (its global setup starts the server)');
  return url;
}

type GraphQLError = { message: string; path?: (string | number)[]; extensions?: Record<string, unknown> };
type GraphQLResponse<T> = { data?: T | null; errors?: GraphQLError[] };

/** One GraphQL request over HTTP, as any API client makes it; throws on any error. */
export async function gql<T>(query: string, variables: Record<string, unknown> = {}, token?: string): Promise<T> {
  const response = await fetch(`${baseUrl()}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  const text = await response.text();
  let result: GraphQLResponse<T>;
  try {
    result = JSON.parse(text) as GraphQLResponse<T>;
  } catch {
    throw new Error(`GraphQL answered ${response.status} with a body that is not JSON: ${text.slice(0, 500)}`);
  }
  if (result.errors?.length || !result.data) {
    throw new Error(`GraphQL error (${response.status}) for ${query.trim().split('\n')[0]}: ${JSON.stringify(result.errors ?? result)}`);
  }
  return result.data;
}

/** A short random suffix, so every run's accounts and messages are its own. */
export const unique = () => randomBytes(3).toString('hex');

export type AgentSession = { token: string; agentId: string };

const authFields = 'token agent { id name }';

export async function signUp(input: { accountName: string; name: string; email: string; password: string }): Promise<AgentSession> {
  const data = await gql<{ signUp: { token: string; agent: { id: string } } }>(
    `mutation SignUp($input: SignUpInput!) { signUp(input: $input) { ${authFields} } }`,
    { input },
  );
  return { token: data.signUp.token, agentId: data.signUp.agent.id };
}

/** Invites an agent (as an OWNER or ADMIN) and accepts the invitation for them. */
export async function inviteAndAccept(ownerToken: string, input: { name: string; email: string; password: string }): Promise<AgentSession> {
  const invited = await gql<{ inviteAgent: { inviteToken: string } }>(
    `mutation Invite($input: InviteAgentInput!) { inviteAgent(input: $input) { inviteToken agent { id } } }`,
    { input: { name: input.name, email: input.email, role: 'AGENT' } },
    ownerToken,
  );
  const accepted = await gql<{ acceptInvite: { token: string; agent: { id: string } } }>(
    `mutation Accept($input: AcceptInviteInput!) { acceptInvite(input: $input) { ${authFields} } }`,
    { input: { inviteToken: invited.inviteAgent.inviteToken, password: input.password } },
  );
  return { token: accepted.acceptInvite.token, agentId: accepted.acceptInvite.agent.id };
}

export async function widgetKey(agentToken: string): Promise<string> {
  const data = await gql<{ viewer: { account: { widgetKey: string } | null } }>(`query { viewer { account { widgetKey } } }`, {}, agentToken);
  if (!data.viewer.account) throw new Error('the token is not an agent of an account');
  return data.viewer.account.widgetKey;
}

export type StoredMessage = { id: string; seq: number; body: string; authorKind: 'AGENT' | 'VISITOR' | 'SYSTEM'; clientMessageId: string | null };

/** Every message of a conversation, as the server stores them (seq order). */
export async function messagesOf(conversationId: string, token: string): Promise<StoredMessage[]> {
  const data = await gql<{ node: { messages: { edges: { node: StoredMessage }[] } } | null }>(
    `query Messages($id: ID!) { node(id: $id) { ... on Conversation { messages(last: 100) { edges { node { id seq body authorKind clientMessageId } } } } } }`,
    { id: conversationId },
    token,
  );
  if (!data.node) throw new Error(`conversation ${conversationId} not found`);
  return data.node.messages.edges.map((edge) => edge.node);
}

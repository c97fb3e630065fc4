import { randomBytes } from 'node:crypto';
import { gql, ok } from './graphql.js';

const unique = () => randomBytes(4).toString('hex');

/** A distinctive value, easy to find again in any table or response. */
export const tag = (label: string) => `${label}-${randomBytes(6).toString('hex')}`;

/** The database id inside a global id, to find its row with SQL. */
export const rawId = (globalId: string) => Buffer.from(globalId, 'base64').toString('utf8').split(':')[1]!;

const agentFields = 'id name email role';

/** A new company with its OWNER signed in, made through the public API. */
export async function createAccount(url: string, name = `Company ${unique()}`) {
  const email = `owner-${unique()}@example.com`;
  const data = ok(
    await gql(
      url,
      `mutation($input: SignUpInput!) { signUp(input: $input) { token agent { ${agentFields} } } }`,
      { input: { accountName: name, name: 'Olivia Owner', email, password: 'correct horse battery' } },
    ),
  );
  const viewer = ok(await gql(url, '{ viewer { account { id widgetKey name } } }', {}, { token: data.signUp.token }));
  return {
    token: data.signUp.token as string,
    agent: data.signUp.agent as { id: string; name: string; email: string; role: string },
    email,
    password: 'correct horse battery',
    account: viewer.viewer.account as { id: string; widgetKey: string; name: string },
  };
}

/** An invited agent who has accepted, signed in. */
export async function createAgent(url: string, adminToken: string, role = 'AGENT') {
  const email = `agent-${unique()}@example.com`;
  const invited = ok(
    await gql(
      url,
      `mutation($input: InviteAgentInput!) { inviteAgent(input: $input) { inviteToken agent { id } } }`,
      { input: { name: 'Adam Agent', email, role } },
      { token: adminToken },
    ),
  );
  const accepted = ok(
    await gql(
      url,
      `mutation($input: AcceptInviteInput!) { acceptInvite(input: $input) { token agent { id } } }`,
      { input: { inviteToken: invited.inviteAgent.inviteToken, password: 'another good password' } },
    ),
  );
  return { token: accepted.acceptInvite.token as string, id: accepted.acceptInvite.agent.id as string, email };
}

/** An API token of the account, made by its owner. */
export async function createApiToken(url: string, ownerToken: string) {
  const data = ok(
    await gql(
      url,
      `mutation { createApiToken(input: { name: "integration" }) { token apiToken { id name } } }`,
      {},
      { token: ownerToken },
    ),
  );
  return { token: data.createApiToken.token as string, id: data.createApiToken.apiToken.id as string };
}

/** A visitor of the account, as the widget would start one. */
export async function createVisitor(url: string, widgetKey: string, headers: Record<string, string> = {}) {
  const data = ok(
    await gql(
      url,
      `mutation($input: StartVisitorSessionInput!) { startVisitorSession(input: $input) { visitorToken visitor { id } } }`,
      { input: { widgetKey, pageUrl: 'https://shop.example/pricing', pageTitle: 'Pricing' } },
      { headers },
    ),
  );
  return { token: data.startVisitorSession.visitorToken as string, id: data.startVisitorSession.visitor.id as string };
}

/** A message sent by the caller; a visitor may leave out the conversation. */
export async function sendMessage(url: string, token: string, body: string, conversationId?: string, clientMessageId?: string) {
  const data = ok(
    await gql(
      url,
      `mutation($input: SendMessageInput!) { sendMessage(input: $input) { message { id seq body } conversation { id lastSeq } } }`,
      { input: { body, conversationId, clientMessageId } },
      { token },
    ),
  );
  return data.sendMessage as { message: { id: string; seq: number; body: string }; conversation: { id: string; lastSeq: number } };
}

import { randomUUID } from 'node:crypto';
import { encodeGlobalID } from '@pothos/plugin-relay';
import { isNonNullType } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { schema } from '../src/schema.js';
import { startTestApp, type TestApp } from './app.js';
import { gql, ok, type GraphQLResponse } from './graphql.js';
import { createAccount, createAgent, sendMessage, tag } from './factories.js';
import { collect, wsClient } from './ws.js';
import {
  fieldSelection,
  fullSelection,
  mutationNames,
  nodeTypeNames,
  objectType,
  reachableFields,
  selectedFields,
  viewerWalk,
} from './schema-walk.js';

/**
 * The "Who may see what" table of the API contract, checked adversarially against the
 * emitted schema: every Node type, every field, every list reachable from `viewer`,
 * every mutation that names an object. A type, field or mutation added tomorrow is walked
 * (or makes this suite fail until it is listed) without anyone remembering to extend it.
 */

const outsiders = ['B owner', 'B token', 'VB', 'V2', 'anonymous'] as const;
const insiders = ['A owner', 'A token', 'V1'] as const;
type Who = (typeof outsiders)[number] | (typeof insiders)[number];

/** A string of account A that only the listed viewers (besides A's staff) may ever receive. */
type Secret = { label: string; value: string; on?: string; field?: string; visibleTo?: Who[]; raw?: true };

const uuidOf = (globalId: string) => Buffer.from(globalId, 'base64').toString('utf8').split(':')[1]!;
const nodeTypes = nodeTypeNames(schema);

/** What each insider may see: node types it gets null for, fields it gets FORBIDDEN on. */
const insiderRules: Record<(typeof insiders)[number], { hidden: string[]; forbidden: Record<string, string[]> }> = {
  'A owner': { hidden: [], forbidden: {} },
  'A token': { hidden: ['ApiToken'], forbidden: { Account: ['apiTokens', 'auditLog', 'billingProfile'] } },
  V1: {
    hidden: ['Account', 'ApiToken'],
    forbidden: {
      Visitor: ['ipAddress', 'userAgent', 'browser', 'os', 'location', 'pageViews'],
      Agent: ['email', 'role', 'invitePending', 'removedAt'],
    },
  },
};

/** Fields the contract fixes as non-null: refusing one nulls the object that holds it. */
const contractNonNull = ['Agent.email', 'Agent.role'];

let app: TestApp;
let world: Awaited<ReturnType<typeof buildWorld>>;
beforeAll(async () => {
  app = await startTestApp();
  world = await buildWorld(app.url);
});
afterAll(async () => {
  await app?.stop();
});

const call = async (token: string | null, query: string, variables: Record<string, unknown> = {}, headers: Record<string, string> = {}) =>
  gql(app.url, query, variables, { token, headers });

async function startVisitor(widgetKey: string, headers: Record<string, string>) {
  const page = { pageUrl: `https://shop.example/${tag('page')}`, pageTitle: tag('PageTitle') };
  const start = 'mutation($input: StartVisitorSessionInput!) { startVisitorSession(input: $input) { visitorToken visitor { id } } }';
  const data = ok(await call(null, start, { input: { widgetKey, ...page } }, headers));
  return { token: data.startVisitorSession.visitorToken as string, id: data.startVisitorSession.visitor.id as string, ...page };
}

async function newApiToken(ownerToken: string) {
  const name = tag('TokenName');
  const data = ok(await call(ownerToken, 'mutation($name: String!) { createApiToken(input: { name: $name }) { token apiToken { id } } }', { name }));
  return { name, token: data.createApiToken.token as string, id: data.createApiToken.apiToken.id as string };
}

async function profile(token: string) {
  const input = { name: tag('Name'), jobTitle: tag('JobTitle'), motto: tag('Motto') };
  ok(await call(token, 'mutation($input: UpdateProfileInput!) { updateProfile(input: $input) { id } }', { input }));
  return input;
}

const updateVisitor = 'mutation($input: UpdateVisitorInput!) { updateVisitor(input: $input) { id } }';
const assign = 'mutation($input: AssignConversationInput!) { assignConversation(input: $input) { id } }';
const markRead = 'mutation($input: MarkReadInput!) { markRead(input: $input) }';

/** Account A with staff, a token and two visitors; account B with the same. */
async function buildWorld(url: string) {
  const a = await createAccount(url, tag('AccountA'));
  // full addresses, so each visitor's IP is a secret of its own (the default keeps a network only)
  ok(await call(a.token, 'mutation { updatePrivacySettings(input: { ipHandling: FULL }) { ipHandling } }'));
  const admin = await createAgent(url, a.token, 'ADMIN');
  const plain = await createAgent(url, a.token, 'AGENT');
  const [ownerProfile, adminProfile, plainProfile] = [await profile(a.token), await profile(admin.token), await profile(plain.token)];
  const billing = { companyName: tag('BillingCo'), vatId: tag('VAT'), billingEmail: `${tag('billing')}@example.com` };
  ok(await call(a.token, 'mutation($input: UpdateBillingProfileInput!) { updateBillingProfile(input: $input) { plan } }', { input: billing }));
  const tokenA = await newApiToken(a.token);

  const browser = () => `Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36 ${tag('Suite')}`;
  const [v1Ip, v1Agent] = ['203.0.113.71', browser()];
  const v1 = await startVisitor(a.account.widgetKey, { 'user-agent': v1Agent, 'x-forwarded-for': v1Ip });
  const v1Form = { name: tag('VisitorName'), email: `${tag('visitor')}@example.com` };
  ok(await call(v1.token, updateVisitor, { input: v1Form }));
  const [m1ClientId, m2ClientId] = [tag('ClientId'), tag('ClientId')];
  const m1 = await sendMessage(url, v1.token, tag('VisitorBody'), undefined, m1ClientId);
  const c1 = m1.conversation.id;
  const m2 = await sendMessage(url, a.token, tag('AgentBody'), c1, m2ClientId);
  const m3 = await sendMessage(url, v1.token, tag('VisitorBody'), c1);
  ok(await call(a.token, markRead, { input: { conversationId: c1, messageId: m2.message.id } }));
  ok(await call(v1.token, markRead, { input: { conversationId: c1, messageId: m2.message.id } }));
  ok(await call(a.token, assign, { input: { conversationId: c1, agentId: a.agent.id } }));

  const [v2Ip, v2Agent] = ['203.0.113.72', browser()];
  const v2 = await startVisitor(a.account.widgetKey, { 'user-agent': v2Agent, 'x-forwarded-for': v2Ip });
  const v2Form = { name: tag('VisitorName'), email: `${tag('visitor')}@example.com` };
  ok(await call(v2.token, updateVisitor, { input: v2Form }));
  const m4 = await sendMessage(url, v2.token, tag('V2Body'));
  ok(await call(a.token, assign, { input: { conversationId: m4.conversation.id, agentId: plain.id } }));

  const b = await createAccount(url, tag('AccountB'));
  const tokenB = await newApiToken(b.token);
  const vb = await startVisitor(b.account.widgetKey, { 'x-forwarded-for': '198.51.100.9' });
  const mb = await sendMessage(url, vb.token, 'hello from B');
  await sendMessage(url, b.token, 'welcome to B', mb.conversation.id);
  // set last: from here on A's widget starts sessions only on this origin's pages
  const allowedOrigin = `https://${tag('shop').toLowerCase()}.example`;
  ok(await call(a.token, 'mutation($input: UpdateWidgetSettingsInput!) { updateWidgetSettings(input: $input) { color } }', {
    input: { allowedOrigins: [allowedOrigin] },
  }));

  const ids: Record<string, string> = {
    Account: a.account.id, Agent: a.agent.id, ApiToken: tokenA.id, Visitor: v1.id, Conversation: c1, Message: m2.message.id,
  };
  const secrets: Secret[] = [
    { label: 'account name', value: a.account.name, on: 'Account', field: 'name' },
    { label: 'widgetKey', value: a.account.widgetKey, on: 'Account', field: 'widgetKey' },
    { label: 'widget allowed origin', value: allowedOrigin, on: 'Account', field: 'widgetSettings' },
    ...Object.entries(billing).map(([k, value]): Secret => ({ label: `billing ${k}`, value, on: 'Account', field: 'billingProfile' })),
    { label: 'owner email', value: a.email, on: 'Agent', field: 'email' },
    ...Object.entries(ownerProfile).map(([k, value]): Secret => ({ label: `owner ${k}`, value, on: 'Agent', field: k, visibleTo: ['V1'] })),
    { label: 'admin email', value: admin.email },
    ...Object.entries(adminProfile).map(([k, value]): Secret => ({ label: `admin ${k}`, value })),
    { label: 'agent email', value: plain.email },
    ...Object.entries(plainProfile).map(([k, value]): Secret => ({ label: `agent ${k}`, value, visibleTo: ['V2'] })),
    { label: 'api token name', value: tokenA.name, on: 'ApiToken', field: 'name' },
    { label: 'V1 name', value: v1Form.name, on: 'Visitor', field: 'name', visibleTo: ['V1'] },
    { label: 'V1 email', value: v1Form.email, on: 'Visitor', field: 'email', visibleTo: ['V1'] },
    { label: 'V1 ipAddress', value: v1Ip, on: 'Visitor', field: 'ipAddress' },
    { label: 'V1 userAgent', value: v1Agent, on: 'Visitor', field: 'userAgent' },
    { label: 'V1 page url', value: v1.pageUrl, on: 'Visitor', field: 'pageViews' },
    { label: 'V1 page title', value: v1.pageTitle, on: 'Visitor', field: 'pageViews' },
    { label: 'agent message body', value: m2.message.body, on: 'Message', field: 'body', visibleTo: ['V1'] },
    { label: 'agent message clientMessageId', value: m2ClientId, on: 'Message', field: 'clientMessageId', visibleTo: ['V1'] },
    { label: 'visitor message clientMessageId', value: m1ClientId, visibleTo: ['V1'] },
    { label: 'visitor message bodies', value: m1.message.body, visibleTo: ['V1'] },
    { label: 'visitor message bodies', value: m3.message.body, visibleTo: ['V1'] },
    { label: 'V2 name', value: v2Form.name, visibleTo: ['V2'] },
    { label: 'V2 email', value: v2Form.email, visibleTo: ['V2'] },
    { label: 'V2 ipAddress', value: v2Ip },
    { label: 'V2 userAgent', value: v2Agent },
    { label: 'V2 page url', value: v2.pageUrl },
    { label: 'V2 message body', value: m4.message.body, visibleTo: ['V2'] },
  ];
  const globalIds: [string, string, string | undefined, Who[]][] = [
    ['account', a.account.id, 'Account', []], ['owner', a.agent.id, 'Agent', ['V1']], ['admin', admin.id, undefined, []],
    ['agent', plain.id, undefined, ['V2']], ['api token', tokenA.id, 'ApiToken', []], ['V1', v1.id, 'Visitor', ['V1']],
    ['C1', c1, 'Conversation', ['V1']], ['m1', m1.message.id, undefined, ['V1']], ['m2', m2.message.id, 'Message', ['V1']],
    ['m3', m3.message.id, undefined, ['V1']], ['V2', v2.id, undefined, ['V2']], ['V2 conversation', m4.conversation.id, undefined, ['V2']],
    ['m4', m4.message.id, undefined, ['V2']],
  ];
  for (const [label, id, on, visibleTo] of globalIds) {
    secrets.push({ label: `${label} id`, value: id, on, field: 'id', visibleTo });
    secrets.push({ label: `${label} row id`, value: uuidOf(id), visibleTo, raw: true });
  }
  const tokens: Record<Who, string | null> = {
    'A owner': a.token, 'A token': tokenA.token, V1: v1.token,
    'B owner': b.token, 'B token': tokenB.token, VB: vb.token, V2: v2.token, anonymous: null,
  };
  const own = { 'B owner': mb.conversation.id, 'B token': mb.conversation.id, VB: mb.conversation.id, V2: m4.conversation.id } as Record<Who, string>;
  return { a, admin, plain, tokenA, v1, c1, m3, ids, secrets, tokens, own };
}

/** Labels of the secrets `who` may not see that appear in `raw`. */
function leaks(raw: string, who: Who, secrets: Secret[] = world.secrets): string[] {
  return secrets.filter((s) => !s.visibleTo?.includes(who) && raw.includes(s.value)).map((s) => s.label);
}
const codes = (res: GraphQLResponse) => (res.errors ?? []).map((e) => e.extensions?.code);
const lastPath = (res: GraphQLResponse) => (res.errors ?? []).map((e) => e.path?.at(-1));
const nodeQuery = (type: string, selection: string) => `query($id: ID!) { node(id: $id) { __typename ... on ${type} { ${selection} } } }`;
const fixtureId = (type: string) => {
  const id = world.ids[type];
  if (!id) throw new Error(`no fixture id for Node type ${type}: add one to buildWorld`);
  return id;
};

describe('node(id) of each Node type, every field selected', () => {
  it('has a fixture for every Node type of the schema', () => {
    expect(nodeTypes.filter((t) => !world.ids[t])).toEqual([]);
    expect(nodeTypes.length).toBeGreaterThanOrEqual(6);
  });

  it.each(outsiders.flatMap((who) => nodeTypes.map((type) => [who, type] as const)))('%s gets null for %s, as for an id that does not exist', async (who, type) => {
    const query = nodeQuery(type, fullSelection(schema, type));
    const res = await call(world.tokens[who], query, { id: fixtureId(type) });
    expect(res.errors, res.raw).toBeUndefined();
    expect(res.data.node, res.raw).toBeNull();
    expect(leaks(res.raw, who)).toEqual([]);
    const missing = await call(world.tokens[who], query, { id: encodeGlobalID(type, randomUUID()) });
    expect(res.raw).toBe(missing.raw);
  });

  it.each(insiders.flatMap((who) => nodeTypes.map((type) => [who, type] as const)))('%s reading %s gets exactly what the contract allows', async (who, type) => {
    const { hidden, forbidden: rules } = insiderRules[who];
    const forbidden = rules[type] ?? [];
    const mine = world.secrets.filter((s) => s.on === type);
    const full = await call(world.tokens[who], nodeQuery(type, fullSelection(schema, type)), { id: fixtureId(type) });
    if (hidden.includes(type)) {
      expect(full.data.node, full.raw).toBeNull();
      expect(full.errors, full.raw).toBeUndefined();
      expect(leaks(full.raw, who, mine)).toEqual([]);
      return;
    }
    // Every field the viewer may not read answers FORBIDDEN, and nothing else fails.
    expect(new Set(codes(full)), full.raw).toEqual(new Set(forbidden.length ? ['FORBIDDEN'] : []));
    expect(lastPath(full).every((f) => forbidden.includes(String(f))), full.raw).toBe(true);
    expect(leaks(full.raw, who, mine.filter((s) => forbidden.includes(s.field!)))).toEqual([]);
    // A refused field resolves to null and the object still comes back, unless the contract fixes the field as non-null.
    const fields = objectType(schema, type).getFields();
    const nullable = forbidden.filter((f) => !contractNonNull.includes(`${type}.${f}`));
    for (const f of nullable) expect(isNonNullType(fields[f]!.type), `${type}.${f} must be nullable`).toBe(false);
    if (nullable.length === forbidden.length) {
      expect(full.data.node?.__typename, full.raw).toBe(type);
      for (const f of forbidden) expect(full.data.node[f], full.raw).toBeNull();
    }
    // Without them, the object and every secret on its allowed fields come back.
    const allowed = await call(world.tokens[who], nodeQuery(type, fullSelection(schema, type, forbidden)), { id: fixtureId(type) });
    expect(allowed.errors, allowed.raw).toBeUndefined();
    expect(allowed.data.node?.__typename, allowed.raw).toBe(type);
    const expected = mine.filter((s) => !forbidden.includes(s.field!));
    expect(expected.filter((s) => !allowed.raw.includes(s.value)).map((s) => s.label), allowed.raw).toEqual([]);
    // Each forbidden field alone is refused by name.
    for (const f of forbidden) {
      const alone = await call(world.tokens[who], nodeQuery(type, `id ${fieldSelection(schema, type, f)}`), { id: fixtureId(type) });
      expect(codes(alone), alone.raw).toEqual(['FORBIDDEN']);
      expect(lastPath(alone), alone.raw).toEqual([f]);
      expect(leaks(alone.raw, who, mine.filter((s) => s.field === f))).toEqual([]);
    }
  });

  it('a visitor sees the name, job title, motto and status of the agents of its conversations only', async () => {
    const query = nodeQuery('Agent', 'name jobTitle motto status');
    for (const [who, visible, invisible] of [['V1', world.a.agent.id, world.plain.id], ['V2', world.plain.id, world.a.agent.id]] as const) {
      const seen = ok(await call(world.tokens[who], query, { id: visible }));
      expect(seen.node).toMatchObject({ name: expect.any(String), jobTitle: expect.any(String), motto: expect.any(String), status: expect.any(String) });
      expect(ok(await call(world.tokens[who], query, { id: invisible })).node).toBeNull();
      expect(ok(await call(world.tokens[who], query, { id: world.admin.id })).node).toBeNull();
    }
    const c1 = ok(await call(world.tokens.V1, nodeQuery('Conversation', 'assignee { name } messages { edges { node { agent { name } } } }'), { id: world.c1 }));
    expect(c1.node.assignee.name).toBe(world.secrets.find((s) => s.label === 'owner name')!.value);
  });
});

describe('everything reachable from viewer, as deep as the depth limit allows', () => {
  const walk = viewerWalk(schema);

  async function walkAs(who: Who): Promise<string> {
    const raws: string[] = [];
    for (const query of walk) {
      const res = await call(world.tokens[who], query);
      expect(res.data?.viewer, res.raw).toBeTruthy();
      expect(codes(res).filter((c) => c !== 'FORBIDDEN'), res.raw).toEqual([]);
      expect(res.raw, 'a list longer than the walk reads').not.toContain('"hasNextPage":true');
      raws.push(res.raw);
    }
    return raws.join('\n');
  }

  it('selects every field reachable from viewer', () => {
    const selected = selectedFields(schema, walk);
    expect(reachableFields(schema, 'Viewer').filter((f) => !selected.has(f))).toEqual([]);
  });

  it.each(outsiders)('%s reaches no secret of account A', async (who) => {
    expect(leaks(await walkAs(who), who)).toEqual([]);
  });

  it('A owner reaches every secret through the same walk, so the walk is not vacuous', async () => {
    const raw = await walkAs('A owner');
    expect(world.secrets.filter((s) => !s.raw && !raw.includes(s.value)).map((s) => s.label)).toEqual([]);
  });

  it('A token reaches every secret but the API tokens and billing', async () => {
    const raw = await walkAs('A token');
    const expected = world.secrets.filter((s) => !s.raw && !/^(api token|billing)/.test(s.label));
    expect(expected.filter((s) => !raw.includes(s.value)).map((s) => s.label)).toEqual([]);
    expect(leaks(raw, 'A token', world.secrets.filter((s) => /^(api token|billing)/.test(s.label)))).toEqual([]);
  });

  it('V1 reaches its own name, email and messages, and nothing else of A', async () => {
    const raw = await walkAs('V1');
    expect(leaks(raw, 'V1')).toEqual([]);
    const own = world.secrets.filter((s) => ['V1 name', 'V1 email', 'agent message body', 'visitor message bodies', 'C1 id'].includes(s.label));
    expect(own.filter((s) => !raw.includes(s.value)).map((s) => s.label)).toEqual([]);
  });
});

describe('mutations aimed at account A', () => {
  const targeted = [
    'sendMessage', 'markRead', 'setTyping', 'assignConversation', 'setConversationStatus', 'updateVisitor', 'revokeApiToken', 'removeAgent',
    'exportVisitor', 'eraseVisitor',
  ];
  const accountScoped = ['inviteAgent', 'createApiToken', 'updateBillingProfile', 'updateWidgetSettings', 'updatePrivacySettings', 'deleteAccount'];
  const needsNoTarget = ['signUp', 'signIn', 'signOut', 'acceptInvite', 'startVisitorSession', 'updateProfile', 'setPresence'];

  it('lists every mutation of the schema as covered here or as needing no target', () => {
    const listed = [...targeted, ...accountScoped, ...needsNoTarget];
    expect(mutationNames(schema).filter((m) => !listed.includes(m)), 'add new mutations to this suite').toEqual([]);
    expect(listed.filter((m) => !mutationNames(schema).includes(m))).toEqual([]);
  });

  /** Every row an outsider could try to change, across both accounts. */
  async function snapshot() {
    const { rows } = await app.sql(`select json_build_object(
      'conversations', (select json_agg(c order by c.id) from (select id, status, assignee_id, last_seq, agent_read_seq, visitor_read_seq from conversations) c),
      'messages', (select json_agg(m order by m.id) from (select id, conversation_id, body from messages) m),
      'visitors', (select json_agg(v order by v.id) from (select id, name, email from visitors) v),
      'pageViews', (select count(*) from page_views),
      'auditLog', (select count(*) from audit_log),
      'apiTokens', (select json_agg(t order by t.id) from (select id, name, revoked_at from api_tokens) t),
      'accounts', (select json_agg(a order by a.id) from (select id, name, billing_company_name, billing_vat_id, billing_email, plan, widget_settings, ip_handling, retention_days from accounts) a),
      'agents', (select json_agg(g order by g.id) from (select id, name, email, role, job_title, motto, status from agents) g)) as s`);
    return rows[0].s as Record<string, unknown>;
  }

  const refused = ['NOT_FOUND', 'FORBIDDEN', 'UNAUTHENTICATED'];
  /** A reference to A's object inside the caller's own conversation may also be called bad input. */
  const crossReference = ['NOT_FOUND', 'BAD_USER_INPUT'];
  type Attempt = [name: string, query: string, variables: Record<string, unknown>, codes?: string[]];

  function attempts(who: Who): Attempt[] {
    const { c1, m3, v1, tokenA, a } = world;
    const list: Attempt[] = [
      ['sendMessage', 'mutation($input: SendMessageInput!) { sendMessage(input: $input) { message { id body } conversation { id } } }', { input: { conversationId: c1, body: 'intrusion' } }],
      ['markRead', markRead, { input: { conversationId: c1, messageId: m3.message.id } }],
      ['assignConversation', assign, { input: { conversationId: c1, agentId: null } }],
      ['setConversationStatus', 'mutation($input: SetConversationStatusInput!) { setConversationStatus(input: $input) { id status } }', { input: { conversationId: c1, status: 'CLOSED' } }],
      ['updateVisitor', 'mutation($input: UpdateVisitorInput!) { updateVisitor(input: $input) { id name email } }', { input: { visitorId: v1.id, name: 'intruder', email: 'intruder@example.com' } }],
      ['revokeApiToken', 'mutation($id: ID!) { revokeApiToken(id: $id) }', { id: tokenA.id }],
      ['setTyping', 'mutation($input: SetTypingInput!) { setTyping(input: $input) }', { input: { conversationId: c1, isTyping: true } }],
      ['removeAgent', 'mutation($id: ID!) { removeAgent(id: $id) { id } }', { id: world.plain.id }],
      ['exportVisitor', 'mutation($id: ID!) { exportVisitor(id: $id) { document } }', { id: v1.id }],
      ['eraseVisitor', 'mutation($id: ID!) { eraseVisitor(id: $id) { erasedMessages } }', { id: v1.id }],
    ];
    const own = world.own[who];
    if (own) list.push(['markRead', markRead, { input: { conversationId: own, messageId: m3.message.id } }, crossReference]);
    if (own && who.startsWith('B')) list.push(['assignConversation', assign, { input: { conversationId: own, agentId: a.agent.id } }, crossReference]);
    if (who !== 'B owner') {
      list.push(
        ['inviteAgent', 'mutation { inviteAgent(input: { name: "Mallory", email: "mallory@example.com", role: OWNER }) { inviteToken } }', {}],
        ['createApiToken', 'mutation { createApiToken(input: { name: "stolen" }) { token } }', {}],
        ['updateBillingProfile', 'mutation { updateBillingProfile(input: { companyName: "Mallory Ltd" }) { companyName } }', {}],
        ['updateWidgetSettings', 'mutation { updateWidgetSettings(input: { greeting: "pwned", allowedOrigins: ["https://evil.example"] }) { greeting } }', {}],
        ['updatePrivacySettings', 'mutation { updatePrivacySettings(input: { ipHandling: FULL, retentionDays: 1 }) { ipHandling } }', {}],
        ['deleteAccount', 'mutation($input: DeleteAccountInput!) { deleteAccount(input: $input) }', { input: { accountName: a.account.name } }],
      );
    }
    return list;
  }

  it.each(outsiders)('%s is refused every one and changes no row', async (who) => {
    const before = await snapshot();
    for (const [name, query, variables, allowed = refused] of attempts(who)) {
      const res = await call(world.tokens[who], query, variables);
      expect(res.data?.[name] ?? null, `${name}: ${res.raw}`).toBeNull();
      expect(allowed, `${name}: ${res.raw}`).toContain(codes(res)[0]);
      expect(leaks(res.raw, who), name).toEqual([]);
    }
    expect(await snapshot()).toEqual(before);
  });
});

describe('roles within account A', () => {
  const tokensAndBilling =
    '{ viewer { account { id apiTokens { edges { node { id name } } } billingProfile { companyName } auditLog { edges { node { action } } } } } }';
  const createToken = 'mutation { createApiToken(input: { name: "by role" }) { token apiToken { id } } }';
  const revoke = 'mutation($id: ID!) { revokeApiToken(id: $id) }';
  const billingEdit = 'mutation { updateBillingProfile(input: { companyName: "Changed" }) { companyName } }';
  const invite = 'mutation { inviteAgent(input: { name: "New", email: "new-by-agent@example.com", role: AGENT }) { inviteToken } }';
  const revokedAt = async () => (await app.sql('select revoked_at from api_tokens where id = $1', [uuidOf(world.tokenA.id)])).rows[0].revoked_at;
  const billing = async () => (await app.sql('select billing_company_name from accounts where id = $1', [uuidOf(world.a.account.id)])).rows[0].billing_company_name;
  const tokenCount = async () => (await app.sql('select count(*)::int as n from api_tokens')).rows[0].n;
  const hiddenFromAgents = () => world.secrets.filter((s) => /^(api token|billing)/.test(s.label));

  it('an AGENT sees neither API tokens nor billing and cannot create, revoke or invite', async () => {
    const res = await call(world.plain.token, tokensAndBilling);
    expect(res.data.viewer.account, res.raw).toMatchObject({ id: world.a.account.id, apiTokens: null, billingProfile: null, auditLog: null });
    expect(codes(res)).toEqual(['FORBIDDEN', 'FORBIDDEN', 'FORBIDDEN']);
    expect(leaks(res.raw, 'anonymous', hiddenFromAgents())).toEqual([]);
    expect(ok(await call(world.plain.token, nodeQuery('ApiToken', 'id name'), { id: world.tokenA.id })).node).toBeNull();
    const [tokens, before] = [await tokenCount(), await billing()];
    const widgetEdit = 'mutation { updateWidgetSettings(input: { greeting: "by an agent" }) { greeting } }';
    for (const [query, variables] of [[createToken, {}], [revoke, { id: world.tokenA.id }], [billingEdit, {}], [invite, {}], [widgetEdit, {}]] as const) {
      expect(codes(await call(world.plain.token, query, variables))).toEqual(['FORBIDDEN']);
    }
    expect([await tokenCount(), await billing(), await revokedAt()]).toEqual([tokens, before, null]);
  });

  it('an ADMIN sees API tokens and billing, manages tokens, but cannot edit billing', async () => {
    const seen = ok(await call(world.admin.token, tokensAndBilling));
    expect(JSON.stringify(seen)).toContain(world.tokenA.name);
    expect(seen.viewer.account.billingProfile.companyName).toBe(await billing());
    const created = ok(await call(world.admin.token, createToken));
    expect(ok(await call(world.admin.token, revoke, { id: created.createApiToken.apiToken.id })).revokeApiToken).toBe(true);
    const before = await billing();
    expect(codes(await call(world.admin.token, billingEdit))).toEqual(['FORBIDDEN']);
    expect(await billing()).toBe(before);
  });

  it("A's API token cannot create or revoke API tokens", async () => {
    const tokens = await tokenCount();
    expect(codes(await call(world.tokens['A token'], createToken))).toEqual(['FORBIDDEN']);
    expect(codes(await call(world.tokens['A token'], revoke, { id: world.tokenA.id }))).toEqual(['FORBIDDEN']);
    expect([await tokenCount(), await revokedAt()]).toEqual([tokens, null]);
  });
});

describe('subscriptions aimed at account A', () => {
  const subscriptions = () => Object.keys(schema.getSubscriptionType()?.getFields() ?? {}).sort();
  /** Every field of every event type, as one selection on the event union. */
  const everything = (union: string) =>
    (schema.getType(union) as import('graphql').GraphQLUnionType)
      .getTypes()
      .map((member) => `... on ${member.name} { ${fullSelection(schema, member.name)} }`)
      .join(' ');
  const conversationEvents = () =>
    `subscription($id: ID!) { conversationEvents(conversationId: $id) { __typename ${everything('ConversationEvent')} ... on MessageAdded { message { body } } } }`;
  const accountEvents = () => `subscription { accountEvents { __typename ${everything('AccountEvent')} ... on MessageAdded { message { body } } } }`;

  it('covers every subscription of the schema', () => {
    expect(subscriptions()).toEqual(['accountEvents', 'conversationEvents']);
  });

  it.each(outsiders)("%s cannot follow A's conversation or account, and its own streams carry nothing of A", async (who) => {
    const client = wsClient(app.url, world.tokens[who]);
    try {
      const refused = collect(client, conversationEvents(), { id: world.c1 });
      await refused.until(() => false, 3_000).catch(() => {});
      expect(refused.done || refused.received.length > 0, 'the refusal arrives').toBe(true);
      const refusal = JSON.stringify(refused.received) + String(refused.error ?? '');
      expect(refused.received.every((r) => !r.data?.conversationEvents), refusal).toBe(true);
      expect(refusal).toMatch(who === 'anonymous' ? /UNAUTHENTICATED|FORBIDDEN/ : /FORBIDDEN/);
      expect(leaks(refusal, who)).toEqual([]);
      if (who === 'VB' || who === 'V2' || who === 'anonymous') {
        const account = collect(client, accountEvents());
        await account.until(() => false, 3_000).catch(() => {});
        expect(account.received.every((r) => !r.data?.accountEvents)).toBe(true);
        expect(JSON.stringify(account.received) + String(account.error ?? '')).toMatch(/UNAUTHENTICATED|FORBIDDEN/);
      }
      if (who === 'anonymous') return;
      // its own legitimate streams, while A is busy
      const own = collect(client, conversationEvents(), { id: world.own[who] });
      const streams = [own, ...(who.startsWith('B') ? [collect(client, accountEvents())] : [])];
      await new Promise((resolve) => setTimeout(resolve, 300));
      const secret = tag('LiveSecret');
      world.secrets.push({ label: 'live message', value: secret });
      await sendMessage(app.url, world.tokens['A owner']!, secret, world.c1);
      await sendMessage(app.url, world.tokens.V1!, `${secret}-from-visitor`, world.c1);
      await call(world.tokens['A owner'], 'mutation($input: SetTypingInput!) { setTyping(input: $input) }', { input: { conversationId: world.c1, isTyping: true } });
      // a sentinel in its own conversation, sent after A's traffic, marks the end
      const sentinel = tag('Sentinel');
      const sender = who === 'V2' || who === 'VB' ? world.tokens[who]! : world.tokens['B owner']!;
      await sendMessage(app.url, sender, sentinel, world.own[who]);
      for (const stream of streams) await stream.until((r) => JSON.stringify(r).includes(sentinel), 5_000);
      expect(leaks(JSON.stringify(streams.map((s) => s.received)), who)).toEqual([]);
    } finally {
      await client.dispose();
    }
  });
});

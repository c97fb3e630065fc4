import {
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isObjectType,
  type GraphQLNamedType,
} from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { schema } from '../src/schema.js';
import { locate } from '../src/modules/visitors/client-details.js';
import { startTestApp, type TestApp } from './app.js';
import { expectError, gql, ok } from './graphql.js';
import { createAccount, createAgent, createApiToken, createVisitor, rawId, sendMessage, tag } from './factories.js';

/**
 * The privacy promises, checked against the database rows rather than the API's word:
 * what an export contains, how much of an IP address is kept, who may read the audit log,
 * and that no payment card field exists anywhere (erasure, account deletion and retention
 * have files of their own).
 */

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(async () => {
  await app?.stop();
});

const iso = (date: Date | null) => (date ? date.toISOString() : null);
const call = (token: string | null, query: string, variables: Record<string, unknown> = {}, headers: Record<string, string> = {}) =>
  gql(app.url, query, variables, { token, headers });

const start = `mutation($input: StartVisitorSessionInput!) { startVisitorSession(input: $input) { visitorToken visitor { id } } }`;
type StartInput = { widgetKey: string; visitorToken?: string; pageUrl?: string; pageTitle?: string; referrer?: string };
async function startSession(input: StartInput, headers: Record<string, string> = {}) {
  const data = ok(await call(null, start, { input }, headers)).startVisitorSession;
  return { token: data.visitorToken as string, id: data.visitor.id as string };
}

const exportVisitor = 'mutation($id: ID!) { exportVisitor(id: $id) { exportedAt document } }';
const updateVisitor = 'mutation($input: UpdateVisitorInput!) { updateVisitor(input: $input) { id } }';
const setStatus = 'mutation($input: SetConversationStatusInput!) { setConversationStatus(input: $input) { id } }';
const assign = 'mutation($input: AssignConversationInput!) { assignConversation(input: $input) { id } }';
const settings = 'mutation($input: UpdatePrivacySettingsInput!) { updatePrivacySettings(input: $input) { ipHandling retentionDays } }';
const eraseVisitor = 'mutation($id: ID!) { eraseVisitor(id: $id) { erasedConversations erasedMessages erasedPageViews } }';

const auditRows = async (accountId: string, action?: string) =>
  (
    await app.sql('select * from audit_log where account_id = $1 and ($2::text is null or action = $2) order by created_at, id', [
      rawId(accountId),
      action ?? null,
    ])
  ).rows;
const auditCount = async () => (await app.sql('select count(*)::int as n from audit_log')).rows[0].n as number;

const chrome = () =>
  `Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.6099.130 Safari/537.36 ${tag('Suite')}`;

/**
 * Everything the server stores about a visitor, read straight from the tables, shaped as
 * the export document promises to be.
 */
async function storedAbout(visitorGlobalId: string) {
  const id = rawId(visitorGlobalId);
  const [visitor] = (await app.sql('select * from visitors where id = $1', [id])).rows;
  const views = (await app.sql('select * from page_views where visitor_id = $1 order by viewed_at, id', [id])).rows;
  const conversations = (
    await app.sql(
      `select c.*, a.name as assignee_name from conversations c left join agents a on a.id = c.assignee_id
        where c.visitor_id = $1 order by c.created_at, c.id`,
      [id],
    )
  ).rows;
  const messages = (
    await app.sql(
      `select m.*, a.name as agent_name from messages m left join agents a on a.id = m.agent_id
        where m.conversation_id = any($1::uuid[]) order by m.seq`,
      [conversations.map((c) => c.id)],
    )
  ).rows;
  return {
    visitor: { id: visitorGlobalId, name: visitor.name, email: visitor.email, firstSeenAt: iso(visitor.first_seen_at), lastSeenAt: iso(visitor.last_seen_at) },
    technical: {
      ipAddress: visitor.ip_address,
      userAgent: visitor.user_agent,
      browser: { name: visitor.browser_name, version: visitor.browser_version },
      os: { name: visitor.os_name, version: visitor.os_version },
      location: { country: visitor.country, city: visitor.city },
    },
    pageViews: views.map((v) => ({ url: v.url, title: v.title, referrer: v.referrer, viewedAt: iso(v.viewed_at) })),
    conversations: conversations.map((c) => ({
      id: c.id as string,
      status: c.status,
      createdAt: iso(c.created_at),
      assignee: c.assignee_name,
      visitorReadSeq: c.visitor_read_seq,
      agentReadSeq: c.agent_read_seq,
      messages: messages
        .filter((m) => m.conversation_id === c.id)
        .map((m) => ({
          seq: m.seq, authorKind: m.author_kind, agent: m.agent_name, body: m.body, clientMessageId: m.client_message_id, createdAt: iso(m.created_at),
        })),
    })),
  };
}

/** A visitor with a name, an email, three page views and two conversations (one closed) written from both sides. */
async function visitorWithHistory() {
  const owner = await createAccount(app.url);
  const widgetKey = owner.account.widgetKey;
  const admin = await createAgent(app.url, owner.token, 'ADMIN');
  const agent = await createAgent(app.url, owner.token, 'AGENT');
  const api = await createApiToken(app.url, owner.token);
  const userAgent = chrome();
  const headers = { 'user-agent': userAgent, 'x-forwarded-for': '9.9.9.9' };
  const pages = [1, 2, 3].map((i) => ({ pageUrl: `https://shop.example/${tag(`page${i}`)}`, pageTitle: tag(`Title${i}`), referrer: `https://ref.example/${tag('ref')}` }));
  const visitor = await startSession({ widgetKey, ...pages[0]! }, headers);
  for (const page of pages.slice(1)) {
    const again = await startSession({ widgetKey, visitorToken: visitor.token, ...page }, headers);
    expect(again.id).toBe(visitor.id);
  }
  const form = { name: tag('VisitorName'), email: `${tag('visitor')}@example.com` };
  ok(await call(visitor.token, updateVisitor, { input: form }));

  const bodies = [tag('v1'), tag('owner1'), tag('v2'), tag('v3'), tag('api1'), tag('admin1')];
  const first = await sendMessage(app.url, visitor.token, bodies[0]!);
  const c1 = first.conversation.id;
  await sendMessage(app.url, owner.token, bodies[1]!, c1);
  await sendMessage(app.url, visitor.token, bodies[2]!, c1);
  ok(await call(owner.token, setStatus, { input: { conversationId: c1, status: 'CLOSED' } }));
  const c2 = (await sendMessage(app.url, visitor.token, bodies[3]!)).conversation.id;
  expect(c2).not.toBe(c1);
  await sendMessage(app.url, api.token, bodies[4]!, c2);
  await sendMessage(app.url, admin.token, bodies[5]!, c2);
  ok(await call(owner.token, assign, { input: { conversationId: c2, agentId: admin.id } }));

  // a second visitor of the account, whose data must not appear in the first one's export
  const other = await createVisitor(app.url, widgetKey, { 'x-forwarded-for': '8.8.4.4' });
  const otherBody = tag('other');
  await sendMessage(app.url, other.token, otherBody);
  return { owner, admin, agent, api, visitor, userAgent, pages, form, bodies, c1, c2, other, otherBody };
}

describe('exportVisitor', () => {
  it('gives an OWNER and an ADMIN exactly what the database holds about the visitor, and audits each export', async () => {
    const w = await visitorWithHistory();
    const stored = await storedAbout(w.visitor.id);
    // what was put in is what is stored (so comparing with the rows proves the export complete)
    expect(stored.visitor).toMatchObject(w.form);
    expect(stored.technical).toMatchObject({
      ipAddress: '9.9.9.0', // the default keeps the network only
      userAgent: w.userAgent,
      browser: { name: 'Chrome', version: '120.0.6099.130' },
      os: { name: 'Windows', version: '10' },
      location: locate('9.9.9.9'),
    });
    expect(stored.technical.location.country).toBeTruthy();
    expect(stored.pageViews.map((v) => [v.url, v.title, v.referrer])).toEqual(w.pages.map((p) => [p.pageUrl, p.pageTitle, p.referrer]));
    expect(stored.conversations.map((c) => [c.id, c.status])).toEqual([
      [rawId(w.c1), 'CLOSED'],
      [rawId(w.c2), 'OPEN'],
    ]);
    expect(stored.conversations.flatMap((c) => c.messages.map((m) => m.body))).toEqual(expect.arrayContaining(w.bodies));

    const exportsBy: [string, string, { name: string; email: string; id: string }][] = [
      ['OWNER', w.owner.token, { name: 'Olivia Owner', email: w.owner.email, id: w.owner.agent.id }],
      ['ADMIN', w.admin.token, { name: 'Adam Agent', email: w.admin.email, id: w.admin.id }],
    ];
    for (const [role, token, actor] of exportsBy) {
      const before = Date.now();
      const result = ok(await call(token, exportVisitor, { id: w.visitor.id })).exportVisitor;
      const after = Date.now();
      const exportedAt = new Date(result.exportedAt).getTime();
      expect(exportedAt, role).toBeGreaterThanOrEqual(before - 1);
      expect(exportedAt, role).toBeLessThanOrEqual(after + 1);
      const document = result.document;
      expect(document, role).toEqual({
        format: 'livechat.visitor-export.v1',
        exportedAt: result.exportedAt,
        visitor: stored.visitor,
        technical: stored.technical,
        pageViews: stored.pageViews,
        conversations: stored.conversations.map((c) => ({ ...c, id: expect.any(String) })),
      });
      expect(document.conversations.map((c: { id: string }) => rawId(c.id)), role).toEqual([rawId(w.c1), rawId(w.c2)]);
      expect(document.conversations[1].assignee, role).toBe('Adam Agent');
      // every message, seq 1.. in each conversation, with both sides' authors (an API token writes as SYSTEM)
      expect(
        document.conversations.map((c: { messages: { seq: number; authorKind: string }[] }) => c.messages.map((m) => `${m.seq}:${m.authorKind}`)),
        role,
      ).toEqual([
        ['1:VISITOR', '2:AGENT', '3:VISITOR'],
        ['1:VISITOR', '2:SYSTEM', '3:AGENT'],
      ]);
      const text = JSON.stringify(document);
      expect(text, role).not.toContain(w.otherBody);
      expect(text, role).not.toContain(rawId(w.other.id));
      expect(text, role).not.toContain('8.8.4');

      const [row] = (await app.sql('select * from audit_log where actor_id = $1 and action = $2', [rawId(actor.id), 'VISITOR_EXPORTED'])).rows;
      expect(row, role).toMatchObject({
        account_id: rawId(w.owner.account.id),
        actor_kind: 'AGENT',
        actor_name: `${actor.name} <${actor.email}>`,
        subject_id: rawId(w.visitor.id),
        details: { conversations: 2, messages: 6, pageViews: 3 },
      });
    }
    expect(await auditRows(w.owner.account.id, 'VISITOR_EXPORTED')).toHaveLength(2);
  });

  it('refuses a plain AGENT, an API token, another account, the visitor itself and an anonymous caller, writing no audit row', async () => {
    const w = await visitorWithHistory();
    const stranger = await createAccount(app.url);
    const strangerAdmin = await createAgent(app.url, stranger.token, 'ADMIN');
    const before = await auditCount();
    const refusals: [string, string | null, string][] = [
      ['AGENT', w.agent.token, 'FORBIDDEN'],
      ['API token', w.api.token, 'FORBIDDEN'],
      ["another account's OWNER", stranger.token, 'NOT_FOUND'],
      ["another account's ADMIN", strangerAdmin.token, 'NOT_FOUND'],
      ['the visitor itself', w.visitor.token, 'FORBIDDEN'],
      ['anonymous', null, 'UNAUTHENTICATED'],
    ];
    for (const [who, token, code] of refusals) {
      const response = await call(token, exportVisitor, { id: w.visitor.id });
      expectError(response, code);
      expect(response.data?.exportVisitor ?? null, who).toBeNull();
      expect(response.raw, who).not.toContain(w.form.email);
      expect(response.raw, who).not.toContain(w.bodies[0]);
    }
    expectError(await call(w.owner.token, exportVisitor, { id: w.c1 }), 'BAD_USER_INPUT', 'id');
    expect(await auditCount()).toBe(before);
  });
});

describe('IP handling', () => {
  const ipv6 = '2001:db8:abcd:12:3456:789a:bcde:f012';
  const ipOf = async (visitorId: string) =>
    (await app.sql('select ip_address, country, city from visitors where id = $1', [rawId(visitorId)])).rows[0] as {
      ip_address: string | null;
      country: string | null;
      city: string | null;
    };
  const session = async (widgetKey: string, ip: string, visitorToken?: string) =>
    startSession({ widgetKey, visitorToken, pageUrl: 'https://shop.example/ip' }, { 'x-forwarded-for': ip });

  it('keeps only the network by default, locating the visitor from the full address first; NONE keeps nothing, FULL all', async () => {
    // 9.9.9.9 and its network 9.9.9.0 are placed apart by the GeoIP database: the location proves which was looked up
    const full = locate('9.9.9.9');
    expect(full.country).toBeTruthy();
    expect(locate('9.9.9.0')).not.toEqual(full);
    expect(locate('8.8.8.8').country).toBe('US');

    const owner = await createAccount(app.url);
    const widgetKey = owner.account.widgetKey;
    const read = '{ viewer { account { privacySettings { ipHandling retentionDays } } } }';
    expect(ok(await call(owner.token, read)).viewer.account.privacySettings).toEqual({ ipHandling: 'TRUNCATED', retentionDays: null });
    expect((await app.sql('select ip_handling, retention_days from accounts where id = $1', [rawId(owner.account.id)])).rows[0]).toEqual({
      ip_handling: 'TRUNCATED',
      retention_days: null,
    });

    expect(await ipOf((await session(widgetKey, '203.0.113.77')).id)).toMatchObject({ ip_address: '203.0.113.0' });
    expect(await ipOf((await session(widgetKey, ipv6)).id)).toMatchObject({ ip_address: '2001:db8:abcd::' });
    expect(await ipOf((await session(widgetKey, '8.8.8.8')).id)).toMatchObject({ ip_address: '8.8.8.0', country: 'US' });
    const located = await session(widgetKey, '9.9.9.9');
    expect(await ipOf(located.id)).toEqual({ ip_address: '9.9.9.0', country: full.country, city: full.city });
    // resuming from another address applies the same rule
    await session(widgetKey, '198.51.100.200', located.token);
    expect(await ipOf(located.id)).toEqual({ ip_address: '198.51.100.0', country: null, city: null });

    ok(await call(owner.token, settings, { input: { ipHandling: 'NONE' } }));
    expect(await ipOf((await session(widgetKey, '9.9.9.9')).id)).toEqual({ ip_address: null, country: full.country, city: full.city });
    expect(await ipOf((await session(widgetKey, ipv6)).id)).toMatchObject({ ip_address: null });
    await session(widgetKey, '9.9.9.9', located.token);
    expect(await ipOf(located.id)).toEqual({ ip_address: null, country: full.country, city: full.city });

    const admin = await createAgent(app.url, owner.token, 'ADMIN');
    ok(await call(admin.token, settings, { input: { ipHandling: 'FULL' } }));
    expect(await ipOf((await session(widgetKey, '9.9.9.9')).id)).toEqual({ ip_address: '9.9.9.9', country: full.country, city: full.city });
    expect(await ipOf((await session(widgetKey, ipv6)).id)).toMatchObject({ ip_address: ipv6 });

    // each change is in the audit log, with who did it and the settings before and after
    const changes = await auditRows(owner.account.id, 'PRIVACY_SETTINGS_CHANGED');
    expect(changes.map((r) => [r.actor_name, r.subject_id, r.details])).toEqual([
      [`Olivia Owner <${owner.email}>`, null, { before: { ipHandling: 'TRUNCATED', retentionDays: null }, after: { ipHandling: 'NONE', retentionDays: null } }],
      [`Adam Agent <${admin.email}>`, null, { before: { ipHandling: 'NONE', retentionDays: null }, after: { ipHandling: 'FULL', retentionDays: null } }],
    ]);
  });

  it('applies a stricter choice to the addresses already stored: FULL to TRUNCATED keeps the networks, NONE clears them', async () => {
    const owner = await createAccount(app.url);
    const other = await createAccount(app.url);
    const widgetKey = owner.account.widgetKey;
    ok(await call(owner.token, settings, { input: { ipHandling: 'FULL' } }));
    ok(await call(other.token, settings, { input: { ipHandling: 'FULL' } }));
    const v4 = await session(widgetKey, '203.0.113.77');
    const v6 = await session(widgetKey, ipv6);
    const theirs = await session(other.account.widgetKey, '198.51.100.23');
    expect((await ipOf(v4.id)).ip_address).toBe('203.0.113.77');

    ok(await call(owner.token, settings, { input: { ipHandling: 'TRUNCATED' } }));
    expect((await ipOf(v4.id)).ip_address).toBe('203.0.113.0');
    expect((await ipOf(v6.id)).ip_address).toBe('2001:db8:abcd::');
    ok(await call(owner.token, settings, { input: { ipHandling: 'NONE' } }));
    expect([(await ipOf(v4.id)).ip_address, (await ipOf(v6.id)).ip_address]).toEqual([null, null]);
    // another account's visitors keep what their own account chose
    expect((await ipOf(theirs.id)).ip_address).toBe('198.51.100.23');
  });

  it('validates retentionDays, audits only real changes, and lets no AGENT, API token or visitor change the settings', async () => {
    const owner = await createAccount(app.url);
    const agent = await createAgent(app.url, owner.token, 'AGENT');
    const api = await createApiToken(app.url, owner.token);
    const visitor = await createVisitor(app.url, owner.account.widgetKey);
    const row = async () => (await app.sql('select ip_handling, retention_days from accounts where id = $1', [rawId(owner.account.id)])).rows[0];

    expect(ok(await call(owner.token, settings, { input: { retentionDays: 30 } })).updatePrivacySettings).toEqual({
      ipHandling: 'TRUNCATED',
      retentionDays: 30,
    });
    expect(await row()).toEqual({ ip_handling: 'TRUNCATED', retention_days: 30 });
    const audited = (await auditRows(owner.account.id)).length;
    expect(audited).toBe(1);

    for (const retentionDays of [0, -1, 3651, 5000]) {
      expectError(await call(owner.token, settings, { input: { retentionDays, ipHandling: 'FULL' } }), 'BAD_USER_INPUT', 'input.retentionDays');
    }
    expectError(await call(owner.token, settings, { input: { ipHandling: 'SOME' } }), 'BAD_USER_INPUT');
    const refusals: [string, string | null, string][] = [
      ['AGENT', agent.token, 'FORBIDDEN'],
      ['API token', api.token, 'FORBIDDEN'],
      ['visitor', visitor.token, 'FORBIDDEN'],
      ['anonymous', null, 'UNAUTHENTICATED'],
    ];
    for (const [, token, code] of refusals) {
      expectError(await call(token, settings, { input: { ipHandling: 'FULL', retentionDays: 7 } }), code);
    }
    expect(await row()).toEqual({ ip_handling: 'TRUNCATED', retention_days: 30 });
    expect(await auditRows(owner.account.id)).toHaveLength(audited);

    // the same values again change nothing and log nothing; null lifts the limit
    ok(await call(owner.token, settings, { input: { retentionDays: 30, ipHandling: 'TRUNCATED' } }));
    expect(await auditRows(owner.account.id)).toHaveLength(audited);
    ok(await call(owner.token, settings, { input: { retentionDays: null } }));
    expect(await row()).toEqual({ ip_handling: 'TRUNCATED', retention_days: null });
    expect((await auditRows(owner.account.id)).at(-1).details).toEqual({
      before: { ipHandling: 'TRUNCATED', retentionDays: 30 },
      after: { ipHandling: 'TRUNCATED', retentionDays: null },
    });
  });
});

describe('Account.auditLog', () => {
  const auditLog = `query($first: Int, $after: String) { viewer { account { id auditLog(first: $first, after: $after) {
    edges { node { action actorKind actorName visitorId details createdAt } } pageInfo { hasNextPage endCursor } } } } }`;

  it('shows OWNER and ADMIN their own account’s entries newest first, and refuses AGENTs and API tokens with FORBIDDEN', async () => {
    const owner = await createAccount(app.url);
    const admin = await createAgent(app.url, owner.token, 'ADMIN');
    const agent = await createAgent(app.url, owner.token, 'AGENT');
    const api = await createApiToken(app.url, owner.token);
    const kept = await createVisitor(app.url, owner.account.widgetKey);
    const erased = await createVisitor(app.url, owner.account.widgetKey);
    await sendMessage(app.url, erased.token, tag('erased'));
    ok(await call(owner.token, settings, { input: { ipHandling: 'NONE' } }));
    ok(await call(admin.token, exportVisitor, { id: kept.id }));
    ok(await call(owner.token, exportVisitor, { id: erased.id }));
    ok(await call(owner.token, eraseVisitor, { id: erased.id }));
    // the log names the actor as they were: a later rename does not rewrite it
    ok(await call(admin.token, 'mutation { updateProfile(input: { name: "Renamed Admin" }) { id } }'));

    const other = await createAccount(app.url);
    ok(await call(other.token, settings, { input: { retentionDays: 90 } }));

    const rows = (await app.sql('select * from audit_log where account_id = $1 order by created_at desc, id desc', [rawId(owner.account.id)])).rows;
    const expected = rows.map((r) => ({
      action: r.action,
      actorKind: r.actor_kind,
      actorName: r.actor_name,
      visitorId: r.subject_id ? kept.id : null,
      details: r.details,
      createdAt: r.created_at.toISOString(),
    }));
    expect(expected.map((e) => [e.action, e.actorName, e.visitorId])).toEqual([
      ['VISITOR_ERASED', `Olivia Owner <${owner.email}>`, null],
      ['VISITOR_EXPORTED', `Olivia Owner <${owner.email}>`, null],
      ['VISITOR_EXPORTED', `Adam Agent <${admin.email}>`, kept.id],
      ['PRIVACY_SETTINGS_CHANGED', `Olivia Owner <${owner.email}>`, null],
    ]);
    expect(expected[0]!.details).toEqual({ conversations: 1, messages: 1, pageViews: 1 });

    for (const [role, token] of [['OWNER', owner.token], ['ADMIN', admin.token]] as const) {
      const log = ok(await call(token, auditLog, { first: 10 })).viewer.account.auditLog;
      expect(log.edges.map((e: { node: unknown }) => e.node), role).toEqual(expected);
      // and page by page
      const firstPage = ok(await call(token, auditLog, { first: 3 })).viewer.account.auditLog;
      expect(firstPage.pageInfo.hasNextPage, role).toBe(true);
      const rest = ok(await call(token, auditLog, { first: 3, after: firstPage.pageInfo.endCursor })).viewer.account.auditLog;
      expect([...firstPage.edges, ...rest.edges].map((e: { node: unknown }) => e.node), role).toEqual(expected);
    }

    for (const [who, token] of [['AGENT', agent.token], ['API token', api.token]] as const) {
      const response = await call(token, auditLog, { first: 10 });
      expect(response.data?.viewer.account.id, who).toBe(owner.account.id);
      expect(response.data?.viewer.account.auditLog, who).toBeNull();
      expect(response.errors?.map((e) => [e.extensions?.code, e.path?.join('.')]), who).toEqual([['FORBIDDEN', 'viewer.account.auditLog']]);
      expect(response.raw, who).not.toContain('VISITOR_EXPORTED');
    }

    // another account sees its own entry only, and cannot reach this account's log through node()
    const theirs = ok(await call(other.token, auditLog, { first: 10 })).viewer.account.auditLog.edges;
    expect(theirs.map((e: { node: { action: string; details: unknown } }) => [e.node.action, e.node.details])).toEqual([
      ['PRIVACY_SETTINGS_CHANGED', { before: { ipHandling: 'TRUNCATED', retentionDays: null }, after: { ipHandling: 'TRUNCATED', retentionDays: 90 } }],
    ]);
    const through = await call(other.token, 'query($id: ID!) { node(id: $id) { ... on Account { auditLog(first: 10) { edges { node { action } } } } } }', {
      id: owner.account.id,
    });
    expect(through.data?.node ?? null).toBeNull();
    expect(through.raw).not.toContain('VISITOR_');
  });
});

describe('no payment card data', () => {
  /** The words of an identifier: cardNumber, card_number, CARD_NUMBER and CardNUMBER all give card, number. */
  const words = (name: string) =>
    name
      .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
      .replace(/([A-Z])([A-Z][a-z])/g, '$1_$2')
      .toLowerCase()
      .split(/[^a-z0-9]+/)
      .filter(Boolean);
  /** Whether a name looks like card data: word-aware, so "company" or "discard" pass and "cardHolder" does not. */
  const looksLikeCardData = (name: string) => {
    const w = words(name);
    return (
      w.some((word) => /^(card|cvv|cvc|ccv|cvn|iban|expir|pan$|pans$|ccnum|creditcard)/.test(word)) ||
      w.some((word, i) => word === 'security' && w[i + 1] === 'code')
    );
  };

  it('the matcher flags card-like names and passes ordinary ones', () => {
    for (const name of ['cardNumber', 'card_cvc', 'CVV', 'cvc', 'ccv2', 'iban', 'IBAN', 'securityCode', 'security_code', 'cardHolderName',
      'expiryMonth', 'card_expiration', 'expiresAt', 'pan', 'pan_last4', 'creditCard', 'paymentCard', 'CARD_NUMBER']) {
      expect(looksLikeCardData(name), name).toBe(true);
    }
    for (const name of ['company', 'companyName', 'billing_company_name', 'discard', 'expand', 'span', 'panel', 'vatId', 'billingEmail', 'plan']) {
      expect(looksLikeCardData(name), name).toBe(false);
    }
  });

  it('no GraphQL type, field, argument, enum value or database column holds card data', async () => {
    const names: string[] = [];
    for (const type of Object.values(schema.getTypeMap()) as GraphQLNamedType[]) {
      if (type.name.startsWith('__')) continue;
      names.push(`type ${type.name}`);
      if (isObjectType(type) || isInterfaceType(type)) {
        for (const field of Object.values(type.getFields())) {
          names.push(`field ${type.name}.${field.name}`);
          for (const arg of field.args) names.push(`argument ${type.name}.${field.name}(${arg.name})`);
        }
      } else if (isInputObjectType(type)) {
        for (const field of Object.values(type.getFields())) names.push(`input field ${type.name}.${field.name}`);
      } else if (isEnumType(type)) {
        for (const value of type.getValues()) names.push(`enum value ${type.name}.${value.name}`);
      }
    }
    expect(names).toContain('input field UpdateBillingProfileInput.companyName'); // the walk reaches input types
    const { rows } = await app.sql(
      `select table_name, column_name from information_schema.columns where table_schema = 'public' order by table_name, column_name`,
    );
    expect(rows.length).toBeGreaterThan(50);
    names.push(...new Set(rows.map((r) => `table ${r.table_name}`)));
    names.push(...rows.map((r) => `column ${r.table_name}.${r.column_name}`));

    const lastWord = (name: string) => name.split(/[ .(]/).filter(Boolean).at(-1)!.replace(/\)$/, '');
    const flagged = names.filter((name) => looksLikeCardData(lastWord(name)));
    // the only matches: when a session and an invitation end, which are no card data
    expect(flagged.sort()).toEqual(['column agent_sessions.expires_at', 'column agents.invite_expires_at']);
  });
});

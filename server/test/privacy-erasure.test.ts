import { randomBytes, randomInt, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toGlobalId } from '../src/shared/ids.js';
import { startTestApp, type TestApp } from './app.js';
import { dataTables, diff, snapshot as takeSnapshot, type Snapshot } from './database-snapshot.js';
import { expectError, gql, ok } from './graphql.js';
import { createAccount, createAgent, createApiToken, createVisitor, rawId, sendMessage, tag } from './factories.js';
import { collect } from './ws.js';
import { accountEvents, conversationEvents, disposeAll, eventually, gauge, hasBody, serving, socket } from './realtime-helpers.js';

/**
 * Erasing a visitor and deleting an account, proven on the database itself: every table is
 * read row by row, before and after, and nothing of what was erased may remain anywhere.
 */

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(async () => {
  await app?.stop();
});

const call = (token: string | null, query: string, variables: Record<string, unknown> = {}, headers: Record<string, string> = {}) =>
  gql(app.url, query, variables, { token, headers });

const start = `mutation($input: StartVisitorSessionInput!) { startVisitorSession(input: $input) { visitorToken visitor { id } } }`;
const updateVisitor = 'mutation($input: UpdateVisitorInput!) { updateVisitor(input: $input) { id } }';
const setStatus = 'mutation($input: SetConversationStatusInput!) { setConversationStatus(input: $input) { id } }';
const markRead = 'mutation($input: MarkReadInput!) { markRead(input: $input) }';
const settings = 'mutation($input: UpdatePrivacySettingsInput!) { updatePrivacySettings(input: $input) { ipHandling } }';
const exportVisitor = 'mutation($id: ID!) { exportVisitor(id: $id) { exportedAt } }';
const eraseVisitor = 'mutation($id: ID!) { eraseVisitor(id: $id) { erasedConversations erasedMessages erasedPageViews } }';
const deleteAccount = 'mutation($input: DeleteAccountInput!) { deleteAccount(input: $input) }';
const whoAmI = '{ viewer { kind } }';

const chrome = () =>
  `Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.6099.130 Safari/537.36 ${tag('Suite')}`;

/** Every table of the app's database but the migrations bookkeeping: the ones this suite knows among them. */
async function tables(): Promise<string[]> {
  const data = await dataTables(app);
  for (const known of ['accounts', 'agents', 'agent_sessions', 'api_tokens', 'visitors', 'page_views', 'conversations', 'messages', 'audit_log']) {
    expect(data).toContain(known);
  }
  return data;
}

const snapshot = async () => takeSnapshot(app, await tables());

/** The rows (table: JSON text) that contain any of the strings. */
function rowsContaining(snap: Snapshot, needles: string[]) {
  const found: string[] = [];
  for (const [table, rows] of snap) {
    for (const row of rows) {
      for (const needle of needles) if (row.includes(needle)) found.push(`${table} has ${needle}: ${row}`);
    }
  }
  return found;
}

const ids = (rows: { id: string }[]) => rows.map((r) => r.id).sort();

/**
 * A visitor with everything the server can store about one: name, email, full IP, user
 * agent, three page views, two conversations (one closed) with messages both ways, each with
 * a clientMessageId, read receipts both ways, and an export in the audit log.
 */
async function richVisitor(owner: Awaited<ReturnType<typeof createAccount>>, ip: string) {
  const agent = await createAgent(app.url, owner.token);
  const userAgent = chrome();
  const pages = [1, 2, 3].map((i) => ({ pageUrl: `https://shop.example/${tag(`page${i}`)}`, pageTitle: tag('Title'), referrer: `https://ref.example/${tag('ref')}` }));
  const headers = { 'user-agent': userAgent, 'x-forwarded-for': ip };
  const first = ok(await call(null, start, { input: { widgetKey: owner.account.widgetKey, ...pages[0] } }, headers)).startVisitorSession;
  const visitor = { token: first.visitorToken as string, id: first.visitor.id as string };
  for (const page of pages.slice(1)) {
    ok(await call(null, start, { input: { widgetKey: owner.account.widgetKey, visitorToken: visitor.token, ...page } }, headers));
  }
  const form = { name: tag('Name'), email: `${tag('person')}@example.com` };
  ok(await call(visitor.token, updateVisitor, { input: form }));
  const bodies = [1, 2, 3, 4, 5].map((i) => tag(`body${i}`));
  const clientIds = bodies.map(() => tag('cmid'));
  const m1 = await sendMessage(app.url, visitor.token, bodies[0]!, undefined, clientIds[0]);
  const c1 = m1.conversation.id;
  const m2 = await sendMessage(app.url, owner.token, bodies[1]!, c1, clientIds[1]);
  const m3 = await sendMessage(app.url, visitor.token, bodies[2]!, c1, clientIds[2]);
  ok(await call(visitor.token, markRead, { input: { conversationId: c1, messageId: m2.message.id } }));
  ok(await call(owner.token, markRead, { input: { conversationId: c1, messageId: m3.message.id } }));
  ok(await call(owner.token, setStatus, { input: { conversationId: c1, status: 'CLOSED' } }));
  const m4 = await sendMessage(app.url, visitor.token, bodies[3]!, undefined, clientIds[3]);
  const c2 = m4.conversation.id;
  expect(c2).not.toBe(c1);
  const m5 = await sendMessage(app.url, agent.token, bodies[4]!, c2, clientIds[4]);
  const [row] = (await app.sql('select token_hash, visitor_read_seq, agent_read_seq from conversations c join visitors v on v.id = c.visitor_id where c.id = $1', [rawId(c1)])).rows;
  expect(row).toMatchObject({ visitor_read_seq: 2, agent_read_seq: 3 });
  return {
    agent, visitor, userAgent, pages, form, bodies, clientIds, c1, c2, ip, tokenHash: row.token_hash as string,
    messageIds: [m1, m2, m3, m4, m5].map((m) => m.message.id),
  };
}

/** The strings that must be gone from every row once the visitor is erased. */
async function traces(v: Awaited<ReturnType<typeof richVisitor>>) {
  const pageViewIds = (await app.sql('select id from page_views where visitor_id = $1', [rawId(v.visitor.id)])).rows.map((r) => r.id as string);
  expect(pageViewIds).toHaveLength(3);
  const messageIds = (await app.sql('select id from messages where conversation_id = any($1::uuid[])', [[rawId(v.c1), rawId(v.c2)]])).rows.map(
    (r) => r.id as string,
  );
  expect(messageIds.sort()).toEqual(v.messageIds.map(rawId).sort());
  return {
    pageViewIds,
    messageIds,
    needles: [
      rawId(v.visitor.id), v.visitor.id, rawId(v.c1), rawId(v.c2), ...messageIds, ...pageViewIds,
      v.form.name, v.form.email, v.ip, v.userAgent, v.userAgent.split(' ').at(-1)!, v.tokenHash,
      ...v.bodies, ...v.clientIds, ...v.pages.flatMap((p) => [p.pageUrl, p.pageTitle, p.referrer]),
    ],
  };
}

describe('eraseVisitor', () => {
  it('removes the visitor from every table, closes its socket with 4403, keeps only counts in the audit log and touches nothing else', async () => {
    const owner = await createAccount(app.url);
    ok(await call(owner.token, settings, { input: { ipHandling: 'FULL' } }));
    const ip = `192.0.2.${randomInt(100, 200)}`;
    const v = await richVisitor(owner, ip);
    expect((await app.sql('select ip_address, user_agent from visitors where id = $1', [rawId(v.visitor.id)])).rows[0]).toEqual({
      ip_address: ip,
      user_agent: v.userAgent,
    });
    // controls: another visitor of the same account (exported too), and a visitor of another account
    const control = await richVisitor(owner, `198.51.100.${randomInt(100, 200)}`);
    ok(await call(owner.token, exportVisitor, { id: control.visitor.id }));
    const other = await createAccount(app.url);
    ok(await call(other.token, settings, { input: { ipHandling: 'FULL' } }));
    const outside = await richVisitor(other, `203.0.113.${randomInt(100, 200)}`);

    const base = await gauge(app, 'activeSubscriptions');
    const tab = socket(app.url, v.visitor.token);
    try {
      const stream = collect(tab.client, conversationEvents, { id: v.c2 });
      await serving(app, base + 1);
      // the socket is live: a reply reaches it (and becomes one more message to erase)
      const live = tag('live');
      const liveId = tag('cmid');
      await sendMessage(app.url, owner.token, live, v.c2, liveId);
      await stream.until(hasBody(live));
      v.bodies.push(live);
      v.clientIds.push(liveId);
      v.messageIds.push(toGlobalId('Message', (await app.sql('select id from messages where body = $1', [live])).rows[0].id));
      ok(await call(owner.token, exportVisitor, { id: v.visitor.id }));
      const [exported] = (await app.sql(`select * from audit_log where subject_id = $1 and action = 'VISITOR_EXPORTED'`, [rawId(v.visitor.id)])).rows;
      expect(exported).toBeDefined();

      const { pageViewIds, messageIds, needles } = await traces(v);
      const before = await snapshot();
      // the scan sees every one of them while they are there (only the opaque global id is never stored)
      for (const needle of needles.filter((n) => n !== v.visitor.id)) expect(rowsContaining(before, [needle]).length, needle).toBeGreaterThan(0);

      const erased = ok(await call(owner.token, eraseVisitor, { id: v.visitor.id })).eraseVisitor;
      expect(erased).toEqual({ erasedConversations: 2, erasedMessages: 6, erasedPageViews: 3 });
      const started = Date.now();
      await eventually(() => tab.closes, (closes) => closes.length > 0, 3_000, "the erased visitor's socket to close");
      expect(Date.now() - started).toBeLessThan(3_000);
      expect(tab.closes).toEqual([4403]);

      // nothing of the visitor is left in any row of any table
      const after = await snapshot();
      expect(rowsContaining(after, needles)).toEqual([]);

      // and exactly its rows went: the controls and everything else are as they were, byte for byte
      const changes = diff(before, after);
      expect(Object.keys(changes).sort()).toEqual(['audit_log', 'conversations', 'messages', 'page_views', 'visitors']);
      expect(changes.visitors).toEqual({ removed: [expect.objectContaining({ id: rawId(v.visitor.id) })], added: [] });
      expect(ids(changes.page_views!.removed)).toEqual([...pageViewIds].sort());
      expect(ids(changes.conversations!.removed)).toEqual([rawId(v.c1), rawId(v.c2)].sort());
      expect(ids(changes.messages!.removed)).toEqual([...messageIds].sort());
      for (const table of ['page_views', 'conversations', 'messages']) expect(changes[table]!.added, table).toEqual([]);
      // the audit log: the earlier export no longer names the visitor, and the erasure is recorded with counts only
      expect(changes.audit_log!.removed).toEqual([expect.objectContaining({ id: exported.id, subject_id: rawId(v.visitor.id) })]);
      const removedExport = changes.audit_log!.removed[0];
      expect(changes.audit_log!.added.sort((a, b) => a.action.localeCompare(b.action))).toEqual([
        expect.objectContaining({
          action: 'VISITOR_ERASED',
          account_id: rawId(owner.account.id),
          actor_kind: 'AGENT',
          actor_id: rawId(owner.agent.id),
          actor_name: `Olivia Owner <${owner.email}>`,
          subject_id: null,
          details: { conversations: 2, messages: 6, pageViews: 3 },
        }),
        { ...removedExport, subject_id: null },
      ]);
      // (the controls' rows are among the unchanged ones; their data is still there to be found)
      expect((await app.sql('select subject_id from audit_log where subject_id = $1', [rawId(control.visitor.id)])).rows).toHaveLength(1);
      for (const kept of [control, outside]) {
        expect(rowsContaining(after, [kept.form.email, kept.ip, ...kept.bodies, rawId(kept.visitor.id)]).length).toBeGreaterThanOrEqual(8);
      }

      // the visitor's token is dead: requests, new sockets, and the API knows the visitor no more
      expectError(await call(v.visitor.token, whoAmI), 'UNAUTHENTICATED');
      expectError(await call(v.visitor.token, 'mutation($input: SendMessageInput!) { sendMessage(input: $input) { message { id } } }', { input: { body: 'still here?' } }), 'UNAUTHENTICATED');
      const again = socket(app.url, v.visitor.token);
      try {
        const refused = collect(again.client, conversationEvents, { id: v.c2 });
        await refused.until(() => false);
        expect(again.closes).toEqual([4403]);
        expect(refused.received).toEqual([]);
      } finally {
        await again.client.dispose();
      }
      expect(ok(await call(owner.token, 'query($id: ID!) { node(id: $id) { id } }', { id: v.visitor.id })).node).toBeNull();
      // the widget, still holding the token, starts a new visitor: the erased one does not come back
      const restarted = ok(await call(null, start, { input: { widgetKey: owner.account.widgetKey, visitorToken: v.visitor.token } })).startVisitorSession;
      expect(restarted.visitor.id).not.toBe(v.visitor.id);
      expect(restarted.visitorToken).not.toBe(v.visitor.token);
      expect((await app.sql('select count(*)::int as n from visitors where id = $1', [rawId(v.visitor.id)])).rows[0].n).toBe(0);
      // erasing twice finds nothing
      expectError(await call(owner.token, eraseVisitor, { id: v.visitor.id }), 'NOT_FOUND');
    } finally {
      await disposeAll([tab.client]);
    }
  });

  it('is one transaction: a failure halfway leaves every row as it was, and the socket open', async () => {
    const owner = await createAccount(app.url);
    const v = await richVisitor(owner, `192.0.2.${randomInt(10, 99)}`);
    ok(await call(owner.token, exportVisitor, { id: v.visitor.id }));
    const base = await gauge(app, 'activeSubscriptions');
    const tab = socket(app.url, v.visitor.token);
    const fn = `privacy_test_refuse_${randomBytes(4).toString('hex')}`;
    try {
      const stream = collect(tab.client, conversationEvents, { id: v.c2 });
      await serving(app, base + 1);
      const ping = tag('ping');
      await sendMessage(app.url, owner.token, ping, v.c2);
      await stream.until(hasBody(ping));
      // the visitor row refuses to go, after its messages, conversations and page views were deleted in the same transaction
      await app.sql(`create function ${fn}() returns trigger language plpgsql as $$
        begin if old.id = '${rawId(v.visitor.id)}'::uuid then raise exception 'refused by the test'; end if; return old; end $$`);
      await app.sql(`create trigger ${fn} before delete on visitors for each row execute function ${fn}()`);
      const before = await snapshot();
      try {
        const response = await call(owner.token, eraseVisitor, { id: v.visitor.id });
        expectError(response, 'INTERNAL');
        expect(response.raw).not.toContain('refused by the test');
      } finally {
        await app.sql(`drop trigger if exists ${fn} on visitors`);
        await app.sql(`drop function if exists ${fn}()`);
      }
      expect(diff(before, await snapshot())).toEqual({});
      const pong = tag('pong');
      await sendMessage(app.url, owner.token, pong, v.c2);
      await stream.until(hasBody(pong));
      expect(tab.closes).toEqual([]);
      expect(ok(await call(v.visitor.token, whoAmI)).viewer.kind).toBe('VISITOR');

      // with nothing in the way, the same erasure goes through
      expect(ok(await call(owner.token, eraseVisitor, { id: v.visitor.id })).eraseVisitor).toEqual({
        erasedConversations: 2,
        erasedMessages: 7, // five, a ping and a pong
        erasedPageViews: 3,
      });
      await eventually(() => tab.closes, (closes) => closes.length > 0, 3_000, 'the socket to close');
    } finally {
      await disposeAll([tab.client]);
    }
  });

  it('refuses an AGENT, an API token, another account, the visitor itself and anonymous callers, and changes nothing', async () => {
    const owner = await createAccount(app.url);
    const v = await richVisitor(owner, `192.0.2.${randomInt(10, 99)}`);
    const admin = await createAgent(app.url, owner.token, 'ADMIN');
    const api = await createApiToken(app.url, owner.token);
    const stranger = await createAccount(app.url);
    const strangerAdmin = await createAgent(app.url, stranger.token, 'ADMIN');
    const strangerVisitor = await createVisitor(app.url, stranger.account.widgetKey);
    // a token's first use stamps last_used_at; use it now so the refusals below change no row
    ok(await call(api.token, whoAmI));
    const base = await gauge(app, 'activeSubscriptions');
    const tab = socket(app.url, v.visitor.token);
    try {
      const stream = collect(tab.client, conversationEvents, { id: v.c2 });
      await serving(app, base + 1);
      const ping = tag('ping');
      await sendMessage(app.url, owner.token, ping, v.c2);
      await stream.until(hasBody(ping));
      const before = await snapshot();
      const refusals: [string, string | null, string][] = [
        ['AGENT', v.agent.token, 'FORBIDDEN'],
        ['API token', api.token, 'FORBIDDEN'],
        ['the visitor itself', v.visitor.token, 'FORBIDDEN'],
        ['another visitor', strangerVisitor.token, 'FORBIDDEN'],
        ["another account's OWNER", stranger.token, 'NOT_FOUND'],
        ["another account's ADMIN", strangerAdmin.token, 'NOT_FOUND'],
        ['anonymous', null, 'UNAUTHENTICATED'],
      ];
      for (const [who, token, code] of refusals) {
        const response = await call(token, eraseVisitor, { id: v.visitor.id });
        expectError(response, code);
        expect(response.data?.eraseVisitor ?? null, who).toBeNull();
      }
      // ids that name no visitor of the account
      expectError(await call(admin.token, eraseVisitor, { id: v.c1 }), 'BAD_USER_INPUT', 'id');
      expectError(await call(admin.token, eraseVisitor, { id: toGlobalId('Visitor', randomUUID()) }), 'NOT_FOUND');
      expectError(await call(admin.token, eraseVisitor, { id: strangerVisitor.id }), 'NOT_FOUND');
      expectError(await call(stranger.token, eraseVisitor, { id: strangerVisitor.id.slice(0, -2) }), 'BAD_USER_INPUT', 'id');
      expect(diff(before, await snapshot())).toEqual({});
      expect(tab.closes).toEqual([]);
      expect(ok(await call(v.visitor.token, whoAmI)).viewer.kind).toBe('VISITOR');
    } finally {
      await disposeAll([tab.client]);
    }
  });
});

describe('deleteAccount', () => {
  /** Every table with an account_id column. */
  async function tenantTables() {
    const { rows } = await app.sql(
      `select table_name from information_schema.columns where table_schema = 'public' and column_name = 'account_id' order by table_name`,
    );
    const names = rows.map((r) => r.table_name as string);
    for (const known of ['agents', 'agent_sessions', 'api_tokens', 'visitors', 'page_views', 'conversations', 'messages', 'audit_log']) {
      expect(names).toContain(known);
    }
    return names;
  }
  /** Every row of the account, table by table. */
  async function rowsOf(accountId: string) {
    const result: Record<string, string[]> = {};
    for (const table of await tenantTables()) {
      const { rows } = await app.sql(`select row_to_json(t)::text as row from "${table}" t where account_id = $1 order by 1`, [accountId]);
      result[table] = rows.map((r) => r.row as string);
    }
    result.accounts = (await app.sql('select row_to_json(t)::text as row from accounts t where id = $1', [accountId])).rows.map((r) => r.row as string);
    return result;
  }

  it('takes every row of the account and closes all its sockets; its tokens stop working; another account is untouched', async () => {
    const owner = await createAccount(app.url, tag('Doomed Company'));
    const accountId = rawId(owner.account.id);
    const admin = await createAgent(app.url, owner.token, 'ADMIN');
    const v = await richVisitor(owner, `192.0.2.${randomInt(10, 99)}`);
    const quiet = await createVisitor(app.url, owner.account.widgetKey);
    const api = await createApiToken(app.url, owner.token);
    ok(await call(owner.token, settings, { input: { ipHandling: 'NONE' } }));
    ok(await call(admin.token, exportVisitor, { id: v.visitor.id }));
    ok(await call(api.token, whoAmI));

    const survivor = await createAccount(app.url, tag('Surviving Company'));
    const survivorVisitor = await createVisitor(app.url, survivor.account.widgetKey);
    await sendMessage(app.url, survivorVisitor.token, tag('survivor'));
    ok(await call(survivor.token, exportVisitor, { id: survivorVisitor.id }));

    const base = await gauge(app, 'activeSubscriptions');
    const sockets = { agent: socket(app.url, v.agent.token), api: socket(app.url, api.token), visitor: socket(app.url, v.visitor.token) };
    try {
      const streams = [
        collect(sockets.agent.client, accountEvents),
        collect(sockets.api.client, accountEvents),
        collect(sockets.visitor.client, conversationEvents, { id: v.c2 }),
      ];
      await serving(app, base + 3);
      const ping = tag('ping');
      await sendMessage(app.url, owner.token, ping, v.c2);
      for (const [i, stream] of streams.entries()) await stream.until(hasBody(ping, i < 2 ? 'accountEvents' : 'conversationEvents'));
      const counts = async () =>
        Object.fromEntries(Object.entries(await rowsOf(accountId)).map(([table, rows]) => [table, rows.length]));
      const populated = await counts();
      for (const table of ['accounts', 'agents', 'agent_sessions', 'api_tokens', 'visitors', 'page_views', 'conversations', 'messages', 'audit_log']) {
        expect(populated[table], table).toBeGreaterThan(0);
      }

      // refusals first: nothing changes, no socket closes
      const before = await snapshot();
      const name = owner.account.name;
      const refusals: [string, string | null, string, string, string?][] = [
        ['ADMIN', admin.token, name, 'FORBIDDEN'],
        ['AGENT', v.agent.token, name, 'FORBIDDEN'],
        ['API token', api.token, name, 'FORBIDDEN'],
        ['visitor', v.visitor.token, name, 'FORBIDDEN'],
        ['anonymous', null, name, 'UNAUTHENTICATED'],
        ['OWNER, wrong name', owner.token, `${name}x`, 'BAD_USER_INPUT', 'input.accountName'],
        ['OWNER, other case', owner.token, name.toUpperCase(), 'BAD_USER_INPUT', 'input.accountName'],
        ['OWNER, empty name', owner.token, '', 'BAD_USER_INPUT', 'input.accountName'],
        ["another account's OWNER naming this one", survivor.token, name, 'BAD_USER_INPUT', 'input.accountName'],
      ];
      for (const [who, token, accountName, code, field] of refusals) {
        const response = await call(token, deleteAccount, { input: { accountName } });
        expectError(response, code, field);
        expect(response.data?.deleteAccount ?? null, who).toBeNull();
      }
      expect(diff(before, await snapshot())).toEqual({});
      expect([sockets.agent.closes, sockets.api.closes, sockets.visitor.closes]).toEqual([[], [], []]);

      const survivorRows = await rowsOf(rawId(survivor.account.id));
      expect(ok(await call(owner.token, deleteAccount, { input: { accountName: name } })).deleteAccount).toBe(true);

      await eventually(
        () => Object.values(sockets).map((s) => s.closes.length),
        (lengths) => lengths.every((n) => n > 0),
        3_000,
        "all the account's sockets to close",
      );
      expect(Object.fromEntries(Object.entries(sockets).map(([k, s]) => [k, s.closes]))).toEqual({ agent: [4403], api: [4403], visitor: [4403] });

      // no table has a row of the account left, and no row anywhere names it or its people
      const left = await counts();
      expect(Object.values(left).every((n) => n === 0), JSON.stringify(left)).toBe(true);
      expect(rowsContaining(await snapshot(), [accountId, owner.account.widgetKey, name, owner.email, admin.email, v.agent.email, v.form.email, ...v.bodies])).toEqual([]);

      // every token of the account is dead
      for (const token of [owner.token, admin.token, v.agent.token, api.token, v.visitor.token, quiet.token]) {
        expectError(await call(token, whoAmI), 'UNAUTHENTICATED');
      }
      expectError(
        await call(null, 'mutation($input: SignInInput!) { signIn(input: $input) { token } }', { input: { email: owner.email, password: owner.password } }),
        'UNAUTHENTICATED',
      );
      const reopened = socket(app.url, api.token);
      try {
        const refused = collect(reopened.client, accountEvents);
        await refused.until(() => false);
        expect(reopened.closes).toEqual([4403]);
      } finally {
        await reopened.client.dispose();
      }

      // the other account: every row as it was, and it still works
      expect(await rowsOf(rawId(survivor.account.id))).toEqual(survivorRows);
      expect(ok(await call(survivor.token, '{ viewer { account { id } } }')).viewer.account.id).toBe(survivor.account.id);
    } finally {
      await disposeAll(Object.values(sockets).map((s) => s.client));
    }
  });
});

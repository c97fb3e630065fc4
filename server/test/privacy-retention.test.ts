import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { EntityManager } from '@mikro-orm/postgresql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyRetention, type RetentionResult } from '../src/modules/privacy/retention.js';
import { startTestApp, type TestApp } from './app.js';
import { diff, snapshot as takeSnapshot } from './database-snapshot.js';
import { gql, ok } from './graphql.js';
import { createAccount, createVisitor, rawId, sendMessage, tag } from './factories.js';

/**
 * Retention, proven on the rows: exactly the closed conversations and the visitors past an
 * account's retention go, with their messages and page views; nothing else does, however many
 * instances run it at once. This file has a database of its own, as applyRetention works on
 * every account in it.
 */

let app: TestApp;
beforeAll(async () => {
  // the server's own schedule stays off: the runs here are the test's, at the moments it chooses
  app = await startTestApp({ RETENTION_INTERVAL_MINUTES: '0' });
});
afterAll(async () => {
  await app?.stop();
});

const call = (token: string | null, query: string, variables: Record<string, unknown> = {}) => gql(app.url, query, variables, { token });
const fork = () => app.deps.orm.em.fork() as EntityManager;

const day = 86_400_000;
const minute = 60_000;
/** The lock key retention.ts takes (pg_try_advisory_xact_lock), so a test can play the other instance. */
const retentionLockKey = 0x6c63_7274;

const setStatus = 'mutation($input: SetConversationStatusInput!) { setConversationStatus(input: $input) { id } }';
const settings = 'mutation($input: UpdatePrivacySettingsInput!) { updatePrivacySettings(input: $input) { retentionDays } }';
const exportVisitor = 'mutation($id: ID!) { exportVisitor(id: $id) { exportedAt } }';

type Owner = Awaited<ReturnType<typeof createAccount>>;
type Visitor = Awaited<ReturnType<typeof createVisitor>>;

const snapshot = () => takeSnapshot(app);

const sorted = (values: string[]) => [...values].sort();
const idsOf = (rows: { id: string }[] | undefined) => sorted((rows ?? []).map((r) => r.id));

describe('applyRetention', () => {
  it('deletes exactly the closed conversations and lone visitors past each account’s retention, once, whoever runs it at the same time', async () => {
    const now = new Date();
    const ago = (ms: number) => new Date(now.getTime() - ms);

    /** A visitor of the account, last seen `seen` before now. */
    const visitor = async (owner: Owner, seen: number) => {
      const v = await createVisitor(app.url, owner.account.widgetKey);
      return { ...v, seen };
    };
    /** A conversation of the visitor, messages both ways, left in `status` with its last activity `idle` before now. */
    const conversation = async (owner: Owner, v: Visitor, status: 'OPEN' | 'PENDING' | 'CLOSED', idle: number) => {
      const id = (await sendMessage(app.url, v.token, tag('visitor'))).conversation.id;
      await sendMessage(app.url, owner.token, tag('agent'), id);
      await sendMessage(app.url, v.token, tag('visitor'), id);
      if (status !== 'OPEN') ok(await call(owner.token, setStatus, { input: { conversationId: id, status } }));
      return { id: rawId(id), idle };
    };
    const backdate = async (visitors: { id: string; seen: number }[], conversations: { id: string; idle: number }[]) => {
      for (const c of conversations) {
        await app.sql('update conversations set created_at = $2, last_message_at = $2, last_activity_at = $2 where id = $1', [c.id, ago(c.idle)]);
        await app.sql('update messages set created_at = $2 where conversation_id = $1', [c.id, ago(c.idle)]);
      }
      for (const v of visitors) {
        await app.sql('update visitors set first_seen_at = $2, last_seen_at = $2 where id = $1', [rawId(v.id), ago(v.seen)]);
        await app.sql('update page_views set viewed_at = $2 where visitor_id = $1', [rawId(v.id), ago(v.seen)]);
      }
    };

    // account A keeps 30 days
    const a = await createAccount(app.url);
    expect(ok(await call(a.token, settings, { input: { retentionDays: 30 } })).updatePrivacySettings.retentionDays).toBe(30);
    const gone = await visitor(a, 40 * day); // its only conversation goes, then it does
    const silent = await visitor(a, 40 * day); // never chatted: goes
    const open = await visitor(a, 40 * day); // its conversation is OPEN: both stay
    const pending = await visitor(a, 40 * day); // PENDING is not closed: both stay
    const recent = await visitor(a, 40 * day); // closed 10 days ago: both stay
    const mixed = await visitor(a, 40 * day); // one old closed conversation goes, the recent one and the visitor stay
    const edge = await visitor(a, 40 * day); // a minute either side of the cutoff
    const lately = await visitor(a, 1 * day); // its old conversation goes, the visitor was seen lately
    const fresh = await visitor(a, 0); // seen just now
    const almost = await visitor(a, 30 * day - minute); // not quite past the cutoff
    const aConversations = {
      gone: await conversation(a, gone, 'CLOSED', 40 * day),
      open: await conversation(a, open, 'OPEN', 40 * day),
      pending: await conversation(a, pending, 'PENDING', 40 * day),
      recent: await conversation(a, recent, 'CLOSED', 10 * day),
      mixedOld: await conversation(a, mixed, 'CLOSED', 40 * day),
      mixedRecent: await conversation(a, mixed, 'CLOSED', 10 * day),
      edgeOld: await conversation(a, edge, 'CLOSED', 30 * day + minute),
      edgeKept: await conversation(a, edge, 'CLOSED', 30 * day - minute),
      lately: await conversation(a, lately, 'CLOSED', 40 * day),
    };
    // the audit log refers to two of them
    ok(await call(a.token, exportVisitor, { id: gone.id }));
    ok(await call(a.token, exportVisitor, { id: open.id }));

    // account B keeps everything, however old
    const b = await createAccount(app.url);
    const bOld = await visitor(b, 400 * day);
    const bSilent = await visitor(b, 400 * day);
    const bConversation = await conversation(b, bOld, 'CLOSED', 400 * day);

    // account C keeps 60 days
    const c = await createAccount(app.url);
    ok(await call(c.token, settings, { input: { retentionDays: 60 } }));
    const cKept = await visitor(c, 40 * day);
    const cGone = await visitor(c, 70 * day);
    const cConversations = { kept: await conversation(c, cKept, 'CLOSED', 40 * day), gone: await conversation(c, cGone, 'CLOSED', 70 * day) };

    const allVisitors = [gone, silent, open, pending, recent, mixed, edge, lately, fresh, almost, bOld, bSilent, cKept, cGone];
    await backdate(allVisitors, [...Object.values(aConversations), bConversation, ...Object.values(cConversations)]);

    const goneConversations = [aConversations.gone, aConversations.mixedOld, aConversations.edgeOld, aConversations.lately, cConversations.gone].map((x) => x.id);
    const goneVisitors = [gone, silent, cGone].map((v) => rawId(v.id));
    const goneMessages = (await app.sql('select id from messages where conversation_id = any($1::uuid[])', [goneConversations])).rows.map((r) => r.id as string);
    expect(goneMessages).toHaveLength(15);
    const gonePageViews = (await app.sql('select id from page_views where visitor_id = any($1::uuid[])', [goneVisitors])).rows.map((r) => r.id as string);
    expect(gonePageViews).toHaveLength(3);
    const [goneExport] = (await app.sql(`select * from audit_log where subject_id = $1`, [rawId(gone.id)])).rows;
    expect(goneExport).toBeDefined();

    const before = await snapshot();

    // while another instance holds the lock, this one skips and touches nothing
    const other = new pg.Client({ connectionString: app.databaseUrl });
    await other.connect();
    try {
      await other.query('select pg_advisory_lock($1)', [retentionLockKey]);
      expect(await applyRetention(fork(), now)).toBeNull();
      await other.query('select pg_advisory_unlock($1)', [retentionLockKey]);
    } finally {
      await other.end();
    }
    expect(diff(before, await snapshot())).toEqual({});

    // two instances at once: one does the work; the other skips (null) or comes after and finds nothing
    const results = await Promise.all([applyRetention(fork(), now), applyRetention(fork(), now)]);
    const nothing: RetentionResult = { accounts: 0, conversations: 0, messages: 0, visitors: 0, visitorIds: [] };
    const worked = results.filter((r) => r !== null && r.accounts > 0);
    expect(worked, JSON.stringify(results)).toEqual([{ accounts: 2, conversations: 5, messages: 15, visitors: 3, visitorIds: expect.any(Array) }]);
    expect(worked[0]!.visitorIds).toHaveLength(3);
    const idle = results.find((r) => r !== worked[0]);
    expect(idle === null || JSON.stringify(idle) === JSON.stringify(nothing), JSON.stringify(results)).toBe(true);

    // by the rows: exactly those went, with their messages and page views
    const after = await snapshot();
    const changes = diff(before, after);
    expect(Object.keys(changes).sort()).toEqual(['audit_log', 'conversations', 'messages', 'page_views', 'visitors']);
    expect(idsOf(changes.conversations?.removed)).toEqual(sorted(goneConversations));
    expect(idsOf(changes.messages?.removed)).toEqual(sorted(goneMessages));
    expect(idsOf(changes.visitors?.removed)).toEqual(sorted(goneVisitors));
    expect(idsOf(changes.page_views?.removed)).toEqual(sorted(gonePageViews));
    for (const table of ['conversations', 'messages', 'visitors', 'page_views']) expect(changes[table]!.added, table).toEqual([]);
    // nothing of B changed at all
    const bId = rawId(b.account.id);
    expect(Object.values(changes).flatMap((change) => [...change.removed, ...change.added]).filter((row) => row.account_id === bId)).toEqual([]);
    const left = async (table: string, ids: string[]) =>
      (await app.sql(`select count(*)::int as n from ${table} where id = any($1::uuid[])`, [ids])).rows[0].n as number;
    expect(await left('conversations', goneConversations)).toBe(0);
    expect(await left('messages', goneMessages)).toBe(0);
    expect(await left('visitors', goneVisitors)).toBe(0);
    expect(await left('visitors', [open, pending, recent, mixed, edge, lately, fresh, almost, bOld, bSilent, cKept].map((v) => rawId(v.id)))).toBe(11);

    // the audit log: the export of the gone visitor names it no more, and each account's run is recorded
    expect(changes.audit_log!.removed).toEqual([expect.objectContaining({ id: goneExport.id, subject_id: rawId(gone.id) })]);
    expect(changes.audit_log!.added.filter((row) => row.action !== 'RETENTION_APPLIED')).toEqual([{ ...changes.audit_log!.removed[0], subject_id: null }]);
    expect((await app.sql('select count(*)::int as n from audit_log where subject_id = $1', [rawId(open.id)])).rows[0].n).toBe(1);
    const runs = (await app.sql(`select * from audit_log where action = 'RETENTION_APPLIED' order by account_id`)).rows;
    const expectedRuns = [
      { account: a, days: 30, conversations: 4, messages: 12, visitors: 2 },
      { account: c, days: 60, conversations: 1, messages: 3, visitors: 1 },
    ];
    expect(runs).toHaveLength(2);
    for (const run of expectedRuns) {
      const row = runs.find((r) => r.account_id === rawId(run.account.account.id));
      expect(row).toMatchObject({
        actor_kind: 'SYSTEM',
        actor_id: null,
        actor_name: 'Retention',
        subject_id: null,
        details: {
          conversations: run.conversations,
          messages: run.messages,
          visitors: run.visitors,
          retentionDays: run.days,
          before: ago(run.days * day).toISOString(),
        },
      });
      expect(row.created_at.toISOString()).toBe(now.toISOString());
      // and the account's admins read it in their log
      const log = ok(await call(run.account.token, '{ viewer { account { auditLog(first: 10) { edges { node { action actorKind actorName visitorId details } } } } } }'));
      const nodes = log.viewer.account.auditLog.edges.map((e: { node: { action: string } }) => e.node);
      expect(nodes.filter((n: { action: string }) => n.action === 'RETENTION_APPLIED')).toEqual([
        { action: 'RETENTION_APPLIED', actorKind: 'SYSTEM', actorName: 'Retention', visitorId: null, details: row.details },
      ]);
    }

    // once more: nothing else is past its date
    expect(await applyRetention(fork(), now)).toEqual(nothing);
    expect(diff(after, await snapshot())).toEqual({});
  });

  it('is one transaction: when its audit entry cannot be written, nothing is deleted', async () => {
    const now = new Date();
    const owner = await createAccount(app.url);
    ok(await call(owner.token, settings, { input: { retentionDays: 7 } }));
    const v = await createVisitor(app.url, owner.account.widgetKey);
    const conversationId = (await sendMessage(app.url, v.token, tag('old'))).conversation.id;
    ok(await call(owner.token, setStatus, { input: { conversationId, status: 'CLOSED' } }));
    const id = rawId(conversationId);
    const old = new Date(now.getTime() - 20 * day);
    await app.sql('update conversations set created_at = $2, last_message_at = $2, last_activity_at = $2 where id = $1', [id, old]);
    await app.sql('update visitors set first_seen_at = $2, last_seen_at = $2 where id = $1', [rawId(v.id), old]);

    // the last statement of the run fails: the deletes before it must not stay
    const fn = `privacy_test_refuse_${randomBytes(4).toString('hex')}`;
    await app.sql(`create function ${fn}() returns trigger language plpgsql as $$
      begin if new.action = 'RETENTION_APPLIED' then raise exception 'refused by the test'; end if; return new; end $$`);
    await app.sql(`create trigger ${fn} before insert on audit_log for each row execute function ${fn}()`);
    const before = await snapshot();
    try {
      await expect(applyRetention(fork(), now)).rejects.toThrow(/refused by the test/);
    } finally {
      await app.sql(`drop trigger if exists ${fn} on audit_log`);
      await app.sql(`drop function if exists ${fn}()`);
    }
    expect(diff(before, await snapshot())).toEqual({});

    // without the obstacle the same run goes through
    expect(await applyRetention(fork(), now)).toEqual({ accounts: 1, conversations: 1, messages: 1, visitors: 1, visitorIds: [expect.any(String)] });
    expect((await app.sql('select count(*)::int as n from conversations where id = $1', [id])).rows[0].n).toBe(0);
  });

  it('a run that starts while another is still working answers null at once, without waiting or deleting', async () => {
    const now = new Date();
    const owner = await createAccount(app.url);
    ok(await call(owner.token, settings, { input: { retentionDays: 7 } }));
    const v = await createVisitor(app.url, owner.account.widgetKey);
    const conversationId = (await sendMessage(app.url, v.token, tag('old'))).conversation.id;
    ok(await call(owner.token, setStatus, { input: { conversationId, status: 'CLOSED' } }));
    await app.sql('update conversations set last_activity_at = $2 where id = $1', [rawId(conversationId), new Date(now.getTime() - 20 * day)]);

    // hold the first run inside its work: its delete waits for a lock on the conversations table
    const blocker = new pg.Client({ connectionString: app.databaseUrl });
    await blocker.connect();
    let first: Promise<RetentionResult | null> | null = null;
    let second: Promise<RetentionResult | null> | null = null;
    try {
      await blocker.query('begin');
      await blocker.query('lock table conversations in access exclusive mode');
      first = applyRetention(fork(), now);
      const waiting = async () =>
        (
          await app.sql(
            `select count(*)::int as n from pg_stat_activity
              where datname = current_database() and wait_event_type = 'Lock' and query ilike '%delete from conversations%'`,
          )
        ).rows[0].n as number;
      const deadline = Date.now() + 5_000;
      while ((await waiting()) < 1) {
        if (Date.now() > deadline) throw new Error('the first run never reached its delete');
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      second = applyRetention(fork(), now);
      const answer = await Promise.race([second, new Promise((resolve) => setTimeout(() => resolve('still waiting'), 3_000))]);
      expect(answer).toBeNull();
      expect(await waiting()).toBe(1);
    } finally {
      await blocker.query('rollback').catch(() => {});
      await blocker.end();
      await Promise.allSettled([first, second]);
    }
    expect(await first).toEqual({ accounts: 1, conversations: 1, messages: 1, visitors: 0, visitorIds: [] });
  });
});

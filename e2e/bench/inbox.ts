import pg from 'pg';
import { freshDatabase } from './lib/database.js';
import { assertClean, gql, graphqlBody, rawId, runLoad, signUp } from './lib/http-load.js';
import { startServer, type ServerProcess } from './lib/server.js';
import type { BenchOptions, Row, Scenario } from './lib/types.js';

/**
 * Inbox: the dashboard's page of conversations with visitor, assignee, last message and
 * unread count, over HTTP at concurrency 16, and the SQL statements one request costs,
 * counted by the server's livechat_sql_statements_total around sequential requests, for
 * pages of 10, 50 and 100. Baseline: the same page read by one hand-written SQL statement
 * (joins and a lateral last message) through `pg` from the load generator.
 */

export const inboxQuery = `query Inbox($first: Int!) { viewer { account { conversations(first: $first) {
  edges { cursor node { id status lastMessageAt unreadCount
    assignee { id name }
    visitor { id name email online }
    lastMessage { id body createdAt authorKind } } }
  pageInfo { hasNextPage endCursor } } } } }`;

const baselineQuery = `
select c.id, c.status, c.last_message_at, c.last_activity_at,
       a.id as assignee_id, a.name as assignee_name,
       v.id as visitor_id, v.name as visitor_name, v.email as visitor_email,
       m.id as message_id, m.body, m.created_at, m.author_kind,
       (select count(*) from messages u
         where u.account_id = c.account_id and u.conversation_id = c.id
           and u.seq > c.agent_read_seq and u.author_kind = 'VISITOR') as unread_count
  from conversations c
  join visitors v on v.account_id = c.account_id and v.id = c.visitor_id
  left join agents a on a.account_id = c.account_id and a.id = c.assignee_id
  left join lateral (
    select id, body, created_at, author_kind from messages m
     where m.account_id = c.account_id and m.conversation_id = c.id and m.seq = c.last_seq
  ) m on true
 where c.account_id = $1
 order by c.last_activity_at desc, c.id desc
 limit $2`;

/** `conversations` conversations of one account, each with its own visitor and `perConversation` messages; every third assigned. */
async function seed(databaseUrl: string, accountId: string, agentId: string, conversations: number, perConversation: number) {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query(
      `insert into visitors (id, account_id, token_hash, name, email, first_seen_at, last_seen_at)
       select md5('visitor' || i)::uuid, $1, md5('token' || i), 'Visitor ' || i, 'visitor' || i || '@example.com', now(), now()
         from generate_series(1, $2) i`,
      [accountId, conversations],
    );
    await client.query(
      `insert into conversations (id, account_id, visitor_id, assignee_id, status, last_seq, agent_read_seq, created_at, last_message_at, last_activity_at)
       select md5('conversation' || i)::uuid, $1, md5('visitor' || i)::uuid, case when i % 3 = 0 then $2::uuid end,
              'OPEN', $3, case when i % 2 = 0 then $3 else 1 end,
              now() - interval '1 minute' * i, now() - interval '1 second' * i, now() - interval '1 second' * i
         from generate_series(1, $4) i`,
      [accountId, agentId, perConversation, conversations],
    );
    await client.query(
      `insert into messages (id, account_id, conversation_id, seq, author_kind, agent_id, body, created_at)
       select gen_random_uuid(), $1, md5('conversation' || i)::uuid, s,
              case when s % 2 = 0 then 'AGENT' else 'VISITOR' end, case when s % 2 = 0 then $2::uuid end,
              'Message ' || s || ' of conversation ' || i, now() - interval '1 second' * (i + $3 - s)
         from generate_series(1, $4) i, generate_series(1, $3) s`,
      [accountId, agentId, perConversation, conversations],
    );
    await client.query('analyze');
  } finally {
    await client.end();
  }
}

/** SQL statements the server sent per request, over `n` sequential requests after a warm-up one. */
async function statementsPerRequest(server: ServerProcess, token: string, first: number, n: number) {
  await gql(server.url, inboxQuery, { first }, token);
  const before = await server.metric('livechat_sql_statements_total');
  for (let i = 0; i < n; i++) await gql(server.url, inboxQuery, { first }, token);
  const after = await server.metric('livechat_sql_statements_total');
  return (after - before) / n;
}

export const inbox: Scenario = {
  name: 'inbox',
  async run({ quick, databaseUrl, log }: BenchOptions): Promise<Row[]> {
    const concurrency = 16;
    const durationMs = quick ? 3_000 : 10_000;
    const warmupMs = quick ? 500 : 1_000;
    const db = await freshDatabase(databaseUrl, 'inbox');
    let server: ServerProcess | null = null;
    try {
      server = await startServer(db.url);
      const owner = await signUp(server.url, 'inbox');
      const accountId = rawId(owner.account.id);
      await seed(db.url, accountId, rawId(owner.agentId), 150, 6);
      const check = await gql(server.url, inboxQuery, { first: 50 }, owner.token);
      const edges = check.viewer.account.conversations.edges as { node: { lastMessage: unknown; visitor: unknown } }[];
      if (edges.length !== 50 || edges.some((e) => !e.node.lastMessage || !e.node.visitor)) throw new Error('the inbox page is not what was seeded');

      const rows: Row[] = [];
      for (const first of [10, 50, 100]) {
        const perRequest = await statementsPerRequest(server, owner.token, first, 20);
        rows.push({
          scenario: 'inbox',
          metric: `SQL statements per request, first: ${first}`,
          project: perRequest,
          baseline: 1,
          better: 'lower',
          target: '≤ 3',
          met: perRequest <= 3,
        });
      }
      // a token this instance has not seen yet costs its lookup once
      const fresh = await gql<{ signIn: { token: string } }>(
        server.url,
        'mutation($input: SignInInput!) { signIn(input: $input) { token } }',
        { input: { email: owner.email, password: owner.password } },
      );
      const coldBefore = await server.metric('livechat_sql_statements_total');
      await gql(server.url, inboxQuery, { first: 50 }, fresh.signIn.token);
      const cold = (await server.metric('livechat_sql_statements_total')) - coldBefore;
      rows.push({ scenario: 'inbox', metric: 'SQL statements, first request of a token, first: 50', project: cold, baseline: 1, better: 'lower', target: '≤ 3', met: cold <= 3 });

      const project = await runLoad(
        {
          kind: 'http',
          url: server.url,
          requests: [{ body: graphqlBody(inboxQuery, { first: 50 }), headers: { authorization: `Bearer ${owner.token}` } }],
          concurrency,
          durationMs,
          warmupMs,
          pick: 'round-robin',
        },
        durationMs + 60_000,
      );
      assertClean('inbox query', project);
      log(`inbox project: ${project.perSecond.toFixed(0)}/s p50 ${project.p50.toFixed(1)} p99 ${project.p99.toFixed(1)} ms`);
      await server.stop();
      server = null;

      const baseline = await runLoad(
        {
          kind: 'pg',
          databaseUrl: db.url,
          queries: [{ text: baselineQuery, params: [accountId, 51], expectRows: true }],
          concurrency,
          durationMs,
          warmupMs,
          pick: 'round-robin',
        },
        durationMs + 60_000,
      );
      assertClean('inbox baseline', baseline);
      log(`inbox baseline: ${baseline.perSecond.toFixed(0)}/s p50 ${baseline.p50.toFixed(2)} p99 ${baseline.p99.toFixed(2)} ms`);
      rows.push(
        { scenario: 'inbox', metric: `requests/s, page of 50, concurrency ${concurrency}`, project: project.perSecond, baseline: baseline.perSecond, better: 'higher' },
        { scenario: 'inbox', metric: `p50 latency (ms), concurrency ${concurrency}`, project: project.p50, baseline: baseline.p50, better: 'lower' },
        { scenario: 'inbox', metric: `p99 latency (ms), concurrency ${concurrency}`, project: project.p99, baseline: baseline.p99, better: 'lower' },
      );
      return rows;
    } finally {
      await server?.stop();
      await db.drop();
    }
  },
};

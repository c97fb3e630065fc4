import pg from 'pg';
import { freshDatabase } from './lib/database.js';
import { assertClean, gql, graphqlBody, rawId, runLoad, signUp, type LoadResult } from './lib/http-load.js';
import { startServer, type ServerProcess } from './lib/server.js';
import type { BenchOptions, Row, Scenario } from './lib/types.js';

/**
 * History: one page of 50 messages read backwards from a cursor in the middle of a big
 * conversation (`node(id) { ... on Conversation { messages(last: 50, before: …) } }`), 300
 * sequential requests from random cursors in its middle half, with 10,000 messages in the
 * table and again with 1,000,000 (quick: 100,000). The table is filled with
 * `insert … select generate_series` straight in SQL: a fifth of it in the big conversation,
 * the rest in conversations of 1,000. Baseline: the same keyset SQL through `pg`.
 */

const historyQuery = `query History($id: ID!, $before: String!) { node(id: $id) { ... on Conversation {
  messages(last: 50, before: $before) {
    edges { cursor node { id body authorKind createdAt } }
    pageInfo { hasPreviousPage startCursor } } } } }`;

/** The keyset read the server does for that page (MikroORM sends it with its values inlined). */
const keysetSql = `select m0.* from messages as m0
  where m0.account_id = $1 and m0.account_id = $1 and m0.conversation_id = $2 and m0.seq < $3
  order by m0.seq desc limit 51`;

const otherSize = 1_000;
/** A message cursor as the server makes it: the seq, JSON, base64url (opaque to clients, known to the benchmark). */
const cursorOf = (seq: number) => Buffer.from(JSON.stringify([seq])).toString('base64url');

type World = { accountId: string; agentId: string; bigId: string; bigSize: number; others: number };

/** Grows the table to `total` messages: the big conversation to total / 5, the rest in new conversations of 1,000. */
async function growTo(client: pg.Client, world: World, total: number) {
  const bigSize = Math.floor(total / 5);
  const others = Math.floor((total - bigSize) / otherSize);
  await client.query(
    `insert into messages (id, account_id, conversation_id, seq, author_kind, agent_id, body, created_at)
     select gen_random_uuid(), $1, $2, s, case when s % 2 = 0 then 'AGENT' else 'VISITOR' end,
            case when s % 2 = 0 then $3::uuid end, 'Message ' || s || ' of the long conversation', now() - interval '1 second' * ($5 - s)
       from generate_series($4::int + 1, $5::int) s`,
    [world.accountId, world.bigId, world.agentId, world.bigSize, bigSize],
  );
  await client.query('update conversations set last_seq = $2, last_message_at = now() where id = $1', [world.bigId, bigSize]);
  await client.query(
    `insert into visitors (id, account_id, token_hash, name)
     select md5('history-visitor-' || i)::uuid, $1, md5('history-token-' || i), 'Visitor ' || i from generate_series($2::int + 1, $3::int) i`,
    [world.accountId, world.others, others],
  );
  await client.query(
    `insert into conversations (id, account_id, visitor_id, status, last_seq, created_at, last_message_at, last_activity_at)
     select md5('history-conversation-' || i)::uuid, $1, md5('history-visitor-' || i)::uuid, 'CLOSED', $4, now(), now(), now()
       from generate_series($2::int + 1, $3::int) i`,
    [world.accountId, world.others, others, otherSize],
  );
  await client.query(
    `insert into messages (id, account_id, conversation_id, seq, author_kind, body, created_at)
     select gen_random_uuid(), $1, md5('history-conversation-' || (n / $4 + 1))::uuid, n % $4 + 1,
            case when n % 2 = 0 then 'AGENT' else 'VISITOR' end, 'Message ' || n, now()
       from generate_series($2::int * $4, $3::int * $4 - 1) n`,
    [world.accountId, world.others, others, otherSize],
  );
  await client.query('vacuum analyze messages');
  // write the fill out now, not while the pages are timed
  await client.query('checkpoint').catch(() => {}); // needs superuser or pg_checkpoint; only a nicety
  world.bigSize = bigSize;
  world.others = others;
  const { rows } = await client.query('select count(*)::int as n from messages');
  return rows[0].n as number;
}

/** Random seqs in the middle half of the big conversation, the same for the project and the baseline. */
function middleSeqs(bigSize: number, n: number) {
  return Array.from({ length: n }, () => Math.floor(bigSize / 4 + Math.random() * (bigSize / 2)));
}

async function measure(server: ServerProcess, databaseUrl: string, token: string, world: World, conversationGlobalId: string, requests: number, quick: boolean) {
  const seqs = middleSeqs(world.bigSize, requests);
  const check = await gql(server.url, historyQuery, { id: conversationGlobalId, before: cursorOf(seqs[0]!) }, token);
  if (check.node.messages.edges.length !== 50) throw new Error('the history page is not 50 messages');
  // read every page once first, so neither side pays for bringing them into memory
  const sql = seqs.map((seq) => ({ text: keysetSql, params: [world.accountId, world.bigId, seq], expectRows: true }));
  await runLoad({ kind: 'pg', databaseUrl, queries: sql, concurrency: 1, count: requests, pick: 'round-robin' }, 120_000);
  const project = await runLoad(
    {
      kind: 'http',
      url: server.url,
      requests: seqs.map((seq) => ({ body: graphqlBody(historyQuery, { id: conversationGlobalId, before: cursorOf(seq) }), headers: { authorization: `Bearer ${token}` } })),
      concurrency: 1,
      count: requests,
      // long enough for the server's JIT to settle, so the first size is not measured on a cold process
      warmupMs: quick ? 1_000 : 3_000,
      pick: 'round-robin',
    },
    120_000,
  );
  assertClean('history page', project);
  const baseline = await runLoad(
    {
      kind: 'pg',
      databaseUrl,
      queries: sql,
      concurrency: 1,
      count: requests,
      warmupMs: quick ? 500 : 1_000,
      pick: 'round-robin',
    },
    120_000,
  );
  assertClean('history baseline', baseline);
  return { project, baseline, seq: seqs[0]! };
}

/** The index the page's plan reads, from EXPLAIN. */
async function indexUsed(client: pg.Client, world: World, seq: number) {
  const { rows } = await client.query(`explain (format json) ${keysetSql}`, [world.accountId, world.bigId, seq]);
  const names: string[] = [];
  const walk = (plan: Record<string, unknown>) => {
    if (typeof plan['Index Name'] === 'string') names.push(`${plan['Node Type']} on ${plan['Index Name']}`);
    for (const child of (plan.Plans as Record<string, unknown>[] | undefined) ?? []) walk(child);
  };
  walk(rows[0]['QUERY PLAN'][0].Plan);
  return names.join(', ') || 'no index';
}

export const history: Scenario = {
  name: 'history',
  async run({ quick, databaseUrl, log }: BenchOptions): Promise<Row[]> {
    const sizes = quick ? [10_000, 100_000] : [10_000, 1_000_000];
    const requests = 300;
    const db = await freshDatabase(databaseUrl, 'history');
    let server: ServerProcess | null = null;
    const client = new pg.Client({ connectionString: db.url });
    try {
      server = await startServer(db.url);
      const owner = await signUp(server.url, 'history');
      await client.connect();
      const world: World = { accountId: rawId(owner.account.id), agentId: rawId(owner.agentId), bigId: '', bigSize: 0, others: 0 };
      const { rows: big } = await client.query(
        `with v as (insert into visitors (id, account_id, token_hash, name) values (gen_random_uuid(), $1, md5(random()::text), 'Long talker') returning id)
         insert into conversations (id, account_id, visitor_id, status, created_at, last_activity_at)
         select gen_random_uuid(), $1, v.id, 'OPEN', now(), now() from v returning id`,
        [world.accountId],
      );
      world.bigId = big[0].id;
      const conversationGlobalId = Buffer.from(`Conversation:${world.bigId}`).toString('base64');

      const results: { size: number; project: LoadResult; baseline: LoadResult; index: string }[] = [];
      for (const size of sizes) {
        const t0 = Date.now();
        const count = await growTo(client, world, size);
        log(`history: ${count.toLocaleString('en-US')} messages (big conversation ${world.bigSize.toLocaleString('en-US')}) filled in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
        const { project, baseline, seq } = await measure(server, db.url, owner.token, world, conversationGlobalId, requests, quick);
        const index = await indexUsed(client, world, seq);
        log(`history at ${count}: project p50 ${project.p50.toFixed(2)} p99 ${project.p99.toFixed(2)} ms; baseline p50 ${baseline.p50.toFixed(2)} p99 ${baseline.p99.toFixed(2)} ms; ${index}`);
        results.push({ size: count, project, baseline, index });
      }
      const label = (n: number) => (n >= 1_000_000 ? `${n / 1_000_000}M` : `${n / 1_000}k`);
      const rows: Row[] = [];
      for (const r of results) {
        rows.push(
          { scenario: 'history', metric: `p50 page of 50 (ms), ${label(r.size)} messages`, project: r.project.p50, baseline: r.baseline.p50, better: 'lower' },
          { scenario: 'history', metric: `p99 page of 50 (ms), ${label(r.size)} messages`, project: r.project.p99, baseline: r.baseline.p99, better: 'lower' },
        );
      }
      const [small, large] = [results[0]!, results.at(-1)!];
      const growth = `${label(large.size)} vs ${label(small.size)}`;
      rows.push(
        {
          scenario: 'history',
          metric: `p50 at ${growth} messages (project column: ${label(large.size)}, baseline column: ${label(small.size)})`,
          project: large.project.p50,
          baseline: small.project.p50,
          better: 'lower',
          target: 'ratio ≤ 1.5',
          met: large.project.p50 / small.project.p50 <= 1.5,
        },
        {
          scenario: 'history',
          metric: `p99 at ${growth} messages (project column: ${label(large.size)}, baseline column: ${label(small.size)})`,
          project: large.project.p99,
          baseline: small.project.p99,
          better: 'lower',
        },
        {
          scenario: 'history',
          metric: `plain SQL p50 at ${growth} messages`,
          note: `plan: ${large.index}`,
          project: large.baseline.p50,
          baseline: small.baseline.p50,
          better: 'lower',
        },
      );
      return rows;
    } finally {
      await client.end().catch(() => {});
      await server?.stop();
      await db.drop();
    }
  },
};

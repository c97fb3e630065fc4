import pg from 'pg';
import { freshDatabase } from './lib/database.js';
import { assertClean, gql, graphqlBody, rawId, runLoad, signUp, type LatencySummary } from './lib/http-load.js';
import { startServer, type ServerProcess } from './lib/server.js';
import type { BenchOptions, Row, Scenario } from './lib/types.js';

/**
 * History: one page of 50 messages read backwards from a cursor in the middle of a big
 * conversation (`node(id) { ... on Conversation { messages(last: 50, before: …) } }`), with
 * 10,000 messages in the table and with 1,000,000 (quick: 100,000). Each size is a database
 * of its own with a server of its own, and the 300 requests to each (quick: 150) are interleaved (small,
 * large, small, …) at concurrency 1, so whatever else the machine does falls on both alike.
 * The tables are filled with `insert … select generate_series` straight in SQL: a fifth in
 * the big conversation, the rest in conversations of 1,000. Baseline: the same keyset SQL
 * through `pg`, interleaved the same way.
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

type Side = {
  label: string;
  size: number;
  db: Awaited<ReturnType<typeof freshDatabase>>;
  server: ServerProcess | null;
  token: string;
  accountId: string;
  bigId: string;
  bigSize: number;
};

/** Fills a database with `total` messages: the big conversation total / 5, the rest in conversations of 1,000. */
async function fill(side: Side, agentId: string) {
  const client = new pg.Client({ connectionString: side.db.url });
  await client.connect();
  try {
    const bigSize = Math.floor(side.size / 5);
    const others = Math.floor((side.size - bigSize) / otherSize);
    const { rows } = await client.query(
      `with v as (insert into visitors (id, account_id, token_hash, name) values (gen_random_uuid(), $1, md5(random()::text), 'Long talker') returning id)
       insert into conversations (id, account_id, visitor_id, status, last_seq, created_at, last_message_at, last_activity_at)
       select gen_random_uuid(), $1, v.id, 'OPEN', $2, now(), now(), now() from v returning id`,
      [side.accountId, bigSize],
    );
    side.bigId = rows[0].id;
    side.bigSize = bigSize;
    await client.query(
      `insert into messages (id, account_id, conversation_id, seq, author_kind, agent_id, body, created_at)
       select gen_random_uuid(), $1, $2, s, case when s % 2 = 0 then 'AGENT' else 'VISITOR' end,
              case when s % 2 = 0 then $3::uuid end, 'Message ' || s || ' of the long conversation', now() - interval '1 second' * ($4 - s)
         from generate_series(1, $4::int) s`,
      [side.accountId, side.bigId, agentId, bigSize],
    );
    await client.query(
      `insert into visitors (id, account_id, token_hash, name)
       select md5('history-visitor-' || i)::uuid, $1, md5('history-token-' || i), 'Visitor ' || i from generate_series(1, $2::int) i`,
      [side.accountId, others],
    );
    await client.query(
      `insert into conversations (id, account_id, visitor_id, status, last_seq, created_at, last_message_at, last_activity_at)
       select md5('history-conversation-' || i)::uuid, $1, md5('history-visitor-' || i)::uuid, 'CLOSED', $3, now(), now(), now()
         from generate_series(1, $2::int) i`,
      [side.accountId, others, otherSize],
    );
    await client.query(
      `insert into messages (id, account_id, conversation_id, seq, author_kind, body, created_at)
       select gen_random_uuid(), $1, md5('history-conversation-' || (n / $3 + 1))::uuid, n % $3 + 1,
              case when n % 2 = 0 then 'AGENT' else 'VISITOR' end, 'Message ' || n, now()
         from generate_series(0, $2::int * $3 - 1) n`,
      [side.accountId, others, otherSize],
    );
    await client.query('vacuum analyze');
    // write the fill out now, not while the pages are timed (needs superuser or pg_checkpoint; only a nicety)
    await client.query('checkpoint').catch(() => {});
    const counted = await client.query('select count(*)::int as n from messages');
    return counted.rows[0].n as number;
  } finally {
    await client.end();
  }
}

/** The index the page's plan reads, from EXPLAIN. */
async function indexUsed(side: Side, seq: number) {
  const client = new pg.Client({ connectionString: side.db.url });
  await client.connect();
  try {
    const { rows } = await client.query(`explain (format json) ${keysetSql}`, [side.accountId, side.bigId, seq]);
    const names: string[] = [];
    const walk = (plan: Record<string, unknown>) => {
      if (typeof plan['Index Name'] === 'string') names.push(`${plan['Node Type']} on ${plan['Index Name']}`);
      for (const child of (plan.Plans as Record<string, unknown>[] | undefined) ?? []) walk(child);
    };
    walk(rows[0]['QUERY PLAN'][0].Plan);
    return names.join(', ') || 'no index';
  } finally {
    await client.end();
  }
}

const label = (n: number) => (n >= 1_000_000 ? `${n / 1_000_000}M` : `${n / 1_000}k`);

export const history: Scenario = {
  name: 'history',
  async run({ quick, databaseUrl, log }: BenchOptions): Promise<Row[]> {
    const sizes = quick ? [10_000, 100_000] : [10_000, 1_000_000];
    const requests = quick ? 150 : 300;
    const sides: Side[] = [];
    try {
      for (const size of sizes) {
        const db = await freshDatabase(databaseUrl, `history_${label(size).toLowerCase()}`);
        sides.push({ label: label(size), size, db, server: null, token: '', accountId: '', bigId: '', bigSize: 0 });
      }
      for (const side of sides) {
        side.server = await startServer(side.db.url);
        const owner = await signUp(side.server.url, 'history');
        side.token = owner.token;
        side.accountId = rawId(owner.account.id);
        const t0 = Date.now();
        const count = await fill(side, rawId(owner.agentId));
        if (count !== side.size) throw new Error(`filled ${count} messages, not ${side.size}`);
        log(`history: ${count.toLocaleString('en-US')} messages (big conversation ${side.bigSize.toLocaleString('en-US')}) filled in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
      }
      // random cursors in the middle half of each big conversation, interleaved small, large, small, …
      const picks = Array.from({ length: requests }, () =>
        sides.map((side) => ({ side, seq: Math.floor(side.bigSize / 4 + Math.random() * (side.bigSize / 2)) })),
      ).flat();
      const globalId = (side: Side) => Buffer.from(`Conversation:${side.bigId}`).toString('base64');
      for (const side of sides) {
        const page = await gql(side.server!.url, historyQuery, { id: globalId(side), before: cursorOf(side.bigSize / 2) }, side.token);
        if (page.node.messages.edges.length !== 50) throw new Error('the history page is not 50 messages');
      }
      const sql = picks.map(({ side, seq }) => ({
        text: keysetSql,
        params: [side.accountId, side.bigId, seq],
        expectRows: true,
        databaseUrl: side.db.url,
        group: side.label,
      }));
      // read every page once first, so neither side pays for bringing them into memory
      await runLoad({ kind: 'pg', databaseUrl: sides[0]!.db.url, queries: sql, concurrency: 1, count: sql.length, pick: 'round-robin' }, 120_000);
      const project = await runLoad(
        {
          kind: 'http',
          url: sides[0]!.server!.url,
          requests: picks.map(({ side, seq }) => ({
            url: side.server!.url,
            group: side.label,
            body: graphqlBody(historyQuery, { id: globalId(side), before: cursorOf(seq) }),
            headers: { authorization: `Bearer ${side.token}` },
          })),
          concurrency: 1,
          count: picks.length,
          // long enough for both servers' JIT to settle
          warmupMs: quick ? 1_500 : 4_000,
          pick: 'round-robin',
        },
        120_000,
      );
      assertClean('history page', project);
      const baseline = await runLoad(
        { kind: 'pg', databaseUrl: sides[0]!.db.url, queries: sql, concurrency: 1, count: sql.length, warmupMs: quick ? 500 : 1_000, pick: 'round-robin' },
        120_000,
      );
      assertClean('history baseline', baseline);
      const [small, large] = [sides[0]!, sides.at(-1)!];
      const index = await indexUsed(large, Math.floor(large.bigSize / 2));
      const of = (result: { groups: Record<string, LatencySummary> }, side: Side) => result.groups[side.label]!;

      const rows: Row[] = [];
      for (const side of sides) {
        const [mine, theirs] = [of(project, side), of(baseline, side)];
        log(`history at ${side.label}: project p50 ${mine.p50.toFixed(2)} p99 ${mine.p99.toFixed(2)} ms; baseline p50 ${theirs.p50.toFixed(2)} p99 ${theirs.p99.toFixed(2)} ms`);
        rows.push(
          { scenario: 'history', metric: `p50 page of 50 (ms), ${side.label} messages`, project: mine.p50, baseline: theirs.p50, better: 'lower' },
          { scenario: 'history', metric: `p99 page of 50 (ms), ${side.label} messages`, project: mine.p99, baseline: theirs.p99, better: 'lower' },
        );
      }
      const growth = `${large.label} vs ${small.label}`;
      rows.push(
        {
          scenario: 'history',
          metric: `p50 at ${growth} messages (project column: ${large.label}, baseline column: ${small.label})`,
          project: of(project, large).p50,
          baseline: of(project, small).p50,
          better: 'lower',
          target: 'ratio ≤ 1.5',
          met: of(project, large).p50 / of(project, small).p50 <= 1.5,
        },
        {
          scenario: 'history',
          metric: `p99 at ${growth} messages (project column: ${large.label}, baseline column: ${small.label})`,
          project: of(project, large).p99,
          baseline: of(project, small).p99,
          better: 'lower',
        },
        {
          scenario: 'history',
          metric: `plain SQL p50 at ${growth} messages`,
          note: `plan: ${index}`,
          project: of(baseline, large).p50,
          baseline: of(baseline, small).p50,
          better: 'lower',
        },
      );
      log(`history plan at ${large.label}: ${index}`);
      return rows;
    } finally {
      for (const side of sides) {
        await side.server?.stop();
        await side.db.drop();
      }
    }
  },
};

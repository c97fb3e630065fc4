import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { freshDatabase } from './lib/database.js';
import { assertClean, gql, graphqlBody, rawId, runLoad, signUp, type LoadResult } from './lib/http-load.js';
import { startServer, type ServerProcess } from './lib/server.js';
import type { BenchOptions, Row, Scenario } from './lib/types.js';

/**
 * Ingestion: `sendMessage` over HTTP from a load-generator process, each virtual user a
 * visitor writing into its own conversation (so the server, not one conversation's row
 * lock, is measured), at concurrency 16 and 64. Baseline: the same load generator doing
 * plain `pg` INSERTs (autocommit: insert + commit) into a table shaped like `messages`,
 * one connection per virtual user. Also one conversation shared by 16 writers, for scale.
 */

const sendMessage = `mutation($input: SendMessageInput!) { sendMessage(input: $input) { message { id seq } } }`;

const baselineTable = `
create table bench_messages (
  id uuid primary key,
  account_id uuid not null,
  conversation_id uuid not null,
  seq integer not null,
  author_kind text not null check (author_kind in ('AGENT', 'VISITOR', 'SYSTEM')),
  agent_id uuid,
  api_token_id uuid,
  body text not null,
  client_message_id text,
  created_at timestamptz not null default now()
);
create unique index bench_messages_conversation_seq on bench_messages (account_id, conversation_id, seq);`;

const insertBaseline = `insert into bench_messages (id, account_id, conversation_id, seq, author_kind, body, created_at)
  values ($1, $2, $3, $4, 'VISITOR', $5, now())`;

const body = 'Hello, I have a question about my order, could someone help me please?';

async function visitorsWithConversations(server: ServerProcess, widgetKey: string, n: number) {
  const visitors: { token: string; conversationId: string }[] = [];
  for (let batch = 0; batch < n; batch += 16) {
    const made = await Promise.all(
      Array.from({ length: Math.min(16, n - batch) }, async () => {
        const session = await gql<{ startVisitorSession: { visitorToken: string } }>(
          server.url,
          'mutation($input: StartVisitorSessionInput!) { startVisitorSession(input: $input) { visitorToken } }',
          { input: { widgetKey } },
        );
        const token = session.startVisitorSession.visitorToken;
        const sent = await gql<{ sendMessage: { conversation: { id: string } } }>(
          server.url,
          'mutation($input: SendMessageInput!) { sendMessage(input: $input) { conversation { id } } }',
          { input: { body: 'Hi!' } },
          token,
        );
        return { token, conversationId: sent.sendMessage.conversation.id };
      }),
    );
    visitors.push(...made);
  }
  return visitors;
}

export const ingestion: Scenario = {
  name: 'ingestion',
  async run({ quick, databaseUrl, log }: BenchOptions): Promise<Row[]> {
    const durationMs = quick ? 3_000 : 30_000;
    const warmupMs = quick ? 500 : 2_000;
    const levels = [16, 64];
    const db = await freshDatabase(databaseUrl, 'ingestion');
    let server: ServerProcess | null = null;
    try {
      // the visitors send as fast as they can: the per-visitor message limit would measure itself
      server = await startServer(db.url, { RATE_LIMIT_VISITOR_MESSAGES: '0' });
      const owner = await signUp(server.url, 'ingestion');
      const visitors = await visitorsWithConversations(server, owner.account.widgetKey, Math.max(...levels));
      const rows: Row[] = [];
      const project = new Map<number, LoadResult>();
      for (const concurrency of levels) {
        const requests = visitors.slice(0, concurrency).map((v) => ({
          body: graphqlBody(sendMessage, { input: { conversationId: v.conversationId, body } }),
          headers: { authorization: `Bearer ${v.token}` },
        }));
        const result = await runLoad({ kind: 'http', url: server.url, requests, concurrency, durationMs, warmupMs, pick: 'per-user' }, durationMs + 60_000);
        assertClean(`sendMessage at ${concurrency}`, result);
        log(`ingestion project c=${concurrency}: ${result.perSecond.toFixed(0)}/s p50 ${result.p50.toFixed(1)} p99 ${result.p99.toFixed(1)} ms`);
        project.set(concurrency, result);
      }
      // one conversation, 16 writers: every message waits for the conversation's row lock in turn
      const shared = visitors[0]!;
      const oneConversation = await runLoad(
        {
          kind: 'http',
          url: server.url,
          requests: [{ body: graphqlBody(sendMessage, { input: { conversationId: shared.conversationId, body } }), headers: { authorization: `Bearer ${shared.token}` } }],
          concurrency: 16,
          durationMs: quick ? 1_500 : 10_000,
          warmupMs: 500,
          pick: 'per-user',
        },
        60_000,
      );
      assertClean('sendMessage into one conversation', oneConversation);
      // what any request costs before it does anything: HTTP, yoga, parse/validate (cached), execute
      const floor = await runLoad(
        {
          kind: 'http',
          url: server.url,
          requests: [{ body: graphqlBody('{ __typename }'), headers: {} }],
          concurrency: 16,
          durationMs: quick ? 1_500 : 10_000,
          warmupMs: 500,
          pick: 'per-user',
        },
        60_000,
      );
      assertClean('{ __typename }', floor);
      await server.stop();
      server = null;

      const client = new pg.Client({ connectionString: db.url });
      await client.connect();
      await client.query(baselineTable).finally(() => client.end());
      for (const concurrency of levels) {
        // each virtual user its own conversation id, its seq counting up: the project's unique index holds
        const queries = Array.from({ length: concurrency }, () => ({
          text: insertBaseline,
          params: [{ gen: 'uuid' as const }, rawId(owner.account.id), randomUUID(), { gen: 'counter' as const }, body],
        }));
        const baseline = await runLoad({ kind: 'pg', databaseUrl: db.url, queries, concurrency, durationMs, warmupMs, pick: 'per-user' }, durationMs + 60_000);
        assertClean(`baseline insert at ${concurrency}`, baseline);
        log(`ingestion baseline c=${concurrency}: ${baseline.perSecond.toFixed(0)}/s p50 ${baseline.p50.toFixed(2)} p99 ${baseline.p99.toFixed(2)} ms`);
        const mine = project.get(concurrency)!;
        const ratio = mine.perSecond / baseline.perSecond;
        rows.push(
          { scenario: 'ingestion', metric: `messages/s, concurrency ${concurrency}`, project: mine.perSecond, baseline: baseline.perSecond, better: 'higher', target: 'ratio ≥ 0.5', met: ratio >= 0.5 },
          { scenario: 'ingestion', metric: `p50 latency (ms), concurrency ${concurrency}`, project: mine.p50, baseline: baseline.p50, better: 'lower' },
          { scenario: 'ingestion', metric: `p99 latency (ms), concurrency ${concurrency}`, project: mine.p99, baseline: baseline.p99, better: 'lower' },
        );
        if (concurrency === 16) {
          rows.push({
            scenario: 'ingestion',
            metric: 'messages/s, 16 writers in one conversation',
            note: 'serialized by its row lock; baseline: 16 independent inserters',
            project: oneConversation.perSecond,
            baseline: baseline.perSecond,
            better: 'higher',
          });
          rows.push({
            scenario: 'ingestion',
            metric: 'requests/s of `{ __typename }`, concurrency 16',
            note: 'the HTTP + GraphQL floor, no database; baseline: inserts/s',
            project: floor.perSecond,
            baseline: baseline.perSecond,
            better: 'higher',
          });
        }
      }
      return rows;
    } finally {
      await server?.stop();
      await db.drop();
    }
  },
};

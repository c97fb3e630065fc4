import { createHash, randomBytes } from 'node:crypto';
import pg from 'pg';

/**
 * The principals the realtime benchmarks open sockets for, written straight into the project's
 * tables (after the server migrated them), the way the server itself stores them: tokens are
 * random 256-bit values with their kind's prefix, kept only as SHA-256 hex. Thousands of
 * sign-ups or visitor sessions over HTTP would take longer than the measurement itself, and
 * would load the GeoIP database into the server (see connections.ts).
 */

const token = (prefix: string) => prefix + randomBytes(32).toString('base64url');
const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');
export const globalId = (typename: string, id: string) => Buffer.from(`${typename}:${id}`).toString('base64');

export type Fixtures = Awaited<ReturnType<typeof openFixtures>>;

export async function openFixtures(databaseUrl: string) {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  const tag = randomBytes(4).toString('hex');

  return {
    /** A company with its OWNER agent signed in. */
    async account() {
      const { rows } = await client.query<{ id: string }>(
        `insert into accounts (id, name, widget_key) values (gen_random_uuid(), $1, $2) returning id`,
        [`Bench ${tag}`, `wk_bench_${tag}`],
      );
      const accountId = rows[0]!.id;
      const [owner] = await this.agents(accountId, 1, 'OWNER');
      return { accountId, widgetKey: `wk_bench_${tag}`, owner: owner! };
    },

    /** `count` agents of the account, each with its own session token. */
    async agents(accountId: string, count: number, role: 'OWNER' | 'ADMIN' | 'AGENT' = 'AGENT') {
      const tokens = Array.from({ length: count }, () => token('lcs_'));
      const { rows } = await client.query<{ id: string; n: number; name: string }>(
        `with made as (
           insert into agents (id, account_id, name, email, password_hash, role, status)
           select gen_random_uuid(), $1, 'Agent ' || n, $2 || '-' || n || '@bench.example', 'not-a-hash', $3, 'OFFLINE'
             from generate_series(1, $4::int) n
           returning id, name
         )
         select id, name, row_number() over ()::int as n from made`,
        [accountId, `${role.toLowerCase()}-${tag}-${randomBytes(3).toString('hex')}`, role, count],
      );
      await client.query(
        `insert into agent_sessions (id, account_id, agent_id, token_hash, expires_at)
         select gen_random_uuid(), $1, a, h, now() + interval '1 day' from unnest($2::uuid[], $3::text[]) as t(a, h)`,
        [accountId, rows.map((r) => r.id), tokens.map(sha256)],
      );
      return rows.map((row, i) => ({ id: row.id, name: row.name, token: tokens[i]! }));
    },

    /** `count` visitors, each with its token and one open conversation. */
    async visitorsWithConversations(accountId: string, count: number) {
      const tokens = Array.from({ length: count }, () => token('lcv_'));
      const { rows: visitors } = await client.query<{ id: string; h: string }>(
        `insert into visitors (id, account_id, token_hash)
         select gen_random_uuid(), $1, h from unnest($2::text[]) as t(h)
         returning id, token_hash as h`,
        [accountId, tokens.map(sha256)],
      );
      const byHash = new Map(visitors.map((v) => [v.h, v.id]));
      const visitorIds = tokens.map((t) => byHash.get(sha256(t))!);
      const { rows: conversations } = await client.query<{ id: string; visitor_id: string }>(
        `insert into conversations (id, account_id, visitor_id)
         select gen_random_uuid(), $1, v from unnest($2::uuid[]) as t(v)
         returning id, visitor_id`,
        [accountId, visitorIds],
      );
      const byVisitor = new Map(conversations.map((c) => [c.visitor_id, c.id]));
      return tokens.map((t, i) => ({ token: t, visitorId: visitorIds[i]!, conversationId: byVisitor.get(visitorIds[i]!)! }));
    },

    close: () => client.end(),
  };
}

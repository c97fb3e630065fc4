import http from 'node:http';
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import type { LatencySummary, LoadJob, LoadResult, PgParam } from '../lib/http-load.js';

/**
 * A closed-loop load generator in a process of its own (spawned by lib/http-load.ts, driven
 * over IPC): `concurrency` virtual users each send a request, wait for its answer and send
 * the next, for a fixed time or a fixed count. It speaks either HTTP to the server (GraphQL
 * POSTs over keep-alive connections) or SQL straight to PostgreSQL through `pg`, the baseline.
 */

function latencies(values: number[]): LatencySummary {
  const sorted = Float64Array.from(values).sort();
  const at = (q: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]! : 0);
  return { count: sorted.length, p50: at(0.5), p99: at(0.99), max: sorted.length ? sorted[sorted.length - 1]! : 0 };
}

function summarize(all: number[], byGroup: Map<string, number[]>, errors: number, elapsedMs: number, firstError: string | null): LoadResult {
  const groups = Object.fromEntries([...byGroup].map(([group, values]) => [group, latencies(values)]));
  return { ...latencies(all), errors, elapsedMs, perSecond: (all.length / elapsedMs) * 1000, firstError, groups };
}

/** Drives `send` from `concurrency` loops until the time or the count runs out; `send` answers the request's group. */
async function drive(job: LoadJob, send: (user: number, index: number) => Promise<string | undefined>): Promise<LoadResult> {
  const all: number[] = [];
  const byGroup = new Map<string, number[]>();
  let errors = 0;
  let firstError: string | null = null;
  let issued = 0;
  const deadline = job.durationMs ? performance.now() + job.durationMs : Infinity;
  const limit = job.count ?? Infinity;
  const started = performance.now();
  const user = async (u: number) => {
    while (performance.now() < deadline && issued < limit) {
      const index = issued++;
      const t0 = performance.now();
      try {
        const group = await send(u, index);
        const ms = performance.now() - t0;
        all.push(ms);
        if (group !== undefined) {
          if (!byGroup.has(group)) byGroup.set(group, []);
          byGroup.get(group)!.push(ms);
        }
      } catch (error) {
        errors++;
        firstError ??= String((error as Error).message ?? error).slice(0, 300);
        if (errors > 1000 && errors > all.length) throw new Error(`mostly failing: ${firstError}`);
      }
    }
  };
  await Promise.all(Array.from({ length: job.concurrency }, (_, u) => user(u)));
  return summarize(all, byGroup, errors, performance.now() - started, firstError);
}

const pick = (job: LoadJob, user: number, index: number, length: number) => (job.pick === 'per-user' ? user % length : index % length);

async function runHttp(job: Extract<LoadJob, { kind: 'http' }>): Promise<LoadResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: job.concurrency });
  const requests = job.requests.map((r) => ({
    body: Buffer.from(r.body),
    headers: r.headers ?? {},
    target: new URL('/graphql', r.url ?? job.url),
    group: r.group,
  }));
  const post = (request: (typeof requests)[number]) =>
    new Promise<string | undefined>((resolve, reject) => {
      const req = http.request(
        request.target,
        {
          method: 'POST',
          agent,
          headers: {
            'content-type': 'application/json',
            accept: 'application/graphql-response+json, application/json',
            'content-length': request.body.length,
            ...request.headers,
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            // a GraphQL error answers 200 too: the body must carry no "errors"
            if (res.statusCode !== 200 || text.includes('"errors"')) reject(new Error(`HTTP ${res.statusCode}: ${text.slice(0, 300)}`));
            else resolve(request.group);
          });
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end(request.body);
    });
  try {
    if (job.warmupMs) await drive({ ...job, durationMs: job.warmupMs, count: undefined }, (u, i) => post(requests[pick(job, u, i, requests.length)]!));
    return await drive(job, (u, i) => post(requests[pick(job, u, i, requests.length)]!));
  } finally {
    agent.destroy();
  }
}

async function runPg(job: Extract<LoadJob, { kind: 'pg' }>): Promise<LoadResult> {
  const pools = new Map<string, pg.Pool>();
  const poolOf = (url: string) => {
    if (!pools.has(url)) pools.set(url, new pg.Pool({ connectionString: url, max: job.concurrency }));
    return pools.get(url)!;
  };
  const pool = poolOf(job.databaseUrl);
  const counters = new Map<number, number>();
  const value = (param: PgParam, user: number) => {
    if (param && typeof param === 'object' && 'gen' in param) {
      if (param.gen === 'uuid') return randomUUID();
      const next = (counters.get(user) ?? param.from ?? 0) + 1;
      counters.set(user, next);
      return next;
    }
    return param;
  };
  try {
    // open every connection first, as the server's pool is warm too
    await Promise.all(Array.from({ length: job.concurrency }, () => pool.connect())).then((clients) => clients.forEach((c) => c.release()));
    const run = async (u: number, i: number) => {
      const query = job.queries[pick(job, u, i, job.queries.length)]!;
      const result = await poolOf(query.databaseUrl ?? job.databaseUrl).query(query.text, query.params.map((p) => value(p, u)));
      if (query.expectRows && result.rowCount === 0) throw new Error(`no rows from ${query.text.slice(0, 80)}`);
      return query.group;
    };
    if (job.warmupMs) await drive({ ...job, durationMs: job.warmupMs, count: undefined }, run);
    return await drive(job, run);
  } finally {
    await Promise.all([...pools.values()].map((p) => p.end()));
  }
}

process.on('disconnect', () => process.exit(0));
process.on('message', (job: LoadJob) => {
  const work = job.kind === 'http' ? runHttp(job) : runPg(job);
  work.then(
    (result) => process.send!({ ok: true, result }),
    (error: Error) => process.send!({ ok: false, error: error.stack ?? String(error) }),
  );
});
process.send!({ ready: true });

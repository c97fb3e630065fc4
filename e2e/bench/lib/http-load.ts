import { fork } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const workerPath = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../loadgen/http-worker.ts');

/** A literal parameter, or one the worker makes per call: a fresh uuid, or a per-virtual-user counter. */
export type PgParam = string | number | boolean | null | { gen: 'uuid' } | { gen: 'counter'; from?: number };

type Common = {
  /** virtual users, each with one request in flight */
  concurrency: number;
  /** stop after this long … */
  durationMs?: number;
  /** … or after this many requests */
  count?: number;
  /** a run before the measured one, not counted */
  warmupMs?: number;
  /** which request a user sends: its own (user i always sends request i) or the next in the list */
  pick: 'per-user' | 'round-robin';
};

/**
 * A request or query may name its own target (another server, another database) and a group:
 * interleaving two groups in one run exposes both to the same machine at the same moments.
 */
type Target = { group?: string };

export type LoadJob =
  | (Common & { kind: 'http'; url: string; requests: (Target & { body: string; headers?: Record<string, string>; url?: string })[] })
  | (Common & { kind: 'pg'; databaseUrl: string; queries: (Target & { text: string; params: PgParam[]; expectRows?: boolean; databaseUrl?: string })[] });

export type LatencySummary = { count: number; p50: number; p99: number; max: number };

export type LoadResult = {
  count: number;
  errors: number;
  elapsedMs: number;
  perSecond: number;
  /** latencies in milliseconds */
  p50: number;
  p99: number;
  max: number;
  firstError: string | null;
  /** the same figures per group, when the requests name groups */
  groups: Record<string, LatencySummary>;
};

/**
 * Runs one load job in a load-generator process of its own and answers its figures. The
 * process is killed when the job ends, fails or overruns `timeoutMs`.
 */
export async function runLoad(job: LoadJob, timeoutMs = 120_000): Promise<LoadResult> {
  const child = fork(workerPath, [], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  try {
    return await new Promise<LoadResult>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`load generator overran ${timeoutMs} ms`)), timeoutMs);
      child.on('message', (message: { ready?: true; ok?: boolean; result?: LoadResult; error?: string }) => {
        if (message.ready) return void child.send(job);
        clearTimeout(timer);
        if (message.ok) resolve(message.result!);
        else reject(new Error(`load generator failed: ${message.error}`));
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`load generator exited with ${code}`));
      });
    });
  } finally {
    if (child.exitCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGKILL');
      await exited;
    }
  }
}

/** Throws when a run failed outright or had errors, so a broken scenario cannot report figures. */
export function assertClean(label: string, result: LoadResult) {
  if (result.count === 0 || result.errors > 0) {
    throw new Error(`${label}: ${result.errors} errors in ${result.count + result.errors} requests; first: ${result.firstError}`);
  }
}

/** A GraphQL POST body. */
export const graphqlBody = (query: string, variables: Record<string, unknown> = {}) => JSON.stringify({ query, variables });

/** One GraphQL operation from the benchmark process itself (setup, checks), failing on errors. */
export async function gql<T = any>(url: string, query: string, variables: Record<string, unknown> = {}, token?: string): Promise<T> {
  const res = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/graphql-response+json, application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await res.json()) as { data?: T; errors?: unknown[] };
  if (body.errors) throw new Error(`GraphQL errors: ${JSON.stringify(body.errors).slice(0, 500)}`);
  return body.data as T;
}

/** A new account with its OWNER signed in. */
export async function signUp(url: string, label: string) {
  const suffix = Math.random().toString(36).slice(2, 10);
  const email = `bench-${label}-${suffix}@example.com`;
  const data = await gql<{ signUp: { token: string; agent: { id: string } } }>(
    url,
    'mutation($input: SignUpInput!) { signUp(input: $input) { token agent { id } } }',
    { input: { accountName: `Bench ${label}`, name: 'Bench Owner', email, password: 'benchmark password' } },
  );
  const viewer = await gql<{ viewer: { account: { id: string; widgetKey: string } } }>(url, '{ viewer { account { id widgetKey } } }', {}, data.signUp.token);
  return { token: data.signUp.token, agentId: data.signUp.agent.id, email, password: 'benchmark password', account: viewer.viewer.account };
}

/** The row id inside an opaque global id ("Type:uuid", base64). */
export const rawId = (globalId: string) => Buffer.from(globalId, 'base64').toString('utf8').split(':')[1]!;

/** The median of a few numbers. */
export const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

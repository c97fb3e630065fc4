import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import net from 'node:net';
import path from 'node:path';
import pg from 'pg';
import WebSocket from 'ws';
import { createClient, type Client } from 'graphql-ws';

/**
 * Real server processes, a private redis-server and a reconnecting subscriber, for suites
 * that test several instances and what happens when one of them (or Redis) dies.
 */

const serverDir = path.resolve(import.meta.dirname, '..');

/** Every child this module started and has not seen exit; `killAll` ends them. */
const children = new Set<ChildProcess>();

// A test run that dies (or a worker that is torn down) must not leave servers behind.
process.once('exit', () => {
  for (const child of children) child.kill('SIGKILL');
});

function track(child: ChildProcess) {
  children.add(child);
  child.once('exit', () => children.delete(child));
  return child;
}

/** Kills every process this module started (SIGKILL), waiting until each has exited. */
export async function killAll(): Promise<void> {
  await Promise.all([...children].map((child) => kill(child, 'SIGKILL')));
}

/** Sends `signal` and waits for the exit; answers at once if the child is gone already. */
export function kill(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill(signal);
  });
}

/** Is this executable on the PATH? */
export function hasExecutable(name: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' }).status === 0;
}

/** A TCP port nobody listens on right now. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Waits until the child prints something matching `pattern`; rejects if it exits or times out first. */
function waitForOutput(child: ChildProcess, output: () => string, pattern: RegExp, what: string, ms: number): Promise<RegExpExecArray> {
  return new Promise((resolve, reject) => {
    const check = () => {
      const match = pattern.exec(output());
      if (!match) return;
      done();
      resolve(match);
    };
    const onExit = (code: number | null, signal: string | null) => {
      done();
      reject(new Error(`${what} exited (${code ?? signal}) before it was ready:\n${output()}`));
    };
    const timer = setTimeout(() => {
      done();
      reject(new Error(`${what} was not ready within ${ms} ms:\n${output()}`));
    }, ms);
    const done = () => {
      clearTimeout(timer);
      child.stdout?.off('data', check);
      child.off('exit', onExit);
    };
    child.stdout?.on('data', check);
    child.once('exit', onExit);
    check();
  });
}

function captureOutput(child: ChildProcess) {
  let output = '';
  child.stdout?.on('data', (d) => (output += d));
  child.stderr?.on('data', (d) => (output += d));
  return () => output;
}

export type RedisProcess = {
  port: number;
  url: string;
  child: ChildProcess;
  /** kill -9, as a crash would */
  crash: () => Promise<void>;
  /** starts again on the same port, with no data (nothing is persisted) */
  restart: () => Promise<void>;
  output: () => string;
};

/** A redis-server of the test's own on a spare port, persisting nothing, so it can be crashed freely. */
export async function startRedis(): Promise<RedisProcess> {
  const port = await freePort();
  const launch = async () => {
    const child = track(
      spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
        stdio: ['ignore', 'pipe', 'pipe'],
      }),
    );
    const output = captureOutput(child);
    await waitForOutput(child, output, /Ready to accept connections/, 'redis-server', 10_000);
    return { child, output };
  };
  let current = await launch();
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    get child() {
      return current.child;
    },
    output: () => current.output(),
    crash: () => kill(current.child, 'SIGKILL'),
    restart: async () => {
      current = await launch();
    },
  };
}

export type ServerProcess = {
  url: string;
  child: ChildProcess;
  output: () => string;
  /** kill -9: no shutdown, sockets cut by the kernel */
  crash: () => Promise<void>;
  /** SIGTERM, the clean way */
  stop: () => Promise<void>;
};

/**
 * A server process's environment: quiet, no demo, free port on loopback, and no visitor limits
 * (the suites send as fast as they can from one address), then what the test passes.
 */
function serverEnv(env: Record<string, string>): NodeJS.ProcessEnv {
  const childEnv: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    SEED_DEMO: 'false',
    RATE_LIMIT_VISITOR_SESSIONS: '0',
    RATE_LIMIT_VISITOR_MESSAGES: '0',
    ...env,
  };
  // npm's INIT_CWD would place the embedded database's folder relative to where npm ran
  delete childEnv.INIT_CWD;
  return childEnv;
}

/** Starts `src/main.ts` as its own process, the way `npm start` does, and waits for its URL. */
export async function startServer(env: Record<string, string>): Promise<ServerProcess> {
  const childEnv = serverEnv(env);
  const child = track(spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], { cwd: serverDir, env: childEnv }));
  const output = captureOutput(child);
  const [, url] = await waitForOutput(child, output, /running at (http:\/\/\S+)/, 'server', 50_000);
  return { url: url!, child, output, crash: () => kill(child, 'SIGKILL'), stop: () => kill(child, 'SIGTERM') };
}

/** A fresh, empty database on the PostgreSQL at `baseUrl`, and a way to drop it. */
export async function createDatabase(baseUrl: string) {
  const name = `cluster_${randomBytes(6).toString('hex')}`;
  await onDatabase(baseUrl, `create database ${name}`);
  const u = new URL(baseUrl);
  u.pathname = `/${name}`;
  const url = u.toString();
  const pool = new pg.Pool({ connectionString: url, max: 2 });
  pool.on('error', () => {});
  return {
    name,
    url,
    sql: (text: string, params?: unknown[]) => pool.query(text, params),
    drop: async () => {
      await pool.end();
      await onDatabase(baseUrl, `drop database if exists ${name} with (force)`);
    },
  };
}

async function onDatabase(url: string, text: string) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

/** Reads one gauge or counter (without labels) from an instance's /metrics. */
export async function metric(url: string, name: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(`${name} `));
  if (!line) throw new Error(`no metric ${name} at ${url}`);
  return Number(line.slice(name.length + 1));
}

/** Polls until `predicate` holds, at most `ms`; the error names what was awaited. */
export async function waitFor(predicate: () => boolean | Promise<boolean>, ms: number, what: string | (() => string)): Promise<void> {
  const deadline = Date.now() + ms;
  for (;;) {
    if (await predicate()) return;
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${typeof what === 'string' ? what : what()}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

const conversationMessages = `subscription($id: ID!, $after: String) {
  conversationEvents(conversationId: $id, after: $after) { __typename ... on MessageAdded { cursor message { seq } } }
}`;

export type ResumingSubscription = ReturnType<typeof resumingSubscription>;

/**
 * A conversation follower that behaves like the widget: it remembers the cursor of the
 * last message it got and, whenever its socket closes or errs, subscribes again with
 * `after` = that cursor, to the next URL of the list (so a dead instance is skipped).
 * It keeps every seq it received, duplicates included, so a test can judge the server.
 */
export function resumingSubscription(opts: { name: string; urls: string[]; token: string; conversationId: string; after?: string | null }) {
  const received: number[] = [];
  const connections: string[] = [];
  let cursor = opts.after ?? null;
  let lastSeq = -Infinity;
  let duplicates = 0;
  let outOfOrder = 0;
  let attempt = 0;
  let stopped = false;
  let client: Client | null = null;
  let retryTimer: NodeJS.Timeout | undefined;

  const connect = () => {
    const url = opts.urls[attempt % opts.urls.length]!;
    connections.push(url);
    const current = createClient({
      url: url.replace(/^http/, 'ws') + '/graphql',
      webSocketImpl: WebSocket,
      connectionParams: { authorization: `Bearer ${opts.token}` },
      retryAttempts: 0,
      lazy: true,
    });
    client = current;
    const again = () => {
      if (stopped || client !== current) return;
      client = null;
      void current.dispose();
      attempt++;
      retryTimer = setTimeout(connect, 100);
    };
    current.subscribe<{ conversationEvents: { __typename: string; cursor?: string; message?: { seq: number } } }>(
      { query: conversationMessages, variables: { id: opts.conversationId, after: cursor } },
      {
        next: (value) => {
          const event = value.data?.conversationEvents;
          if (!event || event.__typename !== 'MessageAdded') return;
          const seq = event.message!.seq;
          received.push(seq);
          if (seq <= lastSeq) {
            duplicates++;
            return;
          }
          if (lastSeq !== -Infinity && seq !== lastSeq + 1) outOfOrder++;
          lastSeq = seq;
          cursor = event.cursor!;
        },
        error: again,
        complete: again,
      },
    );
  };
  connect();

  return {
    name: opts.name,
    received,
    /** every URL it connected to, in order */
    connections,
    get lastSeq() {
      return lastSeq;
    },
    get duplicates() {
      return duplicates;
    },
    /** seqs that did not follow the previous one by exactly 1 */
    get outOfOrder() {
      return outOfOrder;
    },
    /** the seqs in `expected` it never received */
    missing: (expected: number[]) => {
      const got = new Set(received);
      return expected.filter((seq) => !got.has(seq));
    },
    async stop() {
      stopped = true;
      clearTimeout(retryTimer);
      await client?.dispose();
      client = null;
    },
  };
}

/**
 * `startServer` with node arguments of the test's own before the entry point (a preload:
 * `['--import', file]`), serving http or https (TLS_CERT_FILE/TLS_KEY_FILE in `env`).
 */
export async function startServerWith(env: Record<string, string>, options: { nodeArgs?: string[] } = {}): Promise<ServerProcess> {
  const childEnv = serverEnv(env);
  const args = [...(options.nodeArgs ?? []), '--import', 'tsx', 'src/main.ts'];
  const child = track(spawn(process.execPath, args, { cwd: serverDir, env: childEnv }));
  const output = captureOutput(child);
  const [, url] = await waitForOutput(child, output, /running at (https?:\/\/\S+)/, 'server', 50_000);
  return { url: url!, child, output, crash: () => kill(child, 'SIGKILL'), stop: () => kill(child, 'SIGTERM') };
}

import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import dns from 'node:dns/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { Client } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createAccount, createVisitor, sendMessage } from './factories.js';
import { gql, ok } from './graphql.js';
import { createDatabase, killAll, metric, startServerWith, waitFor, type ServerProcess } from './processes.js';
import { isUnspecified, watchProcessSockets, type KernelSocket } from './support/proc-sockets.js';
import { collect, wsClient, type Received } from './ws.js';

/**
 * The privacy promise "nothing goes to third parties", checked on a real server process while a
 * whole chat runs through it, watched twice:
 *  1. inside Node, a preload (support/outbound-recorder.mjs) logs every connect, name lookup and
 *     UDP send the process makes, from startup to shutdown;
 *  2. outside Node, the kernel's view of the process's own sockets (/proc/<pid>/fd and
 *     /proc/<pid>/net/*) is sampled every 50 ms, which native code could not hide from.
 * The only destinations allowed are the database and Redis. The visitor arrives with a real
 * browser's User-Agent and a public IP, so the UA parsing and the GeoIP lookup run (both offline).
 */

const recorder = path.resolve(import.meta.dirname, 'support/outbound-recorder.mjs');
const linux = process.platform === 'linux' && existsSync('/proc/self/net/tcp');
if (!linux) console.warn('outbound.test.ts skipped: the socket watch reads /proc (Linux only)');

const browserUserAgent =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36';
/** a public address (Google's resolver), so geoip-lite has something to find: United States */
const visitorIp = '8.8.8.8';

type Recorded =
  | { kind: 'ready' }
  | { kind: 'connect'; host?: string; port?: number; path?: string; stack: string }
  | { kind: 'dns'; fn: string; name: string; stack: string }
  | { kind: 'udp'; fn: string; host: string | null; port: number | null; stack: string };

type Endpoint = { host: string; port: number };

/** Does this Redis answer PING within a second? */
function redisAnswers(url: string): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = net.connect(Number(port || 6379), hostname);
    const done = (answer: boolean) => {
      socket.destroy();
      resolve(answer);
    };
    socket.setTimeout(1_000, () => done(false));
    socket.once('error', () => done(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (data) => done(String(data).startsWith('+PONG')));
  });
}

const endpointOf = (url: string, defaultPort: number): Endpoint => {
  const u = new URL(url);
  return { host: u.hostname.replace(/^\[|\]$/g, ''), port: Number(u.port || defaultPort) };
};

/** An operation (query or mutation) over a graphql-ws client; resolves with its one result. */
function execute(client: Client, query: string, variables: Record<string, unknown> = {}): Promise<any> {
  return new Promise((resolve, reject) => {
    let result: Received | undefined;
    client.subscribe(
      { query, variables },
      {
        next: (value) => (result = value as Received),
        error: reject,
        complete: () => (result?.errors ? reject(new Error(JSON.stringify(result.errors))) : resolve(result?.data)),
      },
    );
  });
}

const conversationEvents = `subscription($id: ID!) {
  conversationEvents(conversationId: $id) {
    __typename
    ... on MessageAdded { message { id seq body authorKind } }
    ... on TypingChanged { authorKind isTyping }
    ... on MessagesRead { authorKind seq }
    ... on ConversationUpdated { conversation { id status assignee { id } } }
  }
}`;

const eventsOf = (received: Received[], typename: string) =>
  received.map((r) => r.data?.conversationEvents).filter((e) => e?.__typename === typename);

describe.skipIf(!linux)('a full chat through a real server process', () => {
  let dir: string;
  let recordFile: string;
  let db: Awaited<ReturnType<typeof createDatabase>>;
  let server: ServerProcess;
  let database: Endpoint;
  let redis: Endpoint | null = null;
  let serverPort: number;
  const clients: Client[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'livechat-outbound-'));
    recordFile = path.join(dir, 'outbound.jsonl');
    db = await createDatabase(inject('databaseUrl'));
    database = endpointOf(db.url, 5432);
    const env: Record<string, string> = { DATABASE_URL: db.url, OUTBOUND_RECORD_FILE: recordFile, LOG_LEVEL: 'warn' };
    const redisUrl = process.env.REDIS_URL;
    if (redisUrl && (await redisAnswers(redisUrl))) {
      redis = endpointOf(redisUrl, 6379);
      Object.assign(env, { REDIS_URL: redisUrl, REDIS_PREFIX: `${db.name}:` });
    } else {
      // (empty: not inherited from this process's environment)
      env.REDIS_URL = '';
      if (redisUrl) console.warn(`outbound.test.ts: Redis at ${redisUrl} does not answer; running without Redis`);
    }
    server = await startServerWith(env, { nodeArgs: ['--import', recorder] });
    serverPort = Number(new URL(server.url).port);
  }, 90_000);

  afterAll(async () => {
    await Promise.all(clients.map((c) => c.dispose()));
    await killAll();
    await db?.drop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('connects to nothing but its database and Redis, and looks up no name', async () => {
    const { url } = server;
    const watch = watchProcessSockets(server.child.pid!, 50);
    try {
      // ---- an account, and a visitor arriving from a browser at a public IP ----
      const owner = await createAccount(url);
      const visitor = await createVisitor(url, owner.account.widgetKey, { 'user-agent': browserUserAgent, 'x-forwarded-for': visitorIp });
      const first = await sendMessage(url, visitor.token, 'Hello, does this bike come in blue?');
      const conversationId = first.conversation.id;

      // ---- both sides follow the conversation live over graphql-ws ----
      const agentSocket = wsClient(url, owner.token, { lazy: false });
      const visitorSocket = wsClient(url, visitor.token, { lazy: false });
      clients.push(agentSocket, visitorSocket);
      const agentSees = collect(agentSocket, conversationEvents, { id: conversationId });
      const visitorSees = collect(visitorSocket, conversationEvents, { id: conversationId });
      await waitFor(async () => (await metric(url, 'livechat_active_subscriptions')) >= 2, 10_000, 'both subscriptions');

      // the agent replies over the socket; the visitor sees it
      const reply = await execute(
        agentSocket,
        'mutation($input: SendMessageInput!) { sendMessage(input: $input) { message { id seq } } }',
        { input: { conversationId, body: 'Hi! Yes, in blue and in red.' } },
      );
      await visitorSees.until((r) => eventsOf(r, 'MessageAdded').some((e) => e.message.authorKind === 'AGENT'));

      // the visitor answers (over the socket too); the agent sees it
      const answer = await execute(
        visitorSocket,
        'mutation($input: SendMessageInput!) { sendMessage(input: $input) { message { id seq } } }',
        { input: { conversationId, body: 'Great, I will take the blue one.' } },
      );
      await agentSees.until((r) => eventsOf(r, 'MessageAdded').some((e) => e.message.seq === answer.sendMessage.message.seq));

      // typing, both ways
      await execute(agentSocket, 'mutation($input: SetTypingInput!) { setTyping(input: $input) }', {
        input: { conversationId, isTyping: true },
      });
      await visitorSees.until((r) => eventsOf(r, 'TypingChanged').some((e) => e.authorKind === 'AGENT' && e.isTyping));
      ok(await gql(url, 'mutation($input: SetTypingInput!) { setTyping(input: $input) }', { input: { conversationId, isTyping: true } }, { token: visitor.token }));
      await agentSees.until((r) => eventsOf(r, 'TypingChanged').some((e) => e.authorKind === 'VISITOR' && e.isTyping));

      // read receipts, both ways
      await execute(visitorSocket, 'mutation($input: MarkReadInput!) { markRead(input: $input) }', {
        input: { conversationId, messageId: reply.sendMessage.message.id },
      });
      await agentSees.until((r) => eventsOf(r, 'MessagesRead').some((e) => e.authorKind === 'VISITOR'));
      ok(
        await gql(url, 'mutation($input: MarkReadInput!) { markRead(input: $input) }', {
          input: { conversationId, messageId: answer.sendMessage.message.id },
        }, { token: owner.token }),
      );
      await visitorSees.until((r) => eventsOf(r, 'MessagesRead').some((e) => e.authorKind === 'AGENT'));

      // the agent takes the conversation, then closes it
      ok(
        await gql(url, 'mutation($input: AssignConversationInput!) { assignConversation(input: $input) { id assignee { id } } }', {
          input: { conversationId, agentId: owner.agent.id },
        }, { token: owner.token }),
      );
      await agentSees.until((r) => eventsOf(r, 'ConversationUpdated').some((e) => e.conversation.assignee?.id === owner.agent.id));
      await execute(agentSocket, 'mutation($input: SetConversationStatusInput!) { setConversationStatus(input: $input) { id status } }', {
        input: { conversationId, status: 'CLOSED' },
      });
      await agentSees.until((r) => eventsOf(r, 'ConversationUpdated').some((e) => e.conversation.status === 'CLOSED'));

      // the server did parse the browser and place the IP (offline), so those paths ran
      const seen = ok(
        await gql(url, 'query($id: ID!) { node(id: $id) { ... on Visitor { browser { name } os { name } location { country } } } }', { id: visitor.id }, { token: owner.token }),
      );
      expect(seen.node).toMatchObject({ browser: { name: 'Chrome' }, os: { name: 'Windows' }, location: { country: 'US' } });

      // ---- the pages and the operational endpoints ----
      // (503 with a note when the dashboard or the widget has not been built)
      const dashboard = await fetch(`${url}/`, { headers: { accept: 'text/html' } });
      expect([200, 503]).toContain(dashboard.status);
      if (dashboard.status === 200) expect(await dashboard.text()).toMatch(/<html/i);
      const widget = await fetch(`${url}/widget.js`);
      expect([200, 503]).toContain(widget.status);
      await widget.text();
      const demo = await fetch(`${url}/demo?key=${owner.account.widgetKey}`);
      expect(demo.status).toBe(200);
      await demo.text();
      expect((await fetch(`${url}/metrics`)).status).toBe(200);
      expect((await fetch(`${url}/ready`)).status).toBe(200);
      expect((await fetch(`${url}/health`)).status).toBe(200);

      for (const client of clients.splice(0)) await client.dispose();
      await new Promise((resolve) => setTimeout(resolve, 200));
      // shutting down must not call out either
      await server.stop();
    } finally {
      watch.stop();
    }

    // ---- layer 1: what Node was asked to do ----
    const records = readFileSync(recordFile, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as Recorded);
    expect(records.some((r) => r.kind === 'ready'), 'the recorder was loaded').toBe(true);
    const connects = records.filter((r): r is Extract<Recorded, { kind: 'connect' }> => r.kind === 'connect');
    const lookups = records.filter((r): r is Extract<Recorded, { kind: 'dns' }> => r.kind === 'dns');
    const udp = records.filter((r) => r.kind === 'udp');

    const allowed = [database, ...(redis ? [redis] : [])];
    const allowedNames = new Set(allowed.map((e) => e.host).filter((host) => net.isIP(host) === 0));
    const isAllowed = (host: string | undefined, port: number | undefined) => allowed.some((e) => e.host === host && e.port === port);
    // tsx (the TypeScript loader `npm start` runs the server with; production runs the built JS)
    // looks for its watch-mode parent on a local pipe: a Unix socket, which cannot leave the machine
    const isTsxPipe = (c: { path?: string; stack: string }) =>
      c.path !== undefined && /\/tsx-\d+\/\d+\.pipe$/.test(c.path) && c.stack.includes('node_modules/tsx/');

    const connectTargets = countBy(connects.map((c) => (c.path !== undefined ? `unix:${c.path}` : `${c.host}:${c.port}`)));
    // ---- layer 2: what the kernel saw the process hold ----
    const sockets = watch.seen();
    const outbound = sockets.filter((s) => !isUnspecified(s.remoteAddress) && s.localPort !== serverPort);
    const allowedAddresses = new Set<string>();
    for (const e of allowed) {
      for (const { address } of await dns.lookup(e.host, { all: true })) allowedAddresses.add(`${address}:${e.port}`);
    }
    const kernelTargets = countBy(outbound.map((s) => `${s.protocol} ${s.remoteAddress}:${s.remotePort}`));

    console.log(
      [
        `outbound connections of the server (${redis ? 'with' : 'without'} Redis), ${watch.samples} socket samples:`,
        `  Node connect() calls: ${format(connectTargets)}`,
        `  name lookups: ${lookups.length ? format(countBy(lookups.map((l) => `${l.fn} ${l.name}`))) : 'none'}`,
        `  UDP: ${udp.length ? JSON.stringify(udp) : 'none'}`,
        `  kernel-level remote ends (inbound on :${serverPort} left out): ${format(kernelTargets)}`,
        `  inbound connections seen on :${serverPort}: ${sockets.filter((s) => s.localPort === serverPort && !isUnspecified(s.remoteAddress)).length}`,
      ].join('\n'),
    );

    // not vacuous: both watches saw the database connections (and Redis's, when configured)
    expect(connects.some((c) => isAllowed(c.host, c.port) && c.port === database.port), 'the recorder saw the database connection').toBe(true);
    if (redis) expect(connects.some((c) => c.host === redis!.host && c.port === redis!.port), 'the recorder saw the Redis connections').toBe(true);
    expect(watch.samples).toBeGreaterThan(5);
    expect(outbound.some((s) => s.remotePort === database.port && allowedAddresses.has(`${s.remoteAddress}:${s.remotePort}`)), 'the /proc watch saw the database connection').toBe(true);
    expect(sockets.some((s) => s.localPort === serverPort && !isUnspecified(s.remoteAddress)), 'the /proc watch saw our own inbound connections').toBe(true);

    // the promise: the database and Redis, and nothing else
    const strangers = connects.filter((c) => !isAllowed(c.host, c.port) && !isTsxPipe(c));
    expect(strangers, `connections to something other than the database or Redis:\n${JSON.stringify(strangers, null, 2)}`).toEqual([]);
    // an address literal (server.listen's HOST) is answered by Node itself, without a query
    const strangeLookups = lookups.filter((l) => !allowedNames.has(l.name) && !(l.fn === 'lookup' && net.isIP(l.name) !== 0));
    expect(strangeLookups, `name lookups:\n${JSON.stringify(strangeLookups, null, 2)}`).toEqual([]);
    expect(udp, 'UDP datagrams').toEqual([]);
    const strangeSockets = outbound.filter((s: KernelSocket) => !allowedAddresses.has(`${s.remoteAddress}:${s.remotePort}`));
    expect(strangeSockets, 'kernel-level connections to something other than the database or Redis').toEqual([]);
    expect(sockets.filter((s) => s.protocol.startsWith('udp')), 'UDP sockets held by the server').toEqual([]);
  }, 90_000);
});

function countBy(values: string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  return counts;
}

const format = (counts: Map<string, number>) =>
  counts.size === 0 ? 'none' : [...counts].map(([target, n]) => `${target} (×${n})`).join(', ');

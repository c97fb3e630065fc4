import type { BenchOptions, Row, Scenario } from './lib/types.js';
import { freshDatabase } from './lib/database.js';
import { startServer, type ServerProcess } from './lib/server.js';
import { startBaseline, type BaselineProcess } from './baseline/process.js';
import { globalId, openFixtures } from './loadgen/fixtures.js';
import { now, quantile, settle, sleep, until } from './loadgen/measure.js';
import { LoadgenPool } from './loadgen/pool.js';
import type { SocketSpec } from './loadgen/protocol.js';
import { followConversation } from './lib/operations.js';

/**
 * Fan-out: one message to N sockets following one conversation (`conversationEvents`), from the
 * send to each receipt.
 *
 * Project: one visitor's conversation followed by N graphql-ws sockets, every tenth the
 * visitor's own (its widget in several tabs), the others each a different agent of the account
 * (its own session token); an OWNER agent sends `sendMessage` over HTTP. Baseline
 * (baseline/fanout-server.ts): a plain `pg` INSERT + commit and one JSON frame of the same shape
 * written to every socket over plain `ws`. Same clients, same sender, same measurement.
 *
 * Time: the sender reads `performance.timeOrigin + performance.now()` right before the request,
 * each load generator reads the same clock when a frame arrives (sub-millisecond resolution, one
 * system clock, one machine). Each N: 3 warm-up messages per side, then `messages` per side,
 * alternating between the sides (see measure), at least `spacingMs` apart; the quantiles are
 * over all N × messages receipts of a side.
 */

const subscription = followConversation;
const sendMutation = `mutation Send($input: SendMessageInput!) { sendMessage(input: $input) { message { id seq } } }`;

type Target = {
  label: string;
  url: string;
  /** subscriptions active on the server */
  active: () => Promise<number>;
  /** sends the message carrying `marker`; resolves when the HTTP request answered */
  send: (marker: number) => Promise<void>;
  cpuSeconds: () => Promise<number>;
};

type Figures = { p50: number; p99: number; max: number; missing: number };

/**
 * Both sides' sockets are open at once and the messages alternate between them (project, then
 * baseline, then the other way round), so whatever else the machine is doing weighs on both
 * alike. Each message is sent once every socket has the previous one.
 */
async function measure(targets: Target[], sockets: SocketSpec[], options: { messages: number; spacingMs: number; log: BenchOptions['log'] }) {
  const n = sockets.length;
  const pool = await LoadgenPool.start(n >= 1_000 ? 2 : 1);
  try {
    for (const target of targets) {
      const opened = await pool.open(target.url, sockets, { concurrency: 100, timeoutMs: 60_000, group: target.label });
      if (opened.failed > 0) throw new Error(`${target.label}: ${opened.failed} of ${n} sockets failed: ${opened.firstError}`);
      if (!(await until(async () => (await target.active()) >= n, 30_000))) {
        throw new Error(`${target.label}: only ${await target.active()} of ${n} subscriptions became active`);
      }
    }
    for (const target of targets) await settle(target.cpuSeconds, 10_000);
    let marker = 0;
    const round = async (target: Target) => {
      const wait = pool.expect(++marker, target.label, 10_000);
      const sentAt = now();
      await target.send(marker);
      const got = await wait;
      await sleep(Math.max(20, options.spacingMs - (now() - sentAt)));
      return { latencies: got.times.map((t) => t - sentAt), missing: n - got.times.length };
    };
    // warm-up: every subscription delivers, and both sides' code paths are hot
    for (let i = 0; i < 3; i++) {
      for (const target of targets) {
        const { missing } = await round(target);
        if (missing > 0) throw new Error(`${target.label}: a warm-up message missed ${missing} of ${n} sockets`);
      }
    }
    const latencies = targets.map(() => [] as number[]);
    const missing = targets.map(() => 0);
    for (let i = 0; i < options.messages; i++) {
      const order = i % 2 ? [...targets.keys()].reverse() : [...targets.keys()];
      for (const t of order) {
        const got = await round(targets[t]!);
        latencies[t]!.push(...got.latencies);
        missing[t]! += got.missing;
      }
    }
    return targets.map((target, t): Figures => {
      const sorted = latencies[t]!.sort((a, b) => a - b);
      const figures = { p50: quantile(sorted, 0.5), p99: quantile(sorted, 0.99), max: sorted.at(-1)!, missing: missing[t]! };
      options.log(
        `fanout ${target.label} N=${n}: p50 ${figures.p50.toFixed(2)} ms, p99 ${figures.p99.toFixed(2)} ms, max ${figures.max.toFixed(2)} ms` +
          (figures.missing ? `, ${figures.missing} receipts missing` : ''),
      );
      return figures;
    });
  } finally {
    await pool.stop();
  }
}

export const fanout: Scenario = {
  name: 'fanout',
  async run({ quick, databaseUrl, log }) {
    const sizes = quick ? [100, 1_000] : [100, 1_000, 5_000];
    // receipts of one message are alike, so a p99 needs many messages where sockets are few
    const messagesFor = (n: number) => (n <= 100 ? (quick ? 30 : 50) : n <= 1_000 ? (quick ? 15 : 40) : 15);
    const spacingMs = quick ? 50 : 100;
    const cleanup: (() => Promise<unknown>)[] = [];
    try {
      const projectDb = await freshDatabase(databaseUrl, 'fanout');
      cleanup.push(projectDb.drop);
      const baselineDb = await freshDatabase(databaseUrl, 'fanout_baseline');
      cleanup.push(baselineDb.drop);
      const server: ServerProcess = await startServer(projectDb.url);
      cleanup.unshift(server.stop);
      const baseline: BaselineProcess = await startBaseline(baselineDb.url);
      cleanup.unshift(baseline.stop);

      const fixtures = await openFixtures(projectDb.url);
      const { accountId, owner } = await fixtures.account();
      const [visitor] = await fixtures.visitorsWithConversations(accountId, 1);
      const agents = await fixtures.agents(accountId, Math.ceil(Math.max(...sizes) * 0.9));
      await fixtures.close();
      const conversationId = globalId('Conversation', visitor!.conversationId);
      const socketsFor = (n: number): SocketSpec[] => {
        let agent = 0;
        return Array.from({ length: n }, (_, i) => ({
          authorization: `Bearer ${i % 10 === 0 ? visitor!.token : agents[agent++]!.token}`,
          query: subscription,
          variables: { conversationId },
        }));
      };

      let sent = 0;
      const project: Target = {
        label: 'project',
        url: server.url,
        active: () => server.metric('livechat_active_subscriptions'),
        cpuSeconds: server.cpuSeconds,
        async send(marker) {
          const response = await fetch(`${server.url}/graphql`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', authorization: `Bearer ${owner.token}` },
            body: JSON.stringify({
              query: sendMutation,
              variables: { input: { conversationId, body: `fanout ${marker}`, clientMessageId: `fanout-${++sent}` } },
            }),
          });
          const result = (await response.json()) as { errors?: unknown[] };
          if (result.errors) throw new Error(`sendMessage failed: ${JSON.stringify(result.errors)}`);
        },
      };
      const base: Target = {
        label: 'baseline',
        url: baseline.url,
        active: async () => (await baseline.stats()).subscribed,
        cpuSeconds: baseline.cpuSeconds,
        async send(marker) {
          const response = await fetch(`${baseline.url}/send`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({
              conversationId: visitor!.conversationId,
              body: `fanout ${marker}`,
              clientMessageId: `fanout-${++sent}`,
              agent: { id: globalId('Agent', owner.id), name: owner.name },
            }),
          });
          if (!response.ok) throw new Error(`baseline send failed: ${response.status} ${await response.text()}`);
        },
      };

      const rows: Row[] = [];
      for (const n of sizes) {
        const [p, b] = (await measure([project, base], socketsFor(n), { messages: messagesFor(n), spacingMs, log })) as [Figures, Figures];
        // the sockets' closing (presence, subscriptions) is over before the next size
        await until(async () => (await server.metric('livechat_open_sockets')) === 0 && (await baseline.stats()).sockets === 0, 15_000);
        await settle(server.cpuSeconds);
        const note = `N=${n.toLocaleString('en-US')}${p.missing + b.missing ? `, receipts missing: ${p.missing}/${b.missing}` : ''}`;
        for (const key of ['p50', 'p99', 'max'] as const) {
          const row: Row = { scenario: 'fanout', metric: `${key} latency (ms)`, project: p[key], baseline: b[key], better: 'lower', note };
          if (key === 'p99' && n === 1_000) {
            row.target = 'ratio ≤ 2';
            row.met = p.p99 / b.p99 <= 2;
          }
          rows.push(row);
        }
      }
      return rows;
    } finally {
      for (const step of cleanup) await step().catch((error: unknown) => log(`fanout cleanup: ${String(error)}`));
    }
  },
};

import { readdir, readFile } from 'node:fs/promises';
import type { BenchOptions, Row, Scenario } from './lib/types.js';
import { freshDatabase } from './lib/database.js';
import { startServer } from './lib/server.js';
import { startBaseline } from './baseline/process.js';
import { globalId, openFixtures } from './loadgen/fixtures.js';
import { mib, now, settle, sleep, until } from './loadgen/measure.js';
import { LoadgenPool } from './loadgen/pool.js';
import type { SocketSpec } from './loadgen/protocol.js';
import { followConversation } from './lib/operations.js';

/**
 * Connections: thousands of idle graphql-ws sockets with one subscription each.
 *
 * Project: visitors, each with its own token and conversation, each following that
 * conversation (`conversationEvents`) from its own socket, as the widget does; the visitors are
 * written into the database directly (see loadgen/fixtures.ts), so no `startVisitorSession` runs
 * and the GeoIP database (~150 MB) is not loaded while measuring: the RSS figures are without it,
 * and a last row shows what loading it adds. Baseline: the plain `ws` server of
 * baseline/fanout-server.ts with the same number of sockets doing the same handshake.
 *
 * One server per side; the sockets are opened in steps (e.g. 5,000, then 5,000 more, …) from
 * load generator processes, spread over several source addresses. At each step: resident
 * memory (the larger of right after opening and after the idle time), bytes per connection
 * ((that RSS − RSS before any socket) / sockets), CPU used while
 * idle over `idleMs` as % of one core (from /proc), and the time it took to open all the
 * sockets so far until the server counted every subscription active (the steps' times added).
 *
 * This machine allows a process at most 20,000 open files (hard limit), so one server cannot
 * hold 20,000 sockets: the last step is the largest round count that fits beside the server's
 * own files, and its row says so.
 */

const subscription = followConversation;

/** How many more sockets the process can open: its open-files limit, less what it has open, less a margin. */
async function room(pid: number): Promise<{ limit: number; room: number }> {
  const limits = await readFile(`/proc/${pid}/limits`, 'utf8');
  const limit = Number(/Max open files\s+(\d+)/.exec(limits)?.[1] ?? 1024);
  const open = (await readdir(`/proc/${pid}/fd`)).length;
  return { limit, room: limit - open - 200 };
}

type Side = {
  url: string;
  pid: number;
  rss: () => Promise<number>;
  cpuSeconds: () => Promise<number>;
  active: () => Promise<number>;
};
type Step = { sockets: number; rss: number; bytesPerSocket: number; idleCpuPercent: number; openMs: number };

async function measureSide(
  label: string,
  side: Side,
  specs: SocketSpec[],
  steps: number[],
  options: { idleMs: number; loadgens: number; log: BenchOptions['log']; withAllOpen?: () => Promise<void> },
) {
  await settle(side.cpuSeconds);
  const rssBefore = await side.rss();
  const pool = await LoadgenPool.start(options.loadgens);
  const results: Step[] = [];
  try {
    let opened = 0;
    let openMs = 0;
    for (const target of steps) {
      const t0 = now();
      const result = await pool.open(side.url, specs.slice(opened, target), {
        concurrency: 200,
        localAddresses: ['127.0.0.1', '127.0.0.2', '127.0.0.3', '127.0.0.4'],
        timeoutMs: 180_000,
      });
      if (result.failed > 0) throw new Error(`${label}: ${result.failed} of ${target - opened} sockets failed: ${result.firstError}`);
      if (!(await until(async () => (await side.active()) >= target, 120_000, 50))) {
        throw new Error(`${label}: only ${await side.active()} of ${target} subscriptions became active`);
      }
      openMs += now() - t0;
      opened = target;
      await settle(side.cpuSeconds, 20_000);
      await sleep(1_000);
      const rssOpen = await side.rss();
      const cpu0 = await side.cpuSeconds();
      const t1 = now();
      await sleep(options.idleMs);
      const idleCpuPercent = (((await side.cpuSeconds()) - cpu0) / ((now() - t1) / 1000)) * 100;
      // resident memory moves with garbage collection: the larger of right after opening and after the idle time
      const rss = Math.max(rssOpen, await side.rss());
      const stats = await pool.stats();
      if (stats.open < target) throw new Error(`${label}: ${target - stats.open} sockets closed while idle`);
      const step = { sockets: target, rss, bytesPerSocket: (rss - rssBefore) / target, idleCpuPercent, openMs };
      options.log(
        `connections ${label} ${target}: RSS ${mib(rss).toFixed(0)} MiB (${(step.bytesPerSocket / 1024).toFixed(1)} KiB/socket), ` +
          `idle CPU ${idleCpuPercent.toFixed(2)} %, opened in ${(openMs / 1000).toFixed(1)} s`,
      );
      results.push(step);
    }
    await options.withAllOpen?.();
    return { rssBefore, steps: results };
  } finally {
    await pool.stop();
  }
}

export const connections: Scenario = {
  name: 'connections',
  async run({ quick, databaseUrl, log }) {
    const idleMs = quick ? 5_000 : 30_000;
    const cleanup: (() => Promise<unknown>)[] = [];
    try {
      const projectDb = await freshDatabase(databaseUrl, 'connections');
      cleanup.push(projectDb.drop);
      const baselineDb = await freshDatabase(databaseUrl, 'connections_baseline');
      cleanup.push(baselineDb.drop);

      const server = await startServer(projectDb.url);
      cleanup.unshift(server.stop);
      const files = await room(server.pid);
      const fits = Math.floor(files.room / 500) * 500;
      const steps = quick ? [1_000] : [5_000, 10_000, Math.min(20_000, fits)];
      const largest = steps.at(-1)!;
      const loadgens = Math.max(1, Math.ceil(largest / 5_000));

      const fixtures = await openFixtures(projectDb.url);
      const { accountId, widgetKey } = await fixtures.account();
      const visitors = await fixtures.visitorsWithConversations(accountId, largest);
      await fixtures.close();
      const specs: SocketSpec[] = visitors.map((v) => ({
        authorization: `Bearer ${v.token}`,
        query: subscription,
        variables: { conversationId: globalId('Conversation', v.conversationId) },
      }));

      // what the GeoIP database adds, with every socket still open, once a visitor session starts (the widget's first call)
      let rssWithGeo: number | null = null;
      const withGeo = async () => {
        const response = await fetch(`${server.url}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({
            query: 'mutation($input: StartVisitorSessionInput!) { startVisitorSession(input: $input) { visitorToken } }',
            variables: { input: { widgetKey } },
          }),
        });
        if (!response.ok || ((await response.json()) as { errors?: unknown }).errors) return;
        await sleep(1_000);
        rssWithGeo = await server.rss();
      };
      const project = await measureSide(
        'project',
        { ...server, active: () => server.metric('livechat_active_subscriptions') },
        specs,
        steps,
        { idleMs, loadgens, log, withAllOpen: withGeo },
      );
      await server.stop();

      const baseline = await startBaseline(baselineDb.url);
      cleanup.unshift(baseline.stop);
      const base = await measureSide(
        'baseline',
        { ...baseline, active: async () => (await baseline.stats()).subscribed },
        specs,
        steps,
        { idleMs, loadgens, log },
      );

      const rows: Row[] = [];
      const idleNote = `idle ${idleMs / 1000} s`;
      for (const [i, p] of project.steps.entries()) {
        const b = base.steps[i]!;
        const isLargest = p.sockets === largest && !quick;
        const count = p.sockets.toLocaleString('en-US');
        const note = isLargest && p.sockets < 20_000
          ? `${count} sockets: the most that fit in ${files.limit.toLocaleString('en-US')} open files per process`
          : `${count} sockets`;
        rows.push(
          {
            scenario: 'connections',
            metric: 'server RSS (MiB)',
            project: mib(p.rss),
            baseline: mib(b.rss),
            better: 'lower',
            note,
            ...(isLargest ? { target: '< 1,024 MiB', met: mib(p.rss) < 1024 } : {}),
          },
          { scenario: 'connections', metric: 'bytes per connection', project: p.bytesPerSocket, baseline: b.bytesPerSocket, better: 'lower', note },
          {
            scenario: 'connections',
            metric: 'idle CPU (% of a core)',
            project: p.idleCpuPercent,
            baseline: b.idleCpuPercent,
            better: 'lower',
            note: `${note}, ${idleNote}`,
            ...(isLargest ? { target: '< 5 %', met: p.idleCpuPercent < 5 } : {}),
          },
          { scenario: 'connections', metric: 'time to open all (s)', project: p.openMs / 1000, baseline: b.openMs / 1000, better: 'lower', note },
        );
      }
      rows.push({
        scenario: 'connections',
        metric: 'server RSS with the GeoIP database loaded (MiB)',
        project: rssWithGeo === null ? null : mib(rssWithGeo),
        baseline: null,
        better: 'lower',
        note: `${largest.toLocaleString('en-US')} sockets, after one startVisitorSession`,
      });
      rows.push({
        scenario: 'connections',
        metric: 'server RSS before any socket (MiB)',
        project: mib(project.rssBefore),
        baseline: mib(base.rssBefore),
        better: 'lower',
      });
      return rows;
    } finally {
      for (const step of cleanup) await step().catch((error: unknown) => log(`connections cleanup: ${String(error)}`));
    }
  },
};

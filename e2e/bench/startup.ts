import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { freshDatabase } from './lib/database.js';
import { median } from './lib/http-load.js';
import { serverDir, startServer } from './lib/server.js';
import type { BenchOptions, Row, Scenario } from './lib/types.js';

/**
 * Startup: from spawning the server to its first `/health` 200, against a database already
 * migrated (the server still checks its migrations, as it does on every start), median of a
 * few runs. Built (`npm run build`, then `npm run start:prod`: `node dist/main.js`) and as
 * `npm start` runs it (`tsx src/main.ts`, TypeScript compiled on the fly). Baseline: a
 * minimal Node http server answering /health.
 */

const baselineSource = `require('node:http').createServer((req, res) => { res.writeHead(200); res.end('{"status":"ok"}'); }).listen(Number(process.env.PORT), '127.0.0.1');`;

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

const healthy = (port: number) =>
  new Promise<boolean>((resolve) => {
    const req = http.get({ host: '127.0.0.1', port, path: '/health', agent: false, timeout: 500 }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('error', () => resolve(false));
    req.on('timeout', () => req.destroy());
  });

/** Stops a process group we started (npm and tsx start children of their own). */
function stopGroup(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    const timer = setTimeout(() => {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {}
    }, 10_000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    try {
      process.kill(-child.pid!, 'SIGTERM');
    } catch {
      resolve();
    }
  });
}

/** Milliseconds from spawn to /health 200. */
async function timeToHealthy(command: string, args: string[], cwd: string, env: Record<string, string>, timeoutMs = 60_000): Promise<number> {
  const port = await freePort();
  const started = performance.now();
  const child = spawn(command, args, { cwd, env: { ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1' }, stdio: ['ignore', 'ignore', 'pipe'], detached: true });
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += d));
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`${command} ${args.join(' ')} exited with ${child.exitCode}: ${stderr.slice(-500)}`);
      if (performance.now() - started > timeoutMs) throw new Error(`${command} ${args.join(' ')} not healthy in ${timeoutMs} ms`);
      if (await healthy(port)) return performance.now() - started;
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  } finally {
    await stopGroup(child);
  }
}

function run(command: string, args: string[], cwd: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr!.on('data', (d) => (stderr += d));
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${command} ${args.join(' ')} failed (${code}): ${stderr.slice(-1000)}`))));
  });
}

/** Whether server/dist is missing or older than a source file or the build settings. */
function builtIsStale(): boolean {
  const built = path.join(serverDir, 'dist', 'main.js');
  if (!fs.existsSync(built)) return true;
  const builtAt = fs.statSync(built).mtimeMs;
  const newest = (dir: string): number =>
    Math.max(
      0,
      ...fs.readdirSync(dir, { withFileTypes: true }).map((entry) => {
        const full = path.join(dir, entry.name);
        return entry.isDirectory() ? newest(full) : fs.statSync(full).mtimeMs;
      }),
    );
  const settings = ['tsconfig.json', 'tsconfig.build.json', 'package.json'].map((f) => fs.statSync(path.join(serverDir, f)).mtimeMs);
  return Math.max(newest(path.join(serverDir, 'src')), ...settings) > builtAt;
}

export const startup: Scenario = {
  name: 'startup',
  async run({ quick, databaseUrl, log }: BenchOptions): Promise<Row[]> {
    const runs = quick ? 3 : 5;
    const db = await freshDatabase(databaseUrl, 'startup');
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-startup-'));
    try {
      // the first start migrates and seeds the demo account, as a first `npm start` does; the measured ones find it ready
      await (await startServer(db.url, { SEED_DEMO: 'true' })).stop();
      if (builtIsStale()) {
        const t0 = Date.now();
        await run('npm', ['run', 'build'], serverDir);
        log(`startup: server built in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
      }
      const baselineFile = path.join(tmp, 'health.cjs');
      fs.writeFileSync(baselineFile, baselineSource);
      const env = { DATABASE_URL: db.url, LOG_LEVEL: 'warn' };
      const times = { built: [] as number[], npmStart: [] as number[], baseline: [] as number[] };
      for (let i = 0; i < runs; i++) {
        times.built.push(await timeToHealthy(process.execPath, ['dist/main.js'], serverDir, env));
        times.npmStart.push(await timeToHealthy('npm', ['start'], serverDir, env));
        times.baseline.push(await timeToHealthy(process.execPath, [baselineFile], tmp, {}));
      }
      const [built, npmStart, baseline] = [median(times.built), median(times.npmStart), median(times.baseline)];
      log(`startup medians: built ${built.toFixed(0)} ms, npm start ${npmStart.toFixed(0)} ms, baseline ${baseline.toFixed(0)} ms`);
      return [
        { scenario: 'startup', metric: `built (node dist/main.js) to /health 200 (ms), median of ${runs}`, project: built, baseline, better: 'lower' },
        { scenario: 'startup', metric: `npm start (tsx src/main.ts) to /health 200 (ms), median of ${runs}`, project: npmStart, baseline, better: 'lower' },
      ];
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
      await db.drop();
    }
  },
};

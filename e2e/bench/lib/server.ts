import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const serverDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../server');

export type ServerProcess = {
  url: string;
  pid: number;
  child: ChildProcess;
  /** resident memory of the server process, in bytes (from /proc) */
  rss: () => Promise<number>;
  /** user+system CPU time the server process has used so far, in seconds (from /proc) */
  cpuSeconds: () => Promise<number>;
  /** a counter or gauge from /metrics */
  metric: (name: string) => Promise<number>;
  stop: () => Promise<void>;
};

async function procStat(pid: number) {
  const { readFile } = await import('node:fs/promises');
  const stat = (await readFile(`/proc/${pid}/stat`, 'utf8')).split(') ')[1]!.split(' ');
  const ticks = 100; // USER_HZ on Linux
  return { cpuSeconds: (Number(stat[11]) + Number(stat[12])) / ticks, rssBytes: Number(stat[21]) * 4096 };
}

/** Starts the server the way `npm start` does, on a free port, against `databaseUrl`; resolves once it listens. */
export async function startServer(databaseUrl: string, env: Record<string, string> = {}): Promise<ServerProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: serverDir,
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', DATABASE_URL: databaseUrl, LOG_LEVEL: 'warn', SEED_DEMO: 'false', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${output}`)), 60_000);
    child.stdout!.on('data', () => {
      const match = /running at (http:\/\/\S+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    });
    child.once('exit', (code) => reject(new Error(`server exited with ${code}:\n${output}`)));
  });
  const pid = child.pid!;
  return {
    url,
    pid,
    child,
    rss: async () => (await procStat(pid)).rssBytes,
    cpuSeconds: async () => (await procStat(pid)).cpuSeconds,
    metric: async (name) => {
      const text = await (await fetch(`${url}/metrics`)).text();
      return text
        .split('\n')
        .filter((line) => line.startsWith(name) && !line.startsWith('#'))
        .reduce((sum, line) => sum + Number(line.split(' ').at(-1)), 0);
    },
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 15_000).unref();
      }),
  };
}

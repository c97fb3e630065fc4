import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));

/** CPU time (user + system, seconds) and resident memory (bytes) of a process, from /proc. */
export async function procStat(pid: number) {
  const stat = (await readFile(`/proc/${pid}/stat`, 'utf8')).split(') ')[1]!.split(' ');
  const ticks = 100; // USER_HZ on Linux
  return { cpuSeconds: (Number(stat[11]) + Number(stat[12])) / ticks, rssBytes: Number(stat[21]) * 4096 };
}

export type BaselineProcess = {
  url: string;
  pid: number;
  rss: () => Promise<number>;
  cpuSeconds: () => Promise<number>;
  /** sockets connected and sockets that subscribed */
  stats: () => Promise<{ sockets: number; subscribed: number }>;
  stop: () => Promise<void>;
};

/** Starts the baseline server (baseline/fanout-server.ts) on its own process and database. */
export async function startBaseline(databaseUrl: string): Promise<BaselineProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(here, 'fanout-server.ts')], {
    cwd: path.resolve(here, '../..'),
    env: { ...process.env, DATABASE_URL: databaseUrl },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
  };
  try {
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('baseline server did not start within 30 s')), 30_000);
      child.on('message', (m: { type: string; url: string }) => {
        if (m.type !== 'listening') return;
        clearTimeout(timer);
        resolve(m.url);
      });
      void exited.then(() => reject(new Error(`baseline server exited with ${child.exitCode}`)));
    });
    const pid = child.pid!;
    return {
      url,
      pid,
      rss: async () => (await procStat(pid)).rssBytes,
      cpuSeconds: async () => (await procStat(pid)).cpuSeconds,
      stats: async () => (await (await fetch(`${url}/stats`)).json()) as { sockets: number; subscribed: number },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

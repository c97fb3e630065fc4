import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { LoadgenCommand, LoadgenReply, SocketSpec } from './protocol.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const e2eDir = path.resolve(here, '../..');

type Reply<T extends LoadgenReply['type']> = Extract<LoadgenReply, { type: T }>;

/** One load generator process, driven over IPC. */
export class Loadgen {
  private waiters: { type: string; accept: (reply: LoadgenReply) => boolean; resolve: (reply: LoadgenReply) => void }[] = [];
  private exited: Promise<void>;

  private constructor(readonly child: ChildProcess) {
    child.on('message', (reply: LoadgenReply) => {
      const index = this.waiters.findIndex((w) => w.type === reply.type && w.accept(reply));
      if (index >= 0) this.waiters.splice(index, 1)[0]!.resolve(reply);
    });
    this.exited = new Promise((resolve) => child.once('exit', () => resolve()));
  }

  /** Starts a load generator script of this folder (`sockets` by default). */
  static async start(script = 'sockets.ts'): Promise<Loadgen> {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(here, script)], {
      cwd: e2eDir,
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const loadgen = new Loadgen(child);
    await Promise.race([
      loadgen.next('ready', 30_000),
      loadgen.exited.then(() => Promise.reject(new Error(`load generator ${script} exited while starting`))),
    ]);
    return loadgen;
  }

  get pid() {
    return this.child.pid!;
  }

  send(command: LoadgenCommand) {
    if (this.child.connected) this.child.send(command);
  }

  /** The next reply of a type (that `accept` accepts), or an error after `ms`. */
  next<T extends LoadgenReply['type']>(type: T, ms: number, accept: (reply: Reply<T>) => boolean = () => true): Promise<Reply<T>> {
    return new Promise((resolve, reject) => {
      const waiter = { type, accept: accept as (r: LoadgenReply) => boolean, resolve: resolve as (r: LoadgenReply) => void };
      this.waiters.push(waiter);
      setTimeout(() => {
        const index = this.waiters.indexOf(waiter);
        if (index < 0) return;
        this.waiters.splice(index, 1);
        reject(new Error(`load generator ${this.pid}: no ${type} within ${ms} ms`));
      }, ms).unref();
    });
  }

  async request<T extends LoadgenReply['type']>(command: LoadgenCommand, type: T, ms = 30_000): Promise<Reply<T>> {
    const reply = this.next(type, ms);
    this.send(command);
    return reply;
  }

  /** Closes its sockets and ends the process (killed if it does not go within 5 s). */
  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    this.send({ type: 'close' });
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 5_000);
    await this.exited;
    clearTimeout(timer);
  }
}

/** Several load generators sharing a set of sockets. */
export class LoadgenPool {
  private constructor(readonly members: Loadgen[]) {}

  static async start(count: number): Promise<LoadgenPool> {
    const started = await Promise.allSettled(Array.from({ length: count }, () => Loadgen.start()));
    const members = started.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
    const failure = started.find((s) => s.status === 'rejected');
    if (failure) {
      await Promise.all(members.map((m) => m.stop()));
      throw (failure as PromiseRejectedResult).reason;
    }
    return new LoadgenPool(members);
  }

  /**
   * Opens the sockets, dealt round-robin over the members; resolves when every member has sent
   * its subscriptions, with the total subscribed and the first failure, if any.
   */
  async open(url: string, sockets: SocketSpec[], options: { concurrency: number; localAddresses?: string[]; timeoutMs: number; group?: string }) {
    const shares = this.members.map(() => [] as SocketSpec[]);
    sockets.forEach((spec, i) => shares[i % shares.length]!.push(spec));
    const wsUrl = `${url.replace(/^http/, 'ws')}/graphql`;
    const replies = await Promise.all(
      this.members.map((member, i) =>
        member.request(
          {
            type: 'open',
            url: wsUrl,
            sockets: shares[i]!,
            concurrency: Math.ceil(options.concurrency / this.members.length),
            localAddresses: options.localAddresses,
            group: options.group,
          },
          'opened',
          options.timeoutMs,
        ),
      ),
    );
    return {
      subscribed: replies.reduce((n, r) => n + r.subscribed, 0),
      failed: replies.reduce((n, r) => n + r.failed, 0),
      firstError: replies.find((r) => r.firstError)?.firstError ?? null,
    };
  }

  /**
   * Announces that the frame carrying `marker` is about to go to the sockets of `group`; resolves
   * with their receive times once every one has it, or after `ms` with what arrived.
   */
  expect(marker: number, group: string, ms: number) {
    const waits = this.members.map((member) => {
      const complete = member.next('complete', ms, (r) => r.marker === marker);
      member.send({ type: 'expect', marker, group });
      return complete.then(
        (reply) => ({ times: reply.times, complete: true }),
        async () => ({ times: (await member.request({ type: 'receipts', marker }, 'receipts', 10_000)).times, complete: false }),
      );
    });
    return Promise.all(waits).then((results) => ({ times: results.flatMap((r) => r.times), complete: results.every((r) => r.complete) }));
  }

  async stats() {
    const replies = await Promise.all(this.members.map((m) => m.request({ type: 'stats' }, 'stats')));
    return { open: replies.reduce((n, r) => n + r.open, 0), rss: replies.reduce((n, r) => n + r.rss, 0) };
  }

  async stop() {
    await Promise.all(this.members.map((m) => m.stop()));
  }
}

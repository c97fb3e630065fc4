import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket, WebSocketServer } from 'ws';
import { createKeepAlive, type KeepAlive } from './keepalive.js';

/** A ws server whose sockets the keep-alive watches, and clients of it. */
async function setUp(intervalMs: number, tickMs: number) {
  const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
  await new Promise<void>((resolve) => wss.once('listening', () => resolve()));
  const keepAlive = createKeepAlive(intervalMs, tickMs);
  const closed: WebSocket[] = [];
  wss.on('connection', (socket) => {
    keepAlive.add(socket);
    socket.once('close', () => {
      keepAlive.delete(socket);
      closed.push(socket);
    });
  });
  const url = `ws://127.0.0.1:${(wss.address() as { port: number }).port}`;
  const connect = async (options: { autoPong: boolean }) => {
    const client = new WebSocket(url, options);
    let pings = 0;
    client.on('ping', () => pings++);
    await new Promise<void>((resolve, reject) => client.once('open', () => resolve()).once('error', reject));
    return { client, pings: () => pings };
  };
  return { wss, keepAlive, closed, connect };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('keep-alive', () => {
  let stop: (() => Promise<void>) | undefined;
  afterEach(async () => {
    await stop?.();
    stop = undefined;
  });

  it('pings every socket once per interval, keeps those that answer and ends those that do not', async () => {
    const { wss, keepAlive, closed, connect } = await setUp(300, 50);
    const clients: WebSocket[] = [];
    stop = async () => {
      for (const c of clients) c.terminate();
      keepAlive.close();
      await new Promise((resolve) => wss.close(resolve));
    };
    const answering = await Promise.all([1, 2, 3].map(() => connect({ autoPong: true })));
    const silent = await connect({ autoPong: false });
    clients.push(...answering.map((a) => a.client), silent.client);
    expect(keepAlive.size()).toBe(4);

    await sleep(1_000);
    // three intervals: about three pings each, and the silent one ended after the second
    for (const a of answering) {
      expect(a.pings()).toBeGreaterThanOrEqual(2);
      expect(a.pings()).toBeLessThanOrEqual(4);
      expect(a.client.readyState).toBe(WebSocket.OPEN);
    }
    expect(silent.client.readyState).toBe(WebSocket.CLOSED);
    expect(closed).toHaveLength(1);
    expect(keepAlive.size()).toBe(3);
  });

  it('forgets a socket once it is deleted, and stops with close', async () => {
    const { wss, keepAlive, connect } = await setUp(200, 50);
    const { client, pings } = await connect({ autoPong: true });
    stop = async () => {
      client.terminate();
      await new Promise((resolve) => wss.close(resolve));
    };
    const [socket] = [...wss.clients];
    keepAlive.delete(socket!);
    expect(keepAlive.size()).toBe(0);
    await sleep(500);
    expect(pings()).toBe(0);
    keepAlive.add(socket!);
    keepAlive.close();
    expect(keepAlive.size()).toBe(0);
    await sleep(300);
    expect(pings()).toBe(0);
  });
});

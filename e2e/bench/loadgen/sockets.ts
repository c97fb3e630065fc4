import WebSocket from 'ws';
import type { LoadgenCommand, LoadgenReply, SocketSpec } from './protocol.js';

/**
 * A socket load generator, run as its own process (`node --import tsx e2e/bench/loadgen/sockets.ts`)
 * and driven over IPC by the benchmark. It speaks the graphql-transport-ws protocol directly on
 * `ws` (connection_init → connection_ack → subscribe), the way the widget does, but without a
 * client library's bookkeeping, so that thousands of sockets fit in one process and the time a
 * frame is read is taken before anything else is done with it.
 *
 * Receive times are `performance.timeOrigin + performance.now()`: milliseconds since the epoch
 * with sub-millisecond resolution, from the same system clock the sender reads.
 */

const now = () => performance.timeOrigin + performance.now();
const send = (reply: LoadgenReply) => process.send?.(reply);

const sockets: WebSocket[] = [];
/** sockets whose subscription was sent (after connection_ack), by group */
const subscribed = new Map<string, number>();
/** the group each expected marker is sent to */
const expected = new Map<number, string>();
let failed = 0;
let firstError: string | null = null;
/** receive times by marker */
const receipts = new Map<number, number[]>();
const markerPrefix = Buffer.from('"body":"fanout ');

/** The number after `"body":"fanout ` in a frame, without parsing the frame. */
function markerOf(data: Buffer): number | null {
  const at = data.indexOf(markerPrefix);
  if (at < 0) return null;
  let n = 0;
  let i = at + markerPrefix.length;
  for (; i < data.length && data[i]! >= 48 && data[i]! <= 57; i++) n = n * 10 + data[i]! - 48;
  return i === at + markerPrefix.length ? null : n;
}

function record(data: Buffer) {
  const at = now();
  const marker = markerOf(data);
  if (marker === null) return;
  let times = receipts.get(marker);
  if (!times) receipts.set(marker, (times = []));
  times.push(at);
  const group = expected.get(marker);
  if (group !== undefined && times.length === subscribed.get(group)) send({ type: 'complete', marker, times });
}

/** Opens one socket and subscribes; resolves once the subscribe message is sent (or it failed). */
function open(url: string, spec: SocketSpec, localAddress: string | undefined, group: string): Promise<void> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, 'graphql-transport-ws', { localAddress, perMessageDeflate: false, handshakeTimeout: 60_000 });
    sockets.push(ws);
    let done = false;
    const finish = (error?: string) => {
      if (done) return;
      done = true;
      if (error) {
        failed++;
        firstError ??= error;
      }
      resolve();
    };
    ws.on('open', () => {
      ws.send(JSON.stringify({ type: 'connection_init', payload: spec.authorization ? { authorization: spec.authorization } : {} }));
    });
    ws.on('message', (data: Buffer) => {
      if (done) return record(data);
      const message = JSON.parse(String(data)) as { type: string };
      if (message.type !== 'connection_ack') return finish(`unexpected ${message.type} before connection_ack`);
      ws.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query: spec.query, variables: spec.variables } }));
      subscribed.set(group, (subscribed.get(group) ?? 0) + 1);
      finish();
    });
    ws.on('error', (error) => finish(error.message));
    ws.on('close', (code, reason) => finish(`closed ${code} ${String(reason)}`));
  });
}

async function openAll(command: Extract<LoadgenCommand, { type: 'open' }>) {
  const started = now();
  let next = 0;
  const addresses = command.localAddresses?.length ? command.localAddresses : [undefined];
  const worker = async () => {
    while (next < command.sockets.length) {
      const i = next++;
      await open(command.url, command.sockets[i]!, addresses[i % addresses.length], command.group ?? '');
    }
  };
  await Promise.all(Array.from({ length: Math.min(command.concurrency, command.sockets.length) }, worker));
  send({ type: 'opened', subscribed: subscribed.get(command.group ?? '') ?? 0, failed, firstError, ms: now() - started });
}

process.on('message', (command: LoadgenCommand) => {
  switch (command.type) {
    case 'open':
      void openAll(command);
      break;
    case 'expect': {
      expected.set(command.marker, command.group);
      const times = receipts.get(command.marker);
      if (times && times.length === subscribed.get(command.group)) send({ type: 'complete', marker: command.marker, times });
      break;
    }
    case 'receipts':
      send({ type: 'receipts', marker: command.marker, times: receipts.get(command.marker) ?? [] });
      break;
    case 'forget':
      receipts.clear();
      send({ type: 'forgotten' });
      break;
    case 'stats': {
      const open = sockets.filter((s) => s.readyState === WebSocket.OPEN).length;
      send({ type: 'stats', open, subscribed: [...subscribed.values()].reduce((n, c) => n + c, 0), failed, rss: process.memoryUsage.rss() });
      break;
    }
    case 'close':
      for (const ws of sockets) ws.terminate();
      sockets.length = 0;
      send({ type: 'closed' });
      setTimeout(() => process.exit(0), 50);
      break;
  }
});
// the benchmark went away: never outlive it
process.on('disconnect', () => process.exit(0));
send({ type: 'ready', clockOffset: now() - Date.now() });

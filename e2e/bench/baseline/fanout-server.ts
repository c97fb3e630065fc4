import http from 'node:http';
import pg from 'pg';
import { WebSocketServer, type WebSocket } from 'ws';

/**
 * The minimal possible implementation the realtime benchmarks compare the project with: on
 * `POST /send` one plain `pg` INSERT (autocommit: insert + commit) into a simple table, then the
 * same graphql-ws `next` frame the project sends, serialized once and written to every connected
 * socket over plain `ws`. Sockets do the graphql-transport-ws handshake (connection_init →
 * connection_ack, subscribe) with no authentication, no per-socket state beyond a flag, and no
 * keep-alive. Run as its own process; reports its URL over IPC.
 */

const databaseUrl = process.env.DATABASE_URL;
if (!databaseUrl) throw new Error('DATABASE_URL is required');
const pool = new pg.Pool({ connectionString: databaseUrl, max: 8 });
await pool.query(`create table if not exists messages (
  id bigserial primary key,
  conversation_id uuid not null,
  seq integer not null,
  author_kind text not null,
  body text not null,
  client_message_id text,
  created_at timestamptz not null default now()
)`);

const subscribed = new Set<WebSocket>();
let seq = 0;
const globalId = (typename: string, id: string) => Buffer.from(`${typename}:${id}`).toString('base64');

async function readJson(req: http.IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
}

const server = http.createServer((req, res) => {
  if (req.method === 'GET' && req.url === '/stats') {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ sockets: wss.clients.size, subscribed: subscribed.size }));
    return;
  }
  if (req.method !== 'POST' || req.url !== '/send') {
    res.writeHead(404).end();
    return;
  }
  readJson(req)
    .then(async (input) => {
      const { rows } = await pool.query<{ id: string; seq: number; body: string; client_message_id: string | null; created_at: Date }>(
        `insert into messages (conversation_id, seq, author_kind, body, client_message_id) values ($1, $2, 'AGENT', $3, $4) returning *`,
        [input.conversationId, ++seq, input.body, input.clientMessageId ?? null],
      );
      const row = rows[0]!;
      const frame = Buffer.from(
        JSON.stringify({
          id: '1',
          type: 'next',
          payload: {
            data: {
              conversationEvents: {
                __typename: 'MessageAdded',
                cursor: Buffer.from(JSON.stringify([row.seq])).toString('base64url'),
                message: {
                  id: globalId('Message', String(row.id)),
                  seq: row.seq,
                  body: row.body,
                  authorKind: 'AGENT',
                  createdAt: row.created_at.toISOString(),
                  clientMessageId: row.client_message_id,
                  agent: input.agent ?? null,
                },
              },
            },
          },
        }),
      );
      for (const socket of subscribed) socket.send(frame);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ seq: row.seq }));
    })
    .catch((error: unknown) => {
      res.writeHead(500).end(String(error));
    });
});

const wss = new WebSocketServer({ server, path: '/graphql', perMessageDeflate: false });
wss.on('connection', (socket) => {
  socket.on('message', (data) => {
    const message = JSON.parse(String(data)) as { type: string };
    if (message.type === 'connection_init') socket.send('{"type":"connection_ack"}');
    else if (message.type === 'subscribe') subscribed.add(socket);
  });
  socket.on('close', () => subscribed.delete(socket));
});

server.listen(0, '127.0.0.1', () => {
  const address = server.address() as { port: number };
  process.send?.({ type: 'listening', url: `http://127.0.0.1:${address.port}` });
});
process.on('disconnect', () => process.exit(0));
process.on('SIGTERM', () => process.exit(0));

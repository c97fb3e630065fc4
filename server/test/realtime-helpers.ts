import WebSocket from 'ws';
import type { Client } from 'graphql-ws';
import type { TestApp } from './app.js';
import { gql, ok } from './graphql.js';
import { createAccount, createAgent, createApiToken, createVisitor, sendMessage } from './factories.js';
import { wsClient, type Received } from './ws.js';

/** Polls `probe` until `done` holds of its answer, at most `ms`. */
export async function eventually<T>(probe: () => T | Promise<T>, done: (value: T) => boolean, ms = 5_000, what = 'a condition'): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; last seen ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

export const range = (from: number, to: number) => Array.from({ length: Math.max(0, to - from + 1) }, (_, i) => from + i);

/** The value of one of the server's gauges. */
export async function gauge(app: TestApp, name: 'activeSubscriptions' | 'openSockets'): Promise<number> {
  return (await app.deps.realtime.metrics[name].get()).values[0]?.value ?? 0;
}

/** Waits until the server serves exactly `n` subscriptions, each listening on its topic. */
export const serving = (app: TestApp, n: number, ms = 5_000) =>
  eventually(() => gauge(app, 'activeSubscriptions'), (v) => v === n, ms, `${n} active subscriptions`);

/** A graphql-ws client that remembers the close codes of its sockets. */
export function socket(url: string, token?: string | null, options: { lazy?: boolean } = {}) {
  const client = wsClient(url, token, options);
  const closes: number[] = [];
  let connected = false;
  client.on('connected', () => (connected = true));
  client.on('closed', (event) => closes.push((event as { code: number }).code));
  return {
    client,
    closes,
    get connected() {
      return connected;
    },
  };
}

/** Disposes every client, whatever state it is in. */
export async function disposeAll(clients: Client[]) {
  await Promise.all(clients.map((c) => Promise.resolve(c.dispose()).catch(() => {})));
}

/** A raw websocket speaking graphql-transport-ws, for what the client library will not send. */
export async function rawSocket(url: string) {
  const ws = new WebSocket(url.replace(/^http/, 'ws') + '/graphql', 'graphql-transport-ws');
  const messages: any[] = [];
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() })),
  );
  ws.on('message', (data) => messages.push(JSON.parse(String(data))));
  ws.on('error', () => {});
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  return { ws, messages, closed, send: (message: unknown) => ws.send(JSON.stringify(message)) };
}

export const conversationEvents = `subscription($id: ID!, $after: String) { conversationEvents(conversationId: $id, after: $after) { __typename
  ... on MessageAdded { cursor message { id seq body authorKind clientMessageId conversation { id } } }
  ... on TypingChanged { conversationId authorKind isTyping agent { id name } }
  ... on MessagesRead { conversationId authorKind messageId seq }
  ... on ConversationUpdated { conversation { id status assignee { id } } } } }`;

export const accountEvents = `subscription { accountEvents { __typename
  ... on MessageAdded { cursor message { id seq body clientMessageId conversation { id } } }
  ... on ConversationStarted { conversation { id } }
  ... on ConversationUpdated { conversation { id status } }
  ... on VisitorUpdated { visitor { id online } }
  ... on AgentUpdated { agent { id status } } } }`;

type Event = Record<string, any> & { __typename: string };

/** The events of a subscription field, in arrival order. */
export const eventsOf = (received: Received[], field = 'conversationEvents'): Event[] =>
  received.map((r) => r.data?.[field] as Event | undefined).filter((e): e is Event => !!e);

/** The MessageAdded events received. */
export const messagesOf = (received: Received[], field = 'conversationEvents') =>
  eventsOf(received, field).filter((e) => e.__typename === 'MessageAdded');

export const seqsOf = (received: Received[], field = 'conversationEvents') => messagesOf(received, field).map((e) => e.message.seq as number);

export const bodiesOf = (received: Received[], field = 'conversationEvents') => messagesOf(received, field).map((e) => e.message.body as string);

/** Whether a message with this body has arrived. */
export const hasBody = (body: string, field = 'conversationEvents') => (received: Received[]) => bodiesOf(received, field).includes(body);

/** The error codes received on a subscription (refusals arrive as errors). */
export function errorCodes(stream: { received: Received[]; error: unknown }): string[] {
  const fromResults = stream.received.flatMap((r) => r.errors ?? []);
  const fromError = Array.isArray(stream.error) ? (stream.error as Received['errors'] & object) : [];
  return [...fromResults, ...fromError].map((e) => e.extensions?.code ?? '(none)');
}

/** One company with its owner, a second agent, an API token and a visitor whose first message opened a conversation. */
export async function world(url: string) {
  const owner = await createAccount(url);
  const agent = await createAgent(url, owner.token);
  const api = await createApiToken(url, owner.token);
  const visitor = await createVisitor(url, owner.account.widgetKey);
  const first = await sendMessage(url, visitor.token, 'Hello?');
  return { owner, agent, api, visitor, conversationId: first.conversation.id, firstMessageId: first.message.id };
}

/** The cursor of a conversation's newest message, read as a client would. */
export async function newestCursor(url: string, token: string, conversationId: string) {
  const data = ok(
    await gql(url, 'query($id: ID!) { node(id: $id) { ... on Conversation { messages(last: 1) { edges { cursor node { seq } } } } } }', { id: conversationId }, { token }),
  );
  const edge = data.node.messages.edges[0];
  return { cursor: edge.cursor as string, seq: edge.node.seq as number };
}

/** The cursor of the message with this seq, read as a client would. */
export async function cursorOf(url: string, token: string, conversationId: string, seq: number) {
  if (seq < 1 || seq > 100) throw new Error('cursorOf reads the first page only');
  const data = ok(
    await gql(url, 'query($id: ID!, $n: Int!) { node(id: $id) { ... on Conversation { messages(first: $n) { edges { cursor node { seq } } } } } }', { id: conversationId, n: seq }, { token }),
  );
  const edge = data.node.messages.edges.at(-1);
  if (edge.node.seq !== seq) throw new Error(`no message ${seq}`);
  return edge.cursor as string;
}

/** Keeps sending messages one after another until stopped; answers the seqs it got. */
export function startSender(url: string, token: string, conversationId: string, prefix: string) {
  const seqs: number[] = [];
  let stopped = false;
  const done = (async () => {
    for (let i = 1; !stopped; i++) seqs.push((await sendMessage(url, token, `${prefix}-${i}`, conversationId)).message.seq);
  })();
  return {
    seqs,
    get last() {
      return seqs.at(-1) ?? 0;
    },
    /** Waits until at least `n` messages were sent. */
    until: (n: number, ms = 15_000) => eventually(() => seqs.length, (count) => count >= n, ms, `${n} messages sent`),
    stop: async () => {
      stopped = true;
      await done;
      return seqs;
    },
  };
}

/** A GraphQL subscription over server-sent events, as a client without websockets would run it. */
export function sse(url: string, query: string, variables: Record<string, unknown>, token: string) {
  const events: any[] = [];
  let ended = false;
  let text = '';
  const controller = new AbortController();
  const done = (async () => {
    const res = await fetch(`${url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query, variables }),
      signal: controller.signal,
    });
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    for (;;) {
      const { value, done: finished } = await reader.read();
      if (finished) break;
      text += decoder.decode(value, { stream: true });
      let end: number;
      while ((end = text.indexOf('\n\n')) >= 0) {
        const block = text.slice(0, end);
        text = text.slice(end + 2);
        const data = block
          .split('\n')
          .filter((line) => line.startsWith('data:'))
          .map((line) => line.slice(5).trim())
          .join('\n');
        if (data) events.push(JSON.parse(data));
      }
    }
  })()
    .catch(() => {})
    .finally(() => (ended = true));
  return {
    events,
    get ended() {
      return ended;
    },
    close: async () => {
      controller.abort();
      await done;
    },
  };
}

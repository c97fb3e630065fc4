import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './app.js';
import { sendMessage } from './factories.js';
import { collect } from './ws.js';
import { disposeAll, gauge, hasBody, serving, socket, world } from './realtime-helpers.js';

/**
 * A live event is rendered once per audience (same operation, same kind of viewer) and the one
 * result goes to every socket of that audience (realtime/shared-rendering.ts). What each socket
 * receives must still be exactly what it would get on its own.
 */

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(async () => {
  await app?.stop();
});

const selection = `subscription($id: ID!) { conversationEvents(conversationId: $id) { __typename
  ... on MessageAdded { cursor message { body seq agent { name } private: agent { email role }
    conversation { visitor { id ipAddress } } } } } }`;
const other = `subscription($id: ID!) { conversationEvents(conversationId: $id) { ... on MessageAdded { message { seq } } } }`;

describe('rendering shared between sockets', () => {
  it('gives every socket what its own viewer may see, under its own subscription id', async () => {
    const w = await world(app.url);
    const base = await gauge(app, 'activeSubscriptions');
    const tokens = { owner: w.owner.token, agent: w.agent.token, api: w.api.token, visitor: w.visitor.token };
    const sockets = Object.entries(tokens).flatMap(([who, token]) => [1, 2].map(() => ({ who, ...socket(app.url, token) })));
    try {
      const streams = sockets.map((s) => ({ who: s.who, stream: collect(s.client, selection, { id: w.conversationId }) }));
      // the same socket, another operation: rendered on its own
      const lean = collect(sockets[0]!.client, other, { id: w.conversationId });
      await serving(app, base + streams.length + 1);
      await sendMessage(app.url, w.owner.token, 'one for all', w.conversationId);
      for (const { stream } of streams) await stream.until(hasBody('one for all'));
      await lean.until((r) => r.length > 0);

      const seen = (who: string) => streams.filter((s) => s.who === who).map((s) => s.stream.received.at(-1)!);
      const staff = ['owner', 'agent', 'api'].flatMap(seen);
      for (const received of staff) {
        expect(received.errors).toBeUndefined();
        expect(received.data!.conversationEvents.message).toMatchObject({
          body: 'one for all',
          seq: 2,
          agent: { name: 'Olivia Owner' },
          private: { email: w.owner.email, role: 'OWNER' },
          conversation: { visitor: { id: w.visitor.id, ipAddress: '127.0.0.0' } },
        });
        expect(received).toEqual(staff[0]);
      }
      const visitors = seen('visitor');
      for (const received of visitors) {
        expect(received.data!.conversationEvents.message).toMatchObject({
          body: 'one for all',
          agent: { name: 'Olivia Owner' },
          private: null,
          conversation: { visitor: { id: w.visitor.id, ipAddress: null } },
        });
        expect((received.errors ?? []).map((e: any) => e.extensions?.code)).toEqual(['FORBIDDEN', 'FORBIDDEN']);
        expect(received).toEqual(visitors[0]);
      }
      expect(lean.received).toEqual([{ data: { conversationEvents: { message: { seq: 2 } } } }]);
    } finally {
      await disposeAll(sockets.map((s) => s.client));
    }
  });
});

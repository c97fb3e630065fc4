import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './app.js';
import { gql, ok } from './graphql.js';
import { createAccount, createApiToken, createVisitor, sendMessage } from './factories.js';
import { collect, type Received } from './ws.js';
import { encodeCursor } from '../src/shared/keyset.js';
import {
  accountEvents,
  conversationEvents,
  disposeAll,
  errorCodes,
  eventsOf,
  eventually,
  gauge,
  hasBody,
  serving,
  socket,
  sse,
  world,
} from './realtime-helpers.js';

/** Who may follow what, and revocation closing what was open. */

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(async () => {
  await app?.stop();
});

const call = (token: string | null, query: string, variables: Record<string, unknown> = {}) => gql(app.url, query, variables, { token }).then(ok);
const setTyping = `mutation($input: SetTypingInput!) { setTyping(input: $input) }`;

/** Account A busy with a conversation, its second visitor, and account B with its own. */
async function twoAccounts() {
  const a = await world(app.url);
  const v2 = await createVisitor(app.url, a.owner.account.widgetKey);
  const c2 = (await sendMessage(app.url, v2.token, 'V2 here')).conversation.id;
  const b = await createAccount(app.url);
  const bApi = await createApiToken(app.url, b.token);
  const vb = await createVisitor(app.url, b.account.widgetKey);
  const cB = (await sendMessage(app.url, vb.token, 'VB here')).conversation.id;
  return { a, v2, c2, b, bApi, vb, cB };
}

describe('outsiders', () => {
  it("are refused A's conversation and account events, and their own streams carry nothing of A", async () => {
    const t = await twoAccounts();
    const outsiders: [string, string | null][] = [
      ['B agent', t.b.token],
      ['B API token', t.bApi.token],
      ['B visitor', t.vb.token],
      ["A's other visitor", t.v2.token],
      ['anonymous', null],
    ];
    const sockets = outsiders.map(([, token]) => socket(app.url, token));
    const badToken = socket(app.url, 'lcs_not-a-real-token');
    const watcher = socket(app.url, t.a.owner.token);
    try {
      // refusals
      for (const [i, [who, token]] of outsiders.entries()) {
        const expected = token ? 'FORBIDDEN' : 'UNAUTHENTICATED';
        for (const after of [null, encodeCursor([0])]) {
          const refused = collect(sockets[i]!.client, conversationEvents, { id: t.a.conversationId, after });
          await refused.until(() => false);
          expect(errorCodes(refused), who).toEqual([expected]);
          expect(refused.received.every((r) => !r.data), who).toBe(true);
        }
        if (who.includes('visitor') || who === 'anonymous') {
          const refused = collect(sockets[i]!.client, accountEvents);
          await refused.until(() => false);
          expect(errorCodes(refused), who).toEqual([expected]);
        }
      }
      const refused = collect(badToken.client, conversationEvents, { id: t.a.conversationId });
      await refused.until(() => false);
      expect(badToken.closes).toEqual([4403]);
      expect(refused.received).toEqual([]);

      // their own legitimate streams, while A is busy
      const base = await gauge(app, 'activeSubscriptions');
      const own = [
        collect(sockets[0]!.client, accountEvents),
        collect(sockets[0]!.client, conversationEvents, { id: t.cB }),
        collect(sockets[1]!.client, accountEvents),
        collect(sockets[1]!.client, conversationEvents, { id: t.cB }),
        collect(sockets[2]!.client, conversationEvents, { id: t.cB }),
        collect(sockets[3]!.client, conversationEvents, { id: t.c2 }),
      ];
      const fields = ['accountEvents', 'conversationEvents', 'accountEvents', 'conversationEvents', 'conversationEvents', 'conversationEvents'];
      const watching = collect(watcher.client, accountEvents);
      await serving(app, base + own.length + 1);

      const a = t.a;
      const conversation = { conversationId: a.conversationId };
      const secret = 'A-secret-message';
      await sendMessage(app.url, a.visitor.token, `${secret}-visitor`, a.conversationId);
      const reply = await sendMessage(app.url, a.owner.token, `${secret}-owner`, a.conversationId);
      await call(a.agent.token, setTyping, { input: { ...conversation, isTyping: true } });
      await call(a.visitor.token, setTyping, { input: { ...conversation, isTyping: false } });
      await call(a.visitor.token, 'mutation($input: MarkReadInput!) { markRead(input: $input) }', { input: { ...conversation, messageId: reply.message.id } });
      await call(a.owner.token, 'mutation($input: SetConversationStatusInput!) { setConversationStatus(input: $input) { id } }', {
        input: { ...conversation, status: 'PENDING' },
      });
      await call(a.owner.token, 'mutation { setPresence(status: AWAY) { id } }');
      const newcomer = await createVisitor(app.url, a.owner.account.widgetKey);
      const started = await sendMessage(app.url, newcomer.token, `${secret}-newcomer`);
      const tab = socket(app.url, newcomer.token, { lazy: false }); // online, then offline
      await eventually(() => tab.connected, Boolean, 5_000, 'the newcomer to connect');
      await tab.client.dispose();
      // every one of those events has reached A's own agent: they were all published
      const visitorOffline = (r: Received[]) =>
        eventsOf(r, 'accountEvents').some((e) => e.__typename === 'VisitorUpdated' && e.visitor.id === newcomer.id && !e.visitor.online);
      await watching.until(visitorOffline);
      expect(new Set(eventsOf(watching.received, 'accountEvents').map((e) => e.__typename))).toEqual(
        new Set(['MessageAdded', 'ConversationUpdated', 'AgentUpdated', 'ConversationStarted', 'VisitorUpdated']),
      );

      // then a sentinel in each of their own conversations
      await sendMessage(app.url, t.b.token, 'B sentinel', t.cB);
      await sendMessage(app.url, t.v2.token, 'V2 sentinel', t.c2);
      for (const [i, stream] of own.entries()) {
        await stream.until(hasBody(i === 5 ? 'V2 sentinel' : 'B sentinel', fields[i]));
        const text = JSON.stringify(stream.received);
        for (const leak of [secret, a.conversationId, a.visitor.id, newcomer.id, started.conversation.id, a.owner.agent.id, a.agent.id]) {
          expect(text, `stream ${i} carries ${leak}`).not.toContain(leak);
        }
        for (const event of eventsOf(stream.received, fields[i])) {
          const conversationId = event.message?.conversation?.id ?? event.conversation?.id ?? event.conversationId;
          if (conversationId) expect([t.cB, t.c2]).toContain(conversationId);
        }
      }
      expect(JSON.stringify(own[5]!.received)).not.toContain(t.cB);
      // nobody was thrown out (a lazy client closes its idle socket normally, with 1000)
      expect(sockets.flatMap((s) => s.closes).filter((code) => code !== 1000)).toEqual([]);
    } finally {
      await disposeAll([...sockets.map((s) => s.client), badToken.client, watcher.client]);
    }
  });
});

describe('revocation', () => {
  it('signOut, revokeApiToken and removeAgent close exactly that principal’s sockets and SSE streams, with 4403', async () => {
    const w = await world(app.url);
    const second = ok(
      await gql(app.url, 'mutation($input: SignInInput!) { signIn(input: $input) { token } }', {
        input: { email: w.owner.email, password: w.owner.password },
      }),
    ).signIn.token as string;
    const base = await gauge(app, 'activeSubscriptions');
    const principals = {
      session1: socket(app.url, w.owner.token),
      session2: socket(app.url, second),
      agent: socket(app.url, w.agent.token),
      api: socket(app.url, w.api.token),
      visitor: socket(app.url, w.visitor.token),
    };
    const streams = {
      session1: collect(principals.session1.client, accountEvents),
      session2: collect(principals.session2.client, accountEvents),
      agent: collect(principals.agent.client, conversationEvents, { id: w.conversationId }),
      api: collect(principals.api.client, accountEvents),
      visitor: collect(principals.visitor.client, conversationEvents, { id: w.conversationId }),
    };
    const fieldOf = (name: keyof typeof streams) => (name === 'agent' || name === 'visitor' ? 'conversationEvents' : 'accountEvents');
    const apiOverSse = sse(app.url, accountEvents, {}, w.api.token);
    const agentOverSse = sse(app.url, conversationEvents, { id: w.conversationId }, w.agent.token);
    try {
      await serving(app, base + 7);
      /** Sends a message and checks exactly the still-open ones receive it. */
      const reaches = async (body: string, open: (keyof typeof streams)[], sseOpen: ReturnType<typeof sse>[]) => {
        await sendMessage(app.url, second, body, w.conversationId);
        for (const name of open) await streams[name].until(hasBody(body, fieldOf(name)));
        for (const s of sseOpen) {
          await eventually(() => JSON.stringify(s.events).includes(body), Boolean, 5_000, `${body} over SSE`);
        }
        for (const name of Object.keys(streams) as (keyof typeof streams)[]) {
          expect(principals[name].closes, name).toEqual(open.includes(name) ? [] : [4403]);
        }
      };
      await reaches('before', ['session1', 'session2', 'agent', 'api', 'visitor'], [apiOverSse, agentOverSse]);

      let started = Date.now();
      ok(await gql(app.url, 'mutation { signOut }', {}, { token: w.owner.token }));
      await eventually(() => principals.session1.closes, (c) => c.length > 0, 3_000, 'the signed-out socket to close');
      expect(Date.now() - started).toBeLessThan(3_000);
      await reaches('after signOut', ['session2', 'agent', 'api', 'visitor'], [apiOverSse, agentOverSse]);

      started = Date.now();
      ok(await gql(app.url, 'mutation($id: ID!) { revokeApiToken(id: $id) }', { id: w.api.id }, { token: second }));
      await eventually(() => principals.api.closes.length > 0 && apiOverSse.ended, Boolean, 3_000, 'the API token socket and SSE to end');
      expect(Date.now() - started).toBeLessThan(3_000);
      await reaches('after revokeApiToken', ['session2', 'agent', 'visitor'], [agentOverSse]);

      started = Date.now();
      ok(await gql(app.url, 'mutation($id: ID!) { removeAgent(id: $id) { id } }', { id: w.agent.id }, { token: second }));
      await eventually(() => principals.agent.closes.length > 0 && agentOverSse.ended, Boolean, 3_000, 'the removed agent socket and SSE to end');
      expect(Date.now() - started).toBeLessThan(3_000);
      await reaches('after removeAgent', ['session2', 'visitor'], []);

      // what the revoked ones saw ends before the revocation
      expect(JSON.stringify(apiOverSse.events)).not.toContain('after revokeApiToken');
      expect(JSON.stringify(agentOverSse.events)).toContain('after revokeApiToken');
      expect(JSON.stringify(agentOverSse.events)).not.toContain('after removeAgent');
      await serving(app, base + 2);
      // and the revoked tokens cannot open new sockets
      for (const token of [w.owner.token, w.api.token, w.agent.token]) {
        const again = socket(app.url, token);
        const refused = collect(again.client, accountEvents);
        await refused.until(() => false);
        expect(again.closes).toEqual([4403]);
        await again.client.dispose();
      }
    } finally {
      await Promise.all([apiOverSse.close(), agentOverSse.close()]);
      await disposeAll(Object.values(principals).map((p) => p.client));
    }
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './app.js';
import { expectError, gql, ok } from './graphql.js';
import { createAccount, createVisitor, sendMessage } from './factories.js';

/** The widget is open to the whole internet: page loads per address and messages per visitor are limited. */

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp({ RATE_LIMIT_VISITOR_SESSIONS: '3', RATE_LIMIT_VISITOR_MESSAGES: '2' });
});
afterAll(async () => {
  await app?.stop();
});

const start = 'mutation($input: StartVisitorSessionInput!) { startVisitorSession(input: $input) { visitorToken } }';
const send = 'mutation($input: SendMessageInput!) { sendMessage(input: $input) { message { id } } }';
const count = async (table: string) => (await app.sql(`select count(*)::int as n from ${table}`)).rows[0].n as number;

describe('visitor rate limits', () => {
  it('refuses a fourth page load a minute from one address with RATE_LIMITED and when to retry, creating nothing', async () => {
    const owner = await createAccount(app.url);
    const from = (ip: string) => ({ headers: { 'x-forwarded-for': ip } });
    for (let i = 0; i < 3; i++) ok(await gql(app.url, start, { input: { widgetKey: owner.account.widgetKey } }, from('203.0.113.5')));
    const before = await count('visitors');
    const refused = await gql(app.url, start, { input: { widgetKey: owner.account.widgetKey } }, from('203.0.113.5'));
    expectError(refused, 'RATE_LIMITED');
    expect(refused.errors![0]!.extensions!.retryAfterSeconds).toBeGreaterThan(0);
    expect(await count('visitors')).toBe(before);
    // another address is not held back
    ok(await gql(app.url, start, { input: { widgetKey: owner.account.widgetKey } }, from('203.0.113.6')));
  });

  it('refuses a visitor’s third message a minute, storing nothing, while other visitors and agents go on', async () => {
    const owner = await createAccount(app.url);
    const visitor = await createVisitor(app.url, owner.account.widgetKey, { 'x-forwarded-for': '198.51.100.1' });
    const first = await sendMessage(app.url, visitor.token, 'one');
    await sendMessage(app.url, visitor.token, 'two', first.conversation.id);
    const before = await count('messages');
    expectError(await gql(app.url, send, { input: { conversationId: first.conversation.id, body: 'three' } }, { token: visitor.token }), 'RATE_LIMITED');
    expect(await count('messages')).toBe(before);

    const other = await createVisitor(app.url, owner.account.widgetKey, { 'x-forwarded-for': '198.51.100.2' });
    await sendMessage(app.url, other.token, 'mine is fine');
    // agents answer without a limit
    for (let i = 0; i < 5; i++) await sendMessage(app.url, owner.token, `answer ${i}`, first.conversation.id);
  });
});

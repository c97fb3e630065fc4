import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './app.js';
import { expectError, gql, ok } from './graphql.js';
import { createAccount, createAgent } from './factories.js';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(async () => {
  await app?.stop();
});

const signUp = `mutation($input: SignUpInput!) { signUp(input: $input) { token agent { id name email role } } }`;
const signIn = `mutation($input: SignInInput!) { signIn(input: $input) { token agent { id email } } }`;

describe('signUp', () => {
  it('creates an account with its owner, signed in, and stores only hashes', async () => {
    const input = { accountName: 'Acme', name: 'Ann', email: 'Ann@Example.com ', password: 'long enough password' };
    const data = ok(await gql(app.url, signUp, { input }));
    expect(data.signUp.agent).toMatchObject({ name: 'Ann', email: 'ann@example.com', role: 'OWNER' });
    const viewer = ok(await gql(app.url, '{ viewer { kind agent { id } account { name widgetKey } } }', {}, { token: data.signUp.token }));
    expect(viewer.viewer).toMatchObject({ kind: 'AGENT', agent: { id: data.signUp.agent.id }, account: { name: 'Acme' } });
    expect(viewer.viewer.account.widgetKey).toMatch(/^wk_/);
    const { rows } = await app.sql('select password_hash from agents where email = $1', ['ann@example.com']);
    expect(rows[0].password_hash).toMatch(/^\$argon2id\$/);
    const sessions = await app.sql('select token_hash from agent_sessions');
    expect(sessions.rows.map((r) => r.token_hash)).not.toContain(data.signUp.token);
    expect(sessions.rows[0].token_hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it.each([
    [{ accountName: '', name: 'A', email: 'a@example.com', password: 'long enough password' }, 'input.accountName'],
    [{ accountName: 'A', name: '   ', email: 'a@example.com', password: 'long enough password' }, 'input.name'],
    [{ accountName: 'A', name: 'A', email: 'not-an-email', password: 'long enough password' }, 'input.email'],
    [{ accountName: 'A', name: 'A', email: 'a@example.com', password: 'short' }, 'input.password'],
    [{ accountName: 'x'.repeat(101), name: 'A', email: 'a@example.com', password: 'long enough password' }, 'input.accountName'],
  ])('refuses bad input %#, naming the field, and leaves nothing behind', async (input, field) => {
    const before = await app.sql('select count(*)::int as n from accounts');
    expectError(await gql(app.url, signUp, { input }), 'BAD_USER_INPUT', field);
    const after = await app.sql('select count(*)::int as n from accounts');
    expect(after.rows[0].n).toBe(before.rows[0].n);
  });

  it('refuses a taken email with CONFLICT and creates no account', async () => {
    const owner = await createAccount(app.url);
    const before = await app.sql('select count(*)::int as n from accounts');
    const input = { accountName: 'Copy', name: 'B', email: owner.email, password: 'long enough password' };
    expectError(await gql(app.url, signUp, { input }), 'CONFLICT', 'input.email');
    const after = await app.sql('select count(*)::int as n from accounts');
    expect(after.rows[0].n).toBe(before.rows[0].n);
  });

  it('answers a missing required field with BAD_USER_INPUT and status 400', async () => {
    const response = await gql(app.url, signUp, { input: { accountName: 'A' } });
    expect(response.status).toBe(400);
    expectError(response, 'BAD_USER_INPUT');
  });
});

describe('signIn and signOut', () => {
  it('signs in with the right password and not with a wrong one', async () => {
    const owner = await createAccount(app.url);
    const data = ok(await gql(app.url, signIn, { input: { email: owner.email, password: owner.password } }));
    expect(data.signIn.agent.id).toBe(owner.agent.id);
    const headers = { 'x-forwarded-for': '192.0.2.1' };
    expectError(await gql(app.url, signIn, { input: { email: owner.email, password: 'wrong password' } }, { headers }), 'UNAUTHENTICATED');
    expectError(await gql(app.url, signIn, { input: { email: 'nobody@example.com', password: 'whatever' } }, { headers }), 'UNAUTHENTICATED');
  });

  it('signOut revokes the session token', async () => {
    const owner = await createAccount(app.url);
    expect(ok(await gql(app.url, 'mutation { signOut }', {}, { token: owner.token })).signOut).toBe(true);
    const after = await gql(app.url, '{ viewer { kind } }', {}, { token: owner.token });
    expect(after.status).toBe(401);
    expectError(after, 'UNAUTHENTICATED');
  });

  it('rate limits after 10 failures for one email, even with the right password', async () => {
    const owner = await createAccount(app.url);
    for (let i = 0; i < 10; i++) {
      // a different client address each time (through the trusted loopback proxy): the limit per email holds
      const headers = { 'x-forwarded-for': `198.51.100.${i + 1}` };
      expectError(await gql(app.url, signIn, { input: { email: owner.email, password: `wrong ${i}` } }, { headers }), 'UNAUTHENTICATED');
    }
    const headers = { 'x-forwarded-for': '198.51.100.99' };
    expectError(await gql(app.url, signIn, { input: { email: owner.email, password: owner.password } }, { headers }), 'RATE_LIMITED');
  });

  it('rate limits one address after 10 failures across different emails', async () => {
    const owner = await createAccount(app.url);
    const headers = { 'x-forwarded-for': '203.0.113.7' };
    for (let i = 0; i < 10; i++) {
      expectError(await gql(app.url, signIn, { input: { email: `nobody-${i}@example.com`, password: 'x' } }, { headers }), 'UNAUTHENTICATED');
    }
    expectError(await gql(app.url, signIn, { input: { email: owner.email, password: owner.password } }, { headers }), 'RATE_LIMITED');
    // another address is not affected
    ok(await gql(app.url, signIn, { input: { email: owner.email, password: owner.password } }, { headers: { 'x-forwarded-for': '203.0.113.8' } }));
  });

  it('refuses an unknown or malformed bearer token with UNAUTHENTICATED and 401', async () => {
    for (const token of ['lcs_nope', 'garbage', 'lca_' + 'x'.repeat(43)]) {
      const response = await gql(app.url, '{ viewer { kind } }', {}, { token });
      expect(response.status).toBe(401);
      expectError(response, 'UNAUTHENTICATED');
    }
    const anonymous = ok(await gql(app.url, '{ viewer { kind agent { id } account { id } visitor { id } } }'));
    expect(anonymous.viewer).toEqual({ kind: 'ANONYMOUS', agent: null, account: null, visitor: null });
  });
});

describe('team', () => {
  it('an admin invites an agent who accepts once and signs in', async () => {
    const owner = await createAccount(app.url);
    const invite = ok(
      await gql(app.url, `mutation { inviteAgent(input: { name: "Ben", email: "ben-${Date.now()}@example.com", role: ADMIN }) { inviteToken agent { id invitePending role } } }`, {}, { token: owner.token }),
    );
    expect(invite.inviteAgent.agent).toMatchObject({ invitePending: true, role: 'ADMIN' });
    const accept = `mutation($t: String!) { acceptInvite(input: { inviteToken: $t, password: "a good password" }) { token agent { id invitePending } } }`;
    const accepted = ok(await gql(app.url, accept, { t: invite.inviteAgent.inviteToken }));
    expect(accepted.acceptInvite.agent).toEqual({ id: invite.inviteAgent.agent.id, invitePending: false });
    expectError(await gql(app.url, accept, { t: invite.inviteAgent.inviteToken }), 'NOT_FOUND');
  });

  it('an AGENT may not invite, and an ADMIN may not invite an OWNER', async () => {
    const owner = await createAccount(app.url);
    const agent = await createAgent(app.url, owner.token, 'AGENT');
    const admin = await createAgent(app.url, owner.token, 'ADMIN');
    const invite = (role: string) => `mutation { inviteAgent(input: { name: "C", email: "c-${Math.random()}@example.com", role: ${role} }) { inviteToken } }`;
    expectError(await gql(app.url, invite('AGENT'), {}, { token: agent.token }), 'FORBIDDEN');
    expectError(await gql(app.url, invite('OWNER'), {}, { token: admin.token }), 'FORBIDDEN');
    ok(await gql(app.url, invite('AGENT'), {}, { token: admin.token }));
  });

  it('updateProfile and setPresence change the caller only', async () => {
    const owner = await createAccount(app.url);
    const data = ok(
      await gql(app.url, 'mutation { updateProfile(input: { jobTitle: " Support lead ", motto: "Here for you" }) { name jobTitle motto } setPresence(status: AWAY) { status } }', {}, { token: owner.token }),
    );
    expect(data.updateProfile).toEqual({ name: 'Olivia Owner', jobTitle: 'Support lead', motto: 'Here for you' });
    expect(data.setPresence.status).toBe('AWAY');
    expectError(await gql(app.url, 'mutation { updateProfile(input: { name: "" }) { name } }', {}, { token: owner.token }), 'BAD_USER_INPUT', 'input.name');
  });
});

describe('billing profile', () => {
  it('the owner edits it; an admin reads it and may not edit; no card field exists', async () => {
    const owner = await createAccount(app.url);
    const admin = await createAgent(app.url, owner.token, 'ADMIN');
    const update = 'mutation($input: UpdateBillingProfileInput!) { updateBillingProfile(input: $input) { companyName vatId billingEmail plan } }';
    const data = ok(await gql(app.url, update, { input: { companyName: 'Acme s.r.o.', vatId: 'CZ12345678', billingEmail: 'billing@acme.example', plan: 'PAID' } }, { token: owner.token }));
    expect(data.updateBillingProfile).toEqual({ companyName: 'Acme s.r.o.', vatId: 'CZ12345678', billingEmail: 'billing@acme.example', plan: 'PAID' });
    expectError(await gql(app.url, update, { input: { companyName: 'X' } }, { token: admin.token }), 'FORBIDDEN');
    expectError(await gql(app.url, update, { input: { billingEmail: 'nope' } }, { token: owner.token }), 'BAD_USER_INPUT', 'input.billingEmail');
    const read = ok(await gql(app.url, '{ viewer { account { billingProfile { companyName plan } } } }', {}, { token: admin.token }));
    expect(read.viewer.account.billingProfile).toEqual({ companyName: 'Acme s.r.o.', plan: 'PAID' });
    const columns = await app.sql(`select column_name from information_schema.columns where table_schema = 'public'`);
    expect(columns.rows.map((r) => r.column_name).filter((c: string) => /(^|_)(card|pan|cvv|cvc|expiry)(_|$)/i.test(c))).toEqual([]);
  });
});

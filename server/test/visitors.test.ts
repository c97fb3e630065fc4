import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './app.js';
import { expectError, gql, ok } from './graphql.js';
import { createAccount, createAgent, createApiToken, createVisitor } from './factories.js';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(async () => {
  await app?.stop();
});

const chromeOnWindows =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.6099.130 Safari/537.36';
const safariOnIos =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_2 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.2 Mobile/15E148 Safari/604.1';

const start = `mutation($input: StartVisitorSessionInput!) {
  startVisitorSession(input: $input) { visitorToken visitor { id name email } }
}`;
const technical = 'id name email userAgent ipAddress browser { name version } os { name version } location { country city } firstSeenAt lastSeenAt';
const visitorQuery = `query($id: ID!) { node(id: $id) { ... on Visitor { ${technical} pageViews { url title referrer viewedAt } } } }`;
const updateVisitor = 'mutation($input: UpdateVisitorInput!) { updateVisitor(input: $input) { id name email } }';

type StartInput = { widgetKey: string; visitorToken?: string; pageUrl?: string; pageTitle?: string; referrer?: string };

async function startSession(input: StartInput, headers: Record<string, string> = {}, url = app.url) {
  const data = ok(await gql(url, start, { input }, { headers }));
  return data.startVisitorSession as { visitorToken: string; visitor: { id: string; name: string | null; email: string | null } };
}

/** The visitor as its account's staff sees it. */
async function visitorAsStaff(token: string, id: string, url = app.url) {
  return ok(await gql(url, visitorQuery, { id }, { token })).node;
}

const count = async (table: string) => (await app.sql(`select count(*)::int as n from ${table}`)).rows[0].n as number;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('startVisitorSession: what the server learns from the request', () => {
  it('parses browser and OS with versions from the user agent', async () => {
    const owner = await createAccount(app.url);
    const chrome = await startSession({ widgetKey: owner.account.widgetKey }, { 'user-agent': chromeOnWindows });
    const safari = await startSession({ widgetKey: owner.account.widgetKey }, { 'user-agent': safariOnIos });

    expect(await visitorAsStaff(owner.token, chrome.visitor.id)).toMatchObject({
      userAgent: chromeOnWindows,
      browser: { name: 'Chrome', version: '120.0.6099.130' },
      os: { name: 'Windows', version: '10' },
    });
    expect(await visitorAsStaff(owner.token, safari.visitor.id)).toMatchObject({
      userAgent: safariOnIos,
      browser: { name: 'Mobile Safari', version: '17.2' },
      os: { name: 'iOS', version: '17.2' },
    });
  });

  it('believes X-Forwarded-For from the trusted loopback proxy and locates the IP offline', async () => {
    const owner = await createAccount(app.url);
    const us = await startSession({ widgetKey: owner.account.widgetKey }, { 'x-forwarded-for': '8.8.8.8' });
    // CESNET, the Czech research network, in Olomouc (answer of the geoip-lite database shipped with the package)
    const cz = await startSession({ widgetKey: owner.account.widgetKey }, { 'x-forwarded-for': '195.113.144.201' });
    const local = await startSession({ widgetKey: owner.account.widgetKey });

    expect(await visitorAsStaff(owner.token, us.visitor.id)).toMatchObject({ ipAddress: '8.8.8.0', location: { country: 'US' } }); // located from the full address, stored truncated (the default)
    expect(await visitorAsStaff(owner.token, cz.visitor.id)).toMatchObject({
      ipAddress: '195.113.144.0',
      location: { country: 'CZ', city: 'Olomouc' },
    });
    expect(await visitorAsStaff(owner.token, local.visitor.id)).toMatchObject({ ipAddress: '127.0.0.0', location: null });
  });

  it('ignores X-Forwarded-For when no proxy is trusted', async () => {
    const untrusting = await startTestApp({ TRUST_PROXY: 'false' });
    try {
      const owner = await createAccount(untrusting.url);
      const session = await startSession({ widgetKey: owner.account.widgetKey }, { 'x-forwarded-for': '8.8.8.8' }, untrusting.url);
      expect(await visitorAsStaff(owner.token, session.visitor.id, untrusting.url)).toMatchObject({ ipAddress: '127.0.0.0', location: null });
    } finally {
      await untrusting.stop();
    }
  });
});

describe('startVisitorSession: page views and resuming', () => {
  it('records the page view and resumes the same visitor with the same token', async () => {
    const owner = await createAccount(app.url);
    const widgetKey = owner.account.widgetKey;
    const first = await startSession({
      widgetKey,
      pageUrl: 'https://shop.example/pricing',
      pageTitle: 'Pricing',
      referrer: 'https://search.example/?q=chat',
    });
    expect(first.visitorToken).toMatch(/^lcv_/);
    const before = await visitorAsStaff(owner.token, first.visitor.id);
    expect(before.pageViews).toEqual([
      { url: 'https://shop.example/pricing', title: 'Pricing', referrer: 'https://search.example/?q=chat', viewedAt: expect.any(String) },
    ]);
    const visitorsBefore = await count('visitors');

    await sleep(20);
    const second = await startSession({ widgetKey, visitorToken: first.visitorToken, pageUrl: 'https://shop.example/checkout' });
    expect(second.visitor.id).toBe(first.visitor.id);
    expect(second.visitorToken).toBe(first.visitorToken);
    expect(await count('visitors')).toBe(visitorsBefore);

    const after = await visitorAsStaff(owner.token, first.visitor.id);
    expect(after.pageViews.map((v: { url: string }) => v.url)).toEqual(['https://shop.example/checkout', 'https://shop.example/pricing']);
    expect(after.pageViews[0]).toMatchObject({ title: null, referrer: null });
    expect(after.firstSeenAt).toBe(before.firstSeenAt);
    expect(new Date(after.lastSeenAt).getTime()).toBeGreaterThan(new Date(before.lastSeenAt).getTime());

    const { rows } = await app.sql(
      'select url, title, referrer from page_views where visitor_id = (select id from visitors where token_hash = $1) order by viewed_at',
      [sha256(first.visitorToken)],
    );
    expect(rows).toEqual([
      { url: 'https://shop.example/pricing', title: 'Pricing', referrer: 'https://search.example/?q=chat' },
      { url: 'https://shop.example/checkout', title: null, referrer: null },
    ]);
  });

  it('starts a new visitor for an unknown token or a token of another account', async () => {
    const owner = await createAccount(app.url);
    const other = await createAccount(app.url);
    const theirs = await startSession({ widgetKey: other.account.widgetKey });

    for (const visitorToken of ['lcv_' + 'x'.repeat(43), 'garbage', theirs.visitorToken]) {
      const session = await startSession({ widgetKey: owner.account.widgetKey, visitorToken });
      expect(session.visitorToken).not.toBe(visitorToken);
      expect(session.visitor.id).not.toBe(theirs.visitor.id);
      expect((await visitorAsStaff(owner.token, session.visitor.id)).id).toBe(session.visitor.id);
    }
    // the other account's visitor is untouched and still belongs to it
    const { rows } = await app.sql('select count(*)::int as n from visitors where token_hash = $1', [sha256(theirs.visitorToken)]);
    expect(rows[0].n).toBe(1);
    expect(ok(await gql(app.url, visitorQuery, { id: theirs.visitor.id }, { token: owner.token })).node).toBeNull();
  });

  it('stores the visitor token only as its SHA-256', async () => {
    const owner = await createAccount(app.url);
    const session = await startSession({ widgetKey: owner.account.widgetKey });
    const { rows } = await app.sql('select * from visitors where token_hash = $1', [sha256(session.visitorToken)]);
    expect(rows).toHaveLength(1);
    expect(rows[0].token_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(rows[0])).not.toContain(session.visitorToken);
    expect(JSON.stringify(rows[0])).not.toContain(session.visitorToken.slice(4));
  });
});

describe('startVisitorSession: bad input', () => {
  it('answers an unknown widget key with NOT_FOUND and writes nothing', async () => {
    const [visitors, views] = [await count('visitors'), await count('page_views')];
    expectError(await gql(app.url, start, { input: { widgetKey: 'wk_nope', pageUrl: 'https://shop.example/' } }), 'NOT_FOUND');
    expect([await count('visitors'), await count('page_views')]).toEqual([visitors, views]);
  });

  it('refuses a page URL that is not an http(s) URL, naming the field, and writes nothing', async () => {
    const owner = await createAccount(app.url);
    const [visitors, views] = [await count('visitors'), await count('page_views')];
    for (const pageUrl of ['not a url', 'x'.repeat(3000), 'javascript:alert(1)//x', 'data:text/html,hi']) {
      expectError(await gql(app.url, start, { input: { widgetKey: owner.account.widgetKey, pageUrl } }), 'BAD_USER_INPUT', 'input.pageUrl');
    }
    expect([await count('visitors'), await count('page_views')]).toEqual([visitors, views]);
  });
  it('refuses NUL characters (which PostgreSQL cannot store) as bad input, not an internal error', async () => {
    const owner = await createAccount(app.url);
    const widgetKey = owner.account.widgetKey;
    const [visitors, views] = [await count('visitors'), await count('page_views')];
    const cases: [Partial<StartInput>, string][] = [
      [{ widgetKey: 'wk_\u0000' }, 'input.widgetKey'],
      [{ pageUrl: 'https://shop.example/a\u0000b' }, 'input.pageUrl'],
      [{ pageUrl: 'https://shop.example/', pageTitle: 'Pri\u0000cing' }, 'input.pageTitle'],
    ];
    for (const [input, field] of cases) {
      expectError(await gql(app.url, start, { input: { widgetKey, ...input } }), 'BAD_USER_INPUT', field);
    }
    expect([await count('visitors'), await count('page_views')]).toEqual([visitors, views]);
    const visitor = await createVisitor(app.url, widgetKey);
    expectError(await gql(app.url, updateVisitor, { input: { name: 'Ve\u0000ra' } }, { token: visitor.token }), 'BAD_USER_INPUT', 'input.name');
  });
});

describe('updateVisitor', () => {
  it('the visitor itself fills in the pre-chat form', async () => {
    const owner = await createAccount(app.url);
    const visitor = await createVisitor(app.url, owner.account.widgetKey);
    const data = ok(await gql(app.url, updateVisitor, { input: { name: ' Vera Visitor ', email: 'Vera@Example.com' } }, { token: visitor.token }));
    expect(data.updateVisitor).toEqual({ id: visitor.id, name: 'Vera Visitor', email: 'vera@example.com' });
    const { rows } = await app.sql('select name, email from visitors where token_hash = $1', [sha256(visitor.token)]);
    expect(rows[0]).toEqual({ name: 'Vera Visitor', email: 'vera@example.com' });
  });

  it('leaves out what the input leaves out, and clears what it sets to null', async () => {
    const owner = await createAccount(app.url);
    const visitor = await createVisitor(app.url, owner.account.widgetKey);
    ok(await gql(app.url, updateVisitor, { input: { name: 'Vera', email: 'vera@example.com' } }, { token: visitor.token }));
    const renamed = ok(await gql(app.url, updateVisitor, { input: { name: 'Vera V.' } }, { token: visitor.token }));
    expect(renamed.updateVisitor).toMatchObject({ name: 'Vera V.', email: 'vera@example.com' });
    const cleared = ok(await gql(app.url, updateVisitor, { input: { email: null } }, { token: visitor.token }));
    expect(cleared.updateVisitor).toMatchObject({ name: 'Vera V.', email: null });
    expectError(await gql(app.url, updateVisitor, { input: { name: 'X' } }, { token: owner.token }), 'BAD_USER_INPUT', 'input.visitorId');
  });

  it('refuses a bad email, naming the field, and changes nothing', async () => {
    const owner = await createAccount(app.url);
    const visitor = await createVisitor(app.url, owner.account.widgetKey);
    ok(await gql(app.url, updateVisitor, { input: { name: 'Vera', email: 'vera@example.com' } }, { token: visitor.token }));
    expectError(await gql(app.url, updateVisitor, { input: { name: 'Other', email: 'not-an-email' } }, { token: visitor.token }), 'BAD_USER_INPUT', 'input.email');
    const { rows } = await app.sql('select name, email from visitors where token_hash = $1', [sha256(visitor.token)]);
    expect(rows[0]).toEqual({ name: 'Vera', email: 'vera@example.com' });
  });

  it("an agent or API token of the account updates a visitor by id; another account's agent gets NOT_FOUND", async () => {
    const owner = await createAccount(app.url);
    const agent = await createAgent(app.url, owner.token);
    const apiToken = await createApiToken(app.url, owner.token);
    const stranger = await createAccount(app.url);
    const visitor = await createVisitor(app.url, owner.account.widgetKey);

    const byAgent = ok(await gql(app.url, updateVisitor, { input: { visitorId: visitor.id, name: 'Named by agent', email: 'a@example.com' } }, { token: agent.token }));
    expect(byAgent.updateVisitor).toEqual({ id: visitor.id, name: 'Named by agent', email: 'a@example.com' });
    const byToken = ok(await gql(app.url, updateVisitor, { input: { visitorId: visitor.id, name: 'Named by API', email: 'b@example.com' } }, { token: apiToken.token }));
    expect(byToken.updateVisitor.name).toBe('Named by API');

    expectError(await gql(app.url, updateVisitor, { input: { visitorId: visitor.id, name: 'Hijacked', email: 'evil@example.com' } }, { token: stranger.token }), 'NOT_FOUND');
    const { rows } = await app.sql('select name, email from visitors where token_hash = $1', [sha256(visitor.token)]);
    expect(rows[0]).toEqual({ name: 'Named by API', email: 'b@example.com' });
  });

  it('a visitor may not update another visitor, and an anonymous caller may not update any', async () => {
    const owner = await createAccount(app.url);
    const visitor = await createVisitor(app.url, owner.account.widgetKey);
    const other = await createVisitor(app.url, owner.account.widgetKey);
    expectError(await gql(app.url, updateVisitor, { input: { visitorId: other.id, name: 'Hijacked' } }, { token: visitor.token }), 'NOT_FOUND');
    expectError(await gql(app.url, updateVisitor, { input: { visitorId: other.id, name: 'Hijacked' } }), 'UNAUTHENTICATED');
    const { rows } = await app.sql('select name from visitors where token_hash = $1', [sha256(other.token)]);
    expect(rows[0].name).toBeNull();
  });
});

describe("the visitor's own view", () => {
  it('sees its name and email but none of its technical data', async () => {
    const owner = await createAccount(app.url);
    const visitor = await createVisitor(app.url, owner.account.widgetKey, { 'user-agent': chromeOnWindows, 'x-forwarded-for': '8.8.8.8' });
    ok(await gql(app.url, updateVisitor, { input: { name: 'Vera', email: 'vera@example.com' } }, { token: visitor.token }));

    const own = ok(await gql(app.url, '{ viewer { kind visitor { id name email } } }', {}, { token: visitor.token }));
    expect(own.viewer).toEqual({ kind: 'VISITOR', visitor: { id: visitor.id, name: 'Vera', email: 'vera@example.com' } });

    const hidden = ['ipAddress', 'userAgent', 'browser', 'os', 'location'];
    const response = await gql(
      app.url,
      '{ viewer { visitor { name ipAddress userAgent browser { name } os { name } location { country } } } }',
      {},
      { token: visitor.token },
    );
    expect(response.data?.viewer.visitor).toEqual({ name: 'Vera', ipAddress: null, userAgent: null, browser: null, os: null, location: null });
    const errors = response.errors ?? [];
    expect(errors.map((e) => e.path?.at(-1)).sort()).toEqual([...hidden].sort());
    for (const error of errors) expect(error.extensions?.code).toBe('FORBIDDEN');
    expect(response.raw).not.toContain('8.8.8.8');
    expect(response.raw).not.toContain('Chrome');
  });
});

function sha256(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './app.js';
import { expectError, gql, ok } from './graphql.js';
import { createAccount, createVisitor } from './factories.js';

let app: TestApp;
/** A second server with a small body limit. */
let small: TestApp;
beforeAll(async () => {
  [app, small] = await Promise.all([startTestApp(), startTestApp({ BODY_LIMIT_BYTES: '1000' })]);
});
afterAll(async () => {
  await Promise.all([app?.stop(), small?.stop()]);
});

const graphqlResponse = 'application/graphql-response+json';
const getUrl = (query: string, variables?: object) =>
  `${app.url}/graphql?query=${encodeURIComponent(query)}${variables ? `&variables=${encodeURIComponent(JSON.stringify(variables))}` : ''}`;
const post = (url: string, body: string, headers: Record<string, string> = {}) =>
  fetch(`${url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', accept: graphqlResponse, ...headers }, body });

/** No stack trace, SQL or file path in anything a client is sent. */
function expectNoInternals(raw: string) {
  expect(raw).not.toMatch(/\bat .*\.(ts|js):\d+|node_modules|\/work\/|\/src\/|select |insert into|update .* set|\bpg\b|postgres|mikro/i);
}
const count = async (table: string) => (await app.sql(`select count(*)::int as n from ${table}`)).rows[0].n as number;

describe('health endpoints', () => {
  it('/health and /ready answer 200; /ready checks the database', async () => {
    const health = await fetch(`${app.url}/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok' });
    const ready = await fetch(`${app.url}/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: 'ready', checks: { database: true } });
  });

  it('an unknown path answers 404 with a JSON error', async () => {
    const response = await fetch(`${app.url}/nope?x=1`);
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect((await response.json()).errors[0].extensions.code).toBe('NOT_FOUND');
  });
});

describe('GraphQL over HTTP', () => {
  it('runs a query sent with GET', async () => {
    const query = 'query($id: ID!) { node(id: $id) { id } viewer { kind } }';
    const response = await fetch(getUrl(query, { id: 'nope' }), { headers: { accept: graphqlResponse } });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ data: { node: null, viewer: { kind: 'ANONYMOUS' } } });
  });

  it('refuses a mutation sent with GET (405) and runs nothing', async () => {
    const before = await count('accounts');
    const signUp = 'mutation($input: SignUpInput!) { signUp(input: $input) { token } }';
    const input = { accountName: 'Via GET', name: 'G', email: 'get@example.com', password: 'long enough password' };
    const response = await fetch(getUrl(signUp, { input }), { headers: { accept: graphqlResponse } });
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('POST');
    const raw = await response.text();
    expect(JSON.parse(raw).errors[0].extensions.code).toBe('BAD_USER_INPUT');
    expectNoInternals(raw);
    expect(await count('accounts')).toBe(before);
  });

  it('answers in the media type the client accepts', async () => {
    const query = getUrl('{ viewer { kind } }');
    const modern = await fetch(query, { headers: { accept: graphqlResponse } });
    expect(modern.headers.get('content-type')).toMatch(/^application\/graphql-response\+json/);
    const legacy = await fetch(query, { headers: { accept: 'application/json' } });
    expect(legacy.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await legacy.json()).toEqual(await modern.json());
    const none = await fetch(query);
    expect(none.status).toBe(200);
  });

  it('a syntax error is BAD_USER_INPUT with status 400 (200 for legacy application/json, as the spec says)', async () => {
    const response = await gql(app.url, '{ viewer { kind ');
    expect(response.status).toBe(400);
    expectError(response, 'BAD_USER_INPUT');
    const legacy = await post(app.url, JSON.stringify({ query: '{ viewer { kind ' }), { accept: 'application/json' });
    expect(legacy.status).toBe(200);
    expect((await legacy.json()).errors[0].extensions.code).toBe('BAD_USER_INPUT');
  });

  it.each([
    ['an unknown field', '{ viewer { kinf } }', 'kind'],
    ['an unknown root field', '{ viewr { kind } }', 'viewer'],
    ['an unknown type', '{ viewer { ... on Viewr { kind } } }', 'Viewer'],
    ['an unknown enum value', '{ viewer { account { conversations(status: OPNE) { edges { cursor } } } } }', 'OPEN'],
  ])('%s is BAD_USER_INPUT with status 400 and suggests no names', async (_what, query, suggestion) => {
    const response = await gql(app.url, query);
    expect(response.status).toBe(400);
    expectError(response, 'BAD_USER_INPUT');
    expect(response.raw).not.toMatch(/did you mean/i);
    expect(response.errors![0]!.message).not.toContain(`"${suggestion}"`);
  });

  it('a bad variable is BAD_USER_INPUT with status 400 and suggests no names', async () => {
    const signUp = 'mutation($input: SignUpInput!) { signUp(input: $input) { token } }';
    const input = { accountName: 'A', name: 'B', emial: 'b@example.com', password: 'long enough password' };
    const response = await gql(app.url, signUp, { input });
    expect(response.status).toBe(400);
    expectError(response, 'BAD_USER_INPUT');
    expect(response.raw).not.toMatch(/did you mean/i);
    expect(response.errors!.map((e) => e.message).join('\n')).not.toMatch(/Did you mean|"email"\?/);
  });

  it('refuses a body it cannot read with 415', async () => {
    for (const type of ['text/plain', 'application/xml']) {
      const response = await fetch(`${app.url}/graphql`, { method: 'POST', headers: { 'content-type': type }, body: '{ viewer { kind } }' });
      expect(response.status).toBe(415);
    }
  });
});

describe('GraphiQL', () => {
  it('is served to a browser and loads nothing from another origin', async () => {
    const response = await fetch(`${app.url}/graphql`, { headers: { accept: 'text/html' } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await response.text();
    expect(html).toContain('<title>Live chat API</title>');
    expect(html).toContain('renderYogaGraphiQL'); // the app itself is inline
    expect(html).not.toMatch(/<script[^>]*\bsrc\s*=/i);
    // The inlined bundle holds URLs as plain text (XML namespaces, links in docs); what
    // matters is that nothing is *loaded* from elsewhere: attributes, CSS, imports, workers.
    const own = new URL(app.url).origin;
    const loaded = [
      /\b(?:src|href|action|srcset|poster|data)\s*=\s*["']?((?:https?:)?\/\/[^"'\s>]+)/gi,
      /url\(\s*["']?((?:https?:)?\/\/[^"')]+)/gi,
      /@import\s+["']((?:https?:)?\/\/[^"']+)/gi,
      /\bimport\s*\(\s*["'`]((?:https?:)?\/\/[^"'`]+)/gi,
      /\bfrom\s*["']((?:https?:)?\/\/[^"']+)/gi,
      /\b(?:new\s+(?:Shared)?Worker|importScripts|fetch)\(\s*["'`]((?:https?:)?\/\/[^"'`]+)/gi,
    ].flatMap((pattern) => [...html.matchAll(pattern)].map((m) => m[1]!));
    expect(loaded.filter((url) => new URL(url, own).origin !== own)).toEqual([]);
    expect(html).not.toMatch(/unpkg\.com|jsdelivr\.net|esm\.sh|cdnjs|skypack|googleapis|gstatic/i);
  });
});

describe('operation limits', () => {
  const deep12 =
    '{ viewer { account { visitors(first: 1) { edges { node { conversations(first: 1) { edges { node { visitor { conversations(first: 1) { pageInfo { hasNextPage } } } } } } } } } } } }';
  const deep13 =
    '{ viewer { account { visitors(first: 1) { edges { node { conversations(first: 1) { edges { node { visitor { conversations(first: 1) { edges { node { id } } } } } } } } } } } } }';
  const deep13ByFragments = `query { viewer { ...A } }
    fragment A on Viewer { account { visitors(first: 1) { edges { node { ...B } } } } }
    fragment B on Visitor { conversations(first: 1) { edges { node { visitor { conversations(first: 1) { edges { node { id } } } } } } } }`;
  const aliases = (n: number) => `{ ${Array.from({ length: n }, (_, i) => `a${i}: viewer { kind }`).join(' ')} }`;

  it('allows depth 12 and refuses deeper, fragments included', async () => {
    const owner = await createAccount(app.url);
    ok(await gql(app.url, deep12, {}, { token: owner.token }));
    for (const query of [deep13, deep13ByFragments]) {
      const response = await gql(app.url, query, {}, { token: owner.token });
      expect(response.status).toBe(400);
      expectError(response, 'BAD_USER_INPUT');
      expect(response.errors![0]!.message).toMatch(/depth/i);
    }
  });

  it('allows 15 aliases and refuses 16', async () => {
    ok(await gql(app.url, aliases(15)));
    const response = await gql(app.url, aliases(16));
    expect(response.status).toBe(400);
    expectError(response, 'BAD_USER_INPUT');
    expect(response.errors![0]!.message).toMatch(/alias/i);
  });

  it('refuses a very long token list', async () => {
    const response = await gql(app.url, `{ viewer { ${'kind '.repeat(3000)}} }`);
    expect(response.status).toBe(400);
    expectError(response, 'BAD_USER_INPUT');
    expect(response.errors![0]!.message).toMatch(/token/i);
  });

  it('refuses lists nested in lists by cost, yet lets a full dashboard page through', async () => {
    const owner = await createAccount(app.url);
    const nested = '{ viewer { account { conversations(first: 100) { edges { node { messages(first: 100) { edges { node { id body } } } } } } } } }';
    const response = await gql(app.url, nested, {}, { token: owner.token });
    expect(response.status).toBe(400);
    expectError(response, 'BAD_USER_INPUT');
    expect(response.errors![0]!.message).toMatch(/cost/i);
    // page sizes passed as variables count the same, and so does the default page
    const byVariables = 'query($n: Int) { viewer { account { conversations(first: $n) { edges { node { messages(first: $n) { edges { node { id body } } } } } } } } }';
    const refused = await gql(app.url, byVariables, { n: 100 }, { token: owner.token });
    expect(refused.status).toBe(400);
    expectError(refused, 'BAD_USER_INPUT');
    ok(await gql(app.url, byVariables, { n: 5 }, { token: owner.token }));
    const defaults = '{ viewer { account { visitors { edges { node { conversations { edges { node { messages { edges { node { id } } } } } } } } } } } }';
    expectError(await gql(app.url, defaults, {}, { token: owner.token }), 'BAD_USER_INPUT');

    const inbox = `{ viewer { account { conversations(first: 100) { edges { cursor node {
      id status lastMessageAt assignee { id name } visitor { id name email location { country } }
      messages(last: 1) { edges { node { id body createdAt } } } } } pageInfo { hasNextPage endCursor } } } } }`;
    ok(await gql(app.url, inbox, {}, { token: owner.token }));
  });

  it('refuses first above the page size, naming the argument', async () => {
    const owner = await createAccount(app.url);
    expectError(await gql(app.url, '{ viewer { account { visitors(first: 1000) { edges { node { id } } } } } }', {}, { token: owner.token }), 'BAD_USER_INPUT', 'first');
    const withVariable = 'query($first: Int) { viewer { account { visitors(first: $first) { edges { node { id } } } } } }';
    expectError(await gql(app.url, withVariable, { first: 1000 }, { token: owner.token }), 'BAD_USER_INPUT', 'first');
  });

  it('answers a body over BODY_LIMIT_BYTES with 413 and a JSON error, running nothing', async () => {
    const signUp = 'mutation($input: SignUpInput!) { signUp(input: $input) { token } }';
    const input = { accountName: 'Too big', name: 'x'.repeat(1200), email: 'big@example.com', password: 'long enough password' };
    const body = JSON.stringify({ query: signUp, variables: { input } });
    const declared = await post(small.url, body);
    // the same body streamed without a declared length
    const streamed = await fetch(`${small.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: graphqlResponse },
      body: new ReadableStream({
        start(controller) {
          for (let i = 0; i < body.length; i += 100) controller.enqueue(new TextEncoder().encode(body.slice(i, i + 100)));
          controller.close();
        },
      }),
      duplex: 'half',
    } as RequestInit);
    for (const response of [declared, streamed]) {
      expect(response.status).toBe(413);
      expect(response.headers.get('content-type')).toMatch(/^application\/json/);
      const raw = await response.text();
      expect(JSON.parse(raw).errors[0].extensions.code).toBe('BAD_USER_INPUT');
      expectNoInternals(raw);
    }
    const { rows } = await small.sql('select count(*)::int as n from accounts');
    expect(rows[0].n).toBe(0);
    // a body under the limit is served
    expect((await post(small.url, JSON.stringify({ query: '{ viewer { kind } }' }))).status).toBe(200);
  });
});

describe('errors', () => {
  it('refuses what PostgreSQL cannot store (NUL characters, dates out of range) as BAD_USER_INPUT', async () => {
    const owner = await createAccount(app.url);
    const cursor = Buffer.from(JSON.stringify(['-271821-04-20T00:00:00.000Z', '00000000-0000-0000-0000-000000000000'])).toString('base64url');
    const motto = await gql(app.url, 'mutation($m: String) { updateProfile(input: { motto: $m }) { motto } }', { m: 'a\u0000b' }, { token: owner.token });
    expectError(motto, 'BAD_USER_INPUT', 'input.motto');
    const page = await gql(app.url, 'query($a: String) { viewer { account { visitors(after: $a) { edges { cursor } } } } }', { a: cursor }, { token: owner.token });
    expectError(page, 'BAD_USER_INPUT', 'after');
  });

  it('masks a failure nobody expected (its database gone) as INTERNAL, and /ready answers 503', async () => {
    const doomed = await startTestApp();
    try {
      const owner = await createAccount(doomed.url);
      // a token never used yet fails in its lookup, before execution; the owner's, resolved a
      // moment ago and cached, gets as far as reading the account
      const visitor = await createVisitor(doomed.url, owner.account.widgetKey);
      const database = new URL(doomed.databaseUrl).pathname.slice(1);
      await doomed.adminSql(`alter database ${database} allow_connections false`);
      await doomed.adminSql('select pg_terminate_backend(pid) from pg_stat_activity where datname = $1', [database]);
      const beforeExecution = await gql(doomed.url, '{ viewer { account { name } } }', {}, { token: visitor.token });
      const inAResolver = await gql(doomed.url, '{ viewer { account { name } } }', {}, { token: owner.token });
      for (const response of [beforeExecution, inAResolver]) {
        expectNoInternals(response.raw);
        expect(response.raw).not.toMatch(/accepting connections|terminat|FATAL|ECONN/i);
      }
      expect(beforeExecution.errors).toEqual([{ message: 'Internal server error.', extensions: { code: 'INTERNAL' } }]);
      expect(inAResolver.errors).toMatchObject([{ message: 'Internal server error.', extensions: { code: 'INTERNAL' }, path: ['viewer', 'account'] }]);
      const ready = await fetch(`${doomed.url}/ready`);
      expect(ready.status).toBe(503);
      expect(await ready.json()).toMatchObject({ status: 'unavailable', checks: { database: false } });
    } finally {
      await doomed.stop();
    }
  });

  it('errors of resolvers keep their path and locations', async () => {
    const owner = await createAccount(app.url);
    const response = await gql(app.url, '{ viewer { account { visitors(first: 1000) { edges { cursor } } } } }', {}, { token: owner.token });
    expect(response.errors![0]).toMatchObject({ path: ['viewer', 'account', 'visitors'], locations: [{ line: 1, column: 22 }] });
  });
});

describe('x-request-id', () => {
  it('echoes the id the client sent, and makes one when it sent none', async () => {
    const sent = await fetch(getUrl('{ viewer { kind } }'), { headers: { 'x-request-id': 'req-abc-123' } });
    expect(sent.headers.get('x-request-id')).toBe('req-abc-123');
    const health = await fetch(`${app.url}/health`, { headers: { 'x-request-id': 'req-health' } });
    expect(health.headers.get('x-request-id')).toBe('req-health');
    const made = await post(app.url, JSON.stringify({ query: '{ viewer { kind } }' }));
    const made2 = await fetch(`${app.url}/nope`);
    expect(made.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    expect(made2.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    expect(made.headers.get('x-request-id')).not.toBe(made2.headers.get('x-request-id'));
    const long = await fetch(`${app.url}/health`, { headers: { 'x-request-id': 'r'.repeat(500) } });
    expect(long.headers.get('x-request-id')).toBe('r'.repeat(100));
  });
});

import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { startTestApp, type TestApp } from './app.js';
import { expectError, gql, ok } from './graphql.js';
import { createAccount, createAgent, createApiToken, rawId } from './factories.js';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(async () => {
  await app?.stop();
});

const settingsFields = 'color position greeting language preChatFields { name required } allowedOrigins';
const read = `{ viewer { account { widgetSettings { ${settingsFields} } } } }`;
const update = `mutation($input: UpdateWidgetSettingsInput!) { updateWidgetSettings(input: $input) { ${settingsFields} } }`;
const start = `mutation($input: StartVisitorSessionInput!) { startVisitorSession(input: $input) {
  visitorToken agentsOnline widget { ${settingsFields} } } }`;
const startAsWidget = `mutation($input: StartVisitorSessionInput!) { startVisitorSession(input: $input) {
  visitorToken agentsOnline widget { color preChatFields { name required } } } }`;
const stored = async (accountId: string) =>
  (await app.sql('select widget_settings from accounts where id = $1', [rawId(accountId)])).rows[0].widget_settings;
const visitorCount = async () => (await app.sql('select count(*)::int as n from visitors')).rows[0].n as number;

describe('widget settings', () => {
  it('have defaults, and OWNER and ADMIN change what they name (the rest stays)', async () => {
    const owner = await createAccount(app.url);
    expect(ok(await gql(app.url, read, {}, { token: owner.token })).viewer.account.widgetSettings).toEqual({
      color: '#2454d6', position: 'BOTTOM_RIGHT', greeting: null, language: 'EN', preChatFields: [], allowedOrigins: [],
    });
    const changed = ok(
      await gql(app.url, update, {
        input: {
          color: '#FF6600', position: 'BOTTOM_LEFT', greeting: 'Ahoj! Jak můžeme pomoci?', language: 'CS',
          preChatFields: [{ name: 'NAME', required: true }, { name: 'EMAIL', required: false }],
          allowedOrigins: ['https://Shop.Example/any/page', 'http://localhost:8080'],
        },
      }, { token: owner.token }),
    ).updateWidgetSettings;
    expect(changed).toEqual({
      color: '#ff6600', position: 'BOTTOM_LEFT', greeting: 'Ahoj! Jak můžeme pomoci?', language: 'CS',
      preChatFields: [{ name: 'NAME', required: true }, { name: 'EMAIL', required: false }],
      allowedOrigins: ['https://shop.example', 'http://localhost:8080'],
    });
    expect(await stored(owner.account.id)).toMatchObject({ color: '#ff6600', allowedOrigins: ['https://shop.example', 'http://localhost:8080'] });

    const admin = await createAgent(app.url, owner.token, 'ADMIN');
    const again = ok(await gql(app.url, update, { input: { greeting: null, allowedOrigins: [] } }, { token: admin.token })).updateWidgetSettings;
    expect(again).toMatchObject({ color: '#ff6600', language: 'CS', greeting: null, allowedOrigins: [] });
  });

  it('refuses bad values naming the field, and changes nothing', async () => {
    const owner = await createAccount(app.url);
    ok(await gql(app.url, update, { input: { greeting: 'Hello' } }, { token: owner.token }));
    const before = await stored(owner.account.id);
    const bad: [Record<string, unknown>, string][] = [
      [{ color: 'red' }, 'input.color'],
      [{ color: '#12345' }, 'input.color'],
      [{ greeting: 'x'.repeat(301) }, 'input.greeting'],
      [{ preChatFields: [{ name: 'NAME', required: true }, { name: 'NAME', required: false }] }, 'input.preChatFields'],
      [{ allowedOrigins: ['not an origin'] }, 'input.allowedOrigins.0'],
      [{ allowedOrigins: ['javascript:alert(1)'] }, 'input.allowedOrigins.0'],
      [{ greeting: 'nul\u0000' }, 'input.greeting'],
    ];
    for (const [input, field] of bad) expectError(await gql(app.url, update, { input }, { token: owner.token }), 'BAD_USER_INPUT', field);
    expect(await stored(owner.account.id)).toEqual(before);
  });

  it('are changed only by OWNER and ADMIN: an AGENT, an API token and another account are refused', async () => {
    const owner = await createAccount(app.url);
    const agent = await createAgent(app.url, owner.token, 'AGENT');
    const api = await createApiToken(app.url, owner.token);
    const before = await stored(owner.account.id);
    expectError(await gql(app.url, update, { input: { greeting: 'agent' } }, { token: agent.token }), 'FORBIDDEN');
    expectError(await gql(app.url, update, { input: { greeting: 'token' } }, { token: api.token }), 'FORBIDDEN');
    expectError(await gql(app.url, update, { input: { greeting: 'anonymous' } }), 'UNAUTHENTICATED');
    const stranger = await createAccount(app.url);
    ok(await gql(app.url, update, { input: { greeting: 'their own' } }, { token: stranger.token }));
    expect(await stored(owner.account.id)).toEqual(before);
    // an AGENT and an API token still read them (the dashboard shows the install snippet)
    expect(ok(await gql(app.url, read, {}, { token: agent.token })).viewer.account.widgetSettings.color).toBe('#2454d6');
    expect(ok(await gql(app.url, read, {}, { token: api.token })).viewer.account.widgetSettings.color).toBe('#2454d6');
  });
});

describe('startVisitorSession and the widget', () => {
  it('hands the widget its settings (without the allowed origins) and whether an agent is online', async () => {
    const owner = await createAccount(app.url);
    ok(await gql(app.url, update, { input: { greeting: 'Hi there', preChatFields: [{ name: 'EMAIL', required: true }] } }, { token: owner.token }));
    const first = await gql(app.url, start, { input: { widgetKey: owner.account.widgetKey } });
    expect(first.data.startVisitorSession).toMatchObject({
      agentsOnline: false,
      widget: { greeting: 'Hi there', preChatFields: [{ name: 'EMAIL', required: true }], allowedOrigins: null },
    });
    expect(first.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    ok(await gql(app.url, 'mutation { setPresence(status: ONLINE) { status } }', {}, { token: owner.token }));
    expect((await gql(app.url, start, { input: { widgetKey: owner.account.widgetKey } })).data.startVisitorSession.agentsOnline).toBe(true);
    ok(await gql(app.url, 'mutation { setPresence(status: AWAY) { status } }', {}, { token: owner.token }));
    expect((await gql(app.url, start, { input: { widgetKey: owner.account.widgetKey } })).data.startVisitorSession.agentsOnline).toBe(false);
  });

  it('starts sessions only on pages of the allowed origins, over HTTP and websockets, creating nothing otherwise', async () => {
    const owner = await createAccount(app.url);
    ok(await gql(app.url, update, { input: { allowedOrigins: ['https://shop.example'] } }, { token: owner.token }));
    const input = { widgetKey: owner.account.widgetKey, pageUrl: 'https://elsewhere.example/' };
    const before = await visitorCount();
    for (const headers of [{ origin: 'https://elsewhere.example' }, { origin: 'https://shop.example.evil.com' }, {}] as Record<string, string>[]) {
      expectError(await gql(app.url, startAsWidget, { input }, { headers }), 'FORBIDDEN');
    }
    expect(await visitorCount()).toBe(before);
    ok(await gql(app.url, startAsWidget, { input }, { headers: { origin: 'https://shop.example' } }));
    expect(await visitorCount()).toBe(before + 1);

    // the widget speaks graphql-ws: the upgrade request's Origin decides there
    const overSocket = async (origin: string) => {
      class FromOrigin extends WebSocket {
        constructor(address: string, protocols?: string | string[]) {
          super(address, protocols, { headers: { origin } });
        }
      }
      const client = createClient({ url: app.url.replace('http', 'ws') + '/graphql', webSocketImpl: FromOrigin, retryAttempts: 0 });
      try {
        return await new Promise<{ data?: unknown; errors?: { extensions?: { code?: string } }[] }>((resolve, reject) => {
          let result: { data?: unknown; errors?: { extensions?: { code?: string } }[] } = {};
          client.subscribe({ query: startAsWidget, variables: { input } }, {
            next: (value) => (result = value as typeof result),
            error: reject,
            complete: () => resolve(result),
          });
        });
      } finally {
        await client.dispose();
      }
    };
    expect((await overSocket('https://elsewhere.example')).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(await visitorCount()).toBe(before + 1);
    expect((await overSocket('https://shop.example')).data).toMatchObject({ startVisitorSession: { agentsOnline: false } });
    expect(await visitorCount()).toBe(before + 2);
  });
});

describe('the widget script and the demo page', () => {
  it('serves /widget.js to any site, cached briefly and revalidated', async () => {
    const response = await fetch(`${app.url}/widget.js`, { headers: { origin: 'https://shop.example' } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect(response.headers.get('cache-control')).toBe('public, max-age=300');
    expect(response.headers.get('cross-origin-resource-policy')).toBe('cross-origin');
    expect((await response.text()).length).toBeGreaterThan(1000);
    // compressed once, in the encoding the browser takes (fetch sends accept-encoding: gzip, deflate, br)
    const raw = await new Promise<{ encoding?: string; length: number }>((resolve, reject) => {
      http.get(`${app.url}/widget.js`, { headers: { 'accept-encoding': 'gzip' } }, (res) => {
        let length = 0;
        res.on('data', (chunk: Buffer) => (length += chunk.length));
        res.on('end', () => resolve({ encoding: res.headers['content-encoding'], length }));
      }).on('error', reject);
    });
    expect(raw.encoding).toBe('gzip');
    expect(raw.length).toBeLessThanOrEqual(15 * 1024);
    const again = await fetch(`${app.url}/widget.js`, { headers: { 'if-none-match': response.headers.get('etag')! } });
    expect(again.status).toBe(304);
  });

  it('serves /demo embedding the widget with the key asked for, escaped', async () => {
    const owner = await createAccount(app.url);
    const page = await (await fetch(`${app.url}/demo?key=${owner.account.widgetKey}`)).text();
    expect(page).toContain(`<script src="/widget.js" data-widget-key="${owner.account.widgetKey}" async></script>`);
    const hostile = await (await fetch(`${app.url}/demo?key=${encodeURIComponent('"><script>alert(1)</script>')}`)).text();
    expect(hostile).not.toContain('<script>alert(1)</script>');
  });
});

import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import WebSocket from 'ws';
import { createClient, type Client } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { secureRequestResolver } from '../src/http/client-ip.js';
import { securityHeaders } from '../src/http/security-headers.js';
import { startTestApp, type TestApp } from './app.js';
import { createDatabase, hasExecutable, killAll, startServerWith, waitFor, type ServerProcess } from './processes.js';
import { collect } from './ws.js';

/**
 * TLS on every channel: with TLS_CERT_FILE/TLS_KEY_FILE the server serves HTTPS and WSS on its
 * one port and nothing in cleartext; every response that came over TLS (directly, or through a
 * trusted proxy that says so) carries HSTS; a half-configured TLS stops the start.
 */

const opensslInstalled = hasExecutable('openssl');
if (!opensslInstalled) console.warn('tls.test.ts: the HTTPS server tests are skipped: openssl is not installed');

const oneYear = 'max-age=31536000; includeSubDomains';

/** A throwaway self-signed certificate for 127.0.0.1 and localhost, valid for a day. */
function makeCertificate(dir: string, name = 'server') {
  const cert = path.join(dir, `${name}-cert.pem`);
  const key = path.join(dir, `${name}-key.pem`);
  execFileSync(
    'openssl',
    ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=localhost', '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost'],
    { stdio: 'pipe' },
  );
  return { cert, key };
}

type Answer = { status: number; headers: http.IncomingHttpHeaders; body: string };

/** One request with Node's http/https client: `ca` is the certificate to trust (none: the system's). */
function request(url: string, options: { method?: string; headers?: Record<string, string>; body?: string; ca?: Buffer } = {}): Promise<Answer> {
  const client = url.startsWith('https:') ? https : http;
  return new Promise((resolve, reject) => {
    const req = client.request(url, { method: options.method ?? 'GET', headers: options.headers, ca: options.ca, agent: false, timeout: 5_000 }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', reject);
    req.end(options.body);
  });
}

/** A GraphQL operation posted over HTTPS, trusting `ca`. */
async function gqlOver(url: string, ca: Buffer, query: string, variables: Record<string, unknown> = {}, token?: string) {
  const answer = await request(`${url}/graphql`, {
    method: 'POST',
    ca,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  const json = JSON.parse(answer.body) as { data?: any; errors?: unknown[] };
  expect(json.errors, answer.body).toBeUndefined();
  return { ...answer, data: json.data };
}

/** The `ws` client class, trusting `ca`, for graphql-ws's webSocketImpl. */
const webSocketTrusting = (ca: Buffer) =>
  class extends WebSocket {
    constructor(address: string | URL, protocols?: string | string[]) {
      super(address, protocols, { ca });
    }
  };

describe.skipIf(!opensslInstalled)('a server process with TLS_CERT_FILE and TLS_KEY_FILE', () => {
  let dir: string;
  let ca: Buffer;
  let db: Awaited<ReturnType<typeof createDatabase>>;
  let server: ServerProcess;
  let port: number;
  const clients: Client[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'livechat-tls-'));
    const { cert, key } = makeCertificate(dir);
    ca = readFileSync(cert);
    db = await createDatabase(inject('databaseUrl'));
    server = await startServerWith({ DATABASE_URL: db.url, REDIS_PREFIX: `${db.name}:`, TLS_CERT_FILE: cert, TLS_KEY_FILE: key });
    port = Number(new URL(server.url).port);
  }, 90_000);

  afterAll(async () => {
    await Promise.all(clients.map((c) => c.dispose()));
    await killAll();
    await db?.drop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('prints an https:// URL', () => {
    expect(server.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
  });

  it('answers GraphQL over HTTPS, with HSTS, nosniff and a same-origin referrer policy', async () => {
    const answer = await gqlOver(server.url, ca, '{ viewer { kind } }');
    expect(answer.status).toBe(200);
    expect(answer.data).toEqual({ viewer: { kind: 'ANONYMOUS' } });
    expect(answer.headers['strict-transport-security']).toBe(oneYear);
    expect(answer.headers['x-content-type-options']).toBe('nosniff');
    expect(answer.headers['referrer-policy']).toBe('same-origin');
  });

  it('sends HSTS on every kind of response: health, readiness, metrics, dashboard, widget, demo page, 404', async () => {
    const paths: [string, Record<string, string>][] = [
      ['/health', {}],
      ['/ready', {}],
      ['/metrics', {}],
      ['/', { accept: 'text/html' }],
      ['/widget.js', {}],
      ['/demo', {}],
      ['/no-such-path', {}],
    ];
    for (const [where, headers] of paths) {
      const answer = await request(`${server.url}${where}`, { ca, headers });
      expect(answer.status, where).toBeLessThan(600);
      expect(answer.headers['strict-transport-security'], where).toBe(oneYear);
      // set once, not doubled by the pages that also set it themselves
      expect(answer.headers['x-content-type-options'], where).toBe('nosniff');
    }
  });

  it('runs graphql-ws over wss://: an operation, and a subscription that receives a live message', async () => {
    const owner = await gqlOver(
      server.url,
      ca,
      'mutation($input: SignUpInput!) { signUp(input: $input) { token } }',
      { input: { accountName: 'TLS Ltd', name: 'Tess', email: `tess-${db.name}@example.com`, password: 'correct horse battery' } },
    );
    const token = owner.data.signUp.token as string;
    const { widgetKey } = (await gqlOver(server.url, ca, '{ viewer { account { widgetKey } } }', {}, token)).data.viewer.account;
    const visitor = await gqlOver(
      server.url,
      ca,
      'mutation($input: StartVisitorSessionInput!) { startVisitorSession(input: $input) { visitorToken } }',
      { input: { widgetKey } },
    );
    const visitorToken = visitor.data.startVisitorSession.visitorToken as string;
    const send = (body: string, conversationId?: string) =>
      gqlOver(
        server.url,
        ca,
        'mutation($input: SendMessageInput!) { sendMessage(input: $input) { message { seq body } conversation { id } } }',
        { input: { body, conversationId } },
        visitorToken,
      );
    const first = await send('Hello over TLS');
    const conversationId = first.data.sendMessage.conversation.id as string;

    const wssUrl = `${server.url.replace(/^https:/, 'wss:')}/graphql`;
    expect(wssUrl).toMatch(/^wss:\/\//);
    const client = createClient({
      url: wssUrl,
      webSocketImpl: webSocketTrusting(ca),
      connectionParams: { authorization: `Bearer ${token}` },
      retryAttempts: 0,
      lazy: true,
    });
    clients.push(client);

    const viewer = collect(client, '{ viewer { kind } }');
    await viewer.until(() => viewer.done);
    expect(viewer.error).toBeUndefined();
    expect(viewer.received).toEqual([{ data: { viewer: { kind: 'AGENT' } } }]);

    const events = collect(
      client,
      'subscription($id: ID!) { conversationEvents(conversationId: $id) { __typename ... on MessageAdded { message { seq body } } } }',
      { id: conversationId },
    );
    await waitFor(
      async () => /^livechat_active_subscriptions [1-9]/m.test((await request(`${server.url}/metrics`, { ca })).body),
      10_000,
      'the subscription over wss',
    );
    await send('A second message, delivered over wss', conversationId);
    const received = await events.until((r) => r.some((e) => e.data?.conversationEvents?.message?.seq === 2), 10_000);
    expect(received.find((e) => e.data?.conversationEvents?.message?.seq === 2)!.data.conversationEvents.message.body).toBe(
      'A second message, delivered over wss',
    );
    expect(events.error).toBeUndefined();
  });

  it('serves nothing in cleartext: http:// and ws:// to the TLS port get no answer', async () => {
    const plain = await request(`http://127.0.0.1:${port}/graphql?query=%7B__typename%7D`).then(
      (answer) => answer,
      (error: Error) => error,
    );
    expect(plain, 'a plain HTTP request was answered').toBeInstanceOf(Error);

    const outcome = await new Promise<string>((resolve) => {
      const socket = new WebSocket(`ws://127.0.0.1:${port}/graphql`, 'graphql-transport-ws');
      socket.on('open', () => {
        socket.close();
        resolve('open');
      });
      socket.on('error', () => resolve('error'));
      socket.on('unexpected-response', () => resolve('unexpected-response'));
    });
    expect(outcome).toBe('error');
  });

  it('is real TLS: a client that does not trust the certificate refuses it', async () => {
    const error = await request(`${server.url}/health`).then(
      () => null,
      (e: NodeJS.ErrnoException) => e,
    );
    expect(error?.code).toMatch(/SELF_SIGNED|UNABLE_TO_VERIFY|CERT/);
  });

  it('refuses a key that is not the certificate’s, and a server given only a certificate does not start', async () => {
    const other = makeCertificate(dir, 'other');
    const { cert } = makeCertificate(dir, 'mismatch');
    expect(() => loadConfig({ TLS_CERT_FILE: cert, TLS_KEY_FILE: other.key })).toThrow(/TLS_CERT_FILE\/TLS_KEY_FILE: not a usable PEM certificate and key pair/);
    expect(() => loadConfig({ TLS_CERT_FILE: other.key, TLS_KEY_FILE: other.key })).toThrow(/not a usable PEM/);

    const failed = await startServerWith({ DATABASE_URL: db.url, TLS_CERT_FILE: cert, TLS_KEY_FILE: '' }).then(
      () => null,
      (e: Error) => e,
    );
    expect(failed?.message).toMatch(/exited \(1\) before it was ready/);
    expect(failed?.message).toMatch(/TLS_CERT_FILE is set but TLS_KEY_FILE is not/);
  }, 60_000);
});

describe('TLS settings', () => {
  it('takes both files or neither', () => {
    expect(loadConfig({}).tls).toBeNull();
    expect(() => loadConfig({ TLS_CERT_FILE: '/etc/livechat/cert.pem' })).toThrow(
      'Invalid configuration: TLS_CERT_FILE is set but TLS_KEY_FILE is not; set both (PEM files) to serve HTTPS, or neither.',
    );
    expect(() => loadConfig({ TLS_KEY_FILE: '/etc/livechat/key.pem' })).toThrow(/TLS_KEY_FILE is set but TLS_CERT_FILE is not/);
  });

  it('names a file it cannot read', () => {
    expect(() => loadConfig({ TLS_CERT_FILE: '/nonexistent/cert.pem', TLS_KEY_FILE: '/nonexistent/key.pem' })).toThrow(
      /TLS_CERT_FILE: cannot read \/nonexistent\/cert\.pem \(ENOENT\)/,
    );
  });

  it('HSTS_MAX_AGE defaults to a year, may be 0, and is a whole number of seconds', () => {
    expect(loadConfig({}).hstsMaxAge).toBe(31_536_000);
    expect(loadConfig({ HSTS_MAX_AGE: '0' }).hstsMaxAge).toBe(0);
    expect(() => loadConfig({ HSTS_MAX_AGE: '-1' })).toThrow(/HSTS_MAX_AGE/);
    expect(() => loadConfig({ HSTS_MAX_AGE: 'a year' })).toThrow(/HSTS_MAX_AGE/);
  });
});

/** A request as the handler sees it: who is on the other end of the socket, over TLS or not. */
const fakeRequest = (remoteAddress: string, headers: Record<string, string> = {}, encrypted = false) =>
  ({ socket: { remoteAddress, encrypted: encrypted || undefined }, headers }) as unknown as http.IncomingMessage;
function fakeResponse() {
  const headers = new Map<string, string>();
  return { headers, res: { setHeader: (name: string, value: string) => headers.set(name.toLowerCase(), value) } as unknown as http.ServerResponse };
}
const headersFor = (config: { trustProxy: string; hstsMaxAge: number }, req: http.IncomingMessage) => {
  const { headers, res } = fakeResponse();
  securityHeaders(config)(req, res);
  return headers;
};

describe('when a request counts as secure', () => {
  const loopback = secureRequestResolver('loopback');

  it('over the server’s own TLS, always', () => {
    expect(loopback(fakeRequest('203.0.113.9', {}, true))).toBe(true);
    expect(secureRequestResolver('false')(fakeRequest('203.0.113.9', {}, true))).toBe(true);
  });

  it('X-Forwarded-Proto only from a trusted proxy, and its own (last) value', () => {
    expect(loopback(fakeRequest('127.0.0.1'))).toBe(false);
    expect(loopback(fakeRequest('127.0.0.1', { 'x-forwarded-proto': 'https' }))).toBe(true);
    expect(loopback(fakeRequest('::ffff:127.0.0.1', { 'x-forwarded-proto': 'HTTPS' }))).toBe(true);
    expect(loopback(fakeRequest('::1', { 'x-forwarded-proto': 'https' }))).toBe(true);
    expect(loopback(fakeRequest('127.0.0.1', { 'x-forwarded-proto': 'http' }))).toBe(false);
    // a client's forged value with the proxy's own appended: the proxy's counts
    expect(loopback(fakeRequest('127.0.0.1', { 'x-forwarded-proto': 'https, http' }))).toBe(false);
    expect(loopback(fakeRequest('203.0.113.9', { 'x-forwarded-proto': 'https' }))).toBe(false);
    expect(secureRequestResolver('false')(fakeRequest('127.0.0.1', { 'x-forwarded-proto': 'https' }))).toBe(false);
    expect(secureRequestResolver('10.0.0.0/8')(fakeRequest('10.1.2.3', { 'x-forwarded-proto': 'https' }))).toBe(true);
    expect(secureRequestResolver('10.0.0.0/8')(fakeRequest('127.0.0.1', { 'x-forwarded-proto': 'https' }))).toBe(false);
  });

  it('HSTS_MAX_AGE=0 sends no HSTS; the other headers stay', () => {
    const headers = headersFor({ trustProxy: 'loopback', hstsMaxAge: 0 }, fakeRequest('127.0.0.1', {}, true));
    expect(headers.has('strict-transport-security')).toBe(false);
    expect(headers.get('x-content-type-options')).toBe('nosniff');
    expect(headers.get('referrer-policy')).toBe('same-origin');
    expect(headersFor({ trustProxy: 'loopback', hstsMaxAge: 600 }, fakeRequest('127.0.0.1', {}, true)).get('strict-transport-security')).toBe(
      'max-age=600; includeSubDomains',
    );
  });
});

describe('plain HTTP servers', () => {
  /** trusts loopback as its proxy (the default) */
  let behindProxy: TestApp;
  /** TRUST_PROXY=false: every peer is a client */
  let trustsNobody: TestApp;
  beforeAll(async () => {
    [behindProxy, trustsNobody] = await Promise.all([startTestApp(), startTestApp({ TRUST_PROXY: 'false' })]);
  });
  afterAll(async () => {
    await Promise.all([behindProxy?.stop(), trustsNobody?.stop()]);
  });

  const post = (url: string, headers: Record<string, string> = {}) =>
    request(`${url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: '{"query":"{ __typename }"}' });

  it('print an http:// URL and send no HSTS on plain HTTP, but nosniff and the referrer policy on API answers', async () => {
    expect(behindProxy.url).toMatch(/^http:\/\//);
    for (const answer of [await post(behindProxy.url), await request(`${behindProxy.url}/health`), await request(`${behindProxy.url}/nope`)]) {
      expect(answer.headers['strict-transport-security']).toBeUndefined();
      expect(answer.headers['x-content-type-options']).toBe('nosniff');
      expect(answer.headers['referrer-policy']).toBe('same-origin');
    }
  });

  it('send HSTS when the trusted proxy (loopback) says X-Forwarded-Proto: https', async () => {
    expect((await post(behindProxy.url, { 'x-forwarded-proto': 'https' })).headers['strict-transport-security']).toBe(oneYear);
    expect((await request(`${behindProxy.url}/`, { headers: { accept: 'text/html', 'x-forwarded-proto': 'https' } })).headers['strict-transport-security']).toBe(
      oneYear,
    );
    expect((await post(behindProxy.url, { 'x-forwarded-proto': 'http' })).headers['strict-transport-security']).toBeUndefined();
  });

  it('send no HSTS when a client the server does not trust claims X-Forwarded-Proto: https', async () => {
    const answer = await post(trustsNobody.url, { 'x-forwarded-proto': 'https' });
    expect(answer.status).toBe(200);
    expect(answer.headers['strict-transport-security']).toBeUndefined();
  });
});

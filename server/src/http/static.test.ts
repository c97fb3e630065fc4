import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dashboardHandler } from './static.js';

let dir: string;
let emptyDir: string;
const servers: http.Server[] = [];

async function serve(handlerDir: string): Promise<string> {
  const handler = dashboardHandler((_req, res) => {
    res.writeHead(404, { 'content-type': 'application/json' });
    res.end('{"errors":[{"message":"Not found.","extensions":{"code":"NOT_FOUND"}}]}');
  }, handlerDir);
  const server = http.createServer(handler);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'dashboard-'));
  emptyDir = await mkdtemp(path.join(os.tmpdir(), 'no-dashboard-'));
  await mkdir(path.join(dir, 'assets'));
  await writeFile(path.join(dir, 'index.html'), '<!doctype html><title>Dashboard</title>');
  await writeFile(path.join(dir, 'assets', 'app-1234.js'), 'console.log(1)');
});
afterAll(async () => {
  for (const server of servers) server.close();
  await rm(dir, { recursive: true, force: true });
  await rm(emptyDir, { recursive: true, force: true });
});

const page = { accept: 'text/html,application/xhtml+xml' };

describe('the dashboard handler', () => {
  it('serves index.html at / and at every route a browser navigates to (history routing), with a same-origin-only CSP', async () => {
    const url = await serve(dir);
    for (const route of ['/', '/inbox', '/inbox/Q29udmVyc2F0aW9uOjE', '/invite/abc?x=1']) {
      const response = await fetch(url + route, { headers: page });
      expect(response.status, route).toBe(200);
      expect(await response.text()).toContain('<title>Dashboard</title>');
      expect(response.headers.get('cache-control')).toBe('no-cache');
      const csp = response.headers.get('content-security-policy')!;
      expect(csp).toContain("default-src 'self'");
      expect(csp).toContain("connect-src 'self'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    }
  });

  it('serves hashed assets cached for good, and answers a JSON 404 to API clients and for missing assets', async () => {
    const url = await serve(dir);
    const asset = await fetch(`${url}/assets/app-1234.js`);
    expect(asset.status).toBe(200);
    expect(asset.headers.get('cache-control')).toContain('immutable');
    expect(asset.headers.get('content-type')).toMatch(/javascript/);

    const apiClient = await fetch(`${url}/inbox`, { headers: { accept: 'application/json' } });
    expect(apiClient.status).toBe(404);
    expect((await apiClient.json()).errors[0].extensions.code).toBe('NOT_FOUND');
    const missing = await fetch(`${url}/assets/gone.js`);
    expect(missing.status).toBe(404);
    const post = await fetch(`${url}/inbox`, { method: 'POST', headers: page });
    expect(post.status).toBe(404);
    const traversal = await fetch(`${url}/..%2f..%2fetc%2fpasswd`, { headers: { accept: '*/*' } });
    expect(traversal.status).toBe(404);
  });

  it('says how to build the dashboard when it has not been built', async () => {
    const url = await serve(emptyDir);
    const response = await fetch(`${url}/inbox`, { headers: page });
    expect(response.status).toBe(503);
    expect(await response.text()).toMatch(/npm run build -w clients\/dashboard/);
    expect((await fetch(`${url}/inbox`)).status).toBe(404);
  });
});

import http from 'node:http';
import https from 'node:https';
import { randomUUID } from 'node:crypto';
import type { Deps } from './deps.js';
import { createGraphQL } from './graphql/yoga.js';
import { BodyTooLargeError, readBody } from './http/body.js';
import { clientInfoResolver } from './http/client-ip.js';
import { attachWebSocket } from './graphql/websocket.js';
import { requestScope } from './shared/logger.js';
import { dashboardHandler } from './http/static.js';
import { securityHeaders } from './http/security-headers.js';
import { serveDemoPage, serveWidgetScript } from './modules/widget/widget.http.js';

function sendJson(res: http.ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(body));
}

/** Is the database (and Redis, when configured) answering? */
async function readiness(deps: Deps): Promise<Record<string, boolean>> {
  const checks: Record<string, boolean> = {};
  checks.database = await deps.orm.em
    .getConnection()
    .execute('select 1')
    .then(() => true)
    .catch(() => false);
  if (deps.redis) checks.redis = await deps.redis.ping().then((r) => r === 'PONG').catch(() => false);
  return checks;
}

/**
 * Builds the one server (HTTP, SSE and websockets on one port) for the API, GraphiQL, health and
 * metrics: HTTPS and WSS when TLS_CERT_FILE/TLS_KEY_FILE are set, plain HTTP and WS otherwise.
 */
export function createApp(deps: Deps) {
  const yoga = createGraphQL(deps);
  const clientInfo = clientInfoResolver(deps.config.trustProxy);
  const dashboard = dashboardHandler((_req, res) =>
    sendJson(res, 404, { errors: [{ message: 'Not found.', extensions: { code: 'NOT_FOUND' } }] }),
  );

  const setSecurityHeaders = securityHeaders(deps.config);

  const onRequest: http.RequestListener = (req, res) => {
    setSecurityHeaders(req, res);
    const requestId = (typeof req.headers['x-request-id'] === 'string' && req.headers['x-request-id'].slice(0, 100)) || randomUUID();
    requestScope.run({ requestId }, () => handle(req, res, requestId));
  };
  const { tls } = deps.config;
  // an https.Server is an http.Server on TLS sockets: same requests, upgrades and timeouts
  const server: http.Server = tls ? https.createServer({ cert: tls.cert, key: tls.key }, onRequest) : http.createServer(onRequest);

  async function handle(req: http.IncomingMessage, res: http.ServerResponse, requestId: string) {
    const started = process.hrtime.bigint();
    const log = deps.logger;
    res.setHeader('x-request-id', requestId);
    res.on('finish', () => {
      log.info(
        { method: req.method, url: req.url?.split('?')[0], status: res.statusCode, ms: Number(process.hrtime.bigint() - started) / 1e6 },
        'request',
      );
    });
    try {
      const path = (req.url ?? '/').split('?')[0];
      if (path === '/health') return sendJson(res, 200, { status: 'ok' });
      if (path === '/ready') {
        const checks = await readiness(deps);
        const ready = Object.values(checks).every(Boolean);
        return sendJson(res, ready ? 200 : 503, { status: ready ? 'ready' : 'unavailable', checks });
      }
      if (path === '/metrics') {
        res.writeHead(200, { 'content-type': deps.realtime.metrics.registry.contentType });
        return res.end(await deps.realtime.metrics.registry.metrics());
      }
      if (path === '/graphql') {
        if (req.method === 'POST') {
          const body = await readBody(req, deps.config.bodyLimitBytes);
          if (body.length > 0) (req as http.IncomingMessage & { body?: Buffer }).body = body;
        }
        const client = clientInfo(req);
        return await yoga.handle(req, res, { client, requestId });
      }
      if (path === '/widget.js' && (req.method === 'GET' || req.method === 'HEAD')) return await serveWidgetScript(req, res);
      if (path === '/demo' && req.method === 'GET') return await serveDemoPage(req, res, deps);
      return dashboard(req, res);
    } catch (error) {
      if (error instanceof BodyTooLargeError) {
        res.setHeader('connection', 'close');
        return sendJson(res, 413, {
          errors: [{ message: `The request body is larger than ${deps.config.bodyLimitBytes} bytes.`, extensions: { code: 'BAD_USER_INPUT' } }],
        });
      }
      log.error({ err: error }, 'request failed');
      if (!res.headersSent) sendJson(res, 500, { errors: [{ message: 'Internal server error.', extensions: { code: 'INTERNAL' } }] });
      else res.destroy();
    }
  }

  server.headersTimeout = 20_000;
  // SSE subscriptions are long-lived requests: no overall request timeout
  server.requestTimeout = 0;
  const websocket = attachWebSocket(server, yoga, deps, clientInfo);
  return { server, closeSockets: websocket.close };
}

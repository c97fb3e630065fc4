import { existsSync } from 'node:fs';
import type http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import sirv from 'sirv';

/** The repository's root, from server/src/http or server/dist/http alike. */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

/** Where `npm run build -w clients/dashboard` writes the dashboard. */
export const dashboardDir = path.join(repoRoot, 'clients/dashboard/dist');

/**
 * The dashboard's pages may load nothing from another origin: scripts, styles, fonts,
 * images and connections all stay on this server (the privacy promise, enforced by the browser).
 */
const pageHeaders: Record<string, string> = {
  'content-security-policy': [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "media-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "frame-ancestors 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "object-src 'none'",
  ].join('; '),
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'same-origin',
  'x-frame-options': 'DENY',
  'permissions-policy': 'camera=(), microphone=(), geolocation=()',
};

type Handler = (req: http.IncomingMessage, res: http.ServerResponse) => void;

/**
 * Serves the built dashboard. Hashed assets are cached for good; every other path that a
 * browser navigates to gets index.html (history-API routing), while API clients asking
 * for an unknown path still get a JSON 404 from `notFound`.
 */
export function dashboardHandler(notFound: Handler, dir = dashboardDir): Handler {
  if (!existsSync(path.join(dir, 'index.html'))) {
    return (req, res) => {
      if (!wantsPage(req)) return notFound(req, res);
      res.writeHead(503, { 'content-type': 'text/plain; charset=utf-8', ...pageHeaders });
      res.end('The dashboard has not been built: run `npm run build -w clients/dashboard` (npm start does it for you).\n');
    };
  }
  const files = sirv(dir, {
    etag: true,
    gzip: false,
    setHeaders(res, pathname) {
      for (const [name, value] of Object.entries(pageHeaders)) res.setHeader(name, value);
      res.setHeader('cache-control', pathname.startsWith('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache');
    },
  });
  const page = sirv(dir, {
    single: true,
    etag: true,
    setHeaders(res) {
      for (const [name, value] of Object.entries(pageHeaders)) res.setHeader(name, value);
      res.setHeader('cache-control', 'no-cache');
    },
  });
  return (req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return notFound(req, res);
    files(req, res, () => (wantsPage(req) ? page(req, res, () => notFound(req, res)) : notFound(req, res)));
  };
}

/** A browser navigating (not fetch or curl asking for data). */
function wantsPage(req: http.IncomingMessage): boolean {
  return (req.headers.accept ?? '').includes('text/html');
}

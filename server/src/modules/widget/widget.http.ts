import { readFile, stat } from 'node:fs/promises';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import type http from 'node:http';
import path from 'node:path';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Deps } from '../../deps.js';
import { demoSignIn } from '../../db/seed.js';
import { repoRoot } from '../../http/static.js';
import { Account } from '../accounts/account.entity.js';
import { Agent } from '../agents/agent.entity.js';

/** Where `npm run build -w clients/widget` writes the one-file widget. */
export const widgetFile = path.join(repoRoot, 'clients/widget/dist/widget.js');

type Encoded = { identity: Buffer; gzip: Buffer; br: Buffer };
let cached: { mtimeMs: number; body: Encoded } | null = null;

/** Compressed once per build of the file, not per request. */
async function encodings(): Promise<Encoded> {
  const identity = await readFile(widgetFile);
  return {
    identity,
    gzip: gzipSync(identity, { level: 9 }),
    br: brotliCompressSync(identity, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }),
  };
}

function preferredEncoding(req: http.IncomingMessage): 'br' | 'gzip' | 'identity' {
  const accepted = String(req.headers['accept-encoding'] ?? '');
  if (/\bbr\b/.test(accepted)) return 'br';
  if (/\bgzip\b/.test(accepted)) return 'gzip';
  return 'identity';
}

/**
 * Serves the widget script. Any site may load it (that is its purpose); it is cached briefly,
 * so a new release reaches every site within minutes, and revalidated by its ETag.
 */
export async function serveWidgetScript(req: http.IncomingMessage, res: http.ServerResponse) {
  const info = await stat(widgetFile).catch(() => null);
  if (!info) {
    res.writeHead(503, { 'content-type': 'text/plain; charset=utf-8' });
    return res.end('The widget has not been built: run `npm run build -w clients/widget` (npm start does it for you).\n');
  }
  if (!cached || cached.mtimeMs !== info.mtimeMs) cached = { mtimeMs: info.mtimeMs, body: await encodings() };
  const etag = `"${info.size.toString(16)}-${Math.floor(info.mtimeMs).toString(16)}"`;
  const headers = {
    'content-type': 'text/javascript; charset=utf-8',
    'cache-control': 'public, max-age=300',
    etag,
    'cross-origin-resource-policy': 'cross-origin',
    'access-control-allow-origin': '*',
    'x-content-type-options': 'nosniff',
    vary: 'accept-encoding',
  };
  if (req.headers['if-none-match'] === etag) {
    res.writeHead(304, headers);
    return res.end();
  }
  const encoding = preferredEncoding(req);
  const body = cached.body[encoding];
  res.writeHead(200, { ...headers, ...(encoding === 'identity' ? {} : { 'content-encoding': encoding }), 'content-length': body.length });
  res.end(req.method === 'HEAD' ? undefined : body);
}

const escapeHtml = (value: string) =>
  value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** The demo account's widget key: the account of the seeded demo agent, if there is one. */
async function demoWidgetKey(deps: Deps): Promise<string | null> {
  const em = deps.orm.em.fork() as EntityManager;
  const agent = await em.findOne(Agent, { email: demoSignIn.email, removedAt: null });
  if (!agent) return null;
  return (await em.findOne(Account, { id: agent.accountId }))?.widgetKey ?? null;
}

/**
 * A plain host page, standing in for a company's website, that embeds the widget the way
 * customers do. Its own loud styles and script show that the widget and the page leave each
 * other alone. `?key=wk_...` embeds another account's widget.
 */
export async function serveDemoPage(req: http.IncomingMessage, res: http.ServerResponse, deps: Deps) {
  const requested = new URL(req.url ?? '/demo', 'http://host').searchParams.get('key');
  const key = requested && /^wk_[A-Za-z0-9_-]{1,100}$/.test(requested) ? requested : await demoWidgetKey(deps);
  const embed = key
    ? `<script src="/widget.js" data-widget-key="${escapeHtml(key)}" async></script>`
    : '<p class="note">There is no demo account in this database (SEED_DEMO=false): open <code>/demo?key=YOUR_WIDGET_KEY</code>.</p>';
  res.writeHead(200, {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
    'content-security-policy': "default-src 'self'; style-src 'self' 'unsafe-inline'; script-src 'self' 'unsafe-inline'; img-src 'self' data:",
  });
  res.end(`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Acme Bikes: a demo page with the chat widget</title>
<style>
  /* deliberately loud host styles: none of them may reach the widget */
  body { font-family: Georgia, serif; margin: 0; background: #fffbea; color: #3b2f00; }
  header { background: #7c2d12; color: #fff; padding: 1.5rem 2rem; }
  main { padding: 2rem; max-width: 48rem; }
  button { background: #dc2626 !important; color: #fff; border-radius: 0; font-size: 20px; text-transform: uppercase; }
  div, p, textarea, input { letter-spacing: 0.05em; }
  * { box-sizing: content-box; }
  .note { background: #fee2e2; padding: 1rem; }
</style>
</head>
<body>
<header><h1 id="host-title">Acme Bikes</h1><p>City bikes, built to last.</p></header>
<main>
  <p>This page stands in for a company's website. It embeds the chat widget with one script tag:</p>
  <pre>&lt;script src="${escapeHtml(`${deps.config.publicUrl ?? ''}/widget.js`)}" data-widget-key="${escapeHtml(key ?? 'YOUR_WIDGET_KEY')}" async&gt;&lt;/script&gt;</pre>
  <p><button id="host-button" type="button">A host page button</button> <span id="host-counter">0</span></p>
  ${embed}
</main>
<script>
  // the host page's own script keeps working next to the widget
  window.hostScriptRan = true;
  var counter = 0;
  document.getElementById('host-button').addEventListener('click', function () {
    document.getElementById('host-counter').textContent = String(++counter);
  });
</script>
</body>
</html>
`);
}

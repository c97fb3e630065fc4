import type http from 'node:http';
import type { Config } from '../config.js';
import { secureRequestResolver } from './client-ip.js';

/**
 * The headers every response of this server carries, whatever serves it (API, health, metrics,
 * dashboard, widget, demo page): HSTS when the request came over TLS (directly or through a
 * trusted proxy; browsers ignore it over plain HTTP anyway, and a plain-HTTP development server
 * must not pin its host to HTTPS), no MIME sniffing, and no full URL in the Referer sent to
 * other sites. Page-specific headers (the dashboard's CSP, framing) stay with their pages.
 */
export function securityHeaders(config: Pick<Config, 'trustProxy' | 'hstsMaxAge'>) {
  const isSecure = secureRequestResolver(config.trustProxy);
  const hsts = config.hstsMaxAge > 0 ? `max-age=${config.hstsMaxAge}; includeSubDomains` : null;
  return (req: http.IncomingMessage, res: http.ServerResponse) => {
    if (hsts && isSecure(req)) res.setHeader('strict-transport-security', hsts);
    res.setHeader('x-content-type-options', 'nosniff');
    res.setHeader('referrer-policy', 'same-origin');
  };
}

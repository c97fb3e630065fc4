import type { IncomingMessage } from 'node:http';
import proxyaddr from 'proxy-addr';
import type { ClientInfo } from '../context.js';

/**
 * The client's address: X-Forwarded-For is believed only for hops from the trusted
 * proxies (TRUST_PROXY), so a visitor cannot forge its own IP.
 */
export function clientIpResolver(trustProxy: string) {
  const setting = trustProxy.trim();
  const trust: Parameters<typeof proxyaddr>[1] =
    setting === 'false' || setting === ''
      ? () => false
      : setting === 'true'
        ? () => true
        : /^\d+$/.test(setting)
          ? (_addr: string, hop: number) => hop < Number(setting)
          : proxyaddr.compile(setting.split(',').map((s) => s.trim()));
  return (req: IncomingMessage): string | null => {
    if (!req.socket.remoteAddress) return null;
    return proxyaddr(req, trust).replace(/^::ffff:/, '');
  };
}

/** No request at all (an operation on a socket whose upgrade request is gone). */
export const unknownClient: ClientInfo = { ip: null, userAgent: null, origin: null };

/** What a request tells about its client: address, browser, and the page's origin (for the widget's allowed origins). */
export function clientInfoResolver(trustProxy: string) {
  const ipOf = clientIpResolver(trustProxy);
  return (req: IncomingMessage): ClientInfo => ({
    ip: ipOf(req),
    userAgent: req.headers['user-agent']?.slice(0, 1000) ?? null,
    origin: typeof req.headers.origin === 'string' && req.headers.origin !== 'null' ? req.headers.origin.slice(0, 300) : null,
  });
}

import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';
import proxyaddr from 'proxy-addr';
import type { ClientInfo } from '../context.js';

/** TRUST_PROXY as proxy-addr's trust function: is the hop `hop` steps from us (0: our peer) at `addr` trusted? */
function compileTrust(trustProxy: string): (addr: string, hop: number) => boolean {
  const setting = trustProxy.trim();
  return setting === 'false' || setting === ''
    ? () => false
    : setting === 'true'
      ? () => true
      : /^\d+$/.test(setting)
        ? (_addr: string, hop: number) => hop < Number(setting)
        : proxyaddr.compile(setting.split(',').map((s) => s.trim()));
}

/**
 * Did the request reach us over TLS? Directly (this server has the certificate), or through a
 * proxy that terminated TLS: X-Forwarded-Proto is believed only when our peer is a trusted
 * proxy (TRUST_PROXY), and then its last value, the one that peer added, counts.
 */
export function secureRequestResolver(trustProxy: string) {
  const trust = compileTrust(trustProxy);
  return (req: IncomingMessage): boolean => {
    if ((req.socket as TLSSocket).encrypted) return true;
    const forwarded = req.headers['x-forwarded-proto'];
    const peer = req.socket.remoteAddress;
    if (typeof forwarded !== 'string' || !peer || !trust(peer, 0)) return false;
    return forwarded.split(',').pop()!.trim().toLowerCase() === 'https';
  };
}

/**
 * The client's address: X-Forwarded-For is believed only for hops from the trusted
 * proxies (TRUST_PROXY), so a visitor cannot forge its own IP.
 */
export function clientIpResolver(trustProxy: string) {
  const trust = compileTrust(trustProxy);
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

import type { IncomingMessage } from 'node:http';
import proxyaddr from 'proxy-addr';

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

import ipaddr from 'ipaddr.js';
import type { IpHandling } from '../accounts/account.entity.js';

/**
 * The IP address as the account chose to keep it: not at all, truncated (IPv4's last octet
 * and IPv6's last 80 bits zeroed, which leaves a network, not a person), or in full.
 */
export function storedIp(ip: string | null, handling: IpHandling): string | null {
  if (!ip || handling === 'NONE') return null;
  if (handling === 'FULL') return ip;
  if (!ipaddr.isValid(ip)) return null;
  const address = ipaddr.process(ip);
  const bytes = address.toByteArray();
  const keep = address.kind() === 'ipv4' ? 3 : 6;
  for (let i = keep; i < bytes.length; i++) bytes[i] = 0;
  return ipaddr.fromByteArray(bytes).toString();
}

import { createRequire } from 'node:module';
import { UAParser } from 'ua-parser-js';

export type Software = { name: string | null; version: string | null };
export type ClientDetails = { browser: Software; os: Software; country: string | null; city: string | null };

type GeoIp = { lookup(ip: string): { country?: string; city?: string } | null };
let geoip: GeoIp | null = null;

// geoip-lite reads its database (shipped in the npm package) on load; load it only when a
// visitor first arrives, so processes that never see visitors do not pay for it.
function geo(): GeoIp {
  geoip ??= createRequire(import.meta.url)('geoip-lite') as GeoIp;
  return geoip;
}

/** Browser and OS with versions, parsed offline from the user agent. */
export function parseUserAgent(userAgent: string | null): Pick<ClientDetails, 'browser' | 'os'> {
  const result = new UAParser(userAgent ?? '').getResult();
  return {
    browser: { name: result.browser.name ?? null, version: result.browser.version ?? null },
    os: { name: result.os.name ?? null, version: result.os.version ?? null },
  };
}

/** Approximate location from an offline GeoIP database; no network call is made. */
export function locate(ip: string | null): Pick<ClientDetails, 'country' | 'city'> {
  if (!ip) return { country: null, city: null };
  const found = geo().lookup(ip.replace(/^::ffff:/, ''));
  return { country: found?.country || null, city: found?.city || null };
}

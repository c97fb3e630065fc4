/** Formatting for the visitor panel's facts. */

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const regions = new Intl.DisplayNames(undefined, { type: 'region' });

/** "12 Mar 2026, 14:05" in the agent's locale. */
export function formatDate(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : dateTime.format(date);
}

/** The country's name in the agent's language, from its ISO 3166-1 alpha-2 code ("DE" → "Germany"). */
export function countryName(code: string): string {
  try {
    return regions.of(code.toUpperCase()) ?? code;
  } catch {
    return code; // not a valid region code
  }
}

/** "Prague, Czechia"; null when nothing is known. */
export function formatLocation(location: { city?: string | null; country?: string | null } | null | undefined): string | null {
  const parts = [location?.city, location?.country ? countryName(location.country) : null].filter(Boolean);
  return parts.length ? parts.join(', ') : null;
}

/** "Chrome 120"; null when the name is unknown. */
export function formatSoftware(software: { name?: string | null; version?: string | null } | null | undefined): string | null {
  if (!software?.name) return null;
  return software.version ? `${software.name} ${software.version}` : software.name;
}

/** The URL if it is a web page (http or https), else null: a visitor's page URL must never run script when clicked. */
export function safeHref(url: string): string | null {
  try {
    const { protocol } = new URL(url);
    return protocol === 'http:' || protocol === 'https:' ? url : null;
  } catch {
    return null;
  }
}

/**
 * A short, file-name-safe handle for a visitor's global id: the last 8 letters or digits of the
 * id inside it (ids are uuid v7, whose leading digits are a timestamp shared by many visitors).
 */
export function shortId(globalId: string): string {
  let inner = globalId;
  try {
    const decoded = atob(globalId);
    if (decoded.includes(':')) inner = decoded.slice(decoded.lastIndexOf(':') + 1);
  } catch {
    // not base64: use the id as it is
  }
  return inner.replace(/[^A-Za-z0-9]/g, '').slice(-8).toLowerCase() || 'visitor';
}

/** "1 message", "3 messages". */
export function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

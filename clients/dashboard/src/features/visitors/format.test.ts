import { describe, expect, it } from 'vitest';
import { countryName, formatDate, formatLocation, formatSoftware, plural, safeHref, shortId } from './format';

describe('visitor formatting', () => {
  it('names countries from their ISO code, and keeps a code it does not know', () => {
    expect(countryName('DE')).toBe(new Intl.DisplayNames(undefined, { type: 'region' }).of('DE'));
    expect(countryName('de')).toBe(countryName('DE'));
    expect(countryName('not a code')).toBe('not a code');
  });

  it('joins city and country, or gives null', () => {
    expect(formatLocation({ city: 'Prague', country: 'CZ' })).toBe(`Prague, ${countryName('CZ')}`);
    expect(formatLocation({ city: null, country: 'CZ' })).toBe(countryName('CZ'));
    expect(formatLocation({ city: null, country: null })).toBeNull();
    expect(formatLocation(null)).toBeNull();
  });

  it('writes software as name and version', () => {
    expect(formatSoftware({ name: 'Chrome', version: '120' })).toBe('Chrome 120');
    expect(formatSoftware({ name: 'Linux', version: null })).toBe('Linux');
    expect(formatSoftware({ name: null, version: '1' })).toBeNull();
  });

  it('formats dates, leaving an unreadable one as it is', () => {
    expect(formatDate('2026-01-05T17:30:00.000Z')).not.toBe('2026-01-05T17:30:00.000Z');
    expect(formatDate('soon')).toBe('soon');
  });

  it('links only http and https URLs', () => {
    expect(safeHref('https://example.org/a')).toBe('https://example.org/a');
    expect(safeHref('http://example.org/')).toBe('http://example.org/');
    expect(safeHref('javascript:alert(1)')).toBeNull();
    expect(safeHref('data:text/html,hi')).toBeNull();
    expect(safeHref('not a url')).toBeNull();
  });

  it('shortens a visitor id to the random end of the uuid inside it, safe in a file name', () => {
    expect(shortId(btoa('Visitor:0193a7c2-1111-7aaa-8bbb-1234ABCD5678'))).toBe('abcd5678');
    expect(shortId('not/base64:&id-42')).toBe('se64id42'); // not base64: the id itself, letters and digits only
    expect(shortId('v1')).toMatch(/^[a-z0-9]{1,8}$/);
    expect(shortId('///')).toBe('visitor');
  });

  it('counts in words', () => {
    expect(plural(1, 'message')).toBe('1 message');
    expect(plural(0, 'message')).toBe('0 messages');
    expect(plural(7, 'page view')).toBe('7 page views');
  });
});

import { describe, expect, it } from 'vitest';
import { backoffDelay } from '../src/backoff.js';
import { fieldOf, validate } from '../src/forms.js';
import { strings, toLocale } from '../src/i18n.js';
import { safeColor, textOn } from '../src/styles.js';
import { TypingNotifier } from '../src/typing.js';
import type { Timers } from '../src/outbox.js';

describe('backoffDelay', () => {
  it('doubles with jitter and is capped at 10 s', () => {
    expect(backoffDelay(0, () => 0)).toBe(250);
    expect(backoffDelay(0, () => 1)).toBe(500);
    expect(backoffDelay(3, () => 1)).toBe(4000);
    for (let attempt = 0; attempt < 100; attempt++) {
      const delay = backoffDelay(attempt);
      expect(delay).toBeGreaterThanOrEqual(250);
      expect(delay).toBeLessThanOrEqual(10_000);
    }
    expect(backoffDelay(50, () => 0)).toBe(5000);
  });
});

describe('validate', () => {
  const t = strings('en');
  it('enforces required fields and a well-formed email', () => {
    const fields = [
      { name: 'name', required: true },
      { name: 'email', required: false },
    ] as const;
    expect(validate(fields, { name: ' ', email: '' }, t)).toEqual({ name: t.errRequired });
    expect(validate(fields, { name: 'Ann', email: 'nope' }, t)).toEqual({ email: t.errEmail });
    expect(validate(fields, { name: 'Ann', email: 'ann@example.com' }, t)).toEqual({});
  });
  it('maps the server field to ours', () => {
    expect(fieldOf('input.email')).toBe('email');
    expect(fieldOf('input.body')).toBe('message');
    expect(fieldOf('input.visitorId')).toBeUndefined();
    expect(fieldOf(undefined)).toBeUndefined();
  });
});

describe('i18n', () => {
  it('has every string in both languages', () => {
    expect(Object.keys(strings('cs')).sort()).toEqual(Object.keys(strings('en')).sort());
    expect(strings('cs').typing('Alice')).toBe('Alice píše…');
    expect(strings('en').thanks('a@b.cz')).toBe("Thanks! We'll answer by email at a@b.cz.");
  });
  it('reads locales loosely', () => {
    expect(toLocale('CS')).toBe('cs');
    expect(toLocale('cs-CZ')).toBe('cs');
    expect(toLocale('en')).toBe('en');
    expect(toLocale('de')).toBeNull();
    expect(toLocale(42)).toBeNull();
  });
});

describe('colours', () => {
  it('lets only #rrggbb into CSS', () => {
    expect(safeColor('#00AAff')).toBe('#00AAff');
    expect(safeColor('red;}body{display:none')).toBe('#2563eb');
    expect(safeColor(null)).toBe('#2563eb');
  });
  it('picks readable text', () => {
    expect(textOn('#ffff00')).toBe('#111');
    expect(textOn('#1d4ed8')).toBe('#fff');
  });
});

describe('TypingNotifier', () => {
  it('sends true, renews every 3 s while typing, false after 4 s idle or on send', () => {
    let now = 0;
    const pending = new Map<number, { at: number; run: () => void }>();
    let id = 0;
    const timers: Timers = { set: (run, ms) => (pending.set(++id, { at: now + ms, run }), id), clear: (h) => void pending.delete(h as number) };
    const advance = (ms: number) => {
      now += ms;
      for (const [key, timer] of [...pending]) if (timer.at <= now) (pending.delete(key), timer.run());
    };
    const sent: boolean[] = [];
    const notifier = new TypingNotifier((v) => sent.push(v), timers, () => now);
    notifier.input();
    advance(1000);
    notifier.input();
    advance(1000);
    notifier.input();
    expect(sent).toEqual([true]);
    advance(1000);
    notifier.input(); // 3 s after the first: renewed
    expect(sent).toEqual([true, true]);
    advance(4000);
    expect(sent).toEqual([true, true, false]);
    notifier.input();
    notifier.stop();
    notifier.stop();
    expect(sent).toEqual([true, true, false, true, false]);
  });
});

import { describe, expect, it } from 'vitest';
import { createStore } from '../src/storage.js';

/** A Storage whose every method can be made to throw, as browsers do when storage is blocked. */
function fakeStorage(options: { throwOnSet?: boolean; throwOnGet?: boolean } = {}) {
  const map = new Map<string, string>();
  const storage = {
    getItem: (key: string) => {
      if (options.throwOnGet) throw new DOMException('denied', 'SecurityError');
      return map.get(key) ?? null;
    },
    setItem: (key: string, value: string) => {
      if (options.throwOnSet) throw new DOMException('quota', 'QuotaExceededError');
      map.set(key, value);
    },
    removeItem: (key: string) => void map.delete(key),
  } as unknown as Storage;
  return { storage, map, options };
}

describe('createStore', () => {
  it('uses localStorage when it works', () => {
    const { storage, map } = fakeStorage();
    const store = createStore(() => storage);
    store.set('livechat:k:visitor', 'lcv_1');
    expect(map.get('livechat:k:visitor')).toBe('lcv_1');
    expect(store.get('livechat:k:visitor')).toBe('lcv_1');
    expect(store.persistent).toBe(true);
    store.remove('livechat:k:visitor');
    expect(map.has('livechat:k:visitor')).toBe(false);
  });

  it('falls back to memory when even reading localStorage throws (blocked cookies, sandboxed iframe)', () => {
    const store = createStore(() => {
      throw new DOMException('The document is sandboxed', 'SecurityError');
    });
    expect(store.persistent).toBe(false);
    store.set('a', '1');
    expect(store.get('a')).toBe('1');
    store.remove('a');
    expect(store.get('a')).toBeNull();
  });

  it('falls back to memory when writing throws (private mode, quota)', () => {
    const { storage } = fakeStorage({ throwOnSet: true });
    const store = createStore(() => storage);
    expect(store.persistent).toBe(false);
    store.set('a', '1');
    expect(store.get('a')).toBe('1');
  });

  it('keeps what was written when storage starts failing later', () => {
    const fake = fakeStorage();
    const store = createStore(() => fake.storage);
    store.set('a', '1');
    fake.options.throwOnGet = true;
    fake.options.throwOnSet = true;
    expect(store.get('a')).toBe('1');
    store.set('b', '2');
    expect(store.get('b')).toBe('2');
    expect(store.persistent).toBe(false);
  });

  it('treats a missing localStorage as memory', () => {
    const store = createStore(() => null);
    store.set('a', '1');
    expect(store.get('a')).toBe('1');
    expect(store.persistent).toBe(false);
  });
});

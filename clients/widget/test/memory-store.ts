import type { KeyValueStore } from '../src/storage.js';

/** A store over a plain Map, shared between "page loads" of one test. */
export function memoryStore(map = new Map<string, string>()): KeyValueStore & { map: Map<string, string> } {
  return {
    map,
    get: (key) => map.get(key) ?? null,
    set: (key, value) => void map.set(key, value),
    remove: (key) => void map.delete(key),
    persistent: true,
  };
}

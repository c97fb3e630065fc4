/** What the widget keeps between page loads: the visitor token and the unsent messages. */
export interface KeyValueStore {
  get(key: string): string | null;
  set(key: string, value: string): void;
  remove(key: string): void;
  /** False when the browser refused storage and values live only as long as the page. */
  readonly persistent: boolean;
}

/**
 * localStorage where the page may use it, else memory. Storage throws when the visitor blocked
 * cookies, in some private modes, in a sandboxed iframe and when the quota is full; the widget
 * must chat anyway, so every failure falls back to a Map for the rest of the page's life.
 */
export function createStore(getStorage: () => Storage | null = () => window.localStorage): KeyValueStore {
  const memory = new Map<string, string>();
  let storage: Storage | null = null;
  try {
    storage = getStorage();
    // merely reading `localStorage` may work while writing throws (Safari's old private mode)
    const probe = '__livechat_probe__';
    storage?.setItem(probe, '1');
    storage?.removeItem(probe);
  } catch {
    storage = null;
  }
  const fallBack = () => {
    storage = null;
  };
  return {
    get(key) {
      if (storage) {
        try {
          return storage.getItem(key);
        } catch {
          fallBack();
        }
      }
      return memory.get(key) ?? null;
    },
    set(key, value) {
      // memory too: a later failing read still finds what was written
      memory.set(key, value);
      if (storage) {
        try {
          storage.setItem(key, value);
        } catch {
          fallBack();
        }
      }
    },
    remove(key) {
      memory.delete(key);
      if (storage) {
        try {
          storage.removeItem(key);
        } catch {
          fallBack();
        }
      }
    },
    get persistent() {
      return storage !== null;
    },
  };
}

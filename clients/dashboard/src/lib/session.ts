import { createSignal } from 'solid-js';

const storageKey = 'livechat.session';

/** The signed-in agent's session token, kept across reloads in this browser only. */
export type Session = { token: string; agentId: string };

function read(): Session | null {
  try {
    const raw = localStorage.getItem(storageKey);
    return raw ? (JSON.parse(raw) as Session) : null;
  } catch {
    return null;
  }
}

const [session, setSessionSignal] = createSignal<Session | null>(read());

export { session };

/** Stores (or, with null, forgets) the session; every tab of this browser follows. */
export function setSession(next: Session | null) {
  try {
    if (next) localStorage.setItem(storageKey, JSON.stringify(next));
    else localStorage.removeItem(storageKey);
  } catch {
    // storage blocked: the session lasts as long as the tab
  }
  setSessionSignal(next);
}

if (typeof window !== 'undefined') {
  window.addEventListener('storage', (event) => {
    if (event.key === storageKey) setSessionSignal(read());
  });
}

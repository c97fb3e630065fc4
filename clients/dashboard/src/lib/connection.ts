import { createSignal } from 'solid-js';

/** The live connection's state, for the banner and for resuming after a drop. */
export type ConnectionState = 'connecting' | 'connected' | 'down';

const [connectionState, setConnectionState] = createSignal<ConnectionState>('connecting');
export { connectionState };

const reconnectListeners = new Set<() => void>();
const dropListeners = new Set<() => void>();
let everConnected = false;

/** Called by the socket client; tells listeners when a connection comes back after a drop. */
export function reportConnected() {
  setConnectionState('connected');
  if (everConnected) for (const listener of [...reconnectListeners]) listener();
  everConnected = true;
}

export function reportDropped() {
  if (connectionState() === 'down') return;
  setConnectionState('down');
  for (const listener of [...dropListeners]) listener();
}

/** Runs `listener` every time the socket reconnects after a drop; returns the unsubscribe. */
export function onReconnect(listener: () => void): () => void {
  reconnectListeners.add(listener);
  return () => reconnectListeners.delete(listener);
}

/** Runs `listener` every time the socket drops; returns the unsubscribe. */
export function onDrop(listener: () => void): () => void {
  dropListeners.add(listener);
  return () => dropListeners.delete(listener);
}

/** Forgets the connection history (sign-out). */
export function resetConnection() {
  everConnected = false;
  setConnectionState('connecting');
}

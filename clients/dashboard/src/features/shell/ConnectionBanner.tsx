import { Show } from 'solid-js';
import { connectionState } from '../../lib/connection';

/** Tells the agent the live connection is down (and that the app is reconnecting). */
export function ConnectionBanner() {
  return (
    <Show when={connectionState() === 'down'}>
      <div class="banner" role="status">
        Connection lost. Reconnecting… Messages you send are kept and delivered once the connection is back.
      </div>
    </Show>
  );
}

import { connectionState } from '../../lib/connection';

/**
 * Tells the agent the live connection is down (and that the app is reconnecting). The
 * status region stays in the page and only its text changes, so screen readers announce it.
 */
export function ConnectionBanner() {
  return (
    <div class="banner" role="status">
      {connectionState() === 'down'
        ? 'Connection lost. Reconnecting… Messages you send are kept and delivered once the connection is back.'
        : ''}
    </div>
  );
}

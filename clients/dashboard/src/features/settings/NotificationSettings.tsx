import { createSignal, Show } from 'solid-js';
import { attentionPrefs, requestNotificationPermission, setAttentionPrefs } from '../../lib/attention';

type Permission = NotificationPermission | 'unsupported';

const currentPermission = (): Permission => (typeof Notification === 'undefined' ? 'unsupported' : Notification.permission);

/** How this browser asks for attention: stored per browser, not on the server. */
export function NotificationSettings() {
  const [permission, setPermission] = createSignal<Permission>(currentPermission());

  async function toggleNotifications(on: boolean) {
    setAttentionPrefs({ ...attentionPrefs(), notifications: on });
    // The browser only asks in answer to a click, so this is the moment to.
    if (on && permission() === 'default') setPermission(await requestNotificationPermission());
  }

  return (
    <section class="card" aria-labelledby="notifications-heading">
      <h2 id="notifications-heading">Notifications</h2>
      <p>When a visitor writes while you look at another tab or window. These choices are kept in this browser only.</p>
      <div class="field">
        <label>
          <input type="checkbox" checked={attentionPrefs().sound} onChange={(e) => setAttentionPrefs({ ...attentionPrefs(), sound: e.currentTarget.checked })} /> Play a sound for new messages
        </label>
        <label>
          <input type="checkbox" checked={attentionPrefs().notifications} onChange={(e) => void toggleNotifications(e.currentTarget.checked)} /> Show browser notifications
        </label>
      </div>
      <p role="status">
        <Show when={attentionPrefs().notifications && permission() === 'denied'}>
          This browser blocks notifications from this site: allow them in the browser's site settings to see them.
        </Show>
        <Show when={attentionPrefs().notifications && permission() === 'unsupported'}>This browser cannot show notifications.</Show>
      </p>
    </section>
  );
}

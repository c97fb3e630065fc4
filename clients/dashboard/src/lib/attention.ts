import { createSignal } from 'solid-js';

/** Per-browser choices about how the dashboard asks for attention. */
export type AttentionPrefs = { sound: boolean; notifications: boolean };

const storageKey = 'livechat.attention';

function read(): AttentionPrefs {
  try {
    return { sound: true, notifications: true, ...(JSON.parse(localStorage.getItem(storageKey) ?? '{}') as Partial<AttentionPrefs>) };
  } catch {
    return { sound: true, notifications: true };
  }
}

const [prefs, setPrefsSignal] = createSignal<AttentionPrefs>(read());
export { prefs as attentionPrefs };

export function setAttentionPrefs(next: AttentionPrefs) {
  try {
    localStorage.setItem(storageKey, JSON.stringify(next));
  } catch {
    // storage blocked: the choice lasts for this tab
  }
  setPrefsSignal(next);
}

/** Asks the browser for permission to show notifications (must follow a click). */
export async function requestNotificationPermission(): Promise<NotificationPermission | 'unsupported'> {
  if (typeof Notification === 'undefined') return 'unsupported';
  return Notification.permission === 'default' ? Notification.requestPermission() : Notification.permission;
}

/** True when this tab is shown (another window may have the focus). */
export function tabIsVisible(): boolean {
  return document.visibilityState === 'visible';
}

/** True when the agent is looking at this tab right now. */
export function tabIsWatched(): boolean {
  return document.visibilityState === 'visible' && document.hasFocus();
}

let audio: AudioContext | undefined;

/** A short two-tone chime, synthesized: no sound file to fetch from anywhere. */
export function playChime() {
  try {
    audio ??= new AudioContext();
    // a context made before the agent's first click starts suspended (autoplay policy)
    if (audio.state === 'suspended') void audio.resume().catch(() => undefined);
    const now = audio.currentTime;
    for (const [i, frequency] of [880, 1320].entries()) {
      const oscillator = audio.createOscillator();
      const gain = audio.createGain();
      oscillator.frequency.value = frequency;
      gain.gain.setValueAtTime(0.0001, now + i * 0.12);
      gain.gain.exponentialRampToValueAtTime(0.2, now + i * 0.12 + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.0001, now + i * 0.12 + 0.3);
      oscillator.connect(gain).connect(audio.destination);
      oscillator.start(now + i * 0.12);
      oscillator.stop(now + i * 0.12 + 0.32);
    }
  } catch {
    // no audio available: the notification and the title still tell
  }
}

/** A new conversation or message while the agent looks elsewhere: chime and notify, as chosen. */
export function callAttention(message: { title: string; body: string; onClick?: () => void }) {
  if (tabIsWatched()) return;
  const chosen = prefs();
  if (chosen.sound) playChime();
  if (!chosen.notifications || typeof Notification === 'undefined' || Notification.permission !== 'granted') return;
  const notification = new Notification(message.title, { body: message.body.slice(0, 200), tag: 'livechat' });
  notification.onclick = () => {
    window.focus();
    message.onClick?.();
    notification.close();
  };
}

/** "(3) Inbox · Livechat": the unread count in the tab title. */
export function titleWith(unread: number, page: string): string {
  return `${unread > 0 ? `(${unread}) ` : ''}${page} · Livechat`;
}

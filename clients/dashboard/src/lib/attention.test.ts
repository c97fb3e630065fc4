import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { callAttention, setAttentionPrefs, titleWith } from './attention';

/** Browser API stand-ins, installed on globalThis for these tests only. */
class FakeNotification {
  static permission: NotificationPermission = 'granted';
  static shown: FakeNotification[] = [];
  onclick: (() => void) | null = null;
  constructor(
    readonly title: string,
    readonly options: { body?: string; tag?: string },
  ) {
    FakeNotification.shown.push(this);
  }
  close() {}
}

class FakeAudioContext {
  static oscillatorsStarted = 0;
  static latest: FakeAudioContext | undefined;
  state: AudioContextState = 'running';
  resumed = 0;
  currentTime = 0;
  constructor() {
    FakeAudioContext.latest = this;
  }
  resume() {
    this.resumed++;
    this.state = 'running';
    return Promise.resolve();
  }
  destination = {};
  createOscillator() {
    return {
      frequency: { value: 0 },
      connect: (node: unknown) => node,
      start: () => void FakeAudioContext.oscillatorsStarted++,
      stop: () => undefined,
    };
  }
  createGain() {
    const param = { setValueAtTime: () => undefined, exponentialRampToValueAtTime: () => undefined };
    return { gain: param, connect: (node: unknown) => node };
  }
}

function watchTab(visible: boolean, focused: boolean) {
  vi.spyOn(document, 'visibilityState', 'get').mockReturnValue(visible ? 'visible' : 'hidden');
  vi.spyOn(document, 'hasFocus').mockReturnValue(focused);
}

beforeEach(() => {
  vi.stubGlobal('Notification', FakeNotification);
  vi.stubGlobal('AudioContext', FakeAudioContext);
  FakeNotification.permission = 'granted';
  FakeNotification.shown = [];
  FakeAudioContext.oscillatorsStarted = 0;
  setAttentionPrefs({ sound: true, notifications: true });
});

afterEach(() => {
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
  localStorage.clear();
});

describe('titleWith', () => {
  it('puts the unread count first', () => {
    expect(titleWith(3, 'Acme')).toBe('(3) Acme · Livechat');
  });

  it('shows no count at zero', () => {
    expect(titleWith(0, 'Acme')).toBe('Acme · Livechat');
  });
});

describe('callAttention', () => {
  const message = { title: 'New message', body: 'Hello?' };

  it('does nothing while the agent watches the tab', () => {
    watchTab(true, true);
    callAttention(message);
    expect(FakeAudioContext.oscillatorsStarted).toBe(0);
    expect(FakeNotification.shown).toEqual([]);
  });

  it('chimes and notifies when the tab is hidden', () => {
    watchTab(false, false);
    callAttention(message);
    expect(FakeAudioContext.oscillatorsStarted).toBe(2);
    expect(FakeNotification.shown).toHaveLength(1);
    expect(FakeNotification.shown[0]).toMatchObject({ title: 'New message', options: { body: 'Hello?' } });
  });

  it('calls attention when the tab is visible but another window has the focus', () => {
    watchTab(true, false);
    callAttention(message);
    expect(FakeNotification.shown).toHaveLength(1);
  });

  it('only notifies when sound is off', () => {
    watchTab(false, false);
    setAttentionPrefs({ sound: false, notifications: true });
    callAttention(message);
    expect(FakeAudioContext.oscillatorsStarted).toBe(0);
    expect(FakeNotification.shown).toHaveLength(1);
  });

  it('only chimes when notifications are off, or not permitted', () => {
    watchTab(false, false);
    setAttentionPrefs({ sound: true, notifications: false });
    callAttention(message);
    setAttentionPrefs({ sound: true, notifications: true });
    FakeNotification.permission = 'denied';
    callAttention(message);
    expect(FakeAudioContext.oscillatorsStarted).toBe(4);
    expect(FakeNotification.shown).toEqual([]);
  });

  it('resumes an audio context the autoplay policy left suspended', () => {
    watchTab(false, false);
    callAttention(message); // makes (or reuses) the context
    // Made before the agent's first click since the page loaded: the browser starts it suspended.
    FakeAudioContext.latest!.state = 'suspended';
    callAttention(message);
    expect(FakeAudioContext.latest!.resumed).toBe(1);
  });

  it('runs onClick when the notification is clicked', () => {
    watchTab(false, false);
    const onClick = vi.fn();
    vi.spyOn(window, 'focus').mockImplementation(() => undefined);
    callAttention({ ...message, onClick });
    FakeNotification.shown[0]!.onclick?.();
    expect(onClick).toHaveBeenCalledOnce();
  });

  it('keeps the choice in localStorage', () => {
    setAttentionPrefs({ sound: false, notifications: true });
    expect(JSON.parse(localStorage.getItem('livechat.attention') ?? '{}')).toEqual({ sound: false, notifications: true });
  });
});

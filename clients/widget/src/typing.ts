import { realTimers, type Timers } from './outbox.js';

/**
 * Tells the agents the visitor is typing: true at the first keystroke and again every 3 s
 * while keystrokes continue (the server turns it off by itself without renewal), false after
 * 4 s without one or when the message is sent. DOM-free.
 */
export class TypingNotifier {
  private typing = false;
  private lastSent = 0;
  private idle: unknown = null;

  constructor(
    private readonly send: (isTyping: boolean) => void,
    private readonly timers: Timers = realTimers,
    private readonly now: () => number = Date.now,
    private readonly renewMs = 3_000,
    private readonly idleMs = 4_000,
  ) {}

  /** A keystroke. */
  input(): void {
    const now = this.now();
    if (!this.typing || now - this.lastSent >= this.renewMs) {
      this.typing = true;
      this.lastSent = now;
      this.send(true);
    }
    if (this.idle !== null) this.timers.clear(this.idle);
    this.idle = this.timers.set(() => this.stop(), this.idleMs);
  }

  /** Sent, emptied or idle. */
  stop(): void {
    if (this.idle !== null) this.timers.clear(this.idle);
    this.idle = null;
    if (!this.typing) return;
    this.typing = false;
    this.send(false);
  }
}

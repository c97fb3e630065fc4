import { createSignal, onCleanup } from 'solid-js';

export type ComposerProps = {
  onSend: (body: string) => void;
  /** Called with true while the agent types (renewed every few seconds), false when they stop. */
  onTyping?: (isTyping: boolean) => void;
  disabled?: boolean;
};

/** How often "is typing" is renewed while typing; the server forgets it 5 s after the last renewal. */
const typingRenewMs = 3000;
const typingIdleMs = 4000;

/** The message box: Enter sends, Shift+Enter starts a new line. */
export function Composer(props: ComposerProps) {
  const [body, setBody] = createSignal('');
  let lastTypingSent = 0;
  let idleTimer: ReturnType<typeof setTimeout> | undefined;

  function stopTyping() {
    clearTimeout(idleTimer);
    if (lastTypingSent) props.onTyping?.(false);
    lastTypingSent = 0;
  }

  function typed(value: string) {
    setBody(value);
    if (!value.trim()) return stopTyping();
    const now = Date.now();
    if (now - lastTypingSent > typingRenewMs) {
      lastTypingSent = now;
      props.onTyping?.(true);
    }
    clearTimeout(idleTimer);
    idleTimer = setTimeout(stopTyping, typingIdleMs);
  }

  function send() {
    const text = body().trim();
    if (!text || props.disabled) return;
    props.onSend(text);
    setBody('');
    stopTyping();
  }

  onCleanup(stopTyping);

  return (
    <form
      class="composer"
      onSubmit={(event) => {
        event.preventDefault();
        send();
      }}
    >
      <label for="composer-input" class="visually-hidden">
        Message
      </label>
      <textarea
        id="composer-input"
        rows={3}
        placeholder="Type a message… (Enter sends, Shift+Enter for a new line)"
        value={body()}
        maxLength={10000}
        disabled={props.disabled}
        onInput={(event) => typed(event.currentTarget.value)}
        onKeyDown={(event) => {
          if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
            event.preventDefault();
            send();
          }
        }}
        onBlur={stopTyping}
      />
      <button type="submit" class="primary" disabled={props.disabled || !body().trim()}>
        Send
      </button>
    </form>
  );
}

import { createSignal, Show } from 'solid-js';
import { render } from 'solid-js/web';
import './VisitorPrivacy.css';

const [message, setMessage] = createSignal('');
let mounted = false;
let timer: ReturnType<typeof setTimeout> | undefined;

/** The notice's live region, in its own root at the end of the page. */
function Notice() {
  return (
    <div class="page-notice" classList={{ shown: Boolean(message()) }}>
      <p role="status">{message()}</p>
      <Show when={message()}>
        <button type="button" onClick={() => setMessage('')}>
          Dismiss
        </button>
      </Show>
    </div>
  );
}

/**
 * Tells the agent something that must outlive the screen that said it, e.g. an erasure that
 * closes the erased visitor's conversation. Stays until dismissed, replaced, or after 20 s.
 */
export function announce(text: string) {
  if (!mounted) {
    const host = document.createElement('div');
    document.body.append(host);
    render(() => <Notice />, host);
    mounted = true;
  }
  clearTimeout(timer);
  setMessage('');
  // a live region announces what changes in it, so the text goes in after the (empty) region exists
  setTimeout(() => setMessage(text), 50);
  timer = setTimeout(() => setMessage(''), 20_000);
}

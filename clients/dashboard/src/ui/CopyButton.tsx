import { createSignal, onCleanup } from 'solid-js';

/**
 * Copies a text to the clipboard. The clipboard may be unavailable (insecure origin, denied
 * permission): then nothing happens, and the text stays selectable in its field.
 */
export function CopyButton(props: { text: string; label: string }) {
  const [copied, setCopied] = createSignal(false);
  let timer: ReturnType<typeof setTimeout> | undefined;
  onCleanup(() => clearTimeout(timer));

  async function copy() {
    try {
      await navigator.clipboard.writeText(props.text);
    } catch {
      return;
    }
    setCopied(true);
    clearTimeout(timer);
    timer = setTimeout(() => setCopied(false), 2000);
  }

  return (
    <>
      <button type="button" onClick={copy}>
        {props.label}
      </button>
      <span class="hint" role="status">
        {copied() ? ' Copied.' : ''}
      </span>
    </>
  );
}

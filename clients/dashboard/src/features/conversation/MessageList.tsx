import { createEffect, For, on, Show } from 'solid-js';
import type { OutboxItem } from '../../lib/outbox';
import type { Message } from './conversation-store';

export type MessageListProps = {
  messages: Message[];
  pending: OutboxItem[];
  visitorName: string;
  visitorReadSeq: number;
  hasOlder: boolean;
  loadingOlder: boolean;
  onLoadOlder: () => void;
  onRetry: (clientMessageId: string) => void;
  onDiscard: (clientMessageId: string) => void;
};

const time = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });

/**
 * The conversation, oldest at the top. It is a live region (role="log"), so screen readers
 * announce arriving messages; scrolling to the top loads older ones, and new ones keep the
 * view at the bottom when the agent is already there.
 */
export function MessageList(props: MessageListProps) {
  let scroller!: HTMLDivElement;
  let atBottom = true;
  let heightBeforeOlder = 0;

  function onScroll() {
    atBottom = scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight < 40;
    if (scroller.scrollTop < 80 && props.hasOlder && !props.loadingOlder) loadOlder();
  }

  function loadOlder() {
    heightBeforeOlder = scroller.scrollHeight;
    props.onLoadOlder();
  }

  // Older messages were added above: keep what the agent was reading in place.
  createEffect(
    on(
      () => props.messages[0]?.seq,
      () => {
        if (heightBeforeOlder) {
          scroller.scrollTop += scroller.scrollHeight - heightBeforeOlder;
          heightBeforeOlder = 0;
        }
      },
      { defer: true },
    ),
  );
  // Newer messages (or our own pending ones): follow them if the agent was at the bottom.
  createEffect(
    on([() => props.messages[props.messages.length - 1]?.seq, () => props.pending.length], () => {
      if (atBottom) scroller.scrollTop = scroller.scrollHeight;
    }),
  );

  const author = (message: Message) =>
    message.authorKind === 'VISITOR' ? props.visitorName : message.authorKind === 'AGENT' ? (message.agent?.name ?? 'Agent') : 'System';

  return (
    <div class="messages" ref={scroller} onScroll={onScroll}>
      <Show when={props.hasOlder}>
        <button type="button" class="load-older" onClick={loadOlder} disabled={props.loadingOlder}>
          {props.loadingOlder ? 'Loading…' : 'Load earlier messages'}
        </button>
      </Show>
      <ol class="message-log" role="log" aria-live="polite" aria-label="Messages">
        <For each={props.messages}>
          {(message) => (
            <li class={`message from-${message.authorKind.toLowerCase()}`} data-seq={message.seq}>
              <div class="message-meta">
                <span class="author">{author(message)}</span>
                <time dateTime={message.createdAt}>{time.format(new Date(message.createdAt))}</time>
              </div>
              <p class="body">{message.body}</p>
              <Show when={message.authorKind === 'AGENT' && message.seq <= props.visitorReadSeq}>
                <span class="receipt">Seen</span>
              </Show>
            </li>
          )}
        </For>
        <For each={props.pending}>
          {(item) => (
            <li class="message from-agent pending" data-state={item.state}>
              <p class="body">{item.body}</p>
              <Show
                when={item.state === 'failed'}
                fallback={<span class="receipt">{item.state === 'sending' ? 'Sending…' : 'Waiting for connection…'}</span>}
              >
                <span class="receipt failed">Not sent: {item.error}</span>
                <button type="button" onClick={() => props.onRetry(item.clientMessageId)}>
                  Retry
                </button>
                <button type="button" onClick={() => props.onDiscard(item.clientMessageId)}>
                  Discard
                </button>
              </Show>
            </li>
          )}
        </For>
      </ol>
    </div>
  );
}

import { createMutation, createQuery, useClient } from '@urql/solid';
import { createEffect, createMemo, For, onCleanup, Show } from 'solid-js';
import { tabIsVisible } from '../../lib/attention';
import { errorMessage } from '../../lib/errors';
import { useViewer } from '../shell/viewer';
import { VisitorPanel } from '../visitors/VisitorPanel';
import { Composer } from './Composer';
import { createConversationStore } from './conversation-store';
import {
  AssignConversationMutation,
  ConversationQuery,
  MarkReadMutation,
  SetConversationStatusMutation,
  SetTypingMutation,
} from './conversation.graphql';
import { MessageList } from './MessageList';
import { useOutbox } from './outbox-context';

/** One conversation: header with assignment and status, the live message list, the composer, the visitor. */
export function ConversationView(props: { id: string }) {
  const client = useClient();
  const outbox = useOutbox();
  const viewer = useViewer();
  const [conversationQuery] = createQuery({ query: ConversationQuery, variables: () => ({ id: props.id }) });
  const [assignState, assign] = createMutation(AssignConversationMutation);
  const [statusState, setStatus] = createMutation(SetConversationStatusMutation);
  const [, setTyping] = createMutation(SetTypingMutation);
  const [, markRead] = createMutation(MarkReadMutation);

  const conversation = () => {
    const node = conversationQuery.data?.node;
    return node?.__typename === 'Conversation' ? node : null;
  };
  const agents = () =>
    (conversationQuery.data?.viewer.account?.agents.edges ?? []).map((e) => e.node).filter((a) => !a.removedAt && !a.invitePending);

  const store = createConversationStore(client, props.id);
  onCleanup(store.dispose);
  onCleanup(outbox.onSent(props.id, (message) => store.confirmed(message)));
  const visitorReadSeq = createMemo(() => Math.max(store.state.visitorReadSeq, conversation()?.visitorReadSeq ?? 0));
  const pending = () => outbox.items.filter((item) => item.conversationId === props.id);

  // Mark the visitor's newest message read while the agent is looking at it.
  let lastMarked = 0;
  function markSeen() {
    const newest = [...store.state.messages].reverse().find((m) => m.authorKind === 'VISITOR');
    if (!newest || newest.seq <= lastMarked || !tabIsVisible()) return;
    lastMarked = newest.seq;
    void markRead({ input: { conversationId: props.id, messageId: newest.id } });
  }
  createEffect(() => {
    void store.state.messages.length;
    markSeen();
  });
  document.addEventListener('visibilitychange', markSeen);
  onCleanup(() => document.removeEventListener('visibilitychange', markSeen));

  const visitorName = () => conversation()?.visitor.name ?? 'Visitor';
  const actionError = () => errorMessage(assignState.error) ?? errorMessage(statusState.error);

  return (
    <div class="conversation-layout">
      <section class="conversation" aria-label={`Conversation with ${visitorName()}`}>
        <Show when={conversation()} fallback={<p class="empty">{store.state.error ?? (conversationQuery.fetching ? 'Loading…' : 'Conversation not found.')}</p>}>
          {(current) => (
            <>
              <header class="conversation-header">
                <h2>
                  {visitorName()}
                  <span class={`status status-${current().status.toLowerCase()}`}>{current().status.toLowerCase()}</span>
                </h2>
                <div class="actions">
                  <label for="assignee">Assignee</label>
                  <select
                    id="assignee"
                    value={current().assignee?.id ?? ''}
                    onChange={(e) => assign({ input: { conversationId: props.id, agentId: e.currentTarget.value || null } })}
                  >
                    <option value="">Unassigned</option>
                    <For each={agents()}>{(agent) => <option value={agent.id}>{agent.id === viewer.agent().id ? `${agent.name} (me)` : agent.name}</option>}</For>
                  </select>
                  <Show
                    when={current().status === 'CLOSED'}
                    fallback={
                      <button type="button" onClick={() => setStatus({ input: { conversationId: props.id, status: 'CLOSED' } })}>
                        Close conversation
                      </button>
                    }
                  >
                    <button type="button" onClick={() => setStatus({ input: { conversationId: props.id, status: 'OPEN' } })}>
                      Reopen conversation
                    </button>
                  </Show>
                </div>
              </header>
              <Show when={actionError()}>
                <p class="form-error" role="alert">
                  {actionError()}
                </p>
              </Show>
              <MessageList
                messages={store.state.messages}
                pending={pending()}
                visitorName={visitorName()}
                visitorReadSeq={visitorReadSeq()}
                hasOlder={store.state.hasOlder}
                loadingOlder={store.state.loadingOlder}
                onLoadOlder={() => void store.loadOlder()}
                onRetry={(id) => void outbox.retry(id)}
                onDiscard={(id) => outbox.discard(id)}
              />
              <p class="typing" role="status" aria-live="polite">
                {store.state.visitorTyping ? `${visitorName()} is typing…` : ''}
              </p>
              <Composer
                onSend={(body) => outbox.enqueue(props.id, body)}
                onTyping={(isTyping) => void setTyping({ input: { conversationId: props.id, isTyping } })}
              />
            </>
          )}
        </Show>
      </section>
      <Show when={conversation()}>{(current) => <VisitorPanel visitorId={current().visitor.id} currentConversationId={props.id} />}</Show>
    </div>
  );
}

import { A, useParams, useSearchParams } from '@solidjs/router';
import { createQuery } from '@urql/solid';
import { createSignal, For, onCleanup, Show } from 'solid-js';
import { onReconnect } from '../../lib/connection';
import { errorMessage } from '../../lib/errors';
import type { ConversationAssignment, ConversationStatus } from '../../gql/graphql';
import { ConversationView } from '../conversation/ConversationView';
import { OutboxProvider } from '../conversation/outbox-context';
import { useViewer } from '../shell/viewer';
import { InboxQuery } from './inbox.graphql';

const statuses: { value: ConversationStatus; label: string }[] = [
  { value: 'OPEN', label: 'Open' },
  { value: 'PENDING', label: 'Pending' },
  { value: 'CLOSED', label: 'Closed' },
];
const assignments: { value: ConversationAssignment; label: string }[] = [
  { value: 'MINE', label: 'Mine' },
  { value: 'UNASSIGNED', label: 'Unassigned' },
  { value: 'ANY', label: 'All' },
];

const when = new Intl.DateTimeFormat(undefined, { dateStyle: 'short', timeStyle: 'short' });

/** The inbox: filtered conversations on the left (live), the open conversation beside them. */
export function Inbox() {
  const params = useParams<{ conversationId?: string }>();
  const [search, setSearch] = useSearchParams<{ status?: string; assignment?: string }>();
  const viewer = useViewer();
  const status = () => (statuses.some((s) => s.value === search.status) ? (search.status as ConversationStatus) : 'OPEN');
  const assignment = () => (assignments.some((a) => a.value === search.assignment) ? (search.assignment as ConversationAssignment) : 'ANY');
  const [first, setFirst] = createSignal(30);
  const [inbox, refetch] = createQuery({
    query: InboxQuery,
    variables: () => ({ status: status(), assignment: assignment(), first: first() }),
  });
  onCleanup(onReconnect(() => refetch({ requestPolicy: 'network-only' })));

  const connection = () => inbox.data?.viewer.account?.conversations;
  const linkFor = (id: string) => `/inbox/${id}${location.search}`;

  return (
    <OutboxProvider agentId={viewer.agent().id}>
      <div class="inbox">
        <section class="inbox-list" aria-label="Conversations">
          <h1 class="visually-hidden">Inbox</h1>
          <fieldset class="filter">
            <legend>Status</legend>
            <For each={statuses}>
              {(option) => (
                <label class={status() === option.value ? 'chosen' : ''}>
                  <input type="radio" name="status" value={option.value} checked={status() === option.value} onChange={() => (setFirst(30), setSearch({ status: option.value }))} />
                  {option.label}
                </label>
              )}
            </For>
          </fieldset>
          <fieldset class="filter">
            <legend>Assigned to</legend>
            <For each={assignments}>
              {(option) => (
                <label class={assignment() === option.value ? 'chosen' : ''}>
                  <input type="radio" name="assignment" value={option.value} checked={assignment() === option.value} onChange={() => (setFirst(30), setSearch({ assignment: option.value }))} />
                  {option.label}
                </label>
              )}
            </For>
          </fieldset>
          <Show when={inbox.error && !inbox.data}>
            <p role="alert">{errorMessage(inbox.error)}</p>
          </Show>
          <ul class="conversation-list">
            <For each={connection()?.edges} fallback={<li class="empty">{inbox.fetching ? 'Loading…' : 'No conversations here.'}</li>}>
              {(edge) => (
                <li>
                  <A href={linkFor(edge.node.id)} class="conversation-item" classList={{ active: params.conversationId === edge.node.id, unread: edge.node.unreadCount > 0 }}>
                    <span class="who">
                      <span class={`dot ${edge.node.visitor.online ? 'online' : 'offline'}`} aria-label={edge.node.visitor.online ? 'online' : 'offline'} />
                      {edge.node.visitor.name ?? edge.node.visitor.email ?? 'Visitor'}
                    </span>
                    <Show when={edge.node.unreadCount > 0}>
                      <span class="badge" aria-label={`${edge.node.unreadCount} unread`}>
                        {edge.node.unreadCount}
                      </span>
                    </Show>
                    <span class="preview">{edge.node.lastMessage?.body ?? 'No messages yet'}</span>
                    <span class="meta">
                      <span class="assignee">{edge.node.assignee ? edge.node.assignee.name : 'Unassigned'}</span>
                      <time dateTime={edge.node.lastActivityAt}>{when.format(new Date(edge.node.lastActivityAt))}</time>
                    </span>
                  </A>
                </li>
              )}
            </For>
          </ul>
          <Show when={connection()?.pageInfo.hasNextPage && first() < 100}>
            <button type="button" onClick={() => setFirst(Math.min(first() + 30, 100))}>
              Show more
            </button>
          </Show>
        </section>
        <Show when={params.conversationId} keyed fallback={<p class="empty pane">Choose a conversation.</p>}>
          {(id) => <ConversationView id={id} />}
        </Show>
      </div>
    </OutboxProvider>
  );
}

import { createQuery } from '@urql/solid';
import { For, onCleanup, Show } from 'solid-js';
import { onReconnect } from '../../lib/connection';
import { errorMessage } from '../../lib/errors';
import { formatDate, formatLocation, formatSoftware, safeHref } from './format';
import { VisitorPanelQuery } from './visitors.graphql';
import { VisitorPrivacy } from './VisitorPrivacy';

/** One row of the facts list; "Unknown" when the value is missing (or hidden from the caller). */
function Fact(props: { term: string; value: string | null | undefined }) {
  return (
    <>
      <dt>{props.term}</dt>
      <dd>{props.value || 'Unknown'}</dd>
    </>
  );
}

function When(props: { term: string; iso: string }) {
  return (
    <>
      <dt>{props.term}</dt>
      <dd>
        <time datetime={props.iso}>{formatDate(props.iso)}</time>
      </dd>
    </>
  );
}

/**
 * Who the agent is talking to: the visitor's facts, the pages they viewed and their other
 * conversations. `online` and `lastSeenAt` stay live: the shell's account subscription brings
 * VisitorUpdated events, which graphcache writes into this same Visitor record. OWNER and ADMIN
 * also get the visitor's privacy actions (export, erase). Renders inside the signed-in shell only.
 */
export function VisitorPanel(props: { visitorId: string; currentConversationId?: string }) {
  const [query, refetch] = createQuery({ query: VisitorPanelQuery, variables: () => ({ id: props.visitorId }) });
  // Events missed while the socket was down are not replayed for the visitor: fetch it again.
  onCleanup(onReconnect(() => refetch({ requestPolicy: 'network-only' })));

  const visitor = () => {
    const node = query.data?.node;
    return node?.__typename === 'Visitor' ? node : null;
  };
  const otherConversations = () =>
    (visitor()?.conversations.edges ?? []).map((edge) => edge.node).filter((c) => c.id !== props.currentConversationId);

  return (
    <aside class="visitor-panel" aria-label="Visitor">
      <Show
        when={visitor()}
        fallback={<p class="empty">{query.fetching ? 'Loading…' : (errorMessage(query.error) ?? 'Visitor not found.')}</p>}
      >
        {(v) => (
          <>
            <h2>{v().name || 'Anonymous visitor'}</h2>
            <dl>
              <dt>Status</dt>
              <dd>
                <span class={`dot ${v().online ? 'online' : 'offline'}`} aria-hidden="true" />
                {v().online ? 'Online' : 'Offline'}
              </dd>
              <Fact term="Email" value={v().email} />
              <Fact term="IP address" value={v().ipAddress} />
              <Fact term="Browser" value={formatSoftware(v().browser)} />
              <Fact term="System" value={formatSoftware(v().os)} />
              <Fact term="Location" value={formatLocation(v().location)} />
              <When term="First seen" iso={v().firstSeenAt} />
              <When term="Last seen" iso={v().lastSeenAt} />
            </dl>

            <h3>Pages viewed</h3>
            <ol class="page-views">
              <For each={v().pageViews ?? []} fallback={<li class="empty">No pages recorded.</li>}>
                {(page) => (
                  <li>
                    <Show when={safeHref(page.url)} fallback={<span title={page.url}>{page.title || page.url}</span>}>
                      {(href) => (
                        <a href={href()} title={page.url} rel="noreferrer noopener" target="_blank">
                          {page.title || page.url}
                        </a>
                      )}
                    </Show>
                    <div class="hint">
                      <time datetime={page.viewedAt}>{formatDate(page.viewedAt)}</time>
                    </div>
                  </li>
                )}
              </For>
            </ol>

            <h3>Other conversations</h3>
            <ul class="visitor-conversations">
              <For each={otherConversations()} fallback={<li class="empty">No other conversations.</li>}>
                {(conversation) => (
                  <li>
                    <a href={`/inbox/${conversation.id}`}>
                      <time datetime={conversation.createdAt}>{formatDate(conversation.createdAt)}</time>
                      <span class={`status status-${conversation.status.toLowerCase()}`}>{conversation.status.toLowerCase()}</span>
                    </a>
                  </li>
                )}
              </For>
            </ul>

            <VisitorPrivacy visitorId={v().id} visitorName={v().name} />
          </>
        )}
      </Show>
    </aside>
  );
}

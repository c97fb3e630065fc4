import { A, useNavigate } from '@solidjs/router';
import { createMutation, createQuery, createSubscription } from '@urql/solid';
import { createEffect, createMemo, Match, onCleanup, Show, Switch, type JSX } from 'solid-js';
import { callAttention, titleWith } from '../../lib/attention';
import { onReconnect, resetConnection } from '../../lib/connection';
import { errorMessage } from '../../lib/errors';
import { setSession } from '../../lib/session';
import { SignOutMutation } from '../auth/auth.graphql';
import { ConnectionBanner } from './ConnectionBanner';
import { AccountEventsSubscription, SetPresenceMutation, ShellQuery, UnreadQuery } from './shell.graphql';
import { ViewerContext } from './viewer';
import type { PresenceStatus } from '../../gql/graphql';

/** The signed-in frame: navigation, presence, the connection banner, account-wide live events. */
export function Shell(props: { children?: JSX.Element }) {
  const navigate = useNavigate();
  const [shell, refetchShell] = createQuery({ query: ShellQuery });
  const [unread, refetchUnread] = createQuery({ query: UnreadQuery });
  const [, setPresence] = createMutation(SetPresenceMutation);
  const [, signOut] = createMutation(SignOutMutation);
  const agent = () => shell.data?.viewer.agent ?? null;
  const account = () => shell.data?.viewer.account ?? null;

  createSubscription({ query: AccountEventsSubscription, pause: () => !agent() }, (_prev, data) => {
    const event = data.accountEvents;
    if (event.__typename === 'ConversationStarted') {
      callAttention({ title: 'New conversation', body: event.conversation.visitor.name ?? 'A visitor started a chat', onClick: () => navigate(`/inbox/${event.conversation.id}`) });
    }
    if (event.__typename === 'MessageAdded' && event.message.authorKind === 'VISITOR') {
      callAttention({ title: 'New message', body: event.message.body, onClick: () => navigate(`/inbox/${event.message.conversation.id}`) });
    }
    return data;
  });

  // The presence this agent chose in this tab. The server turns an agent OFFLINE when its last
  // socket closes, so opening the dashboard or coming back from a drop restores the choice
  // (ONLINE the first time, unless the agent was AWAY).
  let chosenPresence: PresenceStatus | null = null;
  function choosePresence(status: PresenceStatus) {
    chosenPresence = status;
    void setPresence({ status });
  }
  createEffect(() => {
    const current = agent();
    if (!current || chosenPresence) return;
    chosenPresence = current.status === 'OFFLINE' ? 'ONLINE' : current.status;
    if (chosenPresence !== current.status) void setPresence({ status: chosenPresence });
  });

  // Back from a drop: everything the screens show may have changed meanwhile.
  onCleanup(
    onReconnect(() => {
      if (chosenPresence && chosenPresence !== 'OFFLINE') void setPresence({ status: chosenPresence });
      refetchShell({ requestPolicy: 'network-only' });
      refetchUnread({ requestPolicy: 'network-only' });
    }),
  );

  // A session that is no longer valid (signed out elsewhere, agent removed) ends here too.
  createEffect(() => {
    if (shell.error?.graphQLErrors.some((e) => e.extensions?.code === 'UNAUTHENTICATED')) setSession(null);
  });

  const unreadTotal = createMemo(() =>
    (unread.data?.viewer.account?.conversations.edges ?? []).reduce((sum, edge) => sum + edge.node.unreadCount, 0),
  );
  createEffect(() => {
    document.title = titleWith(unreadTotal(), account()?.name ?? 'Dashboard');
  });

  async function leave() {
    await signOut({});
    resetConnection();
    setSession(null);
    navigate('/signin', { replace: true });
  }

  return (
    <Switch>
      <Match when={shell.error && !shell.data}>
        <main class="auth">
          <p role="alert">{errorMessage(shell.error)}</p>
          <button type="button" onClick={() => refetchShell({ requestPolicy: 'network-only' })}>
            Try again
          </button>
        </main>
      </Match>
      <Match when={agent() && account()}>
        <ViewerContext.Provider value={{ agent: () => agent()!, account: () => account()! }}>
          <div class="app">
            <a class="skip-link" href="#main">
              Skip to content
            </a>
            <header class="topbar">
              <span class="brand">{account()!.name}</span>
              <nav aria-label="Main">
                <A href="/inbox" activeClass="active">
                  Inbox
                  <Show when={unreadTotal() > 0}>
                    <span class="badge" aria-label={`${unreadTotal()} unread`}>
                      {unreadTotal()}
                    </span>
                  </Show>
                </A>
                <A href="/team" activeClass="active">
                  Team
                </A>
                <A href="/settings" activeClass="active">
                  Settings
                </A>
              </nav>
              <div class="me">
                <label for="presence" class="visually-hidden">
                  Your status
                </label>
                <select
                  id="presence"
                  class={`presence presence-${agent()!.status.toLowerCase()}`}
                  value={agent()!.status}
                  onChange={(e) => choosePresence(e.currentTarget.value as PresenceStatus)}
                >
                  <option value="ONLINE">Online</option>
                  <option value="AWAY">Away</option>
                  <option value="OFFLINE">Offline</option>
                </select>
                <span class="me-name">{agent()!.name}</span>
                <button type="button" onClick={leave}>
                  Sign out
                </button>
              </div>
            </header>
            <ConnectionBanner />
            <main id="main" tabIndex={-1}>
              {props.children}
            </main>
          </div>
        </ViewerContext.Provider>
      </Match>
    </Switch>
  );
}

import { Navigate, Route, Router, type RouteSectionProps } from '@solidjs/router';
import { Provider } from '@urql/solid';
import { createMemo, lazy, onCleanup, Show, type JSX } from 'solid-js';
import { createApiClient } from './lib/client';
import { session } from './lib/session';
import { AcceptInvite } from './features/auth/AcceptInvite';
import { SignIn } from './features/auth/SignIn';
import { SignUp } from './features/auth/SignUp';
import { Inbox } from './features/inbox/Inbox';
import { Shell } from './features/shell/Shell';

// screens visited now and then load when first opened: the inbox comes up sooner
const Team = lazy(() => import('./features/team/Team').then((m) => ({ default: m.Team })));
const Settings = lazy(() => import('./features/settings/Settings').then((m) => ({ default: m.Settings })));

/** One API client per session: signing in or out builds a new one (and a new socket). */
function Api(props: RouteSectionProps) {
  const api = createMemo(() => {
    const current = session();
    const built = createApiClient();
    onCleanup(built.dispose);
    return { ...built, token: current?.token };
  });
  return (
    <Show when={api()} keyed>
      {(current) => <Provider value={current.client}>{props.children}</Provider>}
    </Show>
  );
}

function SignedIn(props: { children?: JSX.Element }) {
  return (
    <Show when={session()} fallback={<Navigate href="/signin" />}>
      <Shell>{props.children}</Shell>
    </Show>
  );
}

function SignedOut(props: { children?: JSX.Element }) {
  return (
    <Show when={!session()} fallback={<Navigate href="/inbox" />}>
      {props.children}
    </Show>
  );
}

export function App() {
  return (
    <Router root={Api}>
      <Route path="/" component={SignedOut}>
        <Route path="/signin" component={SignIn} />
        <Route path="/signup" component={SignUp} />
      </Route>
      <Route path="/invite/:token" component={AcceptInvite} />
      <Route path="/" component={SignedIn}>
        <Route path="/" component={() => <Navigate href="/inbox" />} />
        <Route path="/inbox/:conversationId?" component={Inbox} />
        <Route path="/team" component={Team} />
        <Route path="/settings" component={Settings} />
      </Route>
      <Route path="*" component={() => <Navigate href="/inbox" />} />
    </Router>
  );
}

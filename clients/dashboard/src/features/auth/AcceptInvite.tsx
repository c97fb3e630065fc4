import { useNavigate, useParams } from '@solidjs/router';
import { createMutation } from '@urql/solid';
import { createSignal } from 'solid-js';
import { errorField, errorMessage } from '../../lib/errors';
import { setSession } from '../../lib/session';
import { Field, FormError } from '../../ui/Field';
import { AuthLayout } from './AuthLayout';
import { AcceptInviteMutation } from './auth.graphql';

/** The page an invitation link opens: the invited agent chooses a password and is signed in. */
export function AcceptInvite() {
  const params = useParams<{ token: string }>();
  const navigate = useNavigate();
  const [state, accept] = createMutation(AcceptInviteMutation);
  const [password, setPassword] = createSignal('');

  async function submit(event: SubmitEvent) {
    event.preventDefault();
    const result = await accept({ input: { inviteToken: params.token, password: password() } });
    if (!result.data) return;
    setSession({ token: result.data.acceptInvite.token, agentId: result.data.acceptInvite.agent.id });
    navigate('/inbox', { replace: true });
  }

  return (
    <AuthLayout title="Join your team">
      <p>Choose a password to accept the invitation.</p>
      <form onSubmit={submit} novalidate>
        <Field label="Password" type="password" name="password" autocomplete="new-password" required minLength={8} value={password()} onInput={(e) => setPassword(e.currentTarget.value)} error={errorField(state.error) === 'input.password' ? errorMessage(state.error) : null} hint="At least 8 characters." />
        <FormError message={errorField(state.error) === 'input.password' ? null : errorMessage(state.error)} />
        <button type="submit" class="primary" disabled={state.fetching}>
          Accept invitation
        </button>
      </form>
    </AuthLayout>
  );
}

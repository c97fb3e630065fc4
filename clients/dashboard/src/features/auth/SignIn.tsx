import { A, useNavigate } from '@solidjs/router';
import { createMutation } from '@urql/solid';
import { createSignal } from 'solid-js';
import { errorField, errorMessage } from '../../lib/errors';
import { setSession } from '../../lib/session';
import { Field, FormError } from '../../ui/Field';
import { AuthLayout } from './AuthLayout';
import { SignInMutation } from './auth.graphql';

export function SignIn() {
  const navigate = useNavigate();
  const [state, signIn] = createMutation(SignInMutation);
  const [email, setEmail] = createSignal('');
  const [password, setPassword] = createSignal('');

  async function submit(event: SubmitEvent) {
    event.preventDefault();
    const result = await signIn({ input: { email: email(), password: password() } });
    if (!result.data) return;
    setSession({ token: result.data.signIn.token, agentId: result.data.signIn.agent.id });
    navigate('/inbox', { replace: true });
  }

  const fieldError = (name: string) => (errorField(state.error) === `input.${name}` ? errorMessage(state.error) : null);
  return (
    <AuthLayout title="Sign in">
      <form onSubmit={submit} novalidate>
        <Field label="Email" type="email" name="email" autocomplete="username" required value={email()} onInput={(e) => setEmail(e.currentTarget.value)} error={fieldError('email')} />
        <Field label="Password" type="password" name="password" autocomplete="current-password" required value={password()} onInput={(e) => setPassword(e.currentTarget.value)} error={fieldError('password')} />
        <FormError message={errorField(state.error) ? null : errorMessage(state.error)} />
        <button type="submit" class="primary" disabled={state.fetching}>
          Sign in
        </button>
      </form>
      <p class="alt">
        New here? <A href="/signup">Create an account</A>
      </p>
    </AuthLayout>
  );
}

import { A, useNavigate } from '@solidjs/router';
import { createMutation } from '@urql/solid';
import { createSignal } from 'solid-js';
import { errorField, errorMessage } from '../../lib/errors';
import { setSession } from '../../lib/session';
import { Field, FormError } from '../../ui/Field';
import { AuthLayout } from './AuthLayout';
import { SignUpMutation } from './auth.graphql';

export function SignUp() {
  const navigate = useNavigate();
  const [state, signUp] = createMutation(SignUpMutation);
  const [form, setForm] = createSignal({ accountName: '', name: '', email: '', password: '' });
  const set = (key: keyof ReturnType<typeof form>) => (event: { currentTarget: HTMLInputElement }) =>
    setForm({ ...form(), [key]: event.currentTarget.value });

  async function submit(event: SubmitEvent) {
    event.preventDefault();
    const result = await signUp({ input: form() });
    if (!result.data) return;
    setSession({ token: result.data.signUp.token, agentId: result.data.signUp.agent.id });
    navigate('/inbox', { replace: true });
  }

  const fieldError = (name: string) => (errorField(state.error) === `input.${name}` ? errorMessage(state.error) : null);
  return (
    <AuthLayout title="Create your account">
      <form onSubmit={submit} novalidate>
        <Field label="Company name" name="accountName" autocomplete="organization" required value={form().accountName} onInput={set('accountName')} error={fieldError('accountName')} />
        <Field label="Your name" name="name" autocomplete="name" required value={form().name} onInput={set('name')} error={fieldError('name')} />
        <Field label="Email" type="email" name="email" autocomplete="email" required value={form().email} onInput={set('email')} error={fieldError('email')} />
        <Field label="Password" type="password" name="password" autocomplete="new-password" required minLength={8} value={form().password} onInput={set('password')} error={fieldError('password')} hint="At least 8 characters." />
        <FormError message={errorField(state.error) ? null : errorMessage(state.error)} />
        <button type="submit" class="primary" disabled={state.fetching}>
          Create account
        </button>
      </form>
      <p class="alt">
        Already have an account? <A href="/signin">Sign in</A>
      </p>
    </AuthLayout>
  );
}

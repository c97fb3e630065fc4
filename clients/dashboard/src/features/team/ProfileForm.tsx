import { createMutation } from '@urql/solid';
import { createEffect, createSignal } from 'solid-js';
import { errorField, errorMessage } from '../../lib/errors';
import { Field, FormError } from '../../ui/Field';
import { useViewer } from '../shell/viewer';
import { UpdateProfileMutation } from './team.graphql';

/** The signed-in agent's name, job title and motto, as visitors see them in the widget. */
export function ProfileForm() {
  const viewer = useViewer();
  const [state, update] = createMutation(UpdateProfileMutation);
  const [form, setForm] = createSignal({ name: '', jobTitle: '', motto: '' });
  const [edited, setEdited] = createSignal(false);
  const [saved, setSaved] = createSignal(false);

  // Follows the profile as the server has it (saved here, or in another tab) until the agent starts typing.
  createEffect(() => {
    const agent = viewer.agent();
    if (!edited()) setForm({ name: agent.name, jobTitle: agent.jobTitle ?? '', motto: agent.motto ?? '' });
  });

  const set = (key: keyof ReturnType<typeof form>) => (event: { currentTarget: HTMLInputElement }) => {
    setForm({ ...form(), [key]: event.currentTarget.value });
    setEdited(true);
    setSaved(false);
  };

  async function submit(event: SubmitEvent) {
    event.preventDefault();
    setSaved(false);
    const result = await update({ input: form() });
    if (!result.data) return;
    setEdited(false);
    setSaved(true);
  }

  const fieldError = (name: string) => (errorField(state.error) === `input.${name}` ? errorMessage(state.error) : null);
  return (
    <section class="card" aria-labelledby="profile-heading">
      <h2 id="profile-heading">Your profile</h2>
      <p>Visitors see your name, job title and motto in the chat widget.</p>
      <form aria-label="Your profile" onSubmit={submit} novalidate>
        <Field id="profile-name" label="Name" name="name" autocomplete="name" required value={form().name} onInput={set('name')} error={fieldError('name')} />
        <Field id="profile-job-title" label="Job title" name="jobTitle" autocomplete="organization-title" value={form().jobTitle} onInput={set('jobTitle')} error={fieldError('jobTitle')} />
        <Field id="profile-motto" label="Motto" name="motto" autocomplete="off" value={form().motto} onInput={set('motto')} error={fieldError('motto')} />
        <FormError message={errorField(state.error) ? null : errorMessage(state.error)} />
        <button type="submit" class="primary" disabled={state.fetching}>
          Save profile
        </button>
        <p role="status" aria-live="polite">
          {saved() ? 'Profile saved.' : ''}
        </p>
      </form>
    </section>
  );
}

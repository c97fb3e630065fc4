import { createMutation } from '@urql/solid';
import { createSignal, For, Show } from 'solid-js';
import type { AgentRole } from '../../gql/graphql';
import { errorField, errorMessage } from '../../lib/errors';
import { Field, FormError } from '../../ui/Field';
import { CopyButton } from '../../ui/CopyButton';
import { useViewer } from '../shell/viewer';
import { roleLabel } from './AgentTable';
import { InviteAgentMutation } from './team.graphql';

/** Errors about these inputs show beside them; any other, under the form. */
const besideField = ['input.name', 'input.email', 'input.role'];

const blank = { name: '', email: '', role: 'AGENT' as AgentRole };

/** OWNER/ADMIN invite an agent; the invitation link is the only way in, and the server shows it once. */
export function InviteForm() {
  const viewer = useViewer();
  const [state, invite] = createMutation(InviteAgentMutation);
  const [form, setForm] = createSignal({ ...blank });
  const [link, setLink] = createSignal<string | null>(null);
  // Only an owner may make another owner; the server refuses it from an admin anyway.
  const roles = (): AgentRole[] => (viewer.agent().role === 'OWNER' ? ['AGENT', 'ADMIN', 'OWNER'] : ['AGENT', 'ADMIN']);

  async function submit(event: SubmitEvent) {
    event.preventDefault();
    setLink(null);
    const result = await invite({ input: form() });
    if (!result.data) return;
    setLink(`${location.origin}/invite/${result.data.inviteAgent.inviteToken}`);
    setForm({ ...blank });
  }

  const fieldError = (name: string) => (errorField(state.error) === `input.${name}` ? errorMessage(state.error) : null);
  return (
    <section class="card" aria-labelledby="invite-heading">
      <h2 id="invite-heading">Invite an agent</h2>
      <form aria-label="Invite an agent" onSubmit={submit} novalidate>
        <Field id="invite-name" label="Name" name="name" autocomplete="off" required value={form().name} onInput={(e) => setForm({ ...form(), name: e.currentTarget.value })} error={fieldError('name')} />
        <Field id="invite-email" label="Email" type="email" name="email" autocomplete="off" required value={form().email} onInput={(e) => setForm({ ...form(), email: e.currentTarget.value })} error={fieldError('email')} />
        <div class="field">
          <label for="invite-role">Role</label>
          <select id="invite-role" name="role" value={form().role} onChange={(e) => setForm({ ...form(), role: e.currentTarget.value as AgentRole })}>
            <For each={roles()}>{(role) => <option value={role}>{roleLabel[role]}</option>}</For>
          </select>
          <Show when={fieldError('role')}>
            <p class="field-error" role="alert">
              {fieldError('role')}
            </p>
          </Show>
        </div>
        <FormError message={besideField.includes(errorField(state.error) ?? '') ? null : errorMessage(state.error)} />
        <button type="submit" class="primary" disabled={state.fetching}>
          Send invitation
        </button>
      </form>
      <Show when={link()}>
        {(current) => (
          <div class="field" style={{ 'margin-top': '1rem' }}>
            <label for="invite-link">Invitation link</label>
            <input id="invite-link" type="text" readOnly value={current()} onFocus={(e) => e.currentTarget.select()} />
            <p class="hint">Send this link to the new agent: it is shown only once, and works for 7 days.</p>
            <div>
              <CopyButton text={current()} label="Copy link" />
            </div>
          </div>
        )}
      </Show>
    </section>
  );
}

import { useNavigate } from '@solidjs/router';
import { createMutation } from '@urql/solid';
import { createSignal } from 'solid-js';
import { resetConnection } from '../../lib/connection';
import { errorField, errorMessage } from '../../lib/errors';
import { setSession } from '../../lib/session';
import { Field, FormError } from '../../ui/Field';
import { DeleteAccountMutation } from './settings.graphql';

/** OWNER: deletes the account and everything in it, once its name is typed exactly. */
export function DeleteAccount(props: { accountName: string }) {
  const navigate = useNavigate();
  const [state, deleteAccount] = createMutation(DeleteAccountMutation);
  const [typed, setTyped] = createSignal('');
  // the server compares the trimmed name, exactly (case included)
  const matches = () => typed().trim() === props.accountName;

  async function submit(event: SubmitEvent) {
    event.preventDefault();
    if (!matches()) return;
    const result = await deleteAccount({ input: { accountName: typed().trim() } });
    if (!result.data?.deleteAccount) return;
    resetConnection();
    setSession(null);
    navigate('/signup', { replace: true });
  }

  const nameError = () => (errorField(state.error) === 'input.accountName' ? errorMessage(state.error) : null);
  return (
    <>
      <p>
        Deleting the account deletes everything in it for good: every agent, API token, visitor, conversation and message, the
        settings and the audit log. Everyone is signed out and the widget stops working. This cannot be undone.
      </p>
      <form aria-label="Delete account" onSubmit={submit} novalidate>
        <Field
          id="delete-account-name"
          label="Type the account name to confirm"
          name="accountName"
          autocomplete="off"
          spellcheck={false}
          hint={`The account name is “${props.accountName}”.`}
          value={typed()}
          onInput={(e) => setTyped(e.currentTarget.value)}
          error={nameError()}
        />
        <FormError message={nameError() ? null : errorMessage(state.error)} />
        <button type="submit" class="danger" disabled={!matches() || state.fetching}>
          Delete account
        </button>
      </form>
    </>
  );
}

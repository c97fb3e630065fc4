import { createMutation, createQuery } from '@urql/solid';
import { createSignal, For, Show } from 'solid-js';
import { errorField, errorMessage } from '../../lib/errors';
import { Field, FormError } from '../../ui/Field';
import { CopyButton } from '../../ui/CopyButton';
import { formatDateTime } from './format';
import { ApiTokensQuery, CreateApiTokenMutation, RevokeApiTokenMutation } from './settings.graphql';

/** OWNER/ADMIN: the account's API tokens. A token's secret exists in the browser only right after creation. */
export function ApiTokens() {
  const [tokens] = createQuery({ query: ApiTokensQuery });
  const [creation, create] = createMutation(CreateApiTokenMutation);
  const [revocation, revoke] = createMutation(RevokeApiTokenMutation);
  const [name, setName] = createSignal('');
  const [secret, setSecret] = createSignal<{ tokenId: string; value: string } | null>(null);
  const list = () => (tokens.data?.viewer.account?.apiTokens?.edges ?? []).map((edge) => edge.node);

  async function submit(event: SubmitEvent) {
    event.preventDefault();
    setSecret(null);
    const result = await create({ input: { name: name() } });
    if (!result.data) return;
    setSecret({ tokenId: result.data.createApiToken.apiToken.id, value: result.data.createApiToken.token });
    setName('');
  }

  async function revokeToken(token: { id: string; name: string }) {
    if (!confirm(`Revoke the token “${token.name}”? Integrations using it stop working at once.`)) return;
    const result = await revoke({ id: token.id });
    if (!result.data) return;
    // A revoked secret is worth nothing: stop offering it for copying.
    if (secret()?.tokenId === token.id) setSecret(null);
  }

  return (
    <>
      <FormError message={errorMessage(revocation.error) ?? (tokens.data ? null : errorMessage(tokens.error))} />
      <Show when={list().length > 0} fallback={<p class="empty">{tokens.data ? 'No API tokens yet.' : 'Loading tokens…'}</p>}>
        <table>
          <caption class="visually-hidden">API tokens</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Created</th>
              <th scope="col">Last used</th>
              <th scope="col">Status</th>
            </tr>
          </thead>
          <tbody>
            <For each={list()}>
              {(token) => (
                <tr>
                  <th scope="row">{token.name}</th>
                  <td>{formatDateTime(token.createdAt)}</td>
                  <td>{token.lastUsedAt ? formatDateTime(token.lastUsedAt) : 'Never'}</td>
                  <td>
                    <Show
                      when={!token.revokedAt}
                      fallback={`Revoked ${formatDateTime(token.revokedAt ?? token.createdAt)}`}
                    >
                      <button type="button" class="danger" disabled={revocation.fetching} onClick={() => revokeToken(token)}>
                        Revoke
                      </button>
                    </Show>
                  </td>
                </tr>
              )}
            </For>
          </tbody>
        </table>
      </Show>
      <h3>Create a token</h3>
      <form aria-label="Create an API token" onSubmit={submit} novalidate>
        <Field
          id="token-name"
          label="Token name"
          name="tokenName"
          autocomplete="off"
          required
          hint="What uses it, e.g. “CRM sync”."
          value={name()}
          onInput={(e) => setName(e.currentTarget.value)}
          error={errorField(creation.error) === 'input.name' ? errorMessage(creation.error) : null}
        />
        <FormError message={errorField(creation.error) === 'input.name' ? null : errorMessage(creation.error)} />
        <button type="submit" class="primary" disabled={creation.fetching}>
          Create token
        </button>
      </form>
      <Show when={secret()}>
        {(current) => (
          <div class="field" style={{ 'margin-top': '1rem' }}>
            <label for="token-secret">New token secret</label>
            <input id="token-secret" type="text" readOnly value={current().value} onFocus={(e) => e.currentTarget.select()} />
            <p class="hint">Copy it now: it will not be shown again.</p>
            <div>
              <CopyButton text={current().value} label="Copy token" />
            </div>
          </div>
        )}
      </Show>
    </>
  );
}

import { createMutation, createQuery } from '@urql/solid';
import { createEffect, createSignal, Show, untrack } from 'solid-js';
import type { IpHandling, UpdatePrivacySettingsInput } from '../../gql/graphql';
import { errorField, errorMessage } from '../../lib/errors';
import { Field, FormError } from '../../ui/Field';
import { PrivacySettingsQuery, UpdatePrivacySettingsMutation } from './settings.graphql';

type PrivacyForm = { ipHandling: IpHandling; days: string; keepForever: boolean };
type Stored = { ipHandling: IpHandling; retentionDays: number | null };

const fromServer = (settings: Stored): PrivacyForm => ({
  ipHandling: settings.ipHandling,
  days: settings.retentionDays === null ? '' : String(settings.retentionDays),
  keepForever: settings.retentionDays === null,
});

/** The form as the update; null when the days are not a whole number (never sent: NaN would go as null, "keep"). */
function toInput(form: PrivacyForm): UpdatePrivacySettingsInput | null {
  if (form.keepForever) return { ipHandling: form.ipHandling, retentionDays: null };
  const days = form.days.trim();
  return /^\d+$/.test(days) ? { ipHandling: form.ipHandling, retentionDays: Number(days) } : null;
}

const besideField = ['input.ipHandling', 'input.retentionDays'];

/** How much of a visitor's IP is stored and how long old chats are kept: OWNER and ADMIN edit, other agents read. */
export function PrivacySettings(props: { editable: boolean }) {
  const [privacy] = createQuery({ query: PrivacySettingsQuery });
  const [state, save] = createMutation(UpdatePrivacySettingsMutation);
  const [form, setForm] = createSignal<PrivacyForm>({ ipHandling: 'TRUNCATED', days: '', keepForever: true });
  const [edited, setEdited] = createSignal(false);
  const [saved, setSaved] = createSignal(false);
  const [daysInvalid, setDaysInvalid] = createSignal(false);
  const settings = () => privacy.data?.viewer.account?.privacySettings;

  // The cached settings show first and the server's answer follows: take each until the admin edits.
  createEffect(() => {
    const current = settings();
    const next = current ? fromServer(current) : null;
    if (next && !untrack(edited)) setForm(next);
  });

  function set<K extends keyof PrivacyForm>(key: K, value: PrivacyForm[K]) {
    setForm({ ...form(), [key]: value });
    setEdited(true);
    setSaved(false);
    setDaysInvalid(false);
  }

  async function submit(event: SubmitEvent) {
    event.preventDefault();
    if (!props.editable) return;
    setSaved(false);
    const input = toInput(form());
    setDaysInvalid(input === null);
    if (!input) return;
    const result = await save({ input });
    if (!result.data) return;
    setForm(fromServer(result.data.updatePrivacySettings));
    setEdited(false);
    setSaved(true);
  }

  const fieldError = (name: string) => (errorField(state.error) === `input.${name}` ? errorMessage(state.error) : null);
  const daysError = () => (daysInvalid() ? 'Enter a whole number of days, or choose Keep forever.' : fieldError('retentionDays'));
  const disabled = () => !props.editable || !settings();

  return (
    <>
      <Show when={!props.editable}>
        <p>Owners and admins change the privacy settings.</p>
      </Show>
      <FormError message={settings() ? null : errorMessage(privacy.error)} />
      <form aria-label="Privacy settings" onSubmit={submit} novalidate>
        <div class="field">
          <label for="privacy-ip">IP addresses</label>
          <select
            id="privacy-ip"
            name="ipHandling"
            disabled={disabled()}
            value={form().ipHandling}
            onChange={(e) => set('ipHandling', e.currentTarget.value as IpHandling)}
            aria-describedby={fieldError('ipHandling') ? 'privacy-ip-error' : 'privacy-ip-hint'}
          >
            <option value="NONE">Store none</option>
            <option value="TRUNCATED">Store truncated (recommended)</option>
            <option value="FULL">Store in full</option>
          </select>
          <p class="hint" id="privacy-ip-hint">
            The approximate location is looked up before the address is shortened or dropped.
          </p>
          <Show when={fieldError('ipHandling')}>
            <p class="field-error" id="privacy-ip-error" role="alert">
              {fieldError('ipHandling')}
            </p>
          </Show>
        </div>
        <Field
          id="privacy-days"
          label="Delete closed conversations and inactive visitors after (days)"
          type="number"
          name="retentionDays"
          min={1}
          max={3650}
          step={1}
          inputmode="numeric"
          disabled={disabled() || form().keepForever}
          value={form().days}
          onInput={(e) => set('days', e.currentTarget.value)}
          error={daysError()}
        />
        <div class="field">
          <label>
            <input
              type="checkbox"
              name="keepForever"
              disabled={disabled()}
              checked={form().keepForever}
              onChange={(e) => set('keepForever', e.currentTarget.checked)}
            />{' '}
            Keep forever
          </label>
        </div>
        <Show when={props.editable}>
          <FormError message={besideField.includes(errorField(state.error) ?? '') ? null : errorMessage(state.error)} />
          <button type="submit" class="primary" disabled={disabled() || state.fetching}>
            Save privacy settings
          </button>
          <p role="status">{saved() ? 'Privacy settings saved.' : ''}</p>
        </Show>
      </form>
    </>
  );
}

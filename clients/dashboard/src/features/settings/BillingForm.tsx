import { createMutation, createQuery } from '@urql/solid';
import { createEffect, createSignal, Show, untrack } from 'solid-js';
import type { Plan } from '../../gql/graphql';
import { errorField, errorMessage } from '../../lib/errors';
import { Field, FormError } from '../../ui/Field';
import { BillingQuery, UpdateBillingProfileMutation } from './settings.graphql';

type Billing = { companyName: string; billingEmail: string; vatId: string; plan: Plan };
type Stored = { companyName?: string | null; billingEmail?: string | null; vatId?: string | null; plan: Plan };

/** Errors about these inputs show beside them; any other, under the form. */
const besideField = ['input.companyName', 'input.billingEmail', 'input.vatId'];

const fromServer = (profile: Stored): Billing => ({
  companyName: profile.companyName ?? '',
  billingEmail: profile.billingEmail ?? '',
  vatId: profile.vatId ?? '',
  plan: profile.plan,
});

/** Who the invoices are for: OWNER edits, ADMIN reads. */
export function BillingForm(props: { editable: boolean }) {
  const [billing] = createQuery({ query: BillingQuery });
  const [state, save] = createMutation(UpdateBillingProfileMutation);
  const [form, setForm] = createSignal<Billing>({ companyName: '', billingEmail: '', vatId: '', plan: 'FREE' });
  const [edited, setEdited] = createSignal(false);
  const [saved, setSaved] = createSignal(false);
  const profile = () => billing.data?.viewer.account?.billingProfile;

  // The cached profile shows first and the server's answer follows (urql updates it in place, so
  // every field is read here to notice): take each until the owner types.
  createEffect(() => {
    const current = profile();
    if (!current) return;
    const next = fromServer(current);
    if (!untrack(edited)) setForm(next);
  });

  function set<K extends keyof Billing>(key: K, value: Billing[K]) {
    setForm({ ...form(), [key]: value });
    setEdited(true);
    setSaved(false);
  }

  async function submit(event: SubmitEvent) {
    event.preventDefault();
    setSaved(false);
    // The server replaces the whole profile; a blank email must go as null, not as an invalid address.
    const input = { ...form(), billingEmail: form().billingEmail.trim() || null };
    const result = await save({ input });
    if (!result.data) return;
    setForm(fromServer(result.data.updateBillingProfile));
    setEdited(false);
    setSaved(true);
  }

  const fieldError = (name: string) => (errorField(state.error) === `input.${name}` ? errorMessage(state.error) : null);
  const disabled = () => !props.editable || !profile();
  return (
    <>
      <p>No payment card details are stored.</p>
      <Show when={!props.editable}>
        <p>Only the account owner can edit the billing profile.</p>
      </Show>
      <FormError message={profile() ? null : errorMessage(billing.error)} />
      <form aria-label="Billing profile" onSubmit={submit} novalidate>
        <Field id="billing-company" label="Company name" name="companyName" autocomplete="organization" disabled={disabled()} value={form().companyName} onInput={(e) => set('companyName', e.currentTarget.value)} error={fieldError('companyName')} />
        <Field id="billing-email" label="Billing email" type="email" name="billingEmail" autocomplete="email" disabled={disabled()} value={form().billingEmail} onInput={(e) => set('billingEmail', e.currentTarget.value)} error={fieldError('billingEmail')} />
        <Field id="billing-vat" label="VAT ID" name="vatId" autocomplete="off" disabled={disabled()} value={form().vatId} onInput={(e) => set('vatId', e.currentTarget.value)} error={fieldError('vatId')} />
        <div class="field">
          <label for="billing-plan">Plan</label>
          <select id="billing-plan" name="plan" disabled={disabled()} value={form().plan} onChange={(e) => set('plan', e.currentTarget.value as Plan)}>
            <option value="FREE">Free</option>
            <option value="PAID">Paid</option>
          </select>
        </div>
        <Show when={props.editable}>
          <FormError message={besideField.includes(errorField(state.error) ?? '') ? null : errorMessage(state.error)} />
          <button type="submit" class="primary" disabled={disabled() || state.fetching}>
            Save billing profile
          </button>
          <p role="status">{saved() ? 'Billing profile saved.' : ''}</p>
        </Show>
      </form>
    </>
  );
}

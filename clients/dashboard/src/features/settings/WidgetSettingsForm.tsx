import { createMutation, createQuery } from '@urql/solid';
import { createEffect, createSignal, Show, untrack } from 'solid-js';
import type { UpdateWidgetSettingsInput, WidgetLanguage, WidgetPosition, WidgetSettingsFieldsFragment } from '../../gql/graphql';
import { errorField, errorMessage } from '../../lib/errors';
import { FormError } from '../../ui/Field';
import { UpdateWidgetSettingsMutation, WidgetSettingsQuery } from './settings.graphql';
import './WidgetSettingsForm.css';

type WidgetForm = {
  color: string;
  position: WidgetPosition;
  language: WidgetLanguage;
  greeting: string;
  askName: boolean;
  nameRequired: boolean;
  askEmail: boolean;
  emailRequired: boolean;
  /** one origin per line, as typed */
  origins: string;
};

const blank: WidgetForm = {
  color: '#2454d6',
  position: 'BOTTOM_RIGHT',
  language: 'EN',
  greeting: '',
  askName: false,
  nameRequired: false,
  askEmail: false,
  emailRequired: false,
  origins: '',
};

function fromServer(settings: WidgetSettingsFieldsFragment): WidgetForm {
  const name = settings.preChatFields.find((field) => field.name === 'NAME');
  const email = settings.preChatFields.find((field) => field.name === 'EMAIL');
  return {
    color: settings.color,
    position: settings.position,
    language: settings.language,
    greeting: settings.greeting ?? '',
    askName: Boolean(name),
    nameRequired: name?.required ?? false,
    askEmail: Boolean(email),
    emailRequired: email?.required ?? false,
    origins: (settings.allowedOrigins ?? []).join('\n'),
  };
}

/** The non-blank lines of the origins box, trimmed, each with its line number (1-based) to point errors at. */
function originLines(text: string): { origin: string; line: number }[] {
  return text
    .split(/\r?\n/)
    .map((value, index) => ({ origin: value.trim(), line: index + 1 }))
    .filter((entry) => entry.origin !== '');
}

/** The whole form as the update: every field sent, so what is saved is what is shown. */
function toInput(form: WidgetForm): UpdateWidgetSettingsInput {
  return {
    color: form.color,
    position: form.position,
    language: form.language,
    greeting: form.greeting.trim() || null,
    preChatFields: [
      ...(form.askName ? [{ name: 'NAME' as const, required: form.nameRequired }] : []),
      ...(form.askEmail ? [{ name: 'EMAIL' as const, required: form.emailRequired }] : []),
    ],
    allowedOrigins: originLines(form.origins).map((entry) => entry.origin),
  };
}

/** Errors about these inputs show beside them; any other, under the form. */
const besideField = /^input\.(color|position|language|greeting|preChatFields|allowedOrigins)(\.|$)/;

/** How the widget looks and what it asks: OWNER and ADMIN edit, other agents read. */
export function WidgetSettingsForm(props: { editable: boolean }) {
  const [widget] = createQuery({ query: WidgetSettingsQuery });
  const [state, save] = createMutation(UpdateWidgetSettingsMutation);
  const [form, setForm] = createSignal<WidgetForm>(blank);
  const [edited, setEdited] = createSignal(false);
  const [saved, setSaved] = createSignal(false);
  /** The line of each origin sent with the last save, so `input.allowedOrigins.N` can name its line. */
  const [sentLines, setSentLines] = createSignal<number[]>([]);
  const settings = () => widget.data?.viewer.account?.widgetSettings;

  // The cached settings show first and the server's answer follows: take each until the admin edits.
  // urql's store reconciles an answer into the same objects, so read every field (fromServer does) to see it change.
  createEffect(() => {
    const current = settings();
    const next = current ? fromServer(current) : null;
    if (next && !untrack(edited)) setForm(next);
  });

  function set<K extends keyof WidgetForm>(key: K, value: WidgetForm[K]) {
    setForm({ ...form(), [key]: value });
    setEdited(true);
    setSaved(false);
  }

  async function submit(event: SubmitEvent) {
    event.preventDefault();
    if (!props.editable) return;
    setSaved(false);
    setSentLines(originLines(form().origins).map((entry) => entry.line));
    const result = await save({ input: toInput(form()) });
    if (!result.data) return;
    // The answer is what the server stored (origins normalised, colour lower-cased): show that.
    setForm(fromServer(result.data.updateWidgetSettings));
    setEdited(false);
    setSaved(true);
  }

  const fieldError = (name: string) => (errorField(state.error) === `input.${name}` ? errorMessage(state.error) : null);
  const preChatError = () => (errorField(state.error)?.startsWith('input.preChatFields') ? errorMessage(state.error) : null);
  const originsError = () => {
    const match = /^input\.allowedOrigins(?:\.(\d+))?/.exec(errorField(state.error) ?? '');
    if (!match) return null;
    const line = match[1] === undefined ? undefined : sentLines()[Number(match[1])];
    return line === undefined ? errorMessage(state.error) : `Line ${line}: ${errorMessage(state.error)}`;
  };
  const describedBy = (id: string, error: string | null, hint = false) =>
    [error && `${id}-error`, hint && `${id}-hint`].filter(Boolean).join(' ') || undefined;
  const disabled = () => !props.editable || !settings();

  return (
    <>
      <Show when={!props.editable}>
        <p>Owners and admins change the widget.</p>
      </Show>
      <FormError message={settings() ? null : errorMessage(widget.error)} />
      <form aria-label="Widget settings" class="widget-settings" onSubmit={submit} novalidate>
        <div class="widget-settings-fields">
          <div class="field">
            <label for="widget-color">Colour</label>
            <div class="widget-color">
              <input
                id="widget-color"
                type="color"
                name="color"
                disabled={disabled()}
                value={form().color}
                onInput={(e) => set('color', e.currentTarget.value)}
                aria-invalid={fieldError('color') ? 'true' : undefined}
                aria-describedby={describedBy('widget-color', fieldError('color'))}
              />
              <code>{form().color}</code>
            </div>
            <FieldError id="widget-color" message={fieldError('color')} />
          </div>

          <div class="field">
            <label for="widget-position">Position</label>
            <select id="widget-position" name="position" disabled={disabled()} value={form().position} onChange={(e) => set('position', e.currentTarget.value as WidgetPosition)} aria-describedby={describedBy('widget-position', fieldError('position'))}>
              <option value="BOTTOM_RIGHT">Bottom right</option>
              <option value="BOTTOM_LEFT">Bottom left</option>
            </select>
            <FieldError id="widget-position" message={fieldError('position')} />
          </div>

          <div class="field">
            <label for="widget-language">Language</label>
            <select id="widget-language" name="language" disabled={disabled()} value={form().language} onChange={(e) => set('language', e.currentTarget.value as WidgetLanguage)} aria-describedby={describedBy('widget-language', fieldError('language'))}>
              <option value="EN">English</option>
              <option value="CS" lang="cs">
                Čeština
              </option>
            </select>
            <FieldError id="widget-language" message={fieldError('language')} />
          </div>

          <div class="field">
            <label for="widget-greeting">Greeting</label>
            <textarea
              id="widget-greeting"
              name="greeting"
              rows={3}
              maxlength={300}
              disabled={disabled()}
              value={form().greeting}
              onInput={(e) => set('greeting', e.currentTarget.value)}
              aria-invalid={fieldError('greeting') ? 'true' : undefined}
              aria-describedby={describedBy('widget-greeting', fieldError('greeting'))}
            />
            <FieldError id="widget-greeting" message={fieldError('greeting')} />
          </div>

          <fieldset class="field widget-prechat" disabled={disabled()} aria-describedby={describedBy('widget-prechat', preChatError())}>
            <legend>Pre-chat form</legend>
            <label>
              <input type="checkbox" name="askName" checked={form().askName} onChange={(e) => set('askName', e.currentTarget.checked)} /> Ask for name
            </label>
            <Show when={form().askName}>
              <label class="widget-required">
                <input type="checkbox" name="nameRequired" checked={form().nameRequired} onChange={(e) => set('nameRequired', e.currentTarget.checked)} /> Name required
              </label>
            </Show>
            <label>
              <input type="checkbox" name="askEmail" checked={form().askEmail} onChange={(e) => set('askEmail', e.currentTarget.checked)} /> Ask for email
            </label>
            <Show when={form().askEmail}>
              <label class="widget-required">
                <input type="checkbox" name="emailRequired" checked={form().emailRequired} onChange={(e) => set('emailRequired', e.currentTarget.checked)} /> Email required
              </label>
            </Show>
            <FieldError id="widget-prechat" message={preChatError()} />
          </fieldset>

          <div class="field">
            <label for="widget-origins">Allowed origins</label>
            <textarea
              id="widget-origins"
              name="allowedOrigins"
              rows={3}
              spellcheck={false}
              autocomplete="off"
              disabled={disabled()}
              value={form().origins}
              onInput={(e) => set('origins', e.currentTarget.value)}
              aria-invalid={originsError() ? 'true' : undefined}
              aria-describedby={describedBy('widget-origins', originsError(), true)}
            />
            <p class="hint" id="widget-origins-hint">
              One per line, e.g. https://shop.example. Leave empty to allow any site.
            </p>
            <FieldError id="widget-origins" message={originsError()} />
          </div>
        </div>

        <div class="widget-preview" classList={{ left: form().position === 'BOTTOM_LEFT' }} aria-hidden="true">
          <span class="widget-preview-launcher" style={{ 'background-color': form().color }} />
        </div>

        <Show when={props.editable}>
          <div class="widget-settings-actions">
            <FormError message={besideField.test(errorField(state.error) ?? '') ? null : errorMessage(state.error)} />
            <button type="submit" class="primary" disabled={disabled() || state.fetching}>
              Save widget settings
            </button>
            <p role="status">{saved() ? 'Widget settings saved.' : ''}</p>
          </div>
        </Show>
      </form>
    </>
  );
}

/** An error beside its control, as `Field` shows it. */
function FieldError(props: { id: string; message: string | null }) {
  return (
    <Show when={props.message}>
      <p class="field-error" id={`${props.id}-error`} role="alert">
        {props.message}
      </p>
    </Show>
  );
}

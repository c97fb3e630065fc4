import { Show } from 'solid-js';
import { canManage, useViewer } from '../shell/viewer';
import { ApiTokens } from './ApiTokens';
import { BillingForm } from './BillingForm';
import { NotificationSettings } from './NotificationSettings';
import { WidgetSettingsForm } from './WidgetSettingsForm';
import { WidgetSnippet } from './WidgetSnippet';

/** This browser's notifications, the widget's embed code and settings, and for OWNER/ADMIN the API tokens and billing. */
export function Settings() {
  const viewer = useViewer();
  return (
    <div class="page">
      <h1>Settings</h1>
      <NotificationSettings />
      <WidgetSnippet>
        <WidgetSettingsForm editable={canManage(viewer.agent())} />
      </WidgetSnippet>
      <section class="card" aria-labelledby="tokens-heading">
        <h2 id="tokens-heading">API tokens</h2>
        <Show when={canManage(viewer.agent())} fallback={<p>Owners and admins manage the account's API tokens.</p>}>
          <p>Integrations call the API with a token. Each token acts for the whole account.</p>
          <ApiTokens />
        </Show>
      </section>
      <Show when={canManage(viewer.agent())}>
        <section class="card" aria-labelledby="billing-heading">
          <h2 id="billing-heading">Billing</h2>
          <BillingForm editable={viewer.agent().role === 'OWNER'} />
        </section>
      </Show>
    </div>
  );
}

import { Show } from 'solid-js';
import { canManage, useViewer } from '../shell/viewer';
import { ApiTokens } from './ApiTokens';
import { AuditLog } from './AuditLog';
import { BillingForm } from './BillingForm';
import { DeleteAccount } from './DeleteAccount';
import { NotificationSettings } from './NotificationSettings';
import { PrivacySettings } from './PrivacySettings';
import { WidgetSettingsForm } from './WidgetSettingsForm';
import { WidgetSnippet } from './WidgetSnippet';

/**
 * This browser's notifications, the widget's embed code and settings, the privacy settings; for
 * OWNER/ADMIN the API tokens, billing and the audit log; for the OWNER, deleting the account.
 */
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
      <section class="card" aria-labelledby="privacy-heading">
        <h2 id="privacy-heading">Privacy</h2>
        <PrivacySettings editable={canManage(viewer.agent())} />
      </section>
      <Show when={canManage(viewer.agent())}>
        <section class="card" aria-labelledby="audit-heading">
          <h2 id="audit-heading">Audit log</h2>
          <p>Who exported or erased a visitor's data, changed the privacy settings, and what retention deleted.</p>
          <AuditLog />
        </section>
      </Show>
      <Show when={viewer.agent().role === 'OWNER'}>
        <section class="card" aria-labelledby="delete-account-heading">
          <h2 id="delete-account-heading">Delete account</h2>
          <DeleteAccount accountName={viewer.account().name} />
        </section>
      </Show>
    </div>
  );
}

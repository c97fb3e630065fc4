import { Show } from 'solid-js';
import { canManage, useViewer } from '../shell/viewer';
import { AgentTable } from './AgentTable';
import { InviteForm } from './InviteForm';
import { ProfileForm } from './ProfileForm';

/** The account's agents, inviting and removing them (OWNER/ADMIN), and one's own profile. */
export function Team() {
  const viewer = useViewer();
  return (
    <div class="page">
      <h1>Team</h1>
      <section class="card" aria-labelledby="agents-heading">
        <h2 id="agents-heading">Agents</h2>
        <AgentTable />
      </section>
      <Show when={canManage(viewer.agent())}>
        <InviteForm />
      </Show>
      <ProfileForm />
    </div>
  );
}

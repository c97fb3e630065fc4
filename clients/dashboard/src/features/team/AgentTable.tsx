import { createMutation, createQuery } from '@urql/solid';
import { createMemo, For, Show } from 'solid-js';
import type { AgentRole, PresenceStatus } from '../../gql/graphql';
import { errorMessage } from '../../lib/errors';
import { FormError } from '../../ui/Field';
import { canManage, useViewer } from '../shell/viewer';
import { RemoveAgentMutation, TeamQuery } from './team.graphql';

export const roleLabel: Record<AgentRole, string> = { OWNER: 'Owner', ADMIN: 'Admin', AGENT: 'Agent' };
const presenceLabel: Record<PresenceStatus, string> = { ONLINE: 'Online', AWAY: 'Away', OFFLINE: 'Offline' };

/**
 * The account's agents. The Shell's account events invalidate this list on every AgentUpdated,
 * so presence changes show here without a subscription of its own.
 */
export function AgentTable() {
  const viewer = useViewer();
  const [team, refetch] = createQuery({ query: TeamQuery });
  const [removal, removeAgent] = createMutation(RemoveAgentMutation);
  const agents = createMemo(() =>
    (team.data?.viewer.account?.agents.edges ?? []).map((edge) => edge.node).filter((agent) => !agent.removedAt),
  );

  // Only an owner may remove an owner: an admin is not offered a button that would fail.
  const removable = (agent: { id: string; role: AgentRole }) =>
    canManage(viewer.agent()) && agent.id !== viewer.agent().id && (agent.role !== 'OWNER' || viewer.agent().role === 'OWNER');

  async function remove(agent: { id: string; name: string }) {
    if (!confirm(`Remove ${agent.name} from the team? They will be signed out and can no longer sign in.`)) return;
    await removeAgent({ id: agent.id });
  }

  return (
    <>
      <FormError message={errorMessage(removal.error)} />
      <Show when={team.error && !team.data}>
        <p role="alert">
          {errorMessage(team.error)}{' '}
          <button type="button" onClick={() => refetch({ requestPolicy: 'network-only' })}>
            Try again
          </button>
        </p>
      </Show>
      <Show when={team.data} fallback={<p class="empty">Loading the team…</p>}>
        <table>
          <caption class="visually-hidden">Agents of this account</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Email</th>
              <th scope="col">Role</th>
              <th scope="col">Presence</th>
              <Show when={canManage(viewer.agent())}>
                <th scope="col">
                  <span class="visually-hidden">Actions</span>
                </th>
              </Show>
            </tr>
          </thead>
          <tbody>
            <For each={agents()}>
              {(agent) => (
                <tr>
                  <th scope="row">
                    {agent.name}
                    <Show when={agent.id === viewer.agent().id}> (you)</Show>
                    <Show when={agent.jobTitle}>
                      <div class="hint">{agent.jobTitle}</div>
                    </Show>
                  </th>
                  <td>{agent.email}</td>
                  <td>{roleLabel[agent.role]}</td>
                  <td>
                    <Show when={!agent.invitePending} fallback="Invitation pending">
                      <span class={`dot ${agent.status.toLowerCase()}`} aria-hidden="true" />
                      {presenceLabel[agent.status]}
                    </Show>
                  </td>
                  <Show when={canManage(viewer.agent())}>
                    <td>
                      <Show when={removable(agent)}>
                        <button type="button" class="danger" disabled={removal.fetching} onClick={() => remove(agent)}>
                          Remove
                        </button>
                      </Show>
                    </td>
                  </Show>
                </tr>
              )}
            </For>
          </tbody>
        </table>
      </Show>
    </>
  );
}

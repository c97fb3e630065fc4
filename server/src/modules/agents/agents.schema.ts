import { builder } from '../../builder.js';
import { isEntityOf } from '../../shared/entity-type.js';
import { keysetConnection, type SortKey } from '../../shared/keyset.js';
import { AccountRef } from '../accounts/accounts.schema.js';
import { Agent, agentRoles, presenceStatuses } from './agent.entity.js';
import { agentScope, canSeeAgent, canSeeAgentPrivate } from './agents.policy.js';
import { acceptInvite, inviteAgent, removeAgent, setPresence, updateProfile } from './agents.service.js';
import { idOf } from '../../shared/ids.js';

export const AgentRef = builder.objectRef<Agent>('Agent');
export const AgentRoleEnum = builder.enumType('AgentRole', { values: agentRoles });
export const PresenceStatusEnum = builder.enumType('PresenceStatus', { values: presenceStatuses });

builder.node(AgentRef, {
  description: "A company's staff member.",
  id: { resolve: (agent) => agent.id },
  isTypeOf: isEntityOf('Agent'),
  authScopes: (agent, ctx) => canSeeAgent(ctx, agent),
  fields: (t) => ({
    name: t.exposeString('name'),
    email: t.exposeString('email', { authScopes: (agent, _args, ctx) => canSeeAgentPrivate(ctx.viewer, agent) }),
    role: t.expose('role', { type: AgentRoleEnum, authScopes: (agent, _args, ctx) => canSeeAgentPrivate(ctx.viewer, agent) }),
    jobTitle: t.exposeString('jobTitle', { nullable: true }),
    motto: t.exposeString('motto', { nullable: true }),
    status: t.expose('status', { type: PresenceStatusEnum }),
    removedAt: t.expose('removedAt', {
      type: 'DateTime',
      nullable: true,
      description: 'When the agent was removed from the team.',
      authScopes: (agent, _args, ctx) => canSeeAgentPrivate(ctx.viewer, agent),
    }),
    invitePending: t.boolean({
      description: 'True until the invited agent has accepted the invitation.',
      nullable: true,
      authScopes: (agent, _args, ctx) => canSeeAgentPrivate(ctx.viewer, agent),
      resolve: (agent) => !agent.passwordHash,
    }),
  }),
});

export const AgentConnection = builder.connectionObject({ type: AgentRef, name: 'AgentConnection' }, { name: 'AgentEdge' });

const byCreation: SortKey<Agent>[] = [
  { field: 'createdAt', type: 'date', dir: 'asc' },
  { field: 'id', type: 'string', dir: 'asc' },
];

builder.objectField(AccountRef, 'agents', (t) =>
  t.connection(
    {
      type: AgentRef,
      resolve: (account, args, ctx) =>
        keysetConnection(ctx.em, Agent, { $and: [agentScope(ctx.viewer) ?? { id: null }, { accountId: account.id, removedAt: null }] }, byCreation, args),
    },
    AgentConnection,
  ),
);

export const AuthPayloadRef = builder
  .objectRef<{ token: string; agent: Agent }>('AuthPayload')
  .implement({ fields: (t) => ({ token: t.exposeString('token'), agent: t.field({ type: AgentRef, resolve: (p) => p.agent }) }) });

const InviteAgentInput = builder.inputType('InviteAgentInput', {
  fields: (t) => ({ name: t.string(), email: t.string(), role: t.field({ type: AgentRoleEnum }) }),
});
const InviteAgentPayload = builder.objectRef<{ agent: Agent; inviteToken: string }>('InviteAgentPayload').implement({
  fields: (t) => ({
    agent: t.field({ type: AgentRef, resolve: (p) => p.agent }),
    inviteToken: t.exposeString('inviteToken', { description: 'Give it to the invited agent; it is shown only once.' }),
  }),
});
const AcceptInviteInput = builder.inputType('AcceptInviteInput', {
  fields: (t) => ({ inviteToken: t.string(), password: t.string() }),
});
const UpdateProfileInput = builder.inputType('UpdateProfileInput', {
  fields: (t) => ({
    name: t.string({ required: false }),
    jobTitle: t.string({ required: false }),
    motto: t.string({ required: false }),
  }),
});

builder.mutationFields((t) => ({
  inviteAgent: t.field({
    type: InviteAgentPayload,
    description: 'OWNER and ADMIN add an agent, who accepts with the returned invite token.',
    authScopes: { admin: true },
    args: { input: t.arg({ type: InviteAgentInput }) },
    resolve: (_root, { input }, ctx) => inviteAgent(ctx, input),
  }),
  acceptInvite: t.field({
    type: AuthPayloadRef,
    args: { input: t.arg({ type: AcceptInviteInput }) },
    resolve: (_root, { input }, ctx) => acceptInvite(ctx, input),
  }),
  updateProfile: t.field({
    type: AgentRef,
    authScopes: { agent: true },
    args: { input: t.arg({ type: UpdateProfileInput }) },
    resolve: (_root, { input }, ctx) => updateProfile(ctx, input),
  }),
  removeAgent: t.field({
    type: AgentRef,
    description: 'OWNER and ADMIN: the agent can no longer sign in and its open sockets close; its messages stay.',
    authScopes: { admin: true },
    args: { id: t.arg.id() },
    resolve: (_root, { id }, ctx) => removeAgent(ctx, idOf('Agent', id, 'id')),
  }),
  setPresence: t.field({
    type: AgentRef,
    authScopes: { agent: true },
    args: { status: t.arg({ type: PresenceStatusEnum }) },
    resolve: (_root, { status }, ctx) => setPresence(ctx, status),
  }),
}));

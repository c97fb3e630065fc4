import { defineEntity, type InferEntity } from '@mikro-orm/core';

export const agentRoles = ['OWNER', 'ADMIN', 'AGENT'] as const;
export type AgentRole = (typeof agentRoles)[number];
export const presenceStatuses = ['ONLINE', 'AWAY', 'OFFLINE'] as const;
export type PresenceStatus = (typeof presenceStatuses)[number];

/** A company's staff member. An invited agent has an invite token and no password yet. */
export const Agent = defineEntity({
  name: 'Agent',
  tableName: 'agents',
  properties: (p) => ({
    id: p.uuid().primary(),
    accountId: p.uuid(),
    name: p.text(),
    email: p.text(),
    passwordHash: p.text().nullable(),
    role: p.enum([...agentRoles]).$type<AgentRole>(),
    jobTitle: p.text().nullable(),
    motto: p.text().nullable(),
    status: p.enum([...presenceStatuses]).$type<PresenceStatus>().default('OFFLINE'),
    inviteTokenHash: p.text().nullable(),
    inviteExpiresAt: p.datetime().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
    /** set when removed from the team: the agent can no longer sign in, its messages keep its name */
    removedAt: p.datetime().nullable(),
  }),
});
export type Agent = InferEntity<typeof Agent>;

import { defineEntity, type InferEntity } from '@mikro-orm/core';

/** An agent's signed-in session; the token itself is never stored, only its SHA-256. */
export const AgentSession = defineEntity({
  name: 'AgentSession',
  tableName: 'agent_sessions',
  properties: (p) => ({
    id: p.uuid().primary(),
    accountId: p.uuid(),
    agentId: p.uuid(),
    tokenHash: p.text().unique(),
    createdAt: p.datetime().onCreate(() => new Date()),
    expiresAt: p.datetime(),
  }),
});
export type AgentSession = InferEntity<typeof AgentSession>;

/** An integrator's credential for one account. Revoked tokens stay listed, marked revoked. */
export const ApiToken = defineEntity({
  name: 'ApiToken',
  tableName: 'api_tokens',
  properties: (p) => ({
    id: p.uuid().primary(),
    accountId: p.uuid(),
    name: p.text(),
    tokenHash: p.text().unique(),
    createdByAgentId: p.uuid().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
    lastUsedAt: p.datetime().nullable(),
    revokedAt: p.datetime().nullable(),
  }),
});
export type ApiToken = InferEntity<typeof ApiToken>;

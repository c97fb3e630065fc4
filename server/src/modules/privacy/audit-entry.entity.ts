import { defineEntity, type InferEntity } from '@mikro-orm/core';

export const auditActions = ['VISITOR_EXPORTED', 'VISITOR_ERASED', 'RETENTION_APPLIED', 'PRIVACY_SETTINGS_CHANGED'] as const;
export type AuditAction = (typeof auditActions)[number];
export const auditActorKinds = ['AGENT', 'API_TOKEN', 'SYSTEM'] as const;

/**
 * Who exported or erased what, and when. It names the actor as it was then (an agent may be
 * removed later); an erased visitor is referred to by nothing but counts.
 */
export const AuditEntry = defineEntity({
  name: 'AuditEntry',
  tableName: 'audit_log',
  properties: (p) => ({
    id: p.uuid().primary(),
    accountId: p.uuid(),
    action: p.enum([...auditActions]).$type<AuditAction>(),
    actorKind: p.enum([...auditActorKinds]).$type<(typeof auditActorKinds)[number]>(),
    actorId: p.uuid().nullable(),
    actorName: p.text(),
    subjectId: p.uuid().nullable(),
    details: p.json<Record<string, unknown>>().default('{}'),
    createdAt: p.datetime().onCreate(() => new Date()),
  }),
});
export type AuditEntry = InferEntity<typeof AuditEntry>;

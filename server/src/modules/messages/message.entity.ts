import { defineEntity, type InferEntity } from '@mikro-orm/core';

export const authorKinds = ['AGENT', 'VISITOR', 'SYSTEM'] as const;
export type AuthorKind = (typeof authorKinds)[number];

/** One message; `seq` orders it within its conversation and is its cursor. */
export const Message = defineEntity({
  name: 'Message',
  tableName: 'messages',
  properties: (p) => ({
    id: p.uuid().primary(),
    accountId: p.uuid(),
    conversationId: p.uuid(),
    seq: p.integer(),
    authorKind: p.enum([...authorKinds]).$type<AuthorKind>(),
    agentId: p.uuid().nullable(),
    apiTokenId: p.uuid().nullable(),
    body: p.text(),
    clientMessageId: p.text().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
  }),
});
export type Message = InferEntity<typeof Message>;

import { defineEntity, type InferEntity } from '@mikro-orm/core';

export const conversationStatuses = ['OPEN', 'PENDING', 'CLOSED'] as const;
export type ConversationStatus = (typeof conversationStatuses)[number];

/**
 * A chat between one visitor and the account's agents. `lastSeq` is the last message's
 * sequence number; the read positions are the last seq each side has read.
 */
export const Conversation = defineEntity({
  name: 'Conversation',
  tableName: 'conversations',
  properties: (p) => ({
    id: p.uuid().primary(),
    accountId: p.uuid(),
    visitorId: p.uuid(),
    assigneeId: p.uuid().nullable(),
    status: p.enum([...conversationStatuses]).$type<ConversationStatus>().default('OPEN'),
    lastSeq: p.integer().default(0),
    visitorReadSeq: p.integer().default(0),
    agentReadSeq: p.integer().default(0),
    createdAt: p.datetime().onCreate(() => new Date()),
    lastMessageAt: p.datetime().nullable(),
    lastActivityAt: p.datetime().onCreate(() => new Date()),
  }),
});
export type Conversation = InferEntity<typeof Conversation>;

import { builder } from '../../builder.js';
import { isEntityOf } from '../../shared/entity-type.js';
import { NotFoundError } from '../../shared/errors.js';
import { AccountRef } from '../accounts/accounts.schema.js';
import { AgentRef } from '../agents/agents.schema.js';
import { VisitorRef } from '../visitors/visitors.schema.js';
import { Conversation, conversationStatuses } from './conversation.entity.js';
import { canSeeConversation } from './conversations.policy.js';
import { accountConversations, assignConversation, setConversationStatus, setTyping, visitorConversations } from './conversations.service.js';

export const ConversationRef = builder.objectRef<Conversation>('Conversation');
export const ConversationStatusEnum = builder.enumType('ConversationStatus', { values: conversationStatuses });
export const ConversationAssignmentEnum = builder.enumType('ConversationAssignment', {
  description: 'Whose conversations an inbox shows.',
  values: {
    ANY: { description: 'Everyone\'s and nobody\'s.' },
    MINE: { description: 'Assigned to the calling agent (agents only).' },
    UNASSIGNED: { description: 'Assigned to nobody.' },
  },
});

builder.node(ConversationRef, {
  description: 'A chat between one visitor and the account\'s agents.',
  id: { resolve: (c) => c.id },
  isTypeOf: isEntityOf('Conversation'),
  authScopes: (c, ctx) => canSeeConversation(ctx.viewer, c),
  fields: (t) => ({
    status: t.expose('status', { type: ConversationStatusEnum }),
    visitor: t.field({
      type: VisitorRef,
      resolve: async (c, _args, ctx) => (await ctx.loaders.visitor.load(c.visitorId)) ?? Promise.reject(new NotFoundError('Visitor')),
    }),
    assignee: t.field({
      type: AgentRef,
      nullable: true,
      resolve: (c, _args, ctx) => (c.assigneeId ? ctx.loaders.agent.load(c.assigneeId) : null),
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    lastMessageAt: t.expose('lastMessageAt', { type: 'DateTime', nullable: true }),
    lastActivityAt: t.expose('lastActivityAt', { type: 'DateTime' }),
    lastSeq: t.exposeInt('lastSeq', { description: 'The seq of the latest message; 0 when there is none.' }),
    visitorReadSeq: t.exposeInt('visitorReadSeq', { description: 'The last seq the visitor has read.' }),
    agentReadSeq: t.exposeInt('agentReadSeq', { description: 'The last seq an agent has read.' }),
  }),
});

export const ConversationConnection = builder.connectionObject(
  { type: ConversationRef, name: 'ConversationConnection' },
  { name: 'ConversationEdge' },
);

builder.objectField(AccountRef, 'conversations', (t) =>
  t.connection(
    {
      type: ConversationRef,
      description: 'Most recent activity first.',
      args: {
        status: t.arg({ type: ConversationStatusEnum, required: false }),
        assignment: t.arg({ type: ConversationAssignmentEnum, required: false }),
      },
      resolve: (account, args, ctx, info) => accountConversations(ctx, account.id, args, info),
    },
    ConversationConnection,
  ),
);

builder.objectField(VisitorRef, 'conversations', (t) =>
  t.connection(
    {
      type: ConversationRef,
      description: 'Newest first.',
      resolve: (visitor, args, ctx, info) => visitorConversations(ctx, visitor.accountId, visitor.id, args, info),
    },
    ConversationConnection,
  ),
);

const AssignConversationInput = builder.inputType('AssignConversationInput', {
  fields: (t) => ({ conversationId: t.id(), agentId: t.id({ required: false }) }),
});
const SetConversationStatusInput = builder.inputType('SetConversationStatusInput', {
  fields: (t) => ({ conversationId: t.id(), status: t.field({ type: ConversationStatusEnum }) }),
});
const SetTypingInput = builder.inputType('SetTypingInput', {
  fields: (t) => ({ conversationId: t.id(), isTyping: t.boolean() }),
});

builder.mutationFields((t) => ({
  assignConversation: t.field({
    type: ConversationRef,
    description: 'Assigns to an agent of the account; without agentId, unassigns.',
    authScopes: { staff: true },
    args: { input: t.arg({ type: AssignConversationInput }) },
    resolve: (_root, { input }, ctx) => assignConversation(ctx, input),
  }),
  setConversationStatus: t.field({
    type: ConversationRef,
    authScopes: { staff: true },
    args: { input: t.arg({ type: SetConversationStatusInput }) },
    resolve: (_root, { input }, ctx) => setConversationStatus(ctx, input),
  }),
  setTyping: t.boolean({
    description: 'Agents and visitors: renew every few seconds while typing; without renewal it turns off by itself.',
    authScopes: { $any: { agent: true, visitor: true } },
    args: { input: t.arg({ type: SetTypingInput }) },
    resolve: (_root, { input }, ctx) => setTyping(ctx, input),
  }),
}));

import { builder } from '../../builder.js';
import { isEntityOf } from '../../shared/entity-type.js';
import { NotFoundError } from '../../shared/errors.js';
import { AgentRef } from '../agents/agents.schema.js';
import { ConversationRef } from '../conversations/conversations.schema.js';
import { Conversation } from '../conversations/conversation.entity.js';
import { authorKinds, Message } from './message.entity.js';
import { canSeeMessage } from './messages.policy.js';
import { readSeqOf } from '../../loaders.js';
import { conversationMessages, markRead, sendMessage } from './messages.service.js';

export const MessageRef = builder.objectRef<Message>('Message');
export const AuthorKindEnum = builder.enumType('AuthorKind', {
  values: authorKinds,
  description: 'SYSTEM: written by the product or through an API token, not by a person.',
});

builder.node(MessageRef, {
  id: { resolve: (m) => m.id },
  isTypeOf: isEntityOf('Message'),
  authScopes: (m, ctx) => canSeeMessage(ctx, m),
  fields: (t) => ({
    body: t.exposeString('body'),
    authorKind: t.expose('authorKind', { type: AuthorKindEnum }),
    agent: t.field({
      type: AgentRef,
      nullable: true,
      resolve: (m, _args, ctx) => (m.agentId ? ctx.loaders.agent.load(m.agentId) : null),
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    clientMessageId: t.exposeString('clientMessageId', { nullable: true }),
    seq: t.exposeInt('seq', { description: 'Position in the conversation, from 1, without gaps.' }),
    conversation: t.field({
      type: ConversationRef,
      resolve: async (m, _args, ctx) =>
        (await ctx.loaders.conversation.load(m.conversationId)) ?? Promise.reject(new NotFoundError('Conversation')),
    }),
  }),
});

export const MessageConnection = builder.connectionObject({ type: MessageRef, name: 'MessageConnection' }, { name: 'MessageEdge' });

builder.objectField(ConversationRef, 'messages', (t) =>
  t.connection(
    {
      type: MessageRef,
      description: 'In seq order. `last` pages back from the newest.',
      resolve: (conversation, args, ctx) => conversationMessages(ctx, conversation, args),
    },
    MessageConnection,
  ),
);

builder.objectFields(ConversationRef, (t) => ({
  lastMessage: t.field({
    type: MessageRef,
    nullable: true,
    description: 'The latest message (the one with seq = lastSeq); null before the first.',
    resolve: (conversation, _args, ctx) =>
      conversation.lastSeq > 0 ? ctx.loaders.lastMessage.load(`${conversation.id}:${conversation.lastSeq}`) : null,
  }),
  unreadCount: t.int({
    description:
      "Messages the caller's side has not read: for agents and API tokens, the visitor's after agentReadSeq; for the visitor, the agents' and system's after visitorReadSeq.",
    resolve: (conversation, _args, ctx) => {
      const readSeq = readSeqOf(ctx.viewer, conversation);
      return readSeq >= conversation.lastSeq ? 0 : ctx.loaders.unreadCount.load(`${conversation.id}:${readSeq}`);
    },
  }),
}));

const SendMessageInput = builder.inputType('SendMessageInput', {
  fields: (t) => ({
    conversationId: t.id({ required: false }),
    body: t.string(),
    clientMessageId: t.string({ required: false }),
  }),
});
const SendMessagePayload = builder.objectRef<{ message: Message; conversation: Conversation }>('SendMessagePayload').implement({
  fields: (t) => ({
    message: t.field({ type: MessageRef, resolve: (p) => p.message }),
    conversation: t.field({ type: ConversationRef, resolve: (p) => p.conversation }),
  }),
});
const MarkReadInput = builder.inputType('MarkReadInput', {
  fields: (t) => ({ conversationId: t.id(), messageId: t.id() }),
});

builder.mutationFields((t) => ({
  sendMessage: t.field({
    type: SendMessagePayload,
    description: "The same clientMessageId again returns the first message, never a duplicate. A visitor's messages are limited per minute (RATE_LIMITED).",
    authScopes: { authenticated: true },
    args: { input: t.arg({ type: SendMessageInput }) },
    resolve: (_root, { input }, ctx) => sendMessage(ctx, input),
  }),
  markRead: t.boolean({
    description: "Moves the caller's side's read position to this message.",
    authScopes: { authenticated: true },
    args: { input: t.arg({ type: MarkReadInput }) },
    resolve: async (_root, { input }, ctx) => {
      await markRead(ctx, input);
      return true;
    },
  }),
}));

import { builder } from '../../builder.js';
import type { Context } from '../../context.js';
import { createLoaders } from '../../loaders.js';
import { encodeCursor } from '../../shared/keyset.js';
import { parseGlobalId, toGlobalId } from '../../shared/ids.js';
import { fromRow } from '../../realtime/rows.js';
import type { AccountEvent, ConversationEvent, Row } from '../../realtime/topics.js';
import { Agent } from '../agents/agent.entity.js';
import { AgentRef } from '../agents/agents.schema.js';
import { Conversation } from '../conversations/conversation.entity.js';
import { ConversationRef } from '../conversations/conversations.schema.js';
import { Message, type AuthorKind } from '../messages/message.entity.js';
import { AuthorKindEnum, MessageRef } from '../messages/messages.schema.js';
import { Visitor } from '../visitors/visitor.entity.js';
import { VisitorRef } from '../visitors/visitors.schema.js';
import { accountEvents, conversationEvents } from './events.service.js';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { EntityName } from '@mikro-orm/core';

/** What a subscriber's resolvers see of an event: entities, rebuilt from the event's rows. */
type Shown =
  | { __typename: 'MessageAdded'; message: Message; cursor: string }
  | { __typename: 'TypingChanged'; conversationId: string; authorKind: AuthorKind; agent: Agent | null; isTyping: boolean }
  | { __typename: 'MessagesRead'; conversationId: string; authorKind: AuthorKind; messageId: string; seq: number }
  | { __typename: 'ConversationUpdated'; conversation: Conversation }
  | { __typename: 'ConversationStarted'; conversation: Conversation }
  | { __typename: 'VisitorUpdated'; visitor: Visitor }
  | { __typename: 'AgentUpdated'; agent: Agent };

type ShownOf<N extends Shown['__typename']> = Extract<Shown, { __typename: N }>;

/**
 * Renders one event for one subscriber. Each event gets a fresh entity manager and loaders
 * primed with the event's rows, so resolvers read what the event carries instead of the
 * database; authorization is still the types' own checks, in memory.
 */
function show(ctx: Context, event: ConversationEvent | AccountEvent, followed: string | null = null): Shown {
  ctx.em = ctx.deps.orm.em.fork() as EntityManager;
  ctx.loaders = createLoaders(ctx.em, ctx.viewer, ctx.deps.realtime.presence);
  const prime = <T extends { id: string }>(entity: EntityName<T>, row: Row | null, loader: { prime: (id: string, value: T) => unknown }) => {
    if (!row) return null;
    const value = fromRow<T>(ctx.em, entity, row);
    loader.prime(value.id, value);
    return value;
  };
  const conversation = 'conversation' in event ? prime(Conversation, event.conversation, ctx.loaders.conversation) : null;
  if ('visitor' in event) prime(Visitor, event.visitor, ctx.loaders.visitor);
  // the agent the event is about (author, typist) and the conversation's assignee
  const agent = prime(Agent, 'agent' in event ? event.agent : null, ctx.loaders.agent);
  const assignee = prime(Agent, 'assignee' in event ? (event.assignee ?? null) : null, ctx.loaders.agent);
  // An agent named by an event of this visitor's own conversation is one it may see: the
  // event carries that conversation, or it comes from the conversation the visitor was allowed
  // to follow (conversationEvents refuses a visitor any conversation but its own).
  const ownConversation =
    ctx.viewer.kind === 'VISITOR' &&
    (conversation ? conversation.visitorId === ctx.viewer.visitorId : followed !== null && 'conversationId' in event && event.conversationId === followed);
  for (const named of ownConversation ? [agent, assignee] : []) {
    if (named) ctx.policyCache.set(`agent-talks-to-visitor:${named.id}`, Promise.resolve(true));
  }
  switch (event.type) {
    case 'MessageAdded': {
      const message = prime(Message, event.message, ctx.loaders.message)!;
      return { __typename: 'MessageAdded', message, cursor: encodeCursor([message.seq]) };
    }
    case 'TypingChanged':
      return {
        __typename: 'TypingChanged',
        conversationId: toGlobalId('Conversation', event.conversationId),
        authorKind: event.authorKind,
        agent,
        isTyping: event.isTyping,
      };
    case 'MessagesRead':
      return {
        __typename: 'MessagesRead',
        conversationId: toGlobalId('Conversation', event.conversationId),
        authorKind: event.authorKind,
        messageId: toGlobalId('Message', event.messageId),
        seq: event.seq,
      };
    case 'ConversationStarted':
    case 'ConversationUpdated':
      return event.type === 'ConversationStarted'
        ? { __typename: 'ConversationStarted', conversation: conversation! }
        : { __typename: 'ConversationUpdated', conversation: conversation! };
    case 'VisitorUpdated': {
      const visitor = fromRow(ctx.em, Visitor, event.visitor);
      ctx.loaders.visitorOnline.prime(`${visitor.accountId}:${visitor.id}`, event.online);
      return { __typename: 'VisitorUpdated', visitor };
    }
    case 'AgentUpdated':
      return { __typename: 'AgentUpdated', agent: agent! };
  }
}

const is = (name: Shown['__typename']) => (value: unknown) => (value as Shown).__typename === name;

const MessageAdded = builder.objectRef<ShownOf<'MessageAdded'>>('MessageAdded').implement({
  isTypeOf: is('MessageAdded'),
  fields: (t) => ({
    message: t.field({ type: MessageRef, resolve: (e) => e.message }),
    cursor: t.exposeString('cursor', { description: 'Pass it as `after` to resume right after this message.' }),
  }),
});
const TypingChanged = builder.objectRef<ShownOf<'TypingChanged'>>('TypingChanged').implement({
  isTypeOf: is('TypingChanged'),
  fields: (t) => ({
    conversationId: t.exposeID('conversationId'),
    authorKind: t.expose('authorKind', { type: AuthorKindEnum }),
    agent: t.field({ type: AgentRef, nullable: true, resolve: (e) => e.agent }),
    isTyping: t.exposeBoolean('isTyping', { description: 'Turns false by itself a few seconds after the last renewal.' }),
  }),
});
const MessagesRead = builder.objectRef<ShownOf<'MessagesRead'>>('MessagesRead').implement({
  isTypeOf: is('MessagesRead'),
  fields: (t) => ({
    conversationId: t.exposeID('conversationId'),
    authorKind: t.expose('authorKind', { type: AuthorKindEnum, description: 'The side that read.' }),
    messageId: t.exposeID('messageId', { description: 'The last message that side has read.' }),
    seq: t.exposeInt('seq'),
  }),
});
const conversationEvent = <N extends 'ConversationUpdated' | 'ConversationStarted'>(name: N) =>
  builder.objectRef<{ __typename: N; conversation: Conversation }>(name).implement({
    isTypeOf: is(name),
    fields: (t) => ({ conversation: t.field({ type: ConversationRef, resolve: (e) => e.conversation }) }),
  });
const ConversationUpdated = conversationEvent('ConversationUpdated');
const ConversationStarted = conversationEvent('ConversationStarted');
const VisitorUpdated = builder.objectRef<ShownOf<'VisitorUpdated'>>('VisitorUpdated').implement({
  isTypeOf: is('VisitorUpdated'),
  description: 'Came online or went offline, viewed a page, or filled in the pre-chat form.',
  fields: (t) => ({ visitor: t.field({ type: VisitorRef, resolve: (e) => e.visitor }) }),
});
const AgentUpdated = builder.objectRef<ShownOf<'AgentUpdated'>>('AgentUpdated').implement({
  isTypeOf: is('AgentUpdated'),
  description: 'Changed presence or profile.',
  fields: (t) => ({ agent: t.field({ type: AgentRef, resolve: (e) => e.agent }) }),
});

const ConversationEventUnion = builder.unionType('ConversationEvent', {
  types: [MessageAdded, TypingChanged, MessagesRead, ConversationUpdated],
});
const AccountEventUnion = builder.unionType('AccountEvent', {
  types: [ConversationStarted, MessageAdded, ConversationUpdated, VisitorUpdated, AgentUpdated],
});

builder.subscriptionType({});
builder.subscriptionFields((t) => ({
  conversationEvents: t.field({
    type: ConversationEventUnion,
    description:
      "One conversation's events; a visitor only for its own. With `after` (a message cursor) it first replays every later message, then sends where the conversation stands (ConversationUpdated, and MessagesRead for each side that has read), then goes live, with no gap and no duplicate.",
    authScopes: { authenticated: true },
    args: { conversationId: t.arg.id(), after: t.arg.string({ required: false }) },
    subscribe: (_root, { conversationId, after }, ctx) => conversationEvents(ctx, conversationId, after),
    resolve: (event: ConversationEvent, { conversationId }, ctx) => show(ctx, event, parseGlobalId(conversationId)?.id ?? null) as ShownOf<'MessageAdded' | 'TypingChanged' | 'MessagesRead' | 'ConversationUpdated'>,
  }),
  accountEvents: t.field({
    type: AccountEventUnion,
    description: "The whole account's events, for its agents and API tokens.",
    authScopes: { staff: true },
    subscribe: (_root, _args, ctx) => accountEvents(ctx),
    resolve: (event: AccountEvent, _args, ctx) =>
      show(ctx, event) as ShownOf<'ConversationStarted' | 'MessageAdded' | 'ConversationUpdated' | 'VisitorUpdated' | 'AgentUpdated'>,
  }),
}));

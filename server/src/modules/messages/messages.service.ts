import { UniqueConstraintViolationException } from '@mikro-orm/core';
import { z } from 'zod';
import type { Context } from '../../context.js';
import { BadUserInputError, ConflictError, NotFoundError, UnauthenticatedError } from '../../shared/errors.js';
import { idOf } from '../../shared/ids.js';
import { keysetConnection, type ConnectionArgs, type SortKey } from '../../shared/keyset.js';
import { consumeOrRefuse } from '../auth/rate-limits.js';
import { parseInput } from '../../shared/validation.js';
import { newId } from '../../shared/uuid.js';
import type { Viewer } from '../auth/viewer.js';
import { Conversation } from '../conversations/conversation.entity.js';
import { openConversationOf, visibleConversation } from '../conversations/conversations.service.js';
import { conversationScope } from '../conversations/conversations.policy.js';
import { Agent } from '../agents/agent.entity.js';
import { Visitor } from '../visitors/visitor.entity.js';
import type { Row } from '../../realtime/topics.js';
import { Message, type AuthorKind } from './message.entity.js';
import { messageScope } from './messages.policy.js';
import * as events from '../events/events.publish.js';

/** Messages are ordered, paged and resumed by their per-conversation sequence number. */
export const bySeq: SortKey<Message>[] = [{ field: 'seq', type: 'number', dir: 'asc' }];

export const maxBodyLength = 10_000;

/** A page of one conversation's messages, by seq. */
export function conversationMessages(ctx: Context, conversation: Conversation, args: ConnectionArgs) {
  const scope = messageScope(ctx.viewer);
  const where = { $and: [scope ?? { id: null }, { accountId: conversation.accountId, conversationId: conversation.id }] };
  return keysetConnection(ctx.em, Message, where, bySeq, args);
}

const sendInput = z.object({
  conversationId: z.string().nullish(),
  body: z
    .string()
    .trim()
    .min(1, 'must not be empty')
    .max(maxBodyLength, `must be at most ${maxBodyLength} characters`),
  clientMessageId: z
    .string()
    .trim()
    .min(1, 'must not be empty')
    .max(100, 'must be at most 100 characters')
    .nullish(),
});

function authorOf(viewer: Exclude<Viewer, { kind: 'ANONYMOUS' }>): { authorKind: AuthorKind; agentId: string | null; apiTokenId: string | null } {
  if (viewer.kind === 'AGENT') return { authorKind: 'AGENT', agentId: viewer.agentId, apiTokenId: null };
  if (viewer.kind === 'API_TOKEN') return { authorKind: 'SYSTEM', agentId: null, apiTokenId: viewer.apiTokenId };
  return { authorKind: 'VISITOR', agentId: null, apiTokenId: null };
}

type Author = ReturnType<typeof authorOf>;

type Appended = { message: Message; conversation: Conversation; visitor: Visitor | null; agents: Agent[]; created: boolean };

/**
 * Appends a message in one statement, which is its own transaction: the UPDATE takes the
 * conversation's row lock and moves `last_seq` on, and the INSERT takes that seq, so seq has
 * no gap and no duplicate. The conversation is matched within the viewer's scope (its
 * account; for a visitor, its own), so the statement is the visibility check too. It also
 * answers what the event and the response show (the conversation after the write, its
 * visitor, the author and the assignee), so a message costs one round trip to PostgreSQL.
 * A visitor writing into a closed conversation reopens it; an agent's first reply takes it.
 */
async function appendMessage(
  ctx: Context,
  conversationId: string,
  author: Author,
  body: string,
  clientMessageId: string | null,
): Promise<Appended> {
  const viewer = ctx.viewer as Exclude<Viewer, { kind: 'ANONYMOUS' }>;
  const now = new Date();
  const [row] = await ctx.em.execute<{ message: Row; conversation: Row; visitor: Row | null; agents: Row[] | null }[]>(
    `with c as (
       update conversations
          set last_seq = last_seq + 1, last_message_at = ?, last_activity_at = ?,
              status = case when ? then 'OPEN' else status end,
              assignee_id = coalesce(assignee_id, ?)
        where id = ? and account_id = ?${viewer.kind === 'VISITOR' ? ' and visitor_id = ?' : ''}
       returning *
     ), m as (
       insert into messages (id, account_id, conversation_id, seq, author_kind, agent_id, api_token_id, body, client_message_id, created_at)
       select ?, c.account_id, c.id, c.last_seq, ?, ?, ?, ?, ?, ? from c
       returning *
     )
     select row_to_json(m) as message, row_to_json(c) as conversation,
            (select row_to_json(v) from visitors v where v.account_id = c.account_id and v.id = c.visitor_id) as visitor,
            (select json_agg(a) from agents a where a.account_id = c.account_id and a.id in (m.agent_id, c.assignee_id)) as agents
       from m, c`,
    [
      now, now, author.authorKind === 'VISITOR', author.agentId,
      conversationId, viewer.accountId, ...(viewer.kind === 'VISITOR' ? [viewer.visitorId] : []),
      newId(), author.authorKind, author.agentId, author.apiTokenId, body, clientMessageId, now,
    ],
  );
  if (!row) throw new NotFoundError('Conversation');
  return {
    message: ctx.em.map(Message, row.message),
    conversation: ctx.em.map(Conversation, row.conversation),
    visitor: row.visitor ? ctx.em.map(Visitor, row.visitor) : null,
    agents: (row.agents ?? []).map((agent) => ctx.em.map(Agent, agent)),
    created: true,
  };
}

/**
 * The message a clientMessageId already names, when sending it again hit the unique index.
 * The statement that hit it changed nothing, and could only hit it after matching the
 * conversation within the viewer's scope.
 */
async function alreadySent(ctx: Context, conversationId: string, clientMessageId: string): Promise<Appended> {
  const viewer = ctx.viewer as Exclude<Viewer, { kind: 'ANONYMOUS' }>;
  const conversation = await ctx.em.findOne(
    Conversation,
    { $and: [conversationScope(viewer) ?? { id: null }, { id: conversationId }] },
    { refresh: true },
  );
  if (!conversation) throw new NotFoundError('Conversation');
  const message = await ctx.em.findOneOrFail(
    Message,
    { accountId: conversation.accountId, conversationId: conversation.id, clientMessageId },
    { refresh: true },
  );
  return { message, conversation, visitor: null, agents: [], created: false };
}

/** Sends a message as the caller: an agent, an API token (as SYSTEM) or a visitor. */
export async function sendMessage(ctx: Context, input: unknown) {
  const data = parseInput(sendInput, input);
  const viewer = ctx.viewer;
  if (viewer.kind === 'ANONYMOUS') throw new UnauthenticatedError();
  // the widget is open to anyone: a visitor's messages are limited, staff's are not
  if (viewer.kind === 'VISITOR') await consumeOrRefuse(ctx.deps.rateLimits.visitorMessages, viewer.visitorId);
  let conversationId: string;
  let started = false;
  if (data.conversationId) {
    conversationId = idOf('Conversation', data.conversationId, 'input.conversationId');
  } else if (viewer.kind === 'VISITOR') {
    const open = await openConversationOf(ctx.em, viewer.accountId, viewer.visitorId);
    conversationId = open.conversation.id;
    started = open.started;
  } else {
    throw new BadUserInputError('input.conversationId', 'input.conversationId: required for agents and API tokens.');
  }
  const author = authorOf(viewer);
  const clientMessageId = data.clientMessageId ?? null;
  let appended: Appended;
  try {
    appended = await appendMessage(ctx, conversationId, author, data.body, clientMessageId);
  } catch (error) {
    const constraint = error instanceof UniqueConstraintViolationException ? (error as { constraint?: string }).constraint : undefined;
    // Reopening a closed conversation while the visitor already has another one not closed.
    if (constraint === 'conversations_one_open_per_visitor') {
      throw new ConflictError('input.conversationId', 'This visitor already has another conversation that is not closed; write there.');
    }
    // The same clientMessageId again: the first message, never a duplicate.
    if (constraint !== 'messages_conversation_client_id' || !clientMessageId) throw error;
    appended = await alreadySent(ctx, conversationId, clientMessageId);
  }
  const { message, conversation } = appended;
  const { loaders } = ctx;
  loaders.conversation.clear(conversation.id).prime(conversation.id, conversation);
  if (appended.visitor) loaders.visitor.prime(appended.visitor.id, appended.visitor);
  for (const agent of appended.agents) loaders.agent.prime(agent.id, agent);
  if (started) await events.conversationChanged(ctx.deps, ctx.em, conversation, 'ConversationStarted');
  if (appended.created) {
    await events.messageAdded(ctx.deps, ctx.em, message, conversation, appended.visitor ? { visitor: appended.visitor, agents: appended.agents } : undefined);
  }
  return { message, conversation };
}

const markReadInput = z.object({ conversationId: z.string(), messageId: z.string() });

/** Moves the caller's side's read position forward to a message (never back). */
export async function markRead(ctx: Context, input: unknown) {
  const data = parseInput(markReadInput, input);
  const viewer = ctx.viewer;
  if (viewer.kind === 'ANONYMOUS') throw new UnauthenticatedError();
  const conversation = await visibleConversation(ctx, data.conversationId);
  const message = await ctx.loaders.message.load(idOf('Message', data.messageId, 'input.messageId'));
  if (!message || message.conversationId !== conversation.id) {
    throw new BadUserInputError('input.messageId', 'input.messageId: not a message of this conversation.');
  }
  const column = viewer.kind === 'VISITOR' ? 'visitor_read_seq' : 'agent_read_seq';
  const moved = await ctx.em.execute<{ id: string }[]>(
    `update conversations set ${column} = ? where id = ? and account_id = ? and ${column} < ? returning id`,
    [message.seq, conversation.id, conversation.accountId, message.seq],
  );
  if (moved.length > 0) await events.messagesRead(ctx.deps, conversation, viewer.kind === 'VISITOR' ? 'VISITOR' : 'AGENT', message);
  return { conversation, message };
}

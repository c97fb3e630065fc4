import { UniqueConstraintViolationException } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { z } from 'zod';
import type { Context } from '../../context.js';
import { BadUserInputError, ConflictError, NotFoundError, UnauthenticatedError } from '../../shared/errors.js';
import { idOf } from '../../shared/ids.js';
import { keysetConnection, type ConnectionArgs, type SortKey } from '../../shared/keyset.js';
import { parseInput } from '../../shared/validation.js';
import { newId } from '../../shared/uuid.js';
import type { Viewer } from '../auth/viewer.js';
import { Conversation } from '../conversations/conversation.entity.js';
import { openConversationOf, visibleConversation } from '../conversations/conversations.service.js';
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

/**
 * Appends a message under the conversation's row lock, so `seq` has no gap and no
 * duplicate. The same clientMessageId returns the message already stored.
 */
async function appendMessage(em: EntityManager, conversation: Conversation, author: Author, body: string, clientMessageId: string | null) {
  return em.transactional(async (tx) => {
    const [locked] = await tx.execute<{ last_seq: number; status: string }[]>(
      'select last_seq, status from conversations where id = ? and account_id = ? for update',
      [conversation.id, conversation.accountId],
    );
    if (!locked) throw new NotFoundError('Conversation');
    if (clientMessageId) {
      const existing = await tx.findOne(
        Message,
        { accountId: conversation.accountId, conversationId: conversation.id, clientMessageId },
        { refresh: true },
      );
      if (existing) return { message: existing, created: false };
    }
    const seq = locked.last_seq + 1;
    const now = new Date();
    // A visitor writing into a closed conversation reopens it; an agent's first reply takes it.
    await tx.execute(
      `update conversations
          set last_seq = ?, last_message_at = ?, last_activity_at = ?,
              status = case when ? then 'OPEN' else status end,
              assignee_id = coalesce(assignee_id, ?)
        where id = ? and account_id = ?`,
      [seq, now, now, author.authorKind === 'VISITOR', author.agentId, conversation.id, conversation.accountId],
    );
    const [row] = await tx.execute<Record<string, unknown>[]>(
      `insert into messages (id, account_id, conversation_id, seq, author_kind, agent_id, api_token_id, body, client_message_id, created_at)
       values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       returning *`,
      [newId(), conversation.accountId, conversation.id, seq, author.authorKind, author.agentId, author.apiTokenId, body, clientMessageId, now],
    );
    return { message: tx.map(Message, row!), created: true };
  });
}

/** Sends a message as the caller: an agent, an API token (as SYSTEM) or a visitor. */
export async function sendMessage(ctx: Context, input: unknown) {
  const data = parseInput(sendInput, input);
  const viewer = ctx.viewer;
  if (viewer.kind === 'ANONYMOUS') throw new UnauthenticatedError();
  let conversation: Conversation;
  let started = false;
  if (data.conversationId) {
    conversation = await visibleConversation(ctx, data.conversationId);
  } else if (viewer.kind === 'VISITOR') {
    ({ conversation, started } = await openConversationOf(ctx.em, viewer.accountId, viewer.visitorId));
  } else {
    throw new BadUserInputError('input.conversationId', 'input.conversationId: required for agents and API tokens.');
  }
  const author = authorOf(viewer);
  let appended: { message: Message; created: boolean };
  try {
    appended = await appendMessage(ctx.em, conversation, author, data.body, data.clientMessageId ?? null);
  } catch (error) {
    const constraint = error instanceof UniqueConstraintViolationException ? (error as { constraint?: string }).constraint : undefined;
    // Reopening a closed conversation while the visitor already has another one not closed.
    if (constraint === 'conversations_one_open_per_visitor') {
      throw new ConflictError('input.conversationId', 'This visitor already has another conversation that is not closed; write there.');
    }
    // Another writer that does not take the row lock cannot exist, but the unique index stays the last word.
    if (constraint !== 'messages_conversation_client_id' || !data.clientMessageId) throw error;
    appended = await appendMessage(ctx.em, conversation, author, data.body, data.clientMessageId);
  }
  const fresh = await ctx.em.findOneOrFail(Conversation, { id: conversation.id, accountId: conversation.accountId }, { refresh: true });
  if (started) await events.conversationChanged(ctx.deps, ctx.em, fresh, 'ConversationStarted');
  if (appended.created) await events.messageAdded(ctx.deps, ctx.em, appended.message, fresh);
  return { message: appended.message, conversation: fresh };
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

import { UniqueConstraintViolationException } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { z } from 'zod';
import type { Context } from '../../context.js';
import { BadUserInputError, ConflictError, ForbiddenError, NotFoundError } from '../../shared/errors.js';
import { idOf } from '../../shared/ids.js';
import type { GraphQLResolveInfo } from 'graphql';
import { keysetConnection, selectedNodeFields, type ConnectionArgs, type PageReader, type SortKey } from '../../shared/keyset.js';
import { readSeqOf, unreadSql } from '../../loaders.js';
import { Agent } from '../agents/agent.entity.js';
import { Message } from '../messages/message.entity.js';
import { Visitor } from '../visitors/visitor.entity.js';
import { parseInput } from '../../shared/validation.js';
import { newId } from '../../shared/uuid.js';
import { Conversation, conversationStatuses, type ConversationStatus } from './conversation.entity.js';
import { canManageConversation, conversationScope } from './conversations.policy.js';
import * as events from '../events/events.publish.js';
import { typingAuthor } from '../events/events.hooks.js';

/** Inbox order: most recent activity first. */
const byActivity: SortKey<Conversation>[] = [
  { field: 'lastActivityAt', type: 'date', dir: 'desc' },
  { field: 'id', type: 'string', dir: 'desc' },
];
const byCreation: SortKey<Conversation>[] = [
  { field: 'createdAt', type: 'date', dir: 'desc' },
  { field: 'id', type: 'string', dir: 'desc' },
];

export type ConversationAssignment = 'ANY' | 'MINE' | 'UNASSIGNED';

/** An account's conversations, newest activity first, optionally of one status and assignment. */
export function accountConversations(
  ctx: Context,
  accountId: string,
  args: ConnectionArgs & { status?: ConversationStatus | null; assignment?: ConversationAssignment | null },
  info?: GraphQLResolveInfo,
) {
  const scope = conversationScope(ctx.viewer);
  const where = {
    $and: [scope ?? { id: null }, { accountId }, args.status ? { status: args.status } : {}, assignmentFilter(ctx, args.assignment)],
  };
  return keysetConnection(ctx.em, Conversation, where, byActivity, args, info && pageWithWhatItShows(ctx, selectedNodeFields(info)));
}

function assignmentFilter(ctx: Context, assignment: ConversationAssignment | null | undefined) {
  if (assignment === 'UNASSIGNED') return { assigneeId: null };
  if (assignment !== 'MINE') return {};
  if (ctx.viewer.kind !== 'AGENT') throw new BadUserInputError('assignment', 'MINE is for agents: an API token has no conversations of its own.');
  return { assigneeId: ctx.viewer.agentId };
}

/** One visitor's conversations, newest first. */
export function visitorConversations(ctx: Context, accountId: string, visitorId: string, args: ConnectionArgs, info?: GraphQLResolveInfo) {
  const scope = conversationScope(ctx.viewer);
  const where = { $and: [scope ?? { id: null }, { accountId, visitorId }] };
  return keysetConnection(ctx.em, Conversation, where, byCreation, args, info && pageWithWhatItShows(ctx, selectedNodeFields(info)));
}

/**
 * Reads a page of conversations together with what the query shows of each (visitor,
 * assignee, last message, unread count) in one SQL statement, and primes the operation's
 * loaders with them, so the dashboard's inbox costs one statement whatever its page size.
 * The related rows are read through the conversation, which is already in the viewer's
 * scope, and each only within its account; their own types' authorization still applies.
 */
function pageWithWhatItShows(ctx: Context, fields: Set<string>): PageReader<Conversation> | undefined {
  const viewer = ctx.viewer;
  if (viewer.kind === 'ANONYMOUS') return undefined;
  const want = {
    visitor: fields.has('visitor'),
    assignee: fields.has('assignee'),
    lastMessage: fields.has('lastMessage'),
    unreadCount: fields.has('unreadCount'),
  };
  if (!Object.values(want).some(Boolean)) return undefined;
  const readColumn = viewer.kind === 'VISITOR' ? 'c.visitor_read_seq' : 'c.agent_read_seq';
  const related: Record<keyof typeof want, string> = {
    visitor: 'select row_to_json(v) from visitors v where v.account_id = c.account_id and v.id = c.visitor_id',
    assignee: 'select row_to_json(a) from agents a where a.account_id = c.account_id and a.id = c.assignee_id',
    lastMessage: 'select row_to_json(m) from messages m where m.account_id = c.account_id and m.conversation_id = c.id and m.seq = c.last_seq',
    unreadCount: unreadSql(viewer, 'c.id', readColumn, 'c.account_id'),
  };
  return async (where, orderBy, limit) => {
    const knex = ctx.em.getKnex();
    const columns: unknown[] = ['c.*'];
    for (const name of Object.keys(want) as (keyof typeof want)[]) {
      if (want[name]) columns.push(knex.raw(`(${related[name]}) as "related_${name}"`));
    }
    const rows = await ctx.em
      .createQueryBuilder(Conversation, 'c')
      .select(columns as never)
      .where(where as never)
      .orderBy(orderBy)
      .limit(limit)
      .execute<Record<string, unknown>[]>('all', false);
    const { loaders } = ctx;
    const agents = new Map<string, Agent>();
    return rows.map((row) => {
      const own = Object.fromEntries(Object.entries(row).filter(([key]) => !key.startsWith('related_')));
      const conversation = ctx.em.map(Conversation, own);
      loaders.conversation.prime(conversation.id, conversation);
      const visitor = row.related_visitor as Record<string, unknown> | null | undefined;
      if (visitor) loaders.visitor.prime(conversation.visitorId, ctx.em.map(Visitor, visitor));
      const assignee = row.related_assignee as Record<string, unknown> | null | undefined;
      if (assignee && !agents.has(conversation.assigneeId!)) {
        // a few agents take most conversations: each is mapped once
        agents.set(conversation.assigneeId!, ctx.em.map(Agent, assignee));
        loaders.agent.prime(conversation.assigneeId!, agents.get(conversation.assigneeId!)!);
      }
      if (want.lastMessage) {
        const message = row.related_lastMessage as Record<string, unknown> | null;
        loaders.lastMessage.prime(`${conversation.id}:${conversation.lastSeq}`, message ? ctx.em.map(Message, message) : null);
      }
      if (want.unreadCount) loaders.unreadCount.prime(`${conversation.id}:${readSeqOf(viewer, conversation)}`, Number(row.related_unreadCount));
      return conversation;
    });
  };
}

/** Loads a conversation the viewer can see, or answers NOT_FOUND (never revealing it exists). */
export async function visibleConversation(ctx: Context, globalId: string, field = 'input.conversationId') {
  const conversation = await ctx.loaders.conversation.load(idOf('Conversation', globalId, field));
  if (!conversation) throw new NotFoundError('Conversation');
  return conversation;
}

async function manageableConversation(ctx: Context, globalId: string) {
  const conversation = await visibleConversation(ctx, globalId);
  if (!canManageConversation(ctx.viewer, conversation)) throw new NotFoundError('Conversation');
  return conversation;
}

/**
 * The visitor's conversation that is not closed, started if there is none. A partial unique
 * index allows one per visitor, so two concurrent first messages cannot open two.
 */
export async function openConversationOf(em: EntityManager, accountId: string, visitorId: string): Promise<{ conversation: Conversation; started: boolean }> {
  const now = new Date();
  const [inserted] = await em.execute<Record<string, unknown>[]>(
    `insert into conversations (id, account_id, visitor_id, status, created_at, last_activity_at)
     values (?, ?, ?, 'OPEN', ?, ?)
     on conflict (account_id, visitor_id) where status <> 'CLOSED' do nothing
     returning *`,
    [newId(), accountId, visitorId, now, now],
  );
  if (inserted) return { conversation: em.map(Conversation, inserted), started: true };
  const conversation = await em.findOneOrFail(Conversation, { accountId, visitorId, status: { $ne: 'CLOSED' } }, { refresh: true });
  return { conversation, started: false };
}

const assignInput = z.object({ conversationId: z.string(), agentId: z.string().nullish() });

/** Staff assign a conversation to an agent of the account, or unassign it. */
export async function assignConversation(ctx: Context, input: unknown) {
  const data = parseInput(assignInput, input);
  const conversation = await manageableConversation(ctx, data.conversationId);
  let assigneeId: string | null = null;
  if (data.agentId) {
    const agent = await ctx.loaders.agent.load(idOf('Agent', data.agentId, 'input.agentId'));
    if (!agent || agent.accountId !== conversation.accountId) {
      throw new BadUserInputError('input.agentId', 'input.agentId: no such agent in this account.');
    }
    assigneeId = agent.id;
  }
  conversation.assigneeId = assigneeId;
  await ctx.em.flush();
  await events.conversationChanged(ctx.deps, ctx.em, conversation, 'ConversationUpdated');
  return conversation;
}

const statusInput = z.object({ conversationId: z.string(), status: z.enum(conversationStatuses) });

/** Staff close, reopen or park a conversation. A visitor has at most one conversation not closed. */
export async function setConversationStatus(ctx: Context, input: unknown) {
  const data = parseInput(statusInput, input);
  const conversation = await manageableConversation(ctx, data.conversationId);
  conversation.status = data.status;
  conversation.lastActivityAt = new Date();
  try {
    await ctx.em.flush();
  } catch (error) {
    if (error instanceof UniqueConstraintViolationException) {
      throw new ConflictError('input.status', 'This visitor already has another conversation that is not closed.');
    }
    throw error;
  }
  await events.conversationChanged(ctx.deps, ctx.em, conversation, 'ConversationUpdated');
  return conversation;
}

const typingInput = z.object({ conversationId: z.string(), isTyping: z.boolean() });

/** Announces that the caller started or stopped typing; unrenewed, it stops by itself after a few seconds. */
export async function setTyping(ctx: Context, input: unknown): Promise<boolean> {
  const data = parseInput(typingInput, input);
  const viewer = ctx.viewer;
  if (viewer.kind !== 'AGENT' && viewer.kind !== 'VISITOR') {
    throw new ForbiddenError('Only agents and visitors type.');
  }
  const conversation = await visibleConversation(ctx, data.conversationId);
  const authorKind = viewer.kind === 'AGENT' ? 'AGENT' : 'VISITOR';
  const author = typingAuthor(authorKind, viewer.kind === 'AGENT' ? viewer.agentId : viewer.visitorId);
  const key = { accountId: conversation.accountId, conversationId: conversation.id, author };
  if (!(await ctx.deps.realtime.typing.set(key, data.isTyping))) return true;
  const agentId = viewer.kind === 'AGENT' ? viewer.agentId : null;
  await events.typingChanged(ctx.deps, ctx.em, { ...key, authorKind, agentId }, data.isTyping);
  return true;
}

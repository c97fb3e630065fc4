import type { EntityManager } from '@mikro-orm/postgresql';
import type { Deps } from '../../deps.js';
import { toRow } from '../../realtime/rows.js';
import {
  type ConversationEvent,
  topics,
  type AgentUpdatedEvent,
  type ConversationUpdatedEvent,
  type MessageAddedEvent,
  type Row,
  type MessagesReadEvent,
  type TypingChangedEvent,
  type VisitorUpdatedEvent,
} from '../../realtime/topics.js';
import { Agent } from '../agents/agent.entity.js';
import type { Conversation } from '../conversations/conversation.entity.js';
import { Message, type AuthorKind } from '../messages/message.entity.js';
import { Visitor } from '../visitors/visitor.entity.js';

/**
 * What happened, announced after the transaction committed. Each event carries the rows
 * its subscribers render, so delivering it to N sockets costs no query per socket.
 */

type Publisher = Pick<Deps, 'realtime'>;

const toConversationTopic = (deps: Publisher, e: { conversationId: string; type: string }) =>
  deps.realtime.publish(topics.conversation(e.conversationId), e);
const toAccountTopic = (deps: Publisher, e: { accountId: string; type: string }) => deps.realtime.publish(topics.account(e.accountId), e);

/** The visitor and agents an event about a conversation carries, when the caller has them already. */
export type RelatedRows = { visitor: Visitor; agents: Agent[] };

async function rowsOf(em: EntityManager, conversation: Conversation, agentIds: (string | null | undefined)[], related?: RelatedRows) {
  const visitor = related?.visitor ?? (await em.findOneOrFail(Visitor, { id: conversation.visitorId, accountId: conversation.accountId }));
  const ids = agentIds.filter((id): id is string => typeof id === "string");
  const agents = related ? related.agents : ids.length ? await em.find(Agent, { id: { $in: ids }, accountId: conversation.accountId }) : [];
  const agent = (id: string | null | undefined) => {
    const found = agents.find((a) => a.id === id);
    return found ? toRow(found) : null;
  };
  return { visitor: toRow(visitor), agent };
}

/**
 * A MessageAdded event. Published live it carries the rows its subscribers render; replayed
 * from the database it carries none of them, and resolvers load what they need.
 */
export function messageAddedEvent(
  message: Message,
  conversation: Row,
  rows: Pick<MessageAddedEvent, 'visitor' | 'agent' | 'assignee'> = { visitor: null, agent: null, assignee: null },
): MessageAddedEvent {
  return {
    type: 'MessageAdded',
    accountId: message.accountId,
    conversationId: message.conversationId,
    publishedAt: Date.now(),
    message: toRow(message),
    conversation,
    ...rows,
  };
}

export async function messageAdded(deps: Publisher, em: EntityManager, message: Message, conversation: Conversation, related?: RelatedRows) {
  const { visitor, agent } = await rowsOf(em, conversation, [message.agentId, conversation.assigneeId], related);
  const event = messageAddedEvent(message, toRow(conversation), {
    visitor,
    agent: agent(message.agentId),
    assignee: agent(conversation.assigneeId),
  });
  await Promise.all([toConversationTopic(deps, event), toAccountTopic(deps, event)]);
}

export async function conversationChanged(
  deps: Publisher,
  em: EntityManager,
  conversation: Conversation,
  type: 'ConversationStarted' | 'ConversationUpdated',
) {
  const { visitor, agent } = await rowsOf(em, conversation, [conversation.assigneeId]);
  const event: ConversationUpdatedEvent = {
    type,
    accountId: conversation.accountId,
    conversationId: conversation.id,
    publishedAt: Date.now(),
    conversation: toRow(conversation),
    visitor,
    assignee: agent(conversation.assigneeId),
  };
  await Promise.all([type === 'ConversationUpdated' ? toConversationTopic(deps, event) : null, toAccountTopic(deps, event)]);
}

export async function typingChanged(
  deps: Publisher,
  em: EntityManager,
  key: { accountId: string; conversationId: string; authorKind: AuthorKind; agentId: string | null },
  isTyping: boolean,
) {
  const agent = key.agentId ? await em.findOne(Agent, { id: key.agentId, accountId: key.accountId }) : null;
  const event: TypingChangedEvent = {
    type: 'TypingChanged',
    accountId: key.accountId,
    conversationId: key.conversationId,
    publishedAt: Date.now(),
    authorKind: key.authorKind,
    agent: agent ? toRow(agent) : null,
    isTyping,
  };
  await toConversationTopic(deps, event);
}

/**
 * Where a conversation stands now, as the events that would have told it: its status and
 * assignee, and how far each side has read. A resumed subscription sends these after its
 * replay, so what changed while the subscriber was away (a read, a close) is not lost.
 */
export async function currentStateEvents(em: EntityManager, conversation: Conversation): Promise<ConversationEvent[]> {
  const { visitor, agent } = await rowsOf(em, conversation, [conversation.assigneeId]);
  const publishedAt = Date.now();
  const base = { accountId: conversation.accountId, conversationId: conversation.id, publishedAt };
  const events: ConversationEvent[] = [
    { ...base, type: 'ConversationUpdated', conversation: toRow(conversation), visitor, assignee: agent(conversation.assigneeId) },
  ];
  const reads: [AuthorKind, number][] = [
    ['AGENT', conversation.agentReadSeq],
    ['VISITOR', conversation.visitorReadSeq],
  ];
  const seqs = reads.map(([, seq]) => seq).filter((seq) => seq > 0);
  if (seqs.length === 0) return events;
  const read = await em.find(Message, { accountId: conversation.accountId, conversationId: conversation.id, seq: { $in: seqs } });
  for (const [authorKind, seq] of reads) {
    const message = read.find((m) => m.seq === seq);
    if (message) events.push({ ...base, type: 'MessagesRead', authorKind, messageId: message.id, seq });
  }
  return events;
}

export async function messagesRead(deps: Publisher, conversation: Conversation, authorKind: AuthorKind, message: Message) {
  const event: MessagesReadEvent = {
    type: 'MessagesRead',
    accountId: conversation.accountId,
    conversationId: conversation.id,
    publishedAt: Date.now(),
    authorKind,
    messageId: message.id,
    seq: message.seq,
  };
  await toConversationTopic(deps, event);
}

export async function visitorUpdated(deps: Publisher, visitor: Visitor, online: boolean) {
  const event: VisitorUpdatedEvent = {
    type: 'VisitorUpdated',
    accountId: visitor.accountId,
    publishedAt: Date.now(),
    visitor: toRow(visitor),
    online,
  };
  await toAccountTopic(deps, event);
}

export async function agentUpdated(deps: Publisher, agent: Agent) {
  const event: AgentUpdatedEvent = { type: 'AgentUpdated', accountId: agent.accountId, publishedAt: Date.now(), agent: toRow(agent) };
  await toAccountTopic(deps, event);
}

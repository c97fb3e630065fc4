import type { AuthorKind } from '../modules/messages/message.entity.js';

/** Every pub/sub topic, named in one place. */
export const topics = {
  conversation: (conversationId: string) => `conversation:${conversationId}`,
  account: (accountId: string) => `account:${accountId}`,
  revocations: 'revocations',
} as const;

/** An entity as it travels between instances: its properties, dates as ISO strings. */
export type Row = Record<string, unknown> & { id: string };

type Base = { accountId: string; publishedAt: number };

export type MessageAddedEvent = Base & {
  type: 'MessageAdded';
  conversationId: string;
  message: Row;
  conversation: Row;
  /** null in events replayed from the database: resolvers load what they need */
  visitor: Row | null;
  agent: Row | null;
  /** the conversation's assignee, so rendering `conversation { assignee }` costs no query per subscriber */
  assignee: Row | null;
};
export type TypingChangedEvent = Base & {
  type: 'TypingChanged';
  conversationId: string;
  authorKind: AuthorKind;
  agent: Row | null;
  isTyping: boolean;
};
export type MessagesReadEvent = Base & {
  type: 'MessagesRead';
  conversationId: string;
  authorKind: AuthorKind;
  messageId: string;
  seq: number;
};
export type ConversationUpdatedEvent = Base & {
  type: 'ConversationUpdated' | 'ConversationStarted';
  conversationId: string;
  conversation: Row;
  visitor: Row;
  assignee: Row | null;
};
export type VisitorUpdatedEvent = Base & { type: 'VisitorUpdated'; visitor: Row; online: boolean };
export type AgentUpdatedEvent = Base & { type: 'AgentUpdated'; agent: Row };

export type ConversationEvent = MessageAddedEvent | TypingChangedEvent | MessagesReadEvent | ConversationUpdatedEvent;
export type AccountEvent = MessageAddedEvent | ConversationUpdatedEvent | VisitorUpdatedEvent | AgentUpdatedEvent;

/** Tells every instance to close the sockets and streams of a principal that lost its access. */
export type Revocation =
  | { kind: 'session'; id: string }
  | { kind: 'apiToken'; id: string }
  | { kind: 'agent'; id: string }
  | { kind: 'visitor'; id: string }
  | { kind: 'account'; id: string };
